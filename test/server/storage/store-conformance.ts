/**
 * What every Store (server/storage/store.ts) must do, written once and run
 * against each implementation by a runner of its own (sqlite-store.test.ts
 * today): tokens valid only while neither revoked nor expired, never the last
 * admin revoked; protocol versions and examples added only on the version the
 * caller read (compare-and-set, one winner among concurrent writers); the
 * screening log; subjects with their record versions and compare-and-set
 * edits; an audit row, hash-chained, for every write; idempotency keys.
 *
 * Each case opens a store of its own, so a store that leaks state between
 * instances is caught too.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Actor, NewEvaluation, Store } from '../../../server/storage/store.ts'
import { sha256 } from '../../../server/storage/content-hash.ts'

/** A store under test, and how to dispose of it (close it, remove its files or database). */
export interface OpenedStore {
  store: Store
  dispose(): Promise<void> | void
}

const ADMIN: Actor = { tokenId: 'conformance-admin', name: 'conformance admin', role: 'admin' }
const DESIGNER: Actor = { tokenId: 'conformance-designer', name: 'conformance designer', role: 'designer' }
const YAML_V1 = 'protocol:\n  title: a protocol under test\n'
const YAML_V2 = 'protocol:\n  title: a protocol under test, amended\n'
const DAY_MS = 86_400_000

const evaluation = (protocolId: string, overall: NewEvaluation['overall'] = 'eligible', subjectId: string | null = null): NewEvaluation => ({
  protocol_id: protocolId,
  version: 1,
  subject_id: subjectId,
  overall,
  failing: overall === 'ineligible' ? '["IN01"]' : '[]',
  verdict: JSON.stringify({ overall }),
})

/**
 * Declares the conformance cases for one Store implementation.
 *
 * @param name - how the implementation is named in test titles
 * @param open - a new, empty store (migrated, no rows)
 */
