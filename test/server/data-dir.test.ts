/**
 * The data directory of the server: one server per directory (a lock file; a
 * stale one is taken over), private file modes, the admin token saved 0600,
 * a warning when HOST is not loopback, one-line startup errors, and write
 * transactions of two processes on one database that never fail with
 * SQLITE_BUSY. Started in process (server/start.ts) but for what only
 * processes show: a lock held by another live process, the exit code and
 * the one line on stderr of `npm start` (server/main.ts).
 */
import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isLoopbackHost, LOCK_FILE, ADMIN_TOKEN_FILE } from '../../server/storage/data-dir.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import { refusedHere as refusedIn, startHere as startIn } from '../helpers/server-in-process.ts'
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
let dirs = 0
const newDir = () => join(temp, `data-${++dirs}`)

/** In process, on `dataDir`, without the shipped protocols. */
const startHere = (dataDir: string, env: Record<string, string> = {}) => startIn({ DATA_DIR: dataDir, PROTOCOLS_DIR: NO_PROTOCOLS, ...env })
const refusedHere = (dataDir: string, env: Record<string, string> = {}) => refusedIn({ DATA_DIR: dataDir, PROTOCOLS_DIR: NO_PROTOCOLS, ...env })

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
    'npm start: a second server process on the same directory exits 1 with one line naming it and the holder; SIGTERM releases it',
    async () => {
      const dataDir = newDir()
      const first = await servers.listening(servers.start(dataDir))
      try {
        const second = await servers.refused(dataDir)
        expect(second.code).toBe(1)
        const line = expectOneLine(second.stderr)
        expect(line).toContain(dataDir)
        expect(line).toContain(`pid ${first.child.pid}`)
        expect(line).toMatch(/since \d{4}-\d\d-\d\dT/)
        expect(second.stdout).not.toContain('LN trial rules API on')
        // the admin token: printed, and saved in the data directory, stdout says where
        const token = /admin token[^\n]*\n\s*\n\s*(lnt_[A-Za-z0-9_-]+)/.exec(first.stdout)?.[1]
        expect(token, first.stdout).toBeDefined()
        expect(readFileSync(join(dataDir, ADMIN_TOKEN_FILE), 'utf8').trim()).toBe(token)
        expect(first.stdout).toContain(join(dataDir, ADMIN_TOKEN_FILE))
      } finally {
        expect(await servers.stop(first)).toBe(0)
      }
      expect(existsSync(join(dataDir, LOCK_FILE)), 'the lock is removed on shutdown').toBe(false)
    },
    TIMEOUT_MS,
  )

  it('a second start on the same directory is refused naming it and the holder; the files are private; a restart prints no second token', async () => {
    const dataDir = newDir()
    const first = await startHere(dataDir)
    expect(first.failure).toBeUndefined()
    try {
      const line = await refusedHere(dataDir)
      expect(line).toContain(dataDir)
      expect(line).toContain(`pid ${process.pid}`)
      expect(line).toMatch(/in use by another server .*since \d{4}-\d\d-\d\dT/)
      // the default HOST (loopback) gives no exposure warning; HOST=0.0.0.0 does (exposure beyond loopback, below)
      expect(first.err).not.toMatch(/WARNING/)
      const token = /admin token[^\n]*\n\s*\n\s*(lnt_[A-Za-z0-9_-]+)/.exec(first.out)?.[1]
      expect(token, first.out).toBeDefined()
      const tokenFile = join(dataDir, ADMIN_TOKEN_FILE)
      expect(readFileSync(tokenFile, 'utf8').trim()).toBe(token)
      if (posix) {
        expect(statSync(dataDir).mode & 0o777).toBe(0o700)
        expect(statSync(tokenFile).mode & 0o777).toBe(0o600)
        for (const f of [DB, `${DB}-wal`, `${DB}-shm`]) expect(statSync(join(dataDir, f)).mode & 0o777, f).toBe(0o600)
      }
      // it answers
      expect((await fetch(`${first.started!.url}/health`)).status).toBe(200)
    } finally {
      await first.started!.close()
    }
    expect(existsSync(join(dataDir, LOCK_FILE)), 'the lock is removed on close').toBe(false)
    const again = await startHere(dataDir)
    expect(again.failure).toBeUndefined()
    expect(again.out).toContain('LN trial rules API on')
    expect(again.out).not.toMatch(/lnt_|admin token/)
    await again.started!.close()
  })

  it('a lock left by a process that is gone is taken over with a note', async () => {
    const dataDir = newDir()
    mkdirSync(dataDir, { mode: 0o700 })
    const since = '2020-01-01T00:00:00.000Z'
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: 999_999_999, host: hostname(), since }))
    const run = await startHere(dataDir)
    try {
      expect(run.err).toMatch(/taking over the lock/)
      expect(run.err).toContain('pid 999999999')
      const lock = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as { pid: number }
      expect(lock.pid).toBe(process.pid)
    } finally {
      await run.started?.close()
    }
  })
})

