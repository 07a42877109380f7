/**
 * Durability of the real server process: what it acknowledged survives a
 * kill -9, the database stays consistent, the audit trail is append-only in
 * the database itself, and optimistic concurrency holds under a real race.
 */
import Database from 'better-sqlite3'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { examplePatient } from '../../engine/index.ts'
import { configFromEnv, databaseFile } from '../../server/config.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import { PROTOCOLS_DIR, shippedProtocol } from '../helpers/protocols.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const P = 'nct05631717'
const YAML_TEXT = readFileSync(join(PROTOCOLS_DIR, `${P}.yaml`), 'utf8')
const IN03 = '        op: ">="\n        value: 6\n'
const withSledai = (n: number) => YAML_TEXT.replace(IN03, `        op: ">="\n        value: ${n}\n`)
const PATIENT = JSON.stringify(examplePatient(shippedProtocol('NCT05631717').examples!, 'eligible-baseline'))
const CONCURRENT = 40
const TIMEOUT_MS = 60_000

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

interface Running {
  child: ChildProcess
  base: string
  /** Everything printed on stdout up to "listening". */
  banner: string
  exited: Promise<number | null>
}

async function startServer(dataDir: string): Promise<Running> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, PROTOCOLS_DIR },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  let banner = ''
  let errors = ''
  child.stderr!.on('data', (d: Buffer) => (errors += d.toString()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${banner}\n${errors}`)), 30_000)
    child.stdout!.on('data', (d: Buffer) => {
      banner += d.toString()
      if (banner.includes('LN trial rules API on')) {
        clearTimeout(timer)
        resolve()
      }
    })
    void exited.then(code => reject(new Error(`server exited (${code}) before listening:\n${banner}\n${errors}`)))
  })
  return { child, base: `http://127.0.0.1:${port}`, banner, exited }
}

async function kill9(s: Running): Promise<void> {
  s.child.kill('SIGKILL')
  await s.exited
}

describe('durability of the server process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ln-durability-'))
  const dbFile = databaseFile({ ...configFromEnv({}), dataDir })
  let server: Running | undefined
  let token = ''

  const call = (method: string, path: string, init: { body?: string; type?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${server!.base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'Content-Type': init.type ?? 'application/json' } : {}), ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    })

  const evaluate = async (): Promise<number | undefined> => {
    const res = await call('POST', `/protocols/${P}/evaluate`, { body: PATIENT })
    return res.ok ? ((await res.json()) as { evaluation_id: number }).evaluation_id : undefined
  }

  const screeningLogIds = async (): Promise<number[]> => {
    const ids: number[] = []
    let after = 0
    for (;;) {
      const res = await call('GET', `/protocols/${P}/screening-log?limit=1000&after=${after}`)
      expect(res.status).toBe(200)
      const page = (await res.json()) as { items: Array<{ id: number }>; next_after: number | null }
      ids.push(...page.items.map(i => i.id))
      if (page.next_after === null) return ids
      after = page.next_after
    }
  }

  beforeAll(async () => {
    server = await startServer(dataDir)
    const m = /admin token[^\n]*\n\s*\n\s*(lnt_[A-Za-z0-9_-]+)/.exec(server.banner)
    expect(m, server.banner).not.toBeNull()
    token = m![1]!
  }, TIMEOUT_MS)

  afterAll(async () => {
    if (server && server.child.exitCode === null) await kill9(server)
    rmSync(dataDir, { recursive: true, force: true })
  })

  it(
    'every acknowledged write survives kill -9; a restart prints no second admin token',
    async () => {
      // wave 1: concurrent evaluations (each a screening-log row) while protocol versions are saved one after another
      const ackedEvaluations: number[] = []
      const ackedVersions: Array<{ version: number; etag: string }> = []
      const updates = (async () => {
        let etag = (await call('GET', `/protocols/${P}`)).headers.get('ETag')!
        for (const [i, sledai] of [8, 7, 9, 6, 10].entries()) {
          const res = await call('PUT', `/protocols/${P}`, {
            body: withSledai(sledai),
            type: 'application/yaml',
            headers: { 'If-Match': etag, 'X-Change-Note': `update ${i}` },
          })
          expect(res.status).toBe(200)
          etag = res.headers.get('ETag')!
          ackedVersions.push({ version: ((await res.json()) as { version: number }).version, etag })
        }
      })()
      const wave1 = await Promise.all(Array.from({ length: CONCURRENT }, evaluate))
      await updates
      expect(wave1.every(id => id !== undefined)).toBe(true)
      ackedEvaluations.push(...(wave1 as number[]))
      expect(new Set(ackedEvaluations).size).toBe(CONCURRENT)

      // wave 2: kill -9 while requests are in flight; only what was answered 2xx must survive
      let ackedInWave2 = 0
      await new Promise<void>(resolve => {
        let answered = 0
        for (let i = 0; i < CONCURRENT; i++) {
          void evaluate()
            .then(id => {
              if (id === undefined) return
              ackedEvaluations.push(id)
              // the 10th acknowledgement pulls the plug, with the others still in flight
              if (++ackedInWave2 === 10) server!.child.kill('SIGKILL')
            })
            .catch(() => undefined) // the connection died with the process: not acknowledged
            .finally(() => {
              if (++answered === CONCURRENT) resolve()
            })
        }
      })
      expect(ackedInWave2).toBeGreaterThanOrEqual(10)
      await server!.exited
      expect(server!.child.signalCode).toBe('SIGKILL')

      server = await startServer(dataDir)
      expect(server.banner).not.toMatch(/lnt_|admin token|First start/)
      expect(server.banner).not.toContain('Loaded protocols')

      const logged = new Set(await screeningLogIds())
      const lost = ackedEvaluations.filter(id => !logged.has(id))
      expect(lost, `acknowledged evaluations missing after kill -9`).toEqual([])
      const versions = (await (await call('GET', `/protocols/${P}/versions`)).json()) as Array<{ version: number }>
      expect(versions.map(v => v.version)).toEqual([1, ...ackedVersions.map(v => v.version)])
      const latest = await call('GET', `/protocols/${P}`)
      expect(latest.headers.get('ETag')).toBe(ackedVersions.at(-1)!.etag)
    },
    TIMEOUT_MS,
  )

  it(
    '20 concurrent PUTs from the same version: exactly one 200, the rest 412, one new version',
    async () => {
      const before = ((await (await call('GET', `/protocols/${P}/versions`)).json()) as unknown[]).length
      const etag = (await call('GET', `/protocols/${P}`)).headers.get('ETag')!
      const statuses = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const res = await call('PUT', `/protocols/${P}`, {
            body: withSledai(11 + i),
            type: 'application/yaml',
            headers: { 'If-Match': etag, 'X-Change-Note': `racer ${i}` },
          })
          if (res.status !== 200) expect(res.headers.get('Content-Type')).toBe('application/problem+json')
          return res.status
        }),
      )
      expect(statuses.filter(s => s === 200)).toHaveLength(1)
      expect(statuses.filter(s => s === 412)).toHaveLength(19)
      const after = ((await (await call('GET', `/protocols/${P}/versions`)).json()) as unknown[]).length
      expect(after).toBe(before + 1)
    },
    TIMEOUT_MS,
  )

  it(
    'after a final kill -9: integrity_check is ok and the audit trail refuses UPDATE and DELETE',
    async () => {
      await kill9(server!)
      const store = openSqliteStore(dbFile)
      try {
        expect(await store.integrityCheck()).toBe('ok')
        expect((await store.evaluations({ protocolId: P, limit: 10_000 })).length).toBeGreaterThanOrEqual(CONCURRENT)
      } finally {
        store.close()
      }
      const db = new Database(dbFile)
      try {
        const audited = (db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n
        expect(audited).toBeGreaterThan(CONCURRENT)
        expect(() => db.prepare("UPDATE audit SET actor = 'intruder' WHERE id = 1").run()).toThrow(/append-only/)
        expect(() => db.prepare('DELETE FROM audit WHERE id = 1').run()).toThrow(/append-only/)
        expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/)
        expect(() => db.prepare("UPDATE protocol_versions SET yaml = '' WHERE version = 1").run()).toThrow(/immutable/)
        expect((db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n).toBe(audited)
        expect((db.prepare("SELECT count(*) AS n FROM audit WHERE actor = 'intruder'").get() as { n: number }).n).toBe(0)
      } finally {
        db.close()
      }
    },
    TIMEOUT_MS,
  )
})