export function storeConformance(name: string, open: () => Promise<OpenedStore>): void {
  describe(`Store conformance: ${name}`, () => {
    const opened: OpenedStore[] = []
    afterEach(async () => {
      for (const o of opened.splice(0)) await o.dispose()
    })
    const fresh = async (): Promise<Store> => {
      const o = await open()
      opened.push(o)
      return o.store
    }
    /** A store holding protocol `P1` at version 1 (draft). */
    const withProtocol = async (): Promise<Store> => {
      const store = await fresh()
      const created = await store.createProtocol({ id: 'P1', registry_id: 'NCT00000001', yaml: YAML_V1, change_note: 'first' }, DESIGNER)
      expect(created.ok).toBe(true)
      return store
    }

    describe('tokens', () => {
      it('a created token is found by its hash while valid, listed without its hash, counted and audited', async () => {
        const store = await fresh()
        const token = await store.createToken({ name: 'Dr A', role: 'clinician', hash: sha256('secret-a') }, ADMIN)
        expect(token).toMatchObject({ name: 'Dr A', role: 'clinician', revoked_at: null, expires_at: null, rotated_from: null, unblinded: false })
        expect(await store.tokenByHash(sha256('secret-a'))).toEqual(token)
        expect(await store.tokenByHash(sha256('secret-b'))).toBeUndefined()
        expect(await store.countTokens()).toBe(1)
        const listed = await store.listTokens()
        expect(listed).toEqual([token])
        expect(JSON.stringify(listed)).not.toContain(sha256('secret-a'))
        const audit = await store.audit({ entity: 'token', entityId: token.id })
        expect(audit.map(a => [a.actor, a.actor_token_id, a.action])).toEqual([[ADMIN.name, ADMIN.tokenId, 'create clinician token "Dr A"']])
      })

      it('the first token is created once, whoever asks at the same time, and never once any token exists', async () => {
        const store = await fresh()
        const first = await Promise.all(
          Array.from({ length: 5 }, (_, i) => store.createFirstToken({ name: `admin ${i}`, role: 'admin', hash: sha256(`first-${i}`) }, ADMIN)),
        )
        const created = first.filter(t => t !== undefined)
        expect(created).toHaveLength(1)
        expect(await store.listTokens()).toEqual(created)
        expect(await store.tokenByHash(sha256(`first-${first.findIndex(t => t !== undefined)}`))).toEqual(created[0])
        expect(await store.createFirstToken({ name: 'late', role: 'admin', hash: sha256('late') }, ADMIN)).toBeUndefined()
        expect(await store.countTokens()).toBe(1)
      })

      it('an expired token is not valid, though it is still found to say why it is refused', async () => {
        const store = await fresh()
        const past = new Date(Date.now() - DAY_MS).toISOString()
        const future = new Date(Date.now() + DAY_MS).toISOString()
        await store.createToken({ name: 'old', role: 'viewer', hash: sha256('old'), expires_at: past }, ADMIN)
        await store.createToken({ name: 'new', role: 'viewer', hash: sha256('new'), expires_at: future }, ADMIN)
        expect(await store.tokenByHash(sha256('old'))).toBeUndefined()
        expect((await store.anyTokenByHash(sha256('old')))?.name).toBe('old')
        expect((await store.tokenByHash(sha256('new')))?.expires_at).toBe(future)
      })

      it('revoking: valid no more, refused a second time and for an unknown id; never the last valid admin token', async () => {
        const store = await fresh()
        const first = await store.createToken({ name: 'admin 1', role: 'admin', hash: sha256('a1') }, ADMIN)
        const last = await store.revokeToken(first.id, ADMIN)
        expect(last).toMatchObject({ ok: false, refused: 'last_admin' })
        const second = await store.createToken({ name: 'admin 2', role: 'admin', hash: sha256('a2') }, ADMIN)
        const revoked = await store.revokeToken(first.id, ADMIN)
        expect(revoked.ok).toBe(true)
        expect(await store.tokenByHash(sha256('a1'))).toBeUndefined()
        expect(await store.revokeToken(first.id, ADMIN)).toMatchObject({ ok: false, refused: 'revoked' })
        expect(await store.revokeToken('no-such-token', ADMIN)).toEqual({ ok: false, refused: 'not_found' })
        expect(await store.revokeToken(second.id, ADMIN)).toMatchObject({ ok: false, refused: 'last_admin' })
        expect((await store.tokenByHash(sha256('a2')))?.id).toBe(second.id)
      })

      it('rotating: a new token with the name, role, lifetime and unblinded flag, the old one revoked in the same write', async () => {
        const store = await fresh()
        const expires = new Date(Date.now() + 90 * DAY_MS).toISOString()
        const old = await store.createToken({ name: 'site 3', role: 'viewer', hash: sha256('v1'), expires_at: expires, unblinded: true }, ADMIN)
        const rotated = await store.rotateToken(old.id, sha256('v2'), ADMIN)
        if (!rotated.ok) throw new Error(`refused: ${rotated.refused}`)
        expect(rotated.value.token).toMatchObject({ name: 'site 3', role: 'viewer', rotated_from: old.id, unblinded: true, revoked_at: null })
        const lifetime = Date.parse(rotated.value.token.expires_at!) - Date.parse(rotated.value.token.created_at)
        expect(Math.abs(lifetime - 90 * DAY_MS)).toBeLessThan(1000)
        expect(rotated.value.replaced.revoked_at).not.toBeNull()
        expect(await store.tokenByHash(sha256('v1'))).toBeUndefined()
        expect((await store.tokenByHash(sha256('v2')))?.id).toBe(rotated.value.token.id)
        expect(await store.rotateToken(old.id, sha256('v3'), ADMIN)).toMatchObject({ ok: false, refused: 'revoked' })
        expect(await store.rotateToken('no-such-token', sha256('v3'), ADMIN)).toEqual({ ok: false, refused: 'not_found' })
      })
    })

    describe('protocols', () => {
      it('created at version 1 as a draft (or the status asked), with its content hash; an id taken is refused', async () => {
        const store = await withProtocol()
        expect(await store.protocol('P1')).toMatchObject({ id: 'P1', registry_id: 'NCT00000001', latest_version: 1, status: 'draft' })
        const v1 = await store.protocolVersion('P1')
        expect(v1).toMatchObject({ protocol_id: 'P1', version: 1, yaml: YAML_V1, content_hash: sha256(YAML_V1), author: DESIGNER.name, change_note: 'first' })
        expect(await store.protocolVersion('P1', 1)).toEqual(v1)
        expect(await store.protocolVersion('P1', 2)).toBeUndefined()
        expect(await store.protocol('P2')).toBeUndefined()
        const again = await store.createProtocol({ id: 'P1', registry_id: 'NCT00000001', yaml: YAML_V2, change_note: 'again' }, DESIGNER)
        expect(again).toEqual({ ok: false, conflict: { kind: 'exists' } })
        expect(await store.protocolVersion('P1')).toEqual(v1)
        const active = await store.createProtocol({ id: 'P2', registry_id: 'NCT00000002', yaml: YAML_V1, change_note: 'shipped', status: 'active' }, ADMIN)
        expect(active.ok).toBe(true)
        expect((await store.protocol('P2'))?.status).toBe('active')
        expect((await store.listProtocols()).map(p => [p.id, p.latest.version])).toEqual([
          ['P1', 1],
          ['P2', 1],
        ])
      })

      it('a version is added only on the latest one (stale otherwise, not_found without the protocol), audited with both hashes', async () => {
        const store = await withProtocol()
        const v2 = await store.addProtocolVersion({ id: 'P1', expectedVersion: 1, yaml: YAML_V2, change_note: 'amended' }, DESIGNER)
        expect(v2).toMatchObject({ ok: true, value: { version: 2, yaml: YAML_V2, content_hash: sha256(YAML_V2) } })
        const stale = await store.addProtocolVersion({ id: 'P1', expectedVersion: 1, yaml: 'x: 1\n', change_note: 'late' }, DESIGNER)
        expect(stale).toEqual({ ok: false, conflict: { kind: 'stale', latest: 2 } })
        const missing = await store.addProtocolVersion({ id: 'P9', expectedVersion: 1, yaml: 'x: 1\n', change_note: '' }, DESIGNER)
        expect(missing).toEqual({ ok: false, conflict: { kind: 'not_found' } })
        expect((await store.protocolVersions('P1')).map(v => v.version)).toEqual([1, 2])
        expect((await store.protocol('P1'))?.latest_version).toBe(2)
        const audit = await store.audit({ entity: 'protocol', entityId: 'P1' })
        expect(audit.map(a => [a.action, a.hash_before, a.hash_after])).toEqual([
          ['create v1', null, sha256(YAML_V1)],
          ['create v2', sha256(YAML_V1), sha256(YAML_V2)],
        ])
      })

      it('of writers racing on the same version, exactly one wins; the others are told the version that won', async () => {
        const store = await withProtocol()
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            store.addProtocolVersion({ id: 'P1', expectedVersion: 1, yaml: `v: ${i}\n`, change_note: `writer ${i}` }, DESIGNER),
          ),
        )
        expect(results.filter(r => r.ok)).toHaveLength(1)
        for (const r of results.filter(r => !r.ok)) expect(r).toEqual({ ok: false, conflict: { kind: 'stale', latest: 2 } })
        expect((await store.protocolVersions('P1')).map(v => v.version)).toEqual([1, 2])
      })

      it('a status changes only from the status the caller read, each change kept with who and why', async () => {
        const store = await withProtocol()
        const activated = await store.setProtocolStatus({ id: 'P1', from: 'draft', to: 'active', reason: null }, DESIGNER)
        expect(activated).toMatchObject({ ok: true, value: { protocol: { status: 'active' }, change: { from_status: 'draft', to_status: 'active' } } })
        const changed = await store.setProtocolStatus({ id: 'P1', from: 'draft', to: 'retired', reason: 'late' }, ADMIN)
        expect(changed).toEqual({ ok: false, conflict: { kind: 'changed' } })
        const missing = await store.setProtocolStatus({ id: 'P9', from: 'draft', to: 'active', reason: null }, ADMIN)
        expect(missing).toEqual({ ok: false, conflict: { kind: 'not_found' } })
        const changes = await store.protocolStatusChanges('P1')
        expect(changes.map(c => [c.from_status, c.to_status, c.actor, c.actor_role])).toEqual([
          [null, 'draft', DESIGNER.name, DESIGNER.role],
          ['draft', 'active', DESIGNER.name, DESIGNER.role],
        ])
      })
    })

    describe('example patients', () => {
      it('versions numbered from 1, each added only on the latest (0: none yet), against a protocol version that exists', async () => {
        const store = await withProtocol()
        expect(await store.protocolExamples('P1')).toBeUndefined()
        const first = await store.addProtocolExamples(
          { id: 'P1', expectedVersion: 0, protocol_version: 1, yaml: 'examples: []\n', change_note: 'first' },
          DESIGNER,
        )
        expect(first).toMatchObject({ ok: true, value: { protocol_id: 'P1', version: 1, protocol_version: 1, content_hash: sha256('examples: []\n') } })
        const stale = await store.addProtocolExamples({ id: 'P1', expectedVersion: 0, protocol_version: 1, yaml: 'examples: [1]\n', change_note: '' }, DESIGNER)
        expect(stale).toEqual({ ok: false, conflict: { kind: 'stale', latest: 1 } })
        const noVersion = await store.addProtocolExamples({ id: 'P1', expectedVersion: 1, protocol_version: 7, yaml: 'x\n', change_note: '' }, DESIGNER)
        expect(noVersion).toEqual({ ok: false, conflict: { kind: 'not_found' } })
        const second = await store.addProtocolExamples(
          { id: 'P1', expectedVersion: 1, protocol_version: 1, yaml: 'examples: [2]\n', change_note: '' },
          DESIGNER,
        )
        expect(second.ok).toBe(true)
        expect((await store.protocolExamples('P1'))?.version).toBe(2)
        expect((await store.protocolExamples('P1', 1))?.yaml).toBe('examples: []\n')
      })
    })

    describe('the screening log', () => {
      it('entries numbered in order, signed and dated by the store, filtered by protocol, subject, after an id and a limit', async () => {
        const store = await withProtocol()
        const one = await store.addEvaluation(evaluation('P1', 'eligible'), ADMIN)
        expect(one).toMatchObject({ protocol_id: 'P1', overall: 'eligible', patient: null, actor: ADMIN.name })
        expect(Number.isNaN(Date.parse(one.created_at))).toBe(false)
        expect(await store.addEvaluations([evaluation('P1', 'ineligible'), evaluation('P1', 'undetermined')], ADMIN)).toBe(2)
        const all = await store.evaluations({ protocolId: 'P1' })
        expect(all.map(e => e.overall)).toEqual(['eligible', 'ineligible', 'undetermined'])
        expect(all[0]).toEqual(one)
        expect(all.map(e => e.id)).toEqual([...all.map(e => e.id)].sort((a, b) => a - b))
        expect((await store.evaluations({ protocolId: 'P1', afterId: one.id })).map(e => e.overall)).toEqual(['ineligible', 'undetermined'])
        expect(await store.evaluations({ protocolId: 'P1', limit: 1 })).toEqual([one])
        expect(await store.evaluations({ protocolId: 'P9' })).toEqual([])
        const audited = await store.audit({ entity: 'evaluation', entityId: String(one.id) })
        expect(audited.map(a => [a.action, a.hash_after])).toEqual([['evaluate P1 v1: eligible', sha256(JSON.stringify({ overall: 'eligible' }))]])
      })

      it('concurrent single entries are each written once, with ids of their own', async () => {
        const store = await withProtocol()
        const rows = await Promise.all(Array.from({ length: 25 }, () => store.addEvaluation(evaluation('P1'), ADMIN)))
        expect(new Set(rows.map(r => r.id)).size).toBe(25)
        expect((await store.evaluations({ protocolId: 'P1', limit: 100 })).map(e => e.id).sort((a, b) => a - b)).toEqual(
          rows.map(r => r.id).sort((a, b) => a - b),
        )
      })
    })

    describe('subjects', () => {
      it('registered once per code and protocol, with record version 1; refused for an unknown protocol', async () => {
        const store = await withProtocol()
        const made = await store.createSubject({ protocol_id: 'P1', code: 'S-001', record: '{"a":1}' }, ADMIN)
        if (!made.ok) throw new Error(made.conflict.kind)
        expect(made.value).toMatchObject({ protocol_id: 'P1', code: 'S-001', status: 'screened', arm: null, record: '{"a":1}', record_version: 1 })
        expect(await store.createSubject({ protocol_id: 'P1', code: 'S-001', record: '{}' }, ADMIN)).toEqual({ ok: false, conflict: { kind: 'exists' } })
        expect(await store.createSubject({ protocol_id: 'P9', code: 'S-001', record: '{}' }, ADMIN)).toEqual({ ok: false, conflict: { kind: 'not_found' } })
        expect(await store.subject(made.value.id)).toEqual(made.value)
        expect((await store.subjects('P1')).map(s => s.code)).toEqual(['S-001'])
        expect((await store.subjectRecordVersions(made.value.id)).map(v => [v.version, v.action])).toEqual([[1, 'register']])
      })

      it('an update applies only to the row the caller read; a record given is kept as the next version, a status alone is not', async () => {
        const store = await withProtocol()
        const made = await store.createSubject({ protocol_id: 'P1', code: 'S-002', record: '{"v":1}' }, ADMIN)
        if (!made.ok) throw new Error(made.conflict.kind)
        const read = made.value
        const edited = await store.updateSubject(read.id, { record: '{"v":2}' }, 'record edited', ADMIN, read)
        expect(edited).toMatchObject({ ok: true, value: { record: '{"v":2}', record_version: 2 } })
        // a second writer with the same, now old, reading loses: nothing of theirs is written
        const late = await store.updateSubject(read.id, { record: '{"v":3}' }, 'record edited', ADMIN, read)
        expect(late).toEqual({ ok: false, conflict: { kind: 'changed' } })
        const randomized = await store.updateSubject(read.id, { status: 'randomized', arm: 'A' }, 'randomize to A', ADMIN)
        expect(randomized).toMatchObject({ ok: true, value: { status: 'randomized', arm: 'A', record: '{"v":2}', record_version: 2 } })
        expect(await store.updateSubject('no-such-subject', { status: 'withdrawn' }, 'withdraw', ADMIN)).toEqual({ ok: false, conflict: { kind: 'not_found' } })
        expect((await store.subjectRecordVersion(read.id, 2))?.record).toBe('{"v":2}')
      })

      it('a record saved on the version read, with its re-screening filed under the subject in the same write', async () => {
        const store = await withProtocol()
        const made = await store.createSubject({ protocol_id: 'P1', code: 'S-003', record: '{"v":1}' }, ADMIN)
        if (!made.ok) throw new Error(made.conflict.kind)
        const id = made.value.id
        const saved = await store.saveSubjectRecord(
          { subjectId: id, record: '{"v":2}', baseVersion: 1, note: 'lab added', evaluation: { ...evaluation('P1', 'undetermined') } },
          ADMIN,
        )
        if (!saved.ok) throw new Error(saved.conflict.kind)
        expect(saved.value.version).toMatchObject({ subject_id: id, version: 2, note: 'lab added' })
        expect(saved.value.evaluation).toMatchObject({ subject_id: id, overall: 'undetermined' })
        const stale = await store.saveSubjectRecord({ subjectId: id, record: '{"v":9}', baseVersion: 1, note: null }, ADMIN)
        expect(stale).toEqual({ ok: false, conflict: { kind: 'stale', latest: 2 } })
        expect(await store.evaluations({ subjectId: id })).toHaveLength(1)
        const screened = await store.screenSubject(
          { subjectId: id, record: '{"v":3}', expected: saved.value.subject, evaluation: evaluation('P1', 'eligible') },
          ADMIN,
        )
        expect(screened).toMatchObject({
          ok: true,
          value: { subject: { record: '{"v":3}', record_version: 3 }, evaluation: { subject_id: id, overall: 'eligible' } },
        })
        const lost = await store.screenSubject({ subjectId: id, record: '{"v":4}', expected: saved.value.subject, evaluation: evaluation('P1') }, ADMIN)
        expect(lost).toEqual({ ok: false, conflict: { kind: 'changed' } })
        // the refused screening filed nothing
        expect(await store.evaluations({ subjectId: id })).toHaveLength(2)
        expect((await store.subjectRecordVersions(id)).map(v => v.version)).toEqual([1, 2, 3])
      })
    })

    describe('the audit trail', () => {
      it('every write and recorded read is a row of one hash chain that verifies, filtered by entity, id, after an id and a limit', async () => {
        const store = await withProtocol()
        await store.addProtocolVersion({ id: 'P1', expectedVersion: 1, yaml: YAML_V2, change_note: '' }, DESIGNER)
        await store.recordRead('subject', 'S-1', ADMIN, 'record')
        await store.recordEvent({ entity: 'token', entity_id: 'unknown', action: 'refused sign-in' }, ADMIN)
        const rows = await store.audit({ limit: 1000 })
        expect(rows.map(r => r.action)).toEqual(expect.arrayContaining(['create v1', 'create v2', 'read record', 'refused sign-in']))
        expect(rows.map(r => r.id)).toEqual([...rows.map(r => r.id)].sort((a, b) => a - b))
        for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.row_hash)
        expect(await store.verifyAudit()).toMatchObject({ ok: true, rows: rows.length, head: rows.at(-1)!.row_hash })
        expect((await store.audit({ entity: 'subject', entityId: 'S-1' })).map(r => [r.action, r.actor_token_id])).toEqual([['read record', ADMIN.tokenId]])
        expect(await store.audit({ afterId: rows[0]!.id, limit: 1 })).toEqual([rows[1]])
      })
    })

    describe('idempotency keys', () => {
      it('claimed once; the same request again is running, another request with the key a mismatch; after completion the answer replays', async () => {
        const store = await fresh()
        const key = { tokenId: 't1', key: 'k1' }
        expect(await store.claimIdempotencyKey({ ...key, fingerprint: 'f1' }, 60_000)).toEqual({ state: 'claimed' })
        expect(await store.claimIdempotencyKey({ ...key, fingerprint: 'f1' }, 60_000)).toEqual({ state: 'running' })
        expect(await store.claimIdempotencyKey({ ...key, fingerprint: 'f2' }, 60_000)).toEqual({ state: 'mismatch' })
        // keys are per token
        expect(await store.claimIdempotencyKey({ tokenId: 't2', key: 'k1', fingerprint: 'f2' }, 60_000)).toEqual({ state: 'claimed' })
        const body = new TextEncoder().encode('{"ok":true}')
        await store.completeIdempotencyKey(key, { status: 201, headers: { Location: '/x/1' }, body })
        const replay = await store.claimIdempotencyKey({ ...key, fingerprint: 'f1' }, 60_000)
        expect(replay).toEqual({ state: 'done', answer: { status: 201, headers: { Location: '/x/1' }, body } })
      })

      it('a released key can be claimed again; a key older than the time to live counts as unused', async () => {
        const store = await fresh()
        const key = { tokenId: 't1', key: 'k2' }
        expect(await store.claimIdempotencyKey({ ...key, fingerprint: 'f1' }, 60_000)).toEqual({ state: 'claimed' })
        await store.releaseIdempotencyKey(key)
        expect(await store.claimIdempotencyKey({ ...key, fingerprint: 'f2' }, 60_000)).toEqual({ state: 'claimed' })
        await store.completeIdempotencyKey(key, { status: 200, headers: {}, body: new Uint8Array() })
        await new Promise(resolve => setTimeout(resolve, 5))
        expect(await store.claimIdempotencyKey({ ...key, fingerprint: 'f3' }, 1)).toEqual({ state: 'claimed' })
      })
    })

    it('the database checks itself as sound', async () => {
      const store = await withProtocol()
      expect(await store.integrityCheck()).toBe('ok')
    })
  })
}
