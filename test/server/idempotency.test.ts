import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { examplePatient } from '../../engine/index.ts'
import { newToken } from '../../server/auth.ts'
import { Problem } from '../../server/errors.ts'
import { IDEMPOTENCY_KEY_TTL_MS, requestFingerprint } from '../../server/http/idempotency.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import { sha256 } from '../../server/storage/content-hash.ts'
import { shippedProtocol } from '../helpers/protocols.ts'
import { TEST_ACTOR, caller, expectProblem, testApp, type TestApp } from './helpers.ts'

const P = 'nct05631717'
const examples = shippedProtocol('NCT05631717').examples!
const patient = () => examplePatient(examples, 'eligible-baseline')
const KEY = { 'Idempotency-Key': '0b6f3c1e-2d4a-4b8e-9f1a-7c5d3e2b1a00' }

async function setup() {
  const t = await testApp()
  const call = caller(t, 'clinician')
  const logged = async () => (await t.store.evaluations({ limit: 100_000 })).length
  const audited = async () => (await t.store.audit({ limit: 100_000 })).length
  return { t, call, logged, audited }
}

/** A second clinician token: another client. */
async function anotherClinician(t: TestApp): Promise<string> {
  const { token, hash } = newToken()
  await t.store.createToken({ name: 'second clinician', role: 'clinician', hash }, TEST_ACTOR)
  return token
}

describe('Idempotency-Key on POST /protocols/:id/evaluate', () => {
  it('a retry with the same key logs one evaluation and gets the first answer, marked replayed', async () => {
    const { call, logged } = await setup()
    const before = await logged()
    const first = await call('POST', `/protocols/${P}/evaluate`, { body: patient(), headers: KEY })
    expect(first.status).toBe(200)
    expect(first.headers.get('Idempotent-Replayed')).toBeNull()
    const firstBody = await first.text()
    const retry = await call('POST', `/protocols/${P}/evaluate`, { body: patient(), headers: KEY })
    expect(retry.status).toBe(200)
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true')
    expect(await retry.text()).toBe(firstBody)
    expect(retry.headers.get('ETag')).toBe(first.headers.get('ETag'))
    expect(retry.headers.get('Content-Type')).toBe(first.headers.get('Content-Type'))
    expect(await logged()).toBe(before + 1)
  })

  it('the same key on another body is refused with 422 and logs nothing', async () => {
    const { call, logged } = await setup()
    expect((await call('POST', `/protocols/${P}/evaluate`, { body: patient(), headers: KEY })).status).toBe(200)
    const before = await logged()
    const other = { ...patient(), id: 'someone-else' }
    const p = await expectProblem(await call('POST', `/protocols/${P}/evaluate`, { body: other, headers: KEY }), 422, 'idempotency-key-reused')
    expect(p.detail).toMatch(/used for another request/)
    // another query is another request too
    await expectProblem(await call('POST', `/protocols/${P}/evaluate?log=false`, { body: patient(), headers: KEY }), 422, 'idempotency-key-reused')
    expect(await logged()).toBe(before)
  })

  it('keys are per token: another token with the same key is another request', async () => {
    const { t, call, logged } = await setup()
    const before = await logged()
    const second = await anotherClinician(t)
    const a = await call('POST', `/protocols/${P}/evaluate`, { body: patient(), headers: KEY })
    const b = await call('POST', `/protocols/${P}/evaluate`, { token: second, body: patient(), headers: KEY })
    expect([a.status, b.status]).toEqual([200, 200])
    expect(b.headers.get('Idempotent-Replayed')).toBeNull()
    expect(await logged()).toBe(before + 2)
  })

  it('without a key, each request is its own evaluation', async () => {
    const { call, logged } = await setup()
    const before = await logged()
    for (let i = 0; i < 2; i++) expect((await call('POST', `/protocols/${P}/evaluate`, { body: patient() })).status).toBe(200)
    expect(await logged()).toBe(before + 2)
  })

  it.each([
    ['empty', ''],
    ['with a space', 'a b'],
    ['256 characters', 'k'.repeat(256)],
    ['not ASCII', 'cl\u00e9'],
    ['a control character', 'a\u0001b'],
  ])('a key %s is refused with 400, before anything is written', async (_, key) => {
    const { call, logged } = await setup()
    const before = await logged()
    const p = await expectProblem(
      await call('POST', `/protocols/${P}/evaluate`, { body: patient(), headers: { 'Idempotency-Key': key } }),
      400,
      'invalid-request',
    )
    expect(p.detail).toMatch(/Idempotency-Key/)
    expect(await logged()).toBe(before)
  })

  it('accepts 255 visible ASCII characters', async () => {
    const { call } = await setup()
    const key = `${'!~'.repeat(127)}z`
    expect((await call('POST', `/protocols/${P}/evaluate`, { body: patient(), headers: { 'Idempotency-Key': key } })).status).toBe(200)
  })

  it('while the first request runs, a retry is told to wait (409, Retry-After); another request with the key is still 422', async () => {
    const { t, call, logged } = await setup()
    const body = JSON.stringify(patient())
    const tokenId = (await t.store.tokenByHash(sha256(t.tokenFor('clinician'))))!.id
    const claim = await t.store.claimIdempotencyKey(
      { tokenId, key: KEY['Idempotency-Key'], fingerprint: requestFingerprint('POST', `/protocols/${P}/evaluate`, body) },
      IDEMPOTENCY_KEY_TTL_MS,
    )
    expect(claim.state).toBe('claimed')
    const before = await logged()
    const res = await call('POST', `/protocols/${P}/evaluate`, { body, headers: KEY })
    await expectProblem(res, 409, 'idempotency-key-in-use')
    expect(res.headers.get('Retry-After')).toMatch(/^\d+$/)
    await expectProblem(await call('POST', `/protocols/${P}/evaluate`, { body: { ...patient(), id: 'x' }, headers: KEY }), 422, 'idempotency-key-reused')
    expect(await logged()).toBe(before)
  })

  it('two identical requests at once write once', async () => {
    const { call, logged } = await setup()
    const before = await logged()
    const answers = await Promise.all([0, 1].map(() => call('POST', `/protocols/${P}/evaluate`, { body: patient(), headers: KEY })))
    expect(answers.map(r => r.status)).toContain(200)
    for (const r of answers) expect([200, 409]).toContain(r.status)
    expect(await logged()).toBe(before + 1)
  })

  it.each([
    [500, 'internal', new Error('simulated bug')],
    [429, 'too-many-requests', new Problem(429, 'too-many-requests', 'simulated: too busy', {}, { 'Retry-After': '1' })],
  ] as const)('an answer of %d is not kept: the retry runs again', async (status, type, failure) => {
    const { t, call, logged } = await setup()
    const addEvaluation = t.store.addEvaluation
    t.store.addEvaluation = () => Promise.reject(failure)
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    await expectProblem(await call('POST', `/protocols/${P}/evaluate`, { body: patient(), headers: KEY }), status, type)
    errorLog.mockRestore()
    t.store.addEvaluation = addEvaluation
    const before = await logged()
    const retry = await call('POST', `/protocols/${P}/evaluate`, { body: patient(), headers: KEY })
    expect(retry.status).toBe(200)
    expect(retry.headers.get('Idempotent-Replayed')).toBeNull()
    expect(await logged()).toBe(before + 1)
  })

  it('an answer below 500 is kept, a refused record included', async () => {
    const { call } = await setup()
    const bad = { ...patient(), sex: 'unknown' }
    await expectProblem(await call('POST', `/protocols/${P}/evaluate`, { body: bad, headers: KEY }), 422, 'invalid-patient')
    const again = await call('POST', `/protocols/${P}/evaluate`, { body: bad, headers: KEY })
    await expectProblem(again, 422, 'invalid-patient')
    expect(again.headers.get('Idempotent-Replayed')).toBe('true')
  })
})

