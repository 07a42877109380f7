import { describe, expect, it, vi } from 'vitest'
import { MAX_BATCH_RECORDS, type BatchResult, type Funnel } from '../../server/routes/evaluate-batch.ts'
import { caller, testApp } from './helpers.ts'
import { oneOfEachVerdict } from '../helpers/protocols.ts'

const P = 'nct05631717'
const BATCH = `/protocols/${P}/evaluate/batch`
// eligible; ineligible on IN02 only; undetermined on IN04 only
const { eligible, age18, noUpcr } = oneOfEachVerdict()

async function setup() {
  const t = await testApp()
  const { store } = t
  const call = caller(t, 'clinician')

  return { store, call }
}

type BatchBody = { version: number; results: BatchResult[]; funnel: Funnel }

const CRITERIA = ['IN01', 'IN02', 'IN03', 'IN04', 'IN05', 'IN06', 'IN07', 'EX01a', 'EX01b', 'EX01c', 'EX02', 'EX03', 'EX04', 'EX05', 'EX06', 'EX07', 'EX08']

describe('POST /protocols/:id/evaluate/batch', () => {
  it('the funnel of a hand-checked batch: eligible, ineligible on IN02, undetermined on IN04', async () => {
    const { call } = await setup()
    const res = await call('POST', BATCH, { body: [eligible, age18, noUpcr] })
    expect(res.status).toBe(200)
    const body = (await res.json()) as BatchBody
    expect(body.version).toBe(1)
    expect(body.results).toMatchObject([
      { index: 0, id: 'eligible-baseline', overall: 'eligible', failing: [], undecided: [], missing: [] },
      { index: 1, id: 'age-exactly-18', overall: 'ineligible', failing: ['IN02'], undecided: [] },
      { index: 2, id: 'proteinuria-not-measured', overall: 'undetermined', failing: [], undecided: ['IN04'] },
    ])
    expect(body.results[2]!.missing!.length).toBeGreaterThan(0)
    expect(body.funnel).toMatchObject({ records: 3, invalid: 0, evaluated: 3, overall: { eligible: 1, ineligible: 1, undetermined: 1 } })
    // by hand: all 3 pass IN01; IN02 drops the 18-year-old; IN04 leaves the unmeasured one unknown; 1 goes on
    const step = (entering: number, pass: number, fail: number, unknown: number) => ({ entering, pass, fail, unknown })
    const want: Record<string, ReturnType<typeof step>> = { IN01: step(3, 3, 0, 0), IN02: step(3, 2, 1, 0), IN03: step(2, 2, 0, 0), IN04: step(2, 1, 0, 1) }
    expect(body.funnel.criteria.map(c => c.criterion)).toEqual(CRITERIA)
    for (const c of body.funnel.criteria) expect(c, c.criterion).toMatchObject(want[c.criterion] ?? step(1, 1, 0, 0))
    // over every record, not only those still in
    expect(body.funnel.criteria[3]).toMatchObject({ kind: 'inclusion', all: { pass: 2, fail: 0, unknown: 1 } })
    expect(body.funnel.criteria[16]).toMatchObject({ criterion: 'EX08', kind: 'exclusion', all: { pass: 3, fail: 0, unknown: 0 } })
  })

  it('logs every evaluated record in one store call (one transaction)', async () => {
    const { call, store } = await setup()
    const many = vi.spyOn(store, 'addEvaluations')
    const one = vi.spyOn(store, 'addEvaluation')
    const res = await call('POST', BATCH, { body: [eligible, { sex: 'x' }, age18] })
    expect(res.status).toBe(200)
    expect(one).not.toHaveBeenCalled()
    expect(many).toHaveBeenCalledTimes(1)
    const logged = await store.evaluations({ protocolId: P })
    expect(logged.map(e => [e.version, e.subject_id, e.overall])).toEqual([
      [1, null, 'eligible'],
      [1, null, 'ineligible'],
    ])
    expect(new Set(logged.map(e => e.created_at)).size).toBe(1)
    expect((await store.audit({ entity: 'evaluation' })).map(a => a.entity_id)).toEqual(logged.map(e => String(e.id)))
    // each with the record it evaluated, so an amendment's impact can re-evaluate it
    expect(logged.map(e => JSON.parse(e.patient!))).toEqual([eligible, age18])
  })

  it('an invalid record is a per-record error with diagnostics, not a failed request', async () => {
    const { call } = await setup()
    const res = await call('POST', BATCH, { body: [{ id: 'bad-1', sex: 'x', birth_date: 'yesterday' }, eligible] })
    expect(res.status).toBe(200)
    const body = (await res.json()) as BatchBody
    expect(body.results[0]).toMatchObject({ index: 0, id: 'bad-1' })
    expect(body.results[0]).not.toHaveProperty('overall')
    expect(body.results[0]!.errors!.map(e => e.path).sort()).toEqual(['birth_date', 'sex'])
    expect(body.results[1]).toMatchObject({ index: 1, overall: 'eligible' })
    expect(body.funnel).toMatchObject({ records: 2, invalid: 1, evaluated: 1 })
    expect(body.funnel.criteria[0]).toMatchObject({ entering: 1, pass: 1 })
  })

  it('NDJSON: a broken line is an error naming its line number; blank lines are skipped', async () => {
    const { call } = await setup()
    const text = [JSON.stringify(eligible), '', '{"id": "broken", ', JSON.stringify(age18), ''].join('\n')
    const res = await call('POST', BATCH, { body: text, type: 'application/x-ndjson' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as BatchBody
    expect(body.results).toMatchObject([
      { index: 0, line: 1, overall: 'eligible' },
      { index: 1, line: 3, errors: [{ code: 'E_NDJSON_LINE', line: 3, message: expect.stringMatching(/^line 3 is not valid JSON/) as unknown }] },
      { index: 2, line: 4, overall: 'ineligible' },
    ])
    expect(body.funnel).toMatchObject({ records: 3, invalid: 1, evaluated: 2 })
  })

  it('Accept: application/x-ndjson streams one result per line, then the funnel', async () => {
    const { call } = await setup()
    const res = await call('POST', BATCH, { body: [eligible, age18, noUpcr], headers: { Accept: 'application/x-ndjson' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(/^application\/x-ndjson/)
    const text = await res.text()
    expect(text.endsWith('\n')).toBe(true)
    const lines = text
      .trimEnd()
      .split('\n')
      .map(l => JSON.parse(l) as Record<string, unknown>)
    expect(lines).toHaveLength(4)
    expect(lines.slice(0, 3).map(l => l.overall)).toEqual(['eligible', 'ineligible', 'undetermined'])
    expect(lines[3]).toMatchObject({ funnel: { records: 3, overall: { eligible: 1, ineligible: 1, undetermined: 1 } } })
  })

  it(`more than ${MAX_BATCH_RECORDS} records -> 400 naming the limit; nothing logged`, async () => {
    const { call, store } = await setup()
    const auditBefore = await store.audit({})
    const res = await call('POST', BATCH, { body: Array.from({ length: MAX_BATCH_RECORDS + 1 }, () => ({})) })
    expect(res.status).toBe(400)
    const problem = (await res.json()) as { type: string; detail: string }
    expect(problem.type).toMatch(/invalid-request$/)
    expect(problem.detail).toContain(String(MAX_BATCH_RECORDS))
    expect(await store.evaluations({})).toEqual([])
    expect(await store.audit({})).toEqual(auditBefore)
  })

  it('the limit counts NDJSON records too', async () => {
    const { call } = await setup()
    const res = await call('POST', BATCH, { body: '{}\n'.repeat(MAX_BATCH_RECORDS + 1), type: 'application/x-ndjson' })
    expect(res.status).toBe(400)
  })

  it('?version= evaluates against that version', async () => {
    const { call } = await setup()
    const res = await call('POST', `${BATCH}?version=1`, { body: [eligible] })
    expect(((await res.json()) as BatchBody).version).toBe(1)
    expect(res.headers.get('ETag')).toMatch(/^"nct05631717-v1-/)
  })

  it.each([
    { why: 'no token', as: null, body: [eligible], status: 401 },
    { why: 'viewer may not evaluate', as: 'viewer' as const, body: [eligible], status: 403 },
    { why: 'designer may not evaluate', as: 'designer' as const, body: [eligible], status: 403 },
    { why: 'not an array', body: { records: [eligible] }, status: 400 },
    { why: 'not JSON', body: '[{', status: 400 },
    { why: 'an array of non-objects', body: [1, 2], status: 400 },
    { why: 'text/plain', body: '[]', type: 'text/plain', status: 415 },
  ])('$why -> $status; nothing logged', async ({ as, body, type, status }) => {
    const { call, store } = await setup()
    const res = await call('POST', BATCH, { ...(as !== undefined ? { as } : {}), body, ...(type ? { type } : {}) })
    expect(res.status).toBe(status)
    expect(res.headers.get('Content-Type')).toBe('application/problem+json')
    expect(await store.evaluations({})).toEqual([])
  })

  it('404 for an unknown protocol or version', async () => {
    const { call } = await setup()
    expect((await call('POST', '/protocols/nope/evaluate/batch', { body: [eligible] })).status).toBe(404)
    expect((await call('POST', `${BATCH}?version=7`, { body: [eligible] })).status).toBe(404)
  })

  it('an empty batch: an empty funnel', async () => {
    const { call, store } = await setup()
    const res = await call('POST', BATCH, { body: [] })
    expect(res.status).toBe(200)
    const body = (await res.json()) as BatchBody
    expect(body.results).toEqual([])
    expect(body.funnel).toMatchObject({ records: 0, evaluated: 0, overall: { eligible: 0, ineligible: 0, undetermined: 0 } })
    expect(body.funnel.criteria[0]).toMatchObject({ entering: 0, pass: 0 })
    expect(await store.evaluations({})).toEqual([])
  })

  it('is declared in /openapi.json with its permission and both body types', async () => {
    const { call } = await setup()
    const doc = (await (await call('GET', '/openapi.json', { as: null })).json()) as {
      paths: Record<string, Record<string, { 'x-permission': string; requestBody: { content: Record<string, unknown> } }>>
    }
    const op = doc.paths['/protocols/{id}/evaluate/batch']!.post!
    expect(op['x-permission']).toBe('evaluate')
    expect(Object.keys(op.requestBody.content)).toEqual(['application/json', 'application/x-ndjson'])
  })
})
