import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The README's curl examples, run as written against `npm start`'s server
// (only the token and the port are filled in).
const ROOT = join(import.meta.dirname, '..', '..')
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

function freePort(): Promise<number> {
  return new Promise(resolve => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

describe('README quick start', () => {
  let server: ChildProcess
  let port = 0
  let token = ''
  const dataDir = mkdtempSync(join(tmpdir(), 'readme-'))

  beforeAll(async () => {
    port = await freePort()
    server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env: { ...process.env, PORT: String(port), DATA_DIR: dataDir } })
    let out = ''
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000)
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('LN trial rules API on')) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    token = /lnt_[A-Za-z0-9_-]+/.exec(out)![0]
  }, 40_000)

  afterAll(() => {
    server?.kill('SIGTERM')
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('prints the admin token once and the curl examples work as written', () => {
    const block = /```sh\n(TOKEN=lnt_\.\.\.[\s\S]*?)```/.exec(readme)
    expect(block, 'README has the curl block').not.toBeNull()
    const script = block![1]!.replace('TOKEN=lnt_...', `TOKEN=${token}`).replaceAll('127.0.0.1:8787', `127.0.0.1:${port}`)
    const r = spawnSync('bash', ['-euc', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('"id":"nct05631717"')
    expect(r.stdout).toContain('"valid":true')
    expect(r.stdout).toContain('"overall":"undetermined"')
  })
})
