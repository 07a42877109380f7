/**
 * The real server for end-to-end tests: `node --import tsx server/main.ts`
 * on a free port with a temporary DATA_DIR; the admin token read from its
 * first-start output.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface RunningServer {
  url: string
  adminToken: string
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

/** Build web/dist when it is missing or stale, as `npm start` does. */
export function buildWebUi(): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'web/build-if-stale.ts'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
  if (r.status !== 0) throw new Error(`building the web UI failed:\n${r.stdout}\n${r.stderr}`)
}

/** Start the server; `env` adds to (or overrides) this process's environment, e.g. the CPU pool's settings. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'ln-web-e2e-'))
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const adminToken = await new Promise<string>((resolve, reject) => {
    // its first start bootstraps the shipped protocols and loads the engine on its CPU thread: tens of seconds on a loaded machine
    const timer = setTimeout(() => reject(new Error(`the server did not start within 180 s:\n${out}`)), 180_000)
    const onData = (d: Buffer) => {
      out += d.toString()
      const token = /(lnt_[A-Za-z0-9_-]+)/.exec(out)?.[1]
      if (token && out.includes('LN trial rules API on')) {
        clearTimeout(timer)
        resolve(token)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', code => {
      clearTimeout(timer)
      reject(new Error(`the server exited with ${code}:\n${out}`))
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    adminToken,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise(r => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
