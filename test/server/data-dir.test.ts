/**
 * The data directory of the real server process: one server per directory
 * (a lock file; a stale one is taken over), private file modes, the admin
 * token saved 0600, a warning when HOST is not loopback, one-line startup
 * errors, and write transactions of two processes on one database that never
 * fail with SQLITE_BUSY.
 */
import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isLoopbackHost, LOCK_FILE, ADMIN_TOKEN_FILE } from '../../server/storage/data-dir.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import { ServerProcesses } from '../helpers/server-process.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const TIMEOUT_MS = 60_000
const DB = 'ln-trial.db'
const posix = process.platform !== 'win32'
const root = typeof process.getuid === 'function' && process.getuid() === 0

const temp = mkdtempSync(join(tmpdir(), 'ln-data-dir-'))
// no protocols to load: these tests are about the directory, and start faster
const NO_PROTOCOLS = join(temp, 'protocols')
mkdirSync(NO_PROTOCOLS)
// one worker thread: these tests are about the directory, and each server starts faster
const servers = new ServerProcesses({ PROTOCOLS_DIR: NO_PROTOCOLS, CPU_THREADS: '1' })
const { start, listening, refused, stop } = {
  start: servers.start.bind(servers),
  listening: servers.listening.bind(servers),
  refused: servers.refused.bind(servers),
  stop: servers.stop.bind(servers),
}
let dirs = 0
const newDir = () => join(temp, `data-${++dirs}`)

/** One line on stderr, no stack trace. */
function expectOneLine(stderr: string): string {
  const lines = stderr.trim().split('\n')
  expect(lines, stderr).toHaveLength(1)
  expect(stderr).not.toMatch(/^\s+at /m)
  return lines[0]!
}

afterAll(async () => {
  await servers.killAll()
  rmSync(temp, { recursive: true, force: true })
})

describe('one server per data directory', () => {
  it(
    'a second server on the same directory refuses with one line naming it and the holder; the files are private',
    async () => {
      const dataDir = newDir()
      const first = await listening(start(dataDir))
      try {
        const second = await refused(dataDir)
        expect(second.code).toBe(1)
        const line = expectOneLine(second.stderr)
        expect(line).toContain(dataDir)
        expect(line).toContain(`pid ${first.child.pid}`)
        expect(line).toMatch(/since \d{4}-\d\d-\d\dT/)
        expect(second.stdout).not.toContain('LN trial rules API on')
        // the default HOST (loopback) gives no exposure warning; HOST=0.0.0.0 does (exposure beyond loopback, below)
        expect(first.stderr).not.toMatch(/WARNING/)

        // the admin token: printed, and saved 0600 in the data directory, stdout says where
        const token = /admin token[^\n]*\n\s*\n\s*(lnt_[A-Za-z0-9_-]+)/.exec(first.stdout)?.[1]
        expect(token, first.stdout).toBeDefined()
        const tokenFile = join(dataDir, ADMIN_TOKEN_FILE)
        expect(readFileSync(tokenFile, 'utf8').trim()).toBe(token)
        expect(first.stdout).toContain(tokenFile)
        if (posix) {
          expect(statSync(dataDir).mode & 0o777).toBe(0o700)
          expect(statSync(tokenFile).mode & 0o777).toBe(0o600)
          for (const f of [DB, `${DB}-wal`, `${DB}-shm`]) expect(statSync(join(dataDir, f)).mode & 0o777, f).toBe(0o600)
        }
      } finally {
        expect(await stop(first)).toBe(0)
      }
      expect(existsSync(join(dataDir, LOCK_FILE)), 'the lock is removed on shutdown').toBe(false)
      // and the directory is free again; a restart prints no second token
      const again = await listening(start(dataDir))
      expect(again.stdout).not.toMatch(/lnt_|admin token/)
      await stop(again)
    },
    TIMEOUT_MS,
  )

  it(
    'a lock left by a process that is gone is taken over with a note',
    async () => {
      const dataDir = newDir()
      mkdirSync(dataDir, { mode: 0o700 })
      const since = '2020-01-01T00:00:00.000Z'
      writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: 999_999_999, host: hostname(), since }))
      const run = await listening(start(dataDir))
      try {
        expect(run.stderr).toMatch(/taking over the lock/)
        expect(run.stderr).toContain('pid 999999999')
        const lock = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as { pid: number }
        expect(lock.pid).toBe(run.child.pid)
      } finally {
        await stop(run)
      }
    },
    TIMEOUT_MS,
  )
})