describe('startup problems: one line with the path; what was taken is given back', () => {
  it('a data directory that cannot be created', async () => {
    const file = join(temp, 'a-file')
    writeFileSync(file, 'not a directory')
    const dataDir = join(file, 'data')
    expect(await refusedHere(dataDir)).toContain(dataDir)
  })

  it.skipIf(!posix || root)('a read-only data directory', async () => {
    const dataDir = newDir()
    mkdirSync(dataDir, { mode: 0o500 })
    chmodSync(dataDir, 0o500)
    try {
      const line = await refusedHere(dataDir)
      expect(line).toContain(dataDir)
      expect(line).toMatch(/not writable/)
    } finally {
      chmodSync(dataDir, 0o700)
    }
  })

  it('a database file that is not a database', async () => {
    const dataDir = newDir()
    mkdirSync(dataDir, { mode: 0o700 })
    writeFileSync(join(dataDir, DB), 'these are not the bytes of an SQLite database '.repeat(100))
    const line = await refusedHere(dataDir)
    expect(line).toContain(join(dataDir, DB))
    expect(line).toMatch(/not an SQLite database/)
    expect(existsSync(join(dataDir, LOCK_FILE)), 'the lock is released').toBe(false)
  })

  it('a port in use: the lock and the database are given back', async () => {
    const blocker: Server = await new Promise(resolve => {
      const srv = createServer().listen(0, '127.0.0.1', () => resolve(srv))
    })
    try {
      const { port } = blocker.address() as { port: number }
      const dataDir = newDir()
      const line = await refusedHere(dataDir, { PORT: String(port) })
      expect(line).toContain(`Port ${port}`)
      expect(line).toMatch(/in use/)
      expect(existsSync(join(dataDir, LOCK_FILE)), 'the lock is released').toBe(false)
    } finally {
      await new Promise(resolve => blocker.close(resolve))
    }
  })

  it('a setting that is not a number names it and what it got', async () => {
    expect(await refusedHere(newDir(), { CPU_BUDGET_MS: 'soon' })).toBe('CPU_BUDGET_MS must be a whole number of milliseconds, got soon')
  })

  it('WARM_UP is 0 or 1, and says so otherwise', async () => {
    expect(await refusedHere(newDir(), { WARM_UP: 'yes' })).toBe('WARM_UP must be 0 or 1, got yes')
  })
})

describe('exposure beyond loopback', () => {
  it('loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST']) expect(isLoopbackHost(h), h).toBe(true)
    for (const h of ['0.0.0.0', '::', '192.168.1.10', 'example.org', '128.0.0.1']) expect(isLoopbackHost(h), h).toBe(false)
  })

  it('HOST=0.0.0.0 warns on stderr that the server speaks plain HTTP', async () => {
    const run = await startHere(newDir(), { HOST: '0.0.0.0' })
    try {
      expect(run.failure).toBeUndefined()
      expect(run.err).toMatch(/WARNING: HOST=0\.0\.0\.0 .*plain HTTP.*TLS reverse proxy/)
    } finally {
      await run.started?.close()
    }
  })
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
