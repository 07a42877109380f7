/**
 * Who did what, with which token: reads of one subject's data, of a
 * screening-log entry and of the CSV export are audited (one row each); so
 * are refused requests (403); failed sign-ins are throttled per client
 * address and audited as one row per address and window.
 */
import { describe, expect, it, vi } from 'vitest'
import { examplePatient } from '../../engine/index.ts'
import { MAX_FAILED_SIGN_INS } from '../../server/http/sign-in-throttle.ts'
import { newToken, useSignInThrottle } from '../../server/auth.ts'
import { sha256 } from '../../server/storage/content-hash.ts'
import type { AuditRow } from '../../server/storage/store.ts'
import { TEST_ACTOR, caller, expectProblem, req, testApp, type TestApp } from './helpers.ts'
import { shippedProtocol } from '../helpers/protocols.ts'

const P = 'nct05631717'

function eligibleRecord(): Record<string, unknown> {
  const { id: _id, ...record } = examplePatient(shippedProtocol('NCT05631717').examples!, 'eligible-baseline')
  return record
}

const idOf = async (t: TestApp, token: string) => (await t.store.tokenByHash(sha256(token)))!.id
const newRows = async (t: TestApp, since: number) =>
  (await t.store.audit({ afterId: since, limit: 1000 })).map(
    ({ prev_hash: _p, row_hash: _r, at: _a, hash_before: _b, hash_after: _h, id: _i, ...rest }) => rest,
  )
const lastId = async (t: TestApp) => (await t.store.audit({ limit: 100_000 })).at(-1)?.id ?? 0

/** A registered, screened (eligible) and randomized subject. */
async function randomizedSubject(t: TestApp): Promise<string> {
  const call = caller(t, 'clinician')
  const sid = ((await (await call('POST', `/protocols/${P}/subjects`, { body: { code: 'S-001', record: eligibleRecord() } })).json()) as { id: string }).id
  expect(((await (await call('POST', `/subjects/${sid}/screening`, { body: {} })).json()) as { overall: string }).overall).toBe('eligible')
  expect((await call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'il2', date: '2026-01-19' } })).status).toBe(200)
  return sid
}

describe('reads of patient-level data are audited, one row each', () => {
  it("a subject's record, endpoints, series and calendar: entity subject, action read <what>, with the reader's token and role", async () => {
    const t = await testApp()
    const sid = await randomizedSubject(t)
    // an unblinded viewer: a blinded one may not read the calendar, which shows the arm (test/server/blinding.test.ts)
    const { token: viewer, hash } = newToken()
    await t.store.createToken({ name: 'unblinded viewer', role: 'viewer', hash, unblinded: true }, TEST_ACTOR)
    const reader = { actor: 'unblinded viewer', actor_token_id: await idOf(t, viewer), actor_role: 'viewer', entity: 'subject', entity_id: sid }
    const since = await lastId(t)
    for (const path of ['', '/endpoints', '/series', '/calendar'])
      expect((await req(t.app, 'GET', `/subjects/${sid}${path}`, { token: viewer })).status, path).toBe(200)
    expect(await newRows(t, since)).toEqual([
      { ...reader, action: 'read record and screenings' },
      { ...reader, action: 'read endpoints' },
      { ...reader, action: 'read series' },
      { ...reader, action: 'read calendar' },
    ])
  })

  it('nothing is audited as read when nothing was found (404)', async () => {
    const t = await testApp()
    const since = await lastId(t)
    for (const path of ['', '/endpoints', '/series', '/calendar'])
      expect((await req(t.app, 'GET', `/subjects/nobody${path}`, { token: t.tokenFor('viewer') })).status).toBe(404)
    expect((await req(t.app, 'GET', '/screening-log/999', { token: t.tokenFor('viewer') })).status).toBe(404)
    expect(await newRows(t, since)).toEqual([])
  })

  it('one screening-log entry and the CSV export of the log', async () => {
    const t = await testApp()
    const sid = await randomizedSubject(t)
    const [entry] = await t.store.evaluations({ subjectId: sid })
    const viewer = t.tokenFor('viewer')
    const reader = { actor: 'test viewer', actor_token_id: await idOf(t, viewer), actor_role: 'viewer' }
    const since = await lastId(t)
    expect((await req(t.app, 'GET', `/screening-log/${entry!.id}`, { token: viewer })).status).toBe(200)
    expect((await req(t.app, 'GET', `/protocols/${P}/screening-log.csv`, { token: viewer })).status).toBe(200)
    expect(await newRows(t, since)).toEqual([
      { ...reader, entity: 'evaluation', entity_id: String(entry!.id), action: `read verdict of subject ${sid}` },
      { ...reader, entity: 'screening_log', entity_id: P, action: 'read CSV export (1 entry)' },
    ])
  })
})

describe('the actor of every audit row is a token and a role, not only a name', () => {
  it('a clinician token named "admin" is told apart from the admin token', async () => {
    const t = await testApp()
    const made = (await (await req(t.app, 'POST', '/tokens', { token: t.adminToken, json: { name: 'admin', role: 'clinician' } })).json()) as {
      id: string
      token: string
    }
    const reg = await req(t.app, 'POST', `/protocols/${P}/subjects`, { token: made.token, json: { code: 'S-777' } })
    const sid = ((await reg.json()) as { id: string }).id
    const [row] = await t.store.audit({ entity: 'subject', entityId: sid })
    expect(row).toMatchObject({ actor: 'admin', actor_token_id: made.id, actor_role: 'clinician', action: 'register' })
    expect(row!.actor_token_id).not.toBe(await idOf(t, t.adminToken))
  })
})

