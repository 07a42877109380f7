import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { examplePatient, type Verdict } from '../../engine/index.ts'
import { funnelOf, screeningFlowOf } from '../../engine/study.ts'
import type { FunnelCriterion, ScreeningFunnelReport } from '../../engine/index.ts'
import { PROTOCOLS_DIR, shippedProtocol } from '../helpers/protocols.ts'
import { caller, testApp, type ProblemBody } from './helpers.ts'

const P = 'nct05631717'
const FUNNEL = `/protocols/${P}/screening-funnel`
const examples = shippedProtocol('NCT05631717').examples!
const YAML_TEXT = readFileSync(join(PROTOCOLS_DIR, `${P}.yaml`), 'utf8')
// version 2 asks SLEDAI-2K >= 12: the example patients (SLEDAI-2K 10) fail IN03
const IN03_SLEDAI = '        op: ">="\n        value: 6\n'
const SLEDAI_12 = YAML_TEXT.replace(IN03_SLEDAI, '        op: ">="\n        value: 12\n')

/** An example patient without its id (the subject code becomes the id). */
function record(example: string, patch: Record<string, unknown> = {}): Record<string, unknown> {
  const { id: _id, ...rest } = examplePatient(examples, example) as unknown as Record<string, unknown>
  return { ...rest, ...patch }
}
const eligibleMeasurements = record('eligible-baseline').measurements

const CRITERIA = ['IN01', 'IN02', 'IN03', 'IN04', 'IN05', 'IN06', 'IN07', 'EX01a', 'EX01b', 'EX01c', 'EX02', 'EX03', 'EX04', 'EX05', 'EX06', 'EX07', 'EX08']

/**
 * Eight subjects and two anonymous evaluations, all against version 1:
 * S-01, S-02 eligible and randomized (il2, msc); S-03 eligible, not randomized;
 * S-04 18 on consent day (fails IN02); S-05 proteinuria not measured
 * (undecided IN04); S-06 the same and lactating (undecided IN04, fails EX08);
 * S-07 first undecided on IN04, then screened again with UPCR 1.8 g/g
 * (eligible); S-08 registered, never screened. Anonymous: one eligible, one 18.
 */
async function study() {
  const t = await testApp()
  const call = caller(t, 'clinician')
  const ids: Record<string, string> = {}
  const register = async (code: string, rec: Record<string, unknown>) => {
    const res = await call('POST', `/protocols/${P}/subjects`, { body: { code, record: rec } })
    expect(res.status).toBe(201)
    ids[code] = ((await res.json()) as { id: string }).id
  }
  const screen = async (code: string, want: string, patch: Record<string, unknown> = {}) => {
    const res = await call('POST', `/subjects/${ids[code]}/screening`, { body: patch })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { overall: string }).overall, code).toBe(want)
  }
  const randomize = async (code: string, arm: string) => {
    expect((await call('POST', `/subjects/${ids[code]}/randomize`, { body: { arm, date: '2026-01-19' } })).status).toBe(200)
  }
  const noUpcr = record('proteinuria-not-measured')
  await register('S-01', record('eligible-baseline'))
  await register('S-02', record('eligible-baseline'))
  await register('S-03', record('eligible-baseline'))
  await register('S-04', record('age-exactly-18'))
  await register('S-05', noUpcr)
  await register('S-06', { ...noUpcr, reproductive: { ...(noUpcr.reproductive as object), lactating: true } })
  await register('S-07', noUpcr)
  await register('S-08', record('eligible-baseline'))
  for (const code of ['S-01', 'S-02', 'S-03']) await screen(code, 'eligible')
  await screen('S-04', 'ineligible')
  await screen('S-05', 'undetermined')
  await screen('S-06', 'ineligible')
  await screen('S-07', 'undetermined')
  await screen('S-07', 'eligible', { measurements: eligibleMeasurements })
  await randomize('S-01', 'il2')
  await randomize('S-02', 'msc')
  for (const example of ['eligible-baseline', 'age-exactly-18']) {
    expect((await call('POST', `/protocols/${P}/evaluate`, { body: examplePatient(examples, example) })).status).toBe(200)
  }
  const get = async (query = '', as: 'viewer' | 'admin' = 'viewer') => {
    const res = await call('GET', `${FUNNEL}${query}`, { as })
    expect(res.status).toBe(200)
    return (await res.json()) as ScreeningFunnelReport
  }
  return { t, call, ids, screen, get }
}