describe('startup problems: one line with the path, exit code 1', () => {
  it(
    'a data directory that cannot be created',
    async () => {
      const file = join(temp, 'a-file')
      writeFileSync(file, 'not a directory')
      const dataDir = join(file, 'data')
      const r = await refused(dataDir)
      expect(r.code).toBe(1)
      expect(expectOneLine(r.stderr)).toContain(dataDir)
    },
    TIMEOUT_MS,
  )

  it.skipIf(!posix || root)(
    'a read-only data directory',
    async () => {
      const dataDir = newDir()
      mkdirSync(dataDir, { mode: 0o500 })
      chmodSync(dataDir, 0o500)
      try {
        const r = await refused(dataDir)
        expect(r.code).toBe(1)
        const line = expectOneLine(r.stderr)
        expect(line).toContain(dataDir)
        expect(line).toMatch(/not writable/)
      } finally {
        chmodSync(dataDir, 0o700)
      }
    },
    TIMEOUT_MS,
  )

  it(
    'a database file that is not a database',
    async () => {
      const dataDir = newDir()
      mkdirSync(dataDir, { mode: 0o700 })
      writeFileSync(join(dataDir, DB), 'these are not the bytes of an SQLite database '.repeat(100))
      const r = await refused(dataDir)
      expect(r.code).toBe(1)
      const line = expectOneLine(r.stderr)
      expect(line).toContain(join(dataDir, DB))
      expect(line).toMatch(/not an SQLite database/)
      expect(existsSync(join(dataDir, LOCK_FILE)), 'the lock is released on exit').toBe(false)
    },
    TIMEOUT_MS,
  )

  it(
    'a port in use',
    async () => {
      const blocker: Server = await new Promise(resolve => {
        const srv = createServer().listen(0, '127.0.0.1', () => resolve(srv))
      })
      try {
        const { port } = blocker.address() as { port: number }
        const r = await refused(newDir(), { PORT: String(port) })
        expect(r.code).toBe(1)
        const line = expectOneLine(r.stderr)
        expect(line).toContain(`Port ${port}`)
        expect(line).toMatch(/in use/)
      } finally {
        await new Promise(resolve => blocker.close(resolve))
      }
    },
    TIMEOUT_MS,
  )
})

describe('exposure beyond loopback', () => {
  it('loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST']) expect(isLoopbackHost(h), h).toBe(true)
    for (const h of ['0.0.0.0', '::', '192.168.1.10', 'example.org', '128.0.0.1']) expect(isLoopbackHost(h), h).toBe(false)
  })

  it(
    'HOST=0.0.0.0 warns on stderr that the server speaks plain HTTP',
    async () => {
      const run = await listening(start(newDir(), { HOST: '0.0.0.0' }))
      try {
        expect(run.stderr).toMatch(/WARNING: HOST=0\.0\.0\.0 .*plain HTTP.*TLS reverse proxy/)
      } finally {
        await stop(run)
      }
    },
    TIMEOUT_MS,
  )
})

describe('write transactions of two processes on one database', () => {
  it(
    'never fail with SQLITE_BUSY (BEGIN IMMEDIATE waits for the write lock)',
    async () => {
      const dataDir = newDir()
      const file = join(dataDir, DB)
      const setup = openSqliteStore(file)
      await setup.createProtocol(
        { id: 'p', registry_id: 'NCT00000000', yaml: 'protocol: {}\n', change_note: 'test' },
        { tokenId: 'test', name: 'test', role: 'admin' },
      )
      setup.close()
      // each write reads before it writes (createSubject): a deferred transaction would fail with SQLITE_BUSY here
      const script = join(dataDir, 'writer.mts')
      writeFileSync(
        script,
        `import { openSqliteStore } from ${JSON.stringify(join(ROOT, 'server', 'storage', 'sqlite-store.ts'))}
const [file, tag, n] = process.argv.slice(2)
const store = openSqliteStore(file!)
const errors: string[] = []
let ok = 0
for (let i = 0; i < Number(n); i++) {
  try {
    const r = await store.createSubject({ protocol_id: 'p', code: tag + '-' + i, record: '{}' }, { tokenId: 'test', name: tag!, role: 'admin' })
    if (r.ok) ok++
    else errors.push(JSON.stringify(r.conflict))
  } catch (e) {
    errors.push(String((e as { code?: string }).code ?? e))
  }
}
store.close()
console.log(JSON.stringify({ ok, errors }))
`,
      )
      const N = 200
      const writer = (tag: string) =>
        new Promise<{ ok: number; errors: string[] }>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', script, file, tag, String(N)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
          let out = ''
          let err = ''
          child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
          child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
          const timer = setTimeout(() => child.kill('SIGKILL'), 45_000)
          child.once('exit', code => {
            clearTimeout(timer)
            if (code === 0) resolve(JSON.parse(out.trim().split('\n').at(-1)!) as { ok: number; errors: string[] })
            else reject(new Error(`writer ${tag} exited ${code}: ${err}`))
          })
        })
      const results = await Promise.all([writer('a'), writer('b')])
      for (const r of results) {
        expect(r.errors).toEqual([])
        expect(r.ok).toBe(N)
      }
      const check = openSqliteStore(file)
      try {
        expect(await check.subjects('p')).toHaveLength(2 * N)
        expect(await check.integrityCheck()).toBe('ok')
      } finally {
        check.close()
      }
    },
    TIMEOUT_MS,
  )
})
