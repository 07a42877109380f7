/**
 * The Store conformance cases (store-conformance.ts) on PostgreSQL: a schema
 * of its own per case on the cluster TEST_DATABASE_URL names (`.ci/run`
 * starts a throwaway one: test/postgres/throwaway-cluster.ts). Skipped
 * without it, except under CI, where a missing cluster is a failure.
 *
 * Then what only a shared server shows: the database itself refuses to
 * change history (UPDATE, DELETE, TRUNCATE), whoever asks, and the store's
 * self-check notices a guard removed; two stores on one database (two app
 * instances) racing on the same writes: one winner, the rest told why, one
 * audit chain that verifies.
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { openPostgresStore } from '../../../server/storage/postgres/postgres-store.ts'
import type { Actor, Store } from '../../../server/storage/store.ts'
import { quoteIdent } from '../../../server/storage/postgres/pg-database.ts'
import { storeConformance } from './store-conformance.ts'
import { grantAppRole } from '../../../server/storage/postgres/pg-grant.ts'
import { connect } from '../../../server/storage/postgres/pg-database.ts'

const url = process.env.TEST_DATABASE_URL

if (!url) {
  describe('Store conformance: PostgreSQL', () => {
    it.runIf(process.env.CI)('runs in CI (TEST_DATABASE_URL is set by .ci/run)', () => {
      throw new Error('TEST_DATABASE_URL is not set: .ci/run starts a PostgreSQL cluster for these tests')
    })
    it.skip('needs TEST_DATABASE_URL (a PostgreSQL database to create schemas in)', () => {})
  })
} else {
  const admin = new pg.Pool({ connectionString: url, max: 2 })
  afterAll(() => admin.end())
  const newSchema = async () => {
    const schema = `conformance_${randomUUID().replaceAll('-', '')}`
    await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`)
    return { schema, drop: () => admin.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`) }
  }
  storeConformance('PostgreSQL', async () => {
    const { schema, drop } = await newSchema()
    const store = await openPostgresStore({ url, schema, poolSize: 4 })
    return {
      store,
      dispose: async () => {
        await store.close()
        await drop()
      },
    }
  })

  const ACTOR: Actor = { tokenId: 'pg-test', name: 'pg test', role: 'admin' }
  const YAML = 'protocol:\n  title: raced\n'

  /** `n` stores (app instances) on one new schema, opened at once (each migrates: once in all). */
  async function instances(n: number): Promise<{ stores: Store[]; sql: (text: string) => Promise<pg.QueryResult>; dispose: () => Promise<void> }> {
    const { schema, drop } = await newSchema()
    const stores = await Promise.all(Array.from({ length: n }, () => openPostgresStore({ url: url!, schema, poolSize: 4 })))
    const sql = async (text: string) => {
      const c = await admin.connect()
      try {
        await c.query(`SET search_path = ${quoteIdent(schema)}`)
        return await c.query(text)
      } finally {
        await c.query('RESET search_path')
        c.release()
      }
    }
    const dispose = async () => {
      await Promise.all(stores.map(s => s.close()))
      await drop()
    }
    return { stores, sql, dispose }
  }

  describe('PostgreSQL: the database guards history', () => {
    it('UPDATE, DELETE and TRUNCATE of versions, record versions, status changes and the audit are refused by the database; the self-check says ok', async () => {
      const { stores, sql, dispose } = await instances(1)
      try {
        const store = stores[0]!
        expect((await store.createProtocol({ id: 'P', registry_id: 'NCT1', yaml: YAML, change_note: 'v1' }, ACTOR)).ok).toBe(true)
        expect((await store.createSubject({ protocol_id: 'P', code: 'S-1', record: '{}' }, ACTOR)).ok).toBe(true)
        expect(await store.integrityCheck()).toBe('ok')
        const refused: Array<[string, RegExp]> = [
          ["UPDATE protocol_versions SET yaml = 'x'", /protocol versions are immutable/],
          ['DELETE FROM protocol_versions', /protocol versions are immutable/],
          ['TRUNCATE protocol_versions CASCADE', /protocol versions are kept/],
          ["UPDATE subject_record_versions SET record = 'x'", /subject record versions are immutable/],
          ['TRUNCATE subject_record_versions', /never deleted/],
          ["UPDATE audit SET action = 'x'", /append-only/],
          ['DELETE FROM audit WHERE id = 1', /append-only/],
          ['TRUNCATE audit', /append-only/],
          ["UPDATE protocol_status_changes SET reason = 'x'", /append-only/],
          ['DELETE FROM protocol_status_changes', /append-only/],
        ]
        for (const [statement, message] of refused) await expect(sql(statement), statement).rejects.toThrow(message)
        // what may change does: a subject's current record (its versions are kept apart)
        await sql("UPDATE subjects SET arm = 'x'")
        expect((await store.verifyAudit()).ok).toBe(true)
      } finally {
        await dispose()
      }
    })

    it('a guard disabled or dropped is reported by the self-check', async () => {
      const { stores, sql, dispose } = await instances(1)
      try {
        await sql('ALTER TABLE audit DISABLE TRIGGER audit_no_change')
        expect(await stores[0]!.integrityCheck()).toMatch(/without their enabled triggers: audit/)
        await sql('ALTER TABLE audit ENABLE TRIGGER audit_no_change')
        await sql('DROP TRIGGER protocol_versions_kept ON protocol_versions')
        expect(await stores[0]!.integrityCheck()).toMatch(/protocol_versions/)
      } finally {
        await dispose()
      }
    })
  })

  describe("PostgreSQL: the app's own role", () => {
    it('granted by the owner: the store works as that role, which may not change or remove history, nor create tables', async () => {
      const { schema, drop } = await newSchema()
      const role = `ln_app_${randomUUID().replaceAll('-', '').slice(0, 12)}`
      const password = randomUUID()
      await admin.query(`CREATE ROLE ${quoteIdent(role)} LOGIN PASSWORD '${password}'`)
      const owner = await openPostgresStore({ url: url!, schema, poolSize: 2 })
      const ownerDb = connect({ url: url!, schema, poolSize: 1 })
      const appUrl = new URL(url!)
      appUrl.username = role
      appUrl.password = password
      let app: Store | undefined
      try {
        await grantAppRole(ownerDb, role)
        app = await openPostgresStore({ url: appUrl.toString(), schema, poolSize: 2 })
        // every kind of write the app makes
        expect((await app.createProtocol({ id: 'P', registry_id: 'NCT1', yaml: YAML, change_note: 'v1' }, ACTOR)).ok).toBe(true)
        expect((await app.addProtocolVersion({ id: 'P', expectedVersion: 1, yaml: `${YAML}# 2\n`, change_note: 'v2' }, ACTOR)).ok).toBe(true)
        expect((await app.setProtocolStatus({ id: 'P', from: 'draft', to: 'active', reason: null }, ACTOR)).ok).toBe(true)
        expect((await app.addProtocolExamples({ id: 'P', expectedVersion: 0, protocol_version: 2, yaml: 'examples: []\n', change_note: 'e' }, ACTOR)).ok).toBe(
          true,
        )
        const subject = await app.createSubject({ protocol_id: 'P', code: 'S-1', record: '{}' }, ACTOR)
        if (!subject.ok) throw new Error('subject')
        expect((await app.saveSubjectRecord({ subjectId: subject.value.id, record: '{"a":1}', baseVersion: 1, note: null }, ACTOR)).ok).toBe(true)
        expect((await app.updateSubject(subject.value.id, { status: 'withdrawn' }, 'withdraw', ACTOR)).ok).toBe(true)
        await app.addEvaluation({ protocol_id: 'P', version: 2, subject_id: null, overall: 'eligible', failing: '[]', verdict: '{}' }, ACTOR)
        const token = await app.createToken({ name: 't', role: 'viewer', hash: 'h'.repeat(64) }, ACTOR)
        expect((await app.revokeToken(token.id, ACTOR)).ok).toBe(true)
        const key = { tokenId: 't', key: 'k', fingerprint: 'f' }
        expect((await app.claimIdempotencyKey(key, 60_000)).state).toBe('claimed')
        await app.releaseIdempotencyKey(key)
        expect((await app.claimIdempotencyKey(key, 60_000)).state).toBe('claimed')
        await app.completeIdempotencyKey(key, { status: 200, headers: {}, body: new Uint8Array([1]) })
        expect(await app.verifyAudit()).toMatchObject({ ok: true })
        expect(await app.integrityCheck()).toBe('ok')
        // what it may not do, refused by privilege (42501) before any trigger
        const asApp = new pg.Client({ connectionString: appUrl.toString(), options: `-c search_path=${quoteIdent(schema)}` })
        await asApp.connect()
        try {
          for (const statement of [
            "UPDATE audit SET action = 'x'",
            'DELETE FROM audit',
            'TRUNCATE audit',
            "UPDATE evaluations SET overall = 'ineligible'",
            'DELETE FROM evaluations',
            "UPDATE protocol_versions SET yaml = ''",
            'DELETE FROM subject_record_versions',
            'DELETE FROM protocol_status_changes',
            'CREATE TABLE intruder (x int)',
            'ALTER TABLE audit DISABLE TRIGGER audit_no_change',
          ])
            await expect(asApp.query(statement), statement).rejects.toMatchObject({ code: '42501' })
        } finally {
          await asApp.end()
        }
      } finally {
        await app?.close()
        await owner.close()
        await ownerDb.close()
        await drop()
        await admin.query(`DROP OWNED BY ${quoteIdent(role)}`)
        await admin.query(`DROP ROLE ${quoteIdent(role)}`)
      }
    })
  })

  describe('PostgreSQL: two app instances on one database', () => {
    it('racing writes on one version: one winner, the others stale with the winner; one chain that verifies', async () => {
      const { stores, dispose } = await instances(2)
      try {
        const [a, b] = stores as [Store, Store]
        expect((await a.createProtocol({ id: 'P', registry_id: 'NCT1', yaml: YAML, change_note: 'v1' }, ACTOR)).ok).toBe(true)
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 ? a : b).addProtocolVersion({ id: 'P', expectedVersion: 1, yaml: `${YAML}# ${i}\n`, change_note: `v2 by ${i}` }, ACTOR),
          ),
        )
        expect(results.filter(r => r.ok)).toHaveLength(1)
        for (const r of results.filter(r => !r.ok)) expect(r).toEqual({ ok: false, conflict: { kind: 'stale', latest: 2 } })
        // both instances read the winner
        expect((await a.protocolVersion('P'))!.version).toBe(2)
        expect((await b.protocolVersion('P'))!.content_hash).toBe((await a.protocolVersion('P', 2))!.content_hash)
        // interleaved writes of every kind from both: one chain, consecutive ids
        await Promise.all([
          ...Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? a : b).addEvaluation({ protocol_id: 'P', version: 2, subject_id: null, overall: 'eligible', failing: '[]', verdict: `{"n":${i}}` }, ACTOR),
          ),
          a.createSubject({ protocol_id: 'P', code: 'S-1', record: '{}' }, ACTOR),
          b.createSubject({ protocol_id: 'P', code: 'S-2', record: '{}' }, ACTOR),
          a.recordEvent({ entity: 'test', entity_id: 'x', action: 'event a' }, ACTOR),
          b.recordEvent({ entity: 'test', entity_id: 'x', action: 'event b' }, ACTOR),
        ])
        const report = await b.verifyAudit()
        expect(report).toMatchObject({ ok: true, rows: 1 + 1 + 20 + 2 + 2 }) // created, v2, 20 evaluations, 2 subjects, 2 events
        expect(await a.verifyAudit()).toEqual(report)
        expect(new Set((await a.evaluations({ protocolId: 'P' })).map(e => e.id)).size).toBe(20)
      } finally {
        await dispose()
      }
    })

    it('one idempotency key claimed from both instances: one claims, the other finds it running, then replays its answer', async () => {
      const { stores, dispose } = await instances(2)
      try {
        const [a, b] = stores as [Store, Store]
        const key = { tokenId: 't', key: 'k', fingerprint: 'f' }
        const claims = await Promise.all([a.claimIdempotencyKey(key, 60_000), b.claimIdempotencyKey(key, 60_000)])
        expect(claims.map(c => c.state).sort()).toEqual(['claimed', 'running'])
        const owner = claims[0]!.state === 'claimed' ? a : b
        const other = owner === a ? b : a
        // only the instance that claimed it completes it
        await other.completeIdempotencyKey(key, { status: 500, headers: {}, body: new Uint8Array() })
        expect((await other.claimIdempotencyKey(key, 60_000)).state).toBe('running')
        await owner.completeIdempotencyKey(key, { status: 201, headers: { 'Content-Type': 'application/json' }, body: new TextEncoder().encode('{"ok":true}') })
        const replay = await other.claimIdempotencyKey(key, 60_000)
        expect(replay).toEqual({
          state: 'done',
          answer: { status: 201, headers: { 'Content-Type': 'application/json' }, body: new TextEncoder().encode('{"ok":true}') },
        })
      } finally {
        await dispose()
      }
    })
  })
}