const stepsOf = (r: ScreeningFunnelReport) => Object.fromEntries(r.flow.steps.map(s => [s.criterion, [s.entering, s.excluded, s.unknown, s.pass]]))

describe('GET /protocols/:id/screening-funnel', () => {
  it('subjects (default): latest screening of each subject, excluded by the first failing criterion, undecided carried on', async () => {
    const { get } = await study()
    // admin: unblinded, so the allocation per arm is counted (blinded readers: test/server/blinding.test.ts)
    const r = await get('', 'admin')
    expect(r).toMatchObject({ protocol_id: P, version: 1, population: 'subjects', evaluated_versions: [1], anonymous: 0 })
    expect(r.basis).toContain('latest of each registered subject')
    expect(r.subjects).toEqual({ registered: 8, screened: 7, not_screened: 1, withdrawn: 0 })
    // by hand: 7 screened (S-07 once, as its latest, eligible)
    expect(r.flow.steps.map(s => s.criterion)).toEqual(CRITERIA)
    const steps = stepsOf(r)
    // [entering, excluded, unknown, pass]
    expect(steps.IN01).toEqual([7, 0, 0, 7])
    expect(steps.IN02).toEqual([7, 1, 0, 6]) // S-04
    expect(steps.IN04).toEqual([6, 0, 2, 4]) // S-05, S-06 undecided, carried on
    expect(steps.EX07).toEqual([6, 0, 0, 6])
    expect(steps.EX08).toEqual([6, 1, 0, 5]) // S-06, undecided on IN04, still excluded here
    expect(r.flow).toMatchObject({
      screened: 7,
      excluded: { total: 2, other_criteria: 0 },
      undetermined: { total: 1, first_undecided: [{ criterion: 'IN04', count: 1 }] },
      eligible: 4,
    })
    expect(r.flow.excluded.total + r.flow.undetermined.total + r.flow.eligible).toBe(r.flow.screened)
    expect(r.randomized).toEqual({
      total: 2,
      arms: [
        { arm: 'il2', label: 'IL-2 group', subjects: 1 },
        { arm: 'msc', label: 'MSCs group', subjects: 1 },
      ],
      eligible_not_randomized: 2, // S-03, S-07
    })
    // the batch reading of the same verdicts: S-06 left at IN04, so EX08 fails no one still in
    expect(r.funnel).toMatchObject({ records: 7, evaluated: 7, overall: { eligible: 4, ineligible: 2, undetermined: 1 } })
    const ex08 = r.funnel.criteria.find(c => c.criterion === 'EX08')!
    expect(ex08).toMatchObject({ entering: 4, pass: 4, fail: 0, all: { pass: 6, fail: 1, unknown: 0 } })
  })

  it('population=all adds every evaluation filed under no subject, once each', async () => {
    const { get } = await study()
    const r = await get('?population=all')
    expect(r).toMatchObject({ population: 'all', anonymous: 2 })
    expect(r.basis).toContain('counted once each')
    expect(stepsOf(r).IN02).toEqual([9, 2, 0, 7])
    expect(r.flow).toMatchObject({ screened: 9, excluded: { total: 3 }, undetermined: { total: 1 }, eligible: 5 })
    // subjects and randomization are the same whatever the population
    expect(r.subjects.screened).toBe(7)
    expect(r.randomized.total).toBe(2)
  })

  it('a subject screened again under version 2 counts as its latest; ?version keeps to one version', async () => {
    const { call, screen, get } = await study()
    const etag = (await call('GET', `/protocols/${P}`, { as: 'admin' })).headers.get('ETag')!
    const put = await call('PUT', `/protocols/${P}`, { as: 'admin', body: SLEDAI_12, type: 'application/yaml', headers: { 'If-Match': etag } })
    expect(put.status).toBe(200)
    await screen('S-03', 'ineligible')

    const latest = await get()
    expect(latest).toMatchObject({ version: 2, evaluated_versions: [1, 2] })
    // S-03 now fails IN03 (SLEDAI-2K 10 < 12); the others keep their version-1 verdicts (IN03 pass)
    expect(stepsOf(latest).IN03).toEqual([6, 1, 0, 5])
    expect(latest.flow).toMatchObject({ screened: 7, excluded: { total: 3 }, eligible: 3 })
    expect(latest.randomized.eligible_not_randomized).toBe(1) // S-07 only

    const v1 = await get('?version=1')
    expect(v1).toMatchObject({ version: 1, evaluated_versions: [1] })
    expect(v1.basis).toContain('screenings against version 1')
    expect(v1.flow).toMatchObject({ screened: 7, excluded: { total: 2 }, eligible: 4 })
    expect(v1.randomized.eligible_not_randomized).toBe(2)

    const v2 = await get('?version=2')
    expect(v2).toMatchObject({ version: 2, evaluated_versions: [2], subjects: { screened: 1, not_screened: 7 } })
    expect(v2.flow).toMatchObject({ screened: 1, excluded: { total: 1 }, eligible: 0 })
    expect(stepsOf(v2).IN03).toEqual([1, 1, 0, 0])
  })

  it('a protocol with no screenings: zeros, not an error', async () => {
    const t = await testApp()
    const res = await caller(t, 'viewer')('GET', FUNNEL)
    expect(res.status).toBe(200)
    const r = (await res.json()) as ScreeningFunnelReport
    expect(r.flow).toMatchObject({ screened: 0, eligible: 0, excluded: { total: 0 }, undetermined: { total: 0, first_undecided: [] } })
    expect(r.flow.steps[0]).toMatchObject({ criterion: 'IN01', entering: 0, excluded: 0 })
    expect(r.randomized).toMatchObject({ total: 0, eligible_not_randomized: 0 })
  })

  it.each([
    { query: '?population=everyone', status: 400, words: 'population' },
    { query: '?version=0', status: 400, words: 'version' },
    { query: '?version=9', status: 404, words: 'version 9' },
  ])('$query -> $status', async ({ query, status, words }) => {
    const t = await testApp()
    const res = await caller(t, 'viewer')('GET', `${FUNNEL}${query}`)
    expect(res.status).toBe(status)
    expect(res.headers.get('Content-Type')).toBe('application/problem+json')
    expect(((await res.json()) as ProblemBody).detail).toContain(words)
  })

  it('404 for an unknown protocol; 401 without a token', async () => {
    const t = await testApp()
    const call = caller(t, 'viewer')
    expect((await call('GET', '/protocols/nope/screening-funnel')).status).toBe(404)
    expect((await call('GET', FUNNEL, { as: null })).status).toBe(401)
  })
})