describe('Idempotency-Key on subject writes', () => {
  it('a retried registration registers once and replays 201 with its Location', async () => {
    const { t, call, audited } = await setup()
    const { id: _id, ...record } = patient()
    const first = await call('POST', `/protocols/${P}/subjects`, { body: { code: 'S-100', record }, headers: KEY })
    expect(first.status).toBe(201)
    const auditRows = await audited()
    const retry = await call('POST', `/protocols/${P}/subjects`, { body: { code: 'S-100', record }, headers: KEY })
    expect(retry.status).toBe(201)
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true')
    expect(retry.headers.get('Location')).toBe(first.headers.get('Location'))
    expect(await retry.json()).toEqual(await first.json())
    expect(await t.store.subjects(P)).toHaveLength(1)
    expect(await audited()).toBe(auditRows)
    // without the key, the same registration is a conflict (the code exists): the key is what makes the retry safe
    expect((await call('POST', `/protocols/${P}/subjects`, { body: { code: 'S-100', record } })).status).toBe(409)
  })

  it('a retried visit is recorded once', async () => {
    const { t, call, audited } = await setup()
    const { id: _id, ...record } = patient()
    const reg = await call('POST', `/protocols/${P}/subjects`, { body: { code: 'S-101', record } })
    const sid = ((await reg.json()) as { id: string }).id
    const visit = { visit: 'baseline', date: '2026-01-20', measurements: [{ concept: 'body_weight', value: 70, unit: 'kg', date: '2026-01-20' }] }
    const first = await call('POST', `/subjects/${sid}/visits`, { body: visit, headers: KEY })
    expect(first.status).toBe(201)
    const saved = await t.store.subject(sid)
    const auditRows = await audited()
    const retry = await call('POST', `/subjects/${sid}/visits`, { body: visit, headers: KEY })
    expect(retry.status).toBe(201)
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true')
    expect(await t.store.subject(sid)).toEqual(saved)
    expect(await audited()).toBe(auditRows)
    // a new key is a new request: the visit exists now
    expect((await call('POST', `/subjects/${sid}/visits`, { body: visit, headers: { 'Idempotency-Key': 'another' } })).status).toBe(409)
  })
})