describe('refused requests (403) of a valid token are audited with the route', () => {
  it('one row naming method, path, token, role and why', async () => {
    const t = await testApp()
    const viewer = t.tokenFor('viewer')
    const since = await lastId(t)
    await expectProblem(await req(t.app, 'POST', `/protocols/${P}/subjects`, { token: viewer, json: { code: 'S-1' } }), 403, 'forbidden')
    await expectProblem(await req(t.app, 'GET', '/tokens', { token: t.tokenFor('clinician') }), 403, 'forbidden')
    expect(await newRows(t, since)).toEqual([
      {
        actor: 'test viewer',
        actor_token_id: await idOf(t, viewer),
        actor_role: 'viewer',
        entity: 'request',
        entity_id: `POST /protocols/${P}/subjects`,
        action: 'refused (403): a viewer token may not manage subjects',
      },
      {
        actor: 'test clinician',
        actor_token_id: await idOf(t, t.tokenFor('clinician')),
        actor_role: 'clinician',
        entity: 'request',
        entity_id: 'GET /tokens',
        action: 'refused (403): a clinician token may not admin',
      },
    ])
  })
})

describe('failed sign-ins are throttled per client address', () => {
  /** A request from a client address, as @hono/node-server hands the socket to the app. */
  const me = (t: TestApp, token: string, address?: string) =>
    Promise.resolve(
      t.app.request(
        '/me',
        { headers: { Authorization: `Bearer ${token}` } },
        address === undefined ? undefined : { incoming: { socket: { remoteAddress: address } } },
      ),
    )
  const signIns = async (t: TestApp) => (await t.store.audit({ entity: 'sign-in' })).map((a: AuditRow) => [a.entity_id, a.action, a.actor_token_id])

  it('past the limit, 429 with Retry-After before any token is looked up; another address still signs in; one audit row per address and window', async () => {
    const t = await testApp()
    let now = Date.parse('2026-03-01T10:00:00.000Z')
    useSignInThrottle(t.store, { now: () => now })
    const [a, b] = ['203.0.113.7', '198.51.100.2']
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) expect((await me(t, `lnt_guess${i}`, a)).status).toBe(401)
    const lookups = vi.spyOn(t.store, 'tokenByHash')
    const refused = await me(t, 'lnt_guess-more', a)
    const body = await expectProblem(refused, 429, 'too-many-requests')
    expect(refused.headers.get('Retry-After')).toBe('60')
    expect(body.detail).toBe('too many failed sign-ins from this address: try again in 60 s')
    expect((await me(t, t.tokenFor('viewer'), a)).status).toBe(429) // even a valid token: it is not looked at
    expect(lookups).not.toHaveBeenCalled()
    expect((await me(t, t.tokenFor('viewer'), b)).status).toBe(200)
    expect((await me(t, 'lnt_typo', b)).status).toBe(401)

    now += 30_000
    expect((await me(t, t.tokenFor('viewer'), a)).headers.get('Retry-After')).toBe('30')
    expect(await signIns(t)).toEqual([]) // the windows are still open

    now += 30_000
    expect((await me(t, t.tokenFor('viewer'), a)).status).toBe(200)
    // the throttle writes its audit rows without holding up the request that closes a window: on PostgreSQL they land a moment later
    await vi.waitFor(async () =>
      expect(await signIns(t)).toEqual([
        [
          a,
          `${MAX_FAILED_SIGN_INS} failed sign-ins from ${a} between 2026-03-01T10:00:00.000Z and 2026-03-01T10:01:00.000Z; 3 further attempts refused (429)`,
          'system',
        ],
        [b, `1 failed sign-in from ${b} between 2026-03-01T10:00:00.000Z and 2026-03-01T10:01:00.000Z`, 'system'],
      ]),
    )
  })

  it('8 000 bad requests write one audit row, not 8 000; without a socket (app.request) the address is "unknown"', async () => {
    const t = await testApp()
    const throttle = useSignInThrottle(t.store)
    const before = (await t.store.audit({ limit: 100_000 })).length
    const statuses = new Map<number, number>()
    for (let i = 0; i < 8000; i++) {
      const status = (await me(t, 'lnt_flood')).status
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
    }
    expect(Object.fromEntries(statuses)).toEqual({ 401: MAX_FAILED_SIGN_INS, 429: 8000 - MAX_FAILED_SIGN_INS })
    throttle.flush()
    expect((await t.store.audit({ limit: 100_000 })).length).toBe(before + 1)
    expect((await signIns(t))[0]![1]).toMatch(
      new RegExp(`^${MAX_FAILED_SIGN_INS} failed sign-ins from unknown between .*; ${8000 - MAX_FAILED_SIGN_INS} further attempts refused \\(429\\)$`),
    )
  })

  it('a request without any token is no failed sign-in', async () => {
    const t = await testApp()
    const throttle = useSignInThrottle(t.store)
    for (let i = 0; i < MAX_FAILED_SIGN_INS + 5; i++) expect((await req(t.app, 'GET', '/me')).status).toBe(401)
    expect(throttle.tracked).toBe(0)
  })
})