describe('screeningFlowOf and funnelOf (pure)', () => {
  const criteria: FunnelCriterion[] = [
    { id: 'IN01', kind: 'inclusion', title: 'Adult' },
    { id: 'IN02', kind: 'inclusion' },
    { id: 'EX01', kind: 'exclusion' },
  ]
  type O = 'pass' | 'fail' | 'unknown'
  const verdict = (overall: Verdict['overall'], outcomes: Record<string, O>, extra: Partial<Verdict> = {}): Verdict => ({
    protocol: { registry_id: 'X', version: '1' },
    overall,
    failing: Object.keys(outcomes).filter(k => outcomes[k] === 'fail'),
    undecided: Object.keys(outcomes).filter(k => outcomes[k] === 'unknown'),
    missing: [],
    warnings: [],
    criteria: Object.entries(outcomes).map(([id, outcome]) => {
      const kind = id.startsWith('EX') ? ('exclusion' as const) : ('inclusion' as const)
      // an inclusion passes when met, an exclusion when not met
      const truth = outcome === 'unknown' ? ('unknown' as const) : (outcome === 'pass') === (kind === 'inclusion') ? ('met' as const) : ('not_met' as const)
      return { id, kind, text: id, truth, applicable: 'met' as const, outcome, reason: '', explanation: {} as never, missing: [] }
    }),
    ...extra,
  })
  const A = verdict('ineligible', { IN01: 'fail', IN02: 'fail', EX01: 'pass' }) // counted once, at IN01
  const B = verdict('ineligible', { IN01: 'pass', IN02: 'unknown', EX01: 'fail' })
  const C = verdict('undetermined', { IN01: 'pass', IN02: 'unknown', EX01: 'unknown' })
  const D = verdict('eligible', { IN01: 'pass', IN02: 'pass', EX01: 'pass' })

  it('excludes at the first failing criterion; undecided records go on; the rest is eligible', () => {
    const flow = screeningFlowOf(criteria, [A, B, C, D])
    expect(flow.steps).toEqual([
      { criterion: 'IN01', kind: 'inclusion', title: 'Adult', entering: 4, excluded: 1, unknown: 0, pass: 3 },
      { criterion: 'IN02', kind: 'inclusion', entering: 3, excluded: 0, unknown: 2, pass: 1 },
      { criterion: 'EX01', kind: 'exclusion', entering: 3, excluded: 1, unknown: 1, pass: 1 },
    ])
    expect(flow).toMatchObject({
      screened: 4,
      excluded: { total: 2, other_criteria: 0 },
      undetermined: { total: 1, first_undecided: [{ criterion: 'IN02', count: 1 }] },
      eligible: 1,
    })
  })

  it('the batch funnel of the same verdicts drops undecided records where they stop', () => {
    const funnel = funnelOf(criteria, [A, B, C, D], 5, 1)
    expect(funnel).toMatchObject({ records: 5, invalid: 1, evaluated: 4, overall: { eligible: 1, ineligible: 2, undetermined: 1 } })
    expect(funnel.criteria.map(s => [s.entering, s.pass, s.fail, s.unknown])).toEqual([
      [4, 3, 1, 0],
      [3, 1, 0, 2],
      [1, 1, 0, 0], // B's EX01 failure is not seen here...
    ])
    expect(funnel.criteria[2]!.all).toEqual({ pass: 2, fail: 1, unknown: 1 }) // ...only over all records
  })

  it('another version: a criterion the verdict lacks is not determined; a failure on a removed criterion is "other criteria"', () => {
    const older = verdict('eligible', { IN01: 'pass', EX01: 'pass' }) // no IN02 then
    const removed = verdict('ineligible', { IN01: 'pass', IN02: 'pass', EX01: 'pass', EX09: 'fail' })
    const undecidedRemoved = verdict('undetermined', { IN01: 'pass', IN02: 'pass', EX01: 'pass', EX09: 'unknown' })
    const flow = screeningFlowOf(criteria, [older, removed, undecidedRemoved])
    expect(flow.steps[1]).toMatchObject({ criterion: 'IN02', entering: 3, unknown: 1, pass: 2 })
    expect(flow).toMatchObject({
      screened: 3,
      excluded: { total: 1, other_criteria: 1 },
      undetermined: {
        total: 2,
        first_undecided: [
          { criterion: 'IN02', count: 1 },
          { criterion: 'EX09', count: 1 },
        ],
      },
      eligible: 0,
    })
  })

  it('no verdicts: every count zero', () => {
    expect(screeningFlowOf(criteria, [])).toMatchObject({ screened: 0, excluded: { total: 0 }, undetermined: { total: 0 }, eligible: 0 })
  })
})
