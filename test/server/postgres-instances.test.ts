/**
 * Two app instances (two `npm start` processes) on one PostgreSQL database,
 * as behind a load balancer: started together, they create one admin token
 * and load the shipped protocols once; racing writes through both get one
 * 200 and the others 412 or 409, never a 500; an Idempotency-Key sent to both
 * runs once; every write acknowledged by an instance killed with kill -9
 * is there when read through the other, and the audit chain verifies.
 *
 * Runs on the cluster TEST_DATABASE_URL names, in a database of its own
 * (created and dropped here); skipped without it (`.ci/run` sets it).
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { examplePatient } from '../../engine/index.ts'
import { openPostgresStore } from '../../server/storage/postgres/postgres-store.ts'
import { PROTOCOLS_DIR, shippedProtocol } from '../helpers/protocols.ts'
import { ServerProcesses, type Run } from '../helpers/server-process.ts'

const P = 'nct05631717'
const YAML_TEXT = readFileSync(join(PROTOCOLS_DIR, `${P}.yaml`), 'utf8')
const IN03 = '        op: ">="\n        value: 6\n'
const withSledai = (n: number) => YAML_TEXT.replace(IN03, `        op: ">="\n        value: ${n}\n`)
const PATIENT = JSON.stringify(examplePatient(shippedProtocol('NCT05631717').examples!, 'eligible-baseline'))
const TIMEOUT_MS = 90_000
const baseUrl = process.env.TEST_DATABASE_URL

/** `npm start` processes with DATABASE_URL (no data directory is used: ServerProcesses' DATA_DIR is ignored). */
const servers = new ServerProcesses({ PROTOCOLS_DIR, WARM_UP: '0', CPU_THREADS: '1' })
const startInstance = (databaseUrl: string): Promise<Run> => servers.listening(servers.start(tmpdir(), { DATABASE_URL: databaseUrl }), 60_000)

describe.skipIf(!baseUrl)('two app instances on one PostgreSQL database', () => {
  const database = `ln_instances_${randomUUID().replaceAll('-', '')}`
  const admin = new pg.Pool({ connectionString: baseUrl, max: 1 })
  const url = (() => {
    if (!baseUrl) return ''
    const u = new URL(baseUrl)
    u.pathname = `/${database}`
    return u.toString()
  })()
  let a: Run
  let b: Run
  let token = ''

  const call = (at: Run, method: string, path: string, init: { body?: string; type?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${at.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'Content-Type': init.type ?? 'application/json' } : {}), ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    })

  beforeAll(async () => {
    await admin.query(`CREATE DATABASE ${database}`)
    // both at once: each migrates and bootstraps the same empty database
    ;[a, b] = await Promise.all([startInstance(url), startInstance(url)])
    const tokens = [a, b].map(i => /admin token[^\n]*\n\s*\n\s*(lnt_[A-Za-z0-9_-]+)/.exec(i.stdout)?.[1]).filter(t => t !== undefined)
    expect(tokens, `${a.stdout}\n---\n${b.stdout}`).toHaveLength(1)
    token = tokens[0]!
  }, TIMEOUT_MS)

  afterAll(async () => {
    await servers.killAll()
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    await admin.end()
  })

  it('started together: one admin token, every shipped protocol loaded once, both serving it', async () => {
    for (const i of [a, b]) {
      const versions = (await (await call(i, 'GET', `/protocols/${P}/versions`)).json()) as Array<{ version: number }>
      expect(versions.map(v => v.version)).toEqual([1])
    }
    const listed = (await (await call(b, 'GET', '/protocols')).json()) as unknown[]
    expect(listed).toHaveLength(4)
  })

  it(
    'racing writes through both: one 200, the others 412 or 409, never a 500',
    async () => {
      const etag = (await call(a, 'GET', `/protocols/${P}`)).headers.get('ETag')!
      const puts = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          call(i % 2 ? a : b, 'PUT', `/protocols/${P}`, {
            body: withSledai(7 + (i % 5)),
            type: 'application/yaml',
            headers: { 'If-Match': etag, 'X-Change-Note': `racer ${i}` },
          }),
        ),
      )
      const statuses = puts.map(r => r.status)
      expect(statuses.filter(s => s === 200)).toHaveLength(1)
      expect(statuses.filter(s => s !== 200).every(s => s === 412)).toBe(true)

      // one subject, its record saved from both on the same base version
      const registered = await call(a, 'POST', `/protocols/${P}/subjects`, { body: JSON.stringify({ code: 'RACE-001' }) })
      expect(registered.status).toBe(201)
      const subject = (await registered.json()) as { id: string; record: Record<string, unknown> }
      const saves = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          call(i % 2 ? a : b, 'PUT', `/subjects/${subject.id}/record`, {
            body: JSON.stringify({ record: { ...subject.record, sex: 'female', birth_date: `19${80 + i}-01-01` }, base_version: 1 }),
          }),
        ),
      )
      const saved = saves.map(r => r.status)
      expect(
        saved.filter(s => s === 200),
        saved.join(' '),
      ).toHaveLength(1)
      expect(
        saved.filter(s => s !== 200).every(s => s === 409 || s === 412),
        saved.join(' '),
      ).toBe(true)

      // one Idempotency-Key sent to both: the write happens once
      const key = randomUUID()
      const keyed = await Promise.all([a, b].map(i => call(i, 'POST', `/protocols/${P}/evaluate`, { body: PATIENT, headers: { 'Idempotency-Key': key } })))
      expect(
        keyed.map(r => r.status).every(s => s === 200 || s === 409),
        keyed.map(r => r.status).join(' '),
      ).toBe(true)
      const ids = new Set<number>()
      for (const r of keyed) if (r.status === 200) ids.add(((await r.json()) as { evaluation_id: number }).evaluation_id)
      expect(ids.size).toBe(1)
    },
    TIMEOUT_MS,
  )

  it(
    'kill -9 of one instance mid-flight: every evaluation it acknowledged is read through the other; the audit chain verifies',
    async () => {
      const acked: number[] = []
      let answered = 0
      await new Promise<void>(resolve => {
        for (let i = 0; i < 40; i++) {
          const at = i % 2 ? a : b
          void call(at, 'POST', `/protocols/${P}/evaluate`, { body: PATIENT })
            .then(async r => {
              if (r.status !== 200) return
              acked.push(((await r.json()) as { evaluation_id: number }).evaluation_id)
              if (acked.length === 10) a.child.kill('SIGKILL')
            })
            .catch(() => undefined) // died with the instance: not acknowledged
            .finally(() => {
              if (++answered === 40) resolve()
            })
        }
      })
      await a.exited
      expect(a.child.signalCode).toBe('SIGKILL')
      expect(acked.length).toBeGreaterThanOrEqual(10)
      const logged = new Set<number>()
      for (let after = 0; ; ) {
        const page = (await (await call(b, 'GET', `/protocols/${P}/screening-log?limit=1000&after=${after}`)).json()) as {
          items: Array<{ id: number }>
          next_after: number | null
        }
        for (const item of page.items) logged.add(item.id)
        if (page.next_after === null) break
        after = page.next_after
      }
      expect(acked.filter(id => !logged.has(id))).toEqual([])
      const verify = (await (await call(b, 'GET', '/audit/verify')).json()) as { ok: boolean }
      expect(verify.ok).toBe(true)
      const store = await openPostgresStore({ url, poolSize: 1 })
      try {
        expect(await store.integrityCheck()).toBe('ok')
        expect((await store.verifyAudit()).ok).toBe(true)
      } finally {
        await store.close()
      }
    },
    TIMEOUT_MS,
  )
})
