import { describe, expect, it } from 'vitest'
import { examplePatient } from '../../engine/index.ts'
import { newToken } from '../../server/auth.ts'
import { csvField } from '../../server/routes/screening-log.ts'
import { TEST_ACTOR, caller, testApp } from './helpers.ts'
import { shippedProtocol, shippedProtocols } from '../helpers/protocols.ts'

const P = 'nct05631717'
const examples = shippedProtocol('NCT05631717').examples!
const eligible = examplePatient(examples, 'eligible-baseline')
// two failing criteria: IN02 (18 on the consent day) and IN05 (contraception refused)
const twoFailing = { ...examplePatient(examples, 'age-exactly-18'), reproductive: { ...eligible.reproductive, contraception_agreed: false } }

async function setup() {
  const t = await testApp()
  const { store } = t
  const call = caller(t, 'clinician')

  return { store, call }
}

type LogItem = {
  id: number
  created_at: string
  version: number
  subject_id: string | null
  subject_code: string | null
  overall: string
  failing: string[]
  actor: string
}

describe('screening log', () => {
  const withEvaluations = async () => {
    const s = await setup()
    // one evaluation filed under a subject, then a batch of two
    const reg = await s.call('POST', `/protocols/${P}/subjects`, { body: { code: 'S-001' } })
    const sid = ((await reg.json()) as { id: string }).id
    expect((await s.call('POST', `/protocols/${P}/evaluate?subject=${sid}`, { body: eligible })).status).toBe(200)
    expect((await s.call('POST', `/protocols/${P}/evaluate/batch`, { body: [twoFailing, eligible] })).status).toBe(200)
    return { ...s, sid }
  }

  it('lists evaluations without the verdicts, oldest first', async () => {
    const { call, sid } = await withEvaluations()
    const res = await call('GET', `/protocols/${P}/screening-log`, { as: 'viewer' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { items: LogItem[]; next_after: number | null }
    expect(body.next_after).toBeNull()
    expect(body.items.map(e => [e.version, e.subject_id, e.subject_code, e.overall, e.failing, e.actor])).toEqual([
      [1, sid, 'S-001', 'eligible', [], 'test clinician'],
      [1, null, null, 'ineligible', ['IN02', 'IN05'], 'test clinician'],
      [1, null, null, 'eligible', [], 'test clinician'],
    ])
    expect(body.items[0]).not.toHaveProperty('verdict')
  })

  it('pages with limit and after', async () => {
    const { call } = await withEvaluations()
    const first = (await (await call('GET', `/protocols/${P}/screening-log?limit=2`)).json()) as { items: LogItem[]; next_after: number }
    expect(first.items).toHaveLength(2)
    expect(first.next_after).toBe(first.items[1]!.id)
    const second = (await (await call('GET', `/protocols/${P}/screening-log?limit=2&after=${first.next_after}`)).json()) as {
      items: LogItem[]
      next_after: number | null
    }
    expect(second.items.map(e => e.overall)).toEqual(['eligible'])
    expect(second.next_after).toBeNull()
  })

  it.each(['limit=0', 'limit=1001', 'limit=ten', 'after=-1'])('?%s -> 400', async q => {
    const { call } = await setup()
    expect((await call('GET', `/protocols/${P}/screening-log?${q}`)).status).toBe(400)
  })

  it('GET /screening-log/:eid: the full verdict', async () => {
    const { call } = await withEvaluations()
    const [, second] = ((await (await call('GET', `/protocols/${P}/screening-log`)).json()) as { items: LogItem[] }).items
    const res = await call('GET', `/screening-log/${second!.id}`, { as: 'viewer' })
    expect(res.status).toBe(200)
    const entry = (await res.json()) as LogItem & { verdict: { overall: string; failing: string[]; criteria: unknown[] } }
    expect(entry).toMatchObject({ id: second!.id, protocol_id: P, version: 1, overall: 'ineligible', failing: ['IN02', 'IN05'] })
    expect(entry.verdict).toMatchObject({ overall: 'ineligible', failing: ['IN02', 'IN05'] })
    expect(entry.verdict.criteria).toHaveLength(17)
  })

  it.each(['999', '0', 'abc', '1.5'])('GET /screening-log/%s -> 404', async eid => {
    const { call } = await withEvaluations()
    expect((await call('GET', `/screening-log/${eid}`)).status).toBe(404)
  })

  it('401 without a token; 404 for an unknown protocol', async () => {
    const { call } = await setup()
    expect((await call('GET', `/protocols/${P}/screening-log`, { as: null })).status).toBe(401)
    expect((await call('GET', `/protocols/${P}/screening-log.csv`, { as: null })).status).toBe(401)
    expect((await call('GET', '/screening-log/1', { as: null })).status).toBe(401)
    expect((await call('GET', '/protocols/nope/screening-log')).status).toBe(404)
    expect((await call('GET', '/protocols/nope/screening-log.csv')).status).toBe(404)
  })
})

describe('GET /protocols/:id/screening-log.csv', () => {
  it('header, rows, RFC 4180 quoting, failing joined with ;', async () => {
    const { call, store } = await setup()
    // an actor whose name needs quoting: a comma and quotes
    const { token, hash } = newToken()
    await store.createToken({ name: 'Dr "A", site 2', role: 'clinician', hash }, TEST_ACTOR)
    const reg = await call('POST', `/protocols/${P}/subjects`, { body: { code: 'S-001' } })
    const sid = ((await reg.json()) as { id: string }).id
    await call('POST', `/protocols/${P}/evaluate?subject=${sid}`, { token, body: eligible })
    await call('POST', `/protocols/${P}/evaluate/batch`, { body: [twoFailing] })

    const res = await call('GET', `/protocols/${P}/screening-log.csv`, { as: 'viewer' })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(/^text\/csv/)
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="${P}-screening-log.csv"`)
    const text = await res.text()
    expect(text.endsWith('\r\n')).toBe(true)
    const lines = text.split('\r\n').slice(0, -1)
    expect(lines[0]).toBe('id,created_at,protocol_id,version,subject_code,overall,failing,actor')
    expect(lines).toHaveLength(3)
    expect(lines[1]).toMatch(/^1,\d{4}-\d\d-\d\dT[^,]+,nct05631717,1,S-001,eligible,,"Dr ""A"", site 2"$/)
    expect(lines[2]).toMatch(/^2,[^,]+,nct05631717,1,,ineligible,IN02;IN05,test clinician$/)
  })

  it('only the header for a protocol never evaluated', async () => {
    const { call } = await setup()
    expect(await (await call('GET', `/protocols/${P}/screening-log.csv`)).text()).toBe(
      'id,created_at,protocol_id,version,subject_code,overall,failing,actor\r\n',
    )
  })

  it.each([
    { value: 'plain', want: 'plain' },
    { value: 'a,b', want: '"a,b"' },
    { value: 'say "hi"', want: '"say ""hi"""' },
    { value: 'two\nlines', want: '"two\nlines"' },
    { value: '=1+1', want: "'=1+1" }, // a spreadsheet would run it
    { value: null, want: '' },
    { value: 3, want: '3' },
  ])('csvField($value) -> $want', ({ value, want }) => {
    expect(csvField(value)).toBe(want)
  })
})

describe('GET /audit', () => {
  it('admin only: 401 without a token, 403 for other roles', async () => {
    const { call } = await setup()
    expect((await call('GET', '/audit', { as: null })).status).toBe(401)
    for (const as of ['viewer', 'clinician', 'designer'] as const) expect((await call('GET', '/audit', { as })).status, as).toBe(403)
    expect((await call('GET', '/audit', { as: 'admin' })).status).toBe(200)
  })

  it("a subject's trail, filtered by entity and id", async () => {
    const { call } = await setup()
    const { id: _id, ...record } = eligible
    const reg = await call('POST', `/protocols/${P}/subjects`, { body: { code: 'S-001', record } })
    const sid = ((await reg.json()) as { id: string }).id
    expect((await call('POST', `/subjects/${sid}/screening`, { body: {} })).status).toBe(200)
    expect((await call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'il2', date: '2026-01-19' } })).status).toBe(200)
    const res = await call('GET', `/audit?entity=subject&entity_id=${sid}`, { as: 'admin' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      items: Array<{ actor: string; entity: string; entity_id: string; action: string; hash_before: string | null; hash_after: string }>
      next_after: number | null
    }
    expect(body.items.map(a => [a.actor, a.entity, a.entity_id, a.action])).toEqual([
      ['test clinician', 'subject', sid, 'register'],
      ['test clinician', 'subject', sid, 'randomize to il2'],
    ])
    expect(body.items[0]!.hash_before).toBeNull()
    expect(body.items[1]!.hash_before).not.toBe(body.items[1]!.hash_after)
    expect(body.next_after).toBeNull()
  })

  it('pages with limit and after', async () => {
    const { call } = await setup()
    // bootstrap wrote: the admin token, each shipped protocol, the example patients of those that have them; then the three test tokens
    const shipped = shippedProtocols()
    const written = ['token', ...shipped.map(() => 'protocol'), ...shipped.filter(p => p.examples).map(() => 'protocol_examples'), 'token', 'token', 'token']
    const first = (await (await call('GET', '/audit?limit=2', { as: 'admin' })).json()) as { items: Array<{ id: number; entity: string }>; next_after: number }
    expect(first.items.map(a => a.entity)).toEqual(written.slice(0, 2))
    const rest = (await (await call('GET', `/audit?after=${first.next_after}`, { as: 'admin' })).json()) as { items: Array<{ id: number; entity: string }> }
    expect(rest.items.map(a => a.entity)).toEqual(written.slice(2))
    expect((await call('GET', '/audit?limit=0', { as: 'admin' })).status).toBe(400)
  })
})