describe('the OpenAPI document', () => {
  it('declares the header on every idempotent write, and only there', async () => {
    const { call } = await setup()
    const doc = (await (await call('GET', '/openapi.json', { as: null })).json()) as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>
    }
    const flagged = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.parameters?.some(p => p.in === 'header' && p.name === 'Idempotency-Key'))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    )
    expect(flagged.sort()).toEqual(
      [
        'POST /protocols',
        'POST /protocols/{id}/status',
        'PUT /protocols/{id}',
        'PUT /protocols/{id}/examples',
        'POST /protocols/{id}/evaluate',
        'POST /protocols/{id}/evaluate/batch',
        'POST /protocols/{id}/subjects',
        'POST /subjects/{sid}/screening',
        'POST /subjects/{sid}/randomize',
        'POST /subjects/{sid}/visits',
        'POST /subjects/{sid}/adverse-events',
        'PUT /subjects/{sid}/record',
      ].sort(),
    )
  })
})

describe('the store: expiry and pruning', () => {
  const dirs: string[] = []
  afterEach(() => {
    vi.useRealTimers()
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('a key older than its time to live counts as unused, and old keys are pruned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idem-'))
    dirs.push(dir)
    const file = join(dir, 'db.sqlite')
    const store = openSqliteStore(file)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-03-01T08:00:00Z'))
    const id = { tokenId: 't1', key: 'k1' }
    expect((await store.claimIdempotencyKey({ ...id, fingerprint: 'f' }, IDEMPOTENCY_KEY_TTL_MS)).state).toBe('claimed')
    await store.completeIdempotencyKey(id, { status: 201, headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode('{}') })
    vi.setSystemTime(new Date('2026-03-02T07:59:00Z'))
    expect(await store.claimIdempotencyKey({ ...id, fingerprint: 'f' }, IDEMPOTENCY_KEY_TTL_MS)).toMatchObject({ state: 'done', answer: { status: 201 } })
    expect((await store.claimIdempotencyKey({ ...id, fingerprint: 'other' }, IDEMPOTENCY_KEY_TTL_MS)).state).toBe('mismatch')
    // a day and a minute later: expired, so the key is free again (another request may take it)
    vi.setSystemTime(new Date('2026-03-02T08:01:00Z'))
    expect((await store.claimIdempotencyKey({ ...id, fingerprint: 'other' }, IDEMPOTENCY_KEY_TTL_MS)).state).toBe('claimed')
    // and the expired rows of other keys are deleted along the way
    await store.claimIdempotencyKey({ tokenId: 't2', key: 'old', fingerprint: 'f' }, IDEMPOTENCY_KEY_TTL_MS)
    vi.setSystemTime(new Date('2026-03-04T00:00:00Z'))
    await store.claimIdempotencyKey({ tokenId: 't3', key: 'new', fingerprint: 'f' }, IDEMPOTENCY_KEY_TTL_MS)
    const db = new Database(file, { readonly: true })
    const keys = db.prepare("SELECT token_id || '/' || key AS k FROM idempotency_keys ORDER BY k").all() as Array<{ k: string }>
    db.close()
    expect(keys.map(r => r.k)).toEqual(['t3/new'])
    store.close()
  })

  it('a running key left by a stopped process is taken over; a released key is free', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idem-'))
    dirs.push(dir)
    const file = join(dir, 'db.sqlite')
    const id = { tokenId: 't1', key: 'k1' }
    const first = openSqliteStore(file)
    expect((await first.claimIdempotencyKey({ ...id, fingerprint: 'f' }, IDEMPOTENCY_KEY_TTL_MS)).state).toBe('claimed')
    expect((await first.claimIdempotencyKey({ ...id, fingerprint: 'f' }, IDEMPOTENCY_KEY_TTL_MS)).state).toBe('running')
    await first.releaseIdempotencyKey(id)
    expect((await first.claimIdempotencyKey({ ...id, fingerprint: 'f' }, IDEMPOTENCY_KEY_TTL_MS)).state).toBe('claimed')
    first.close()
    const restarted = openSqliteStore(file)
    expect((await restarted.claimIdempotencyKey({ ...id, fingerprint: 'f' }, IDEMPOTENCY_KEY_TTL_MS)).state).toBe('claimed')
    restarted.close()
  })
})
