import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { examplePatient, type PatientRecord } from '../../engine/index.ts'
import { PROTOCOLS_DIR, shippedProtocol } from '../helpers/protocols.ts'
import { TEST_ACTOR, expectProblem, req, testApp, type TestApp } from './helpers.ts'

const P = 'nct05631717'
const V1 = readFileSync(join(PROTOCOLS_DIR, 'nct05631717.yaml'), 'utf8')
/** The amendment: IN04's UPCR threshold tightened from > 1.0 to > 1.5 g/g. */
const IN04_UPCR = 'concept: urine_protein_creatinine_ratio\n            op: ">"\n            value: 1.0'
const V2 = V1.replace(IN04_UPCR, IN04_UPCR.replace('value: 1.0', 'value: 1.5'))
const base = examplePatient(shippedProtocol('NCT05631717').examples!, 'eligible-baseline')

/** The eligible base patient with a UPCR of `upcr` g/g and a 24-h protein of 0.9 g. */
const withUpcr = (upcr: number): PatientRecord => ({
  ...base,
  measurements: [
    ...(base.measurements ?? []).filter(m => m.concept !== 'urine_protein_creatinine_ratio'),
    { concept: 'urine_protein_creatinine_ratio', value: upcr, unit: 'g/g', date: '2026-01-04' },
    { concept: 'urine_protein_24h', value: 0.9, unit: 'g/(24.h)', date: '2026-01-04' },
  ],
})

async function screenSubject(t: TestApp, code: string, record: PatientRecord): Promise<string> {
  const reg = await req(t.app, 'POST', `/protocols/${P}/subjects`, { token: t.adminToken, json: { code, record } })
  expect(reg.status).toBe(201)
  const sid = ((await reg.json()) as { id: string }).id
  expect((await req(t.app, 'POST', `/subjects/${sid}/screening`, { token: t.adminToken, json: {} })).status).toBe(200)
  return sid
}

async function amend(t: TestApp): Promise<void> {
  const etag = (await req(t.app, 'GET', `/protocols/${P}`, { token: t.adminToken })).headers.get('ETag')!
  expect(
    (await req(t.app, 'PUT', `/protocols/${P}`, { token: t.adminToken, yaml: V2, headers: { 'If-Match': etag, 'X-Change-Note': 'IN04: UPCR > 1.5' } })).status,
  ).toBe(200)
}

interface ImpactBody {
  from: number
  to: number
  diff: { criteria: { changed: Array<{ id: string }> } }
  screened: number
  evaluated: number
  not_reevaluable: number
  unchanged: number
  changed: Array<{
    subject_code: string | null
    evaluation_id: number
    screened_version: number
    before: { overall: string }
    after: { overall: string; failing: string[] }
    criteria: Array<{ id: string; before: string; after: string }>
  }>
  shifted: Array<{ subject_code: string | null }>
  transitions: Record<string, Record<string, number>>
}

describe('GET /protocols/:id/impact', () => {
  it('an amendment that tightens a threshold lists exactly the affected screened patients', async () => {
    const t = await testApp()
    await screenSubject(t, 'IMP-101', withUpcr(1.01)) // eligible → ineligible
    await screenSubject(t, 'IMP-150', withUpcr(1.5)) // eligible → ineligible (1.5 is not > 1.5)
    await screenSubject(t, 'IMP-151', withUpcr(1.51)) // stays eligible
    await screenSubject(t, 'IMP-090', withUpcr(0.9)) // ineligible under both
    // screened again with a higher value: only the latest screening counts
    const sid = await screenSubject(t, 'IMP-RE', withUpcr(1.2))
    expect((await req(t.app, 'POST', `/subjects/${sid}/screening`, { token: t.adminToken, json: { measurements: withUpcr(2.0).measurements } })).status).toBe(
      200,
    )
    // an anonymous evaluation: counted with population=all only
    expect((await req(t.app, 'POST', `/protocols/${P}/evaluate`, { token: t.adminToken, json: withUpcr(1.3) })).status).toBe(200)
    await amend(t)

    const res = await req(t.app, 'GET', `/protocols/${P}/impact`, { token: t.tokenFor('viewer') })
    expect(res.status).toBe(200)
    const body = (await res.json()) as ImpactBody
    expect(body).toMatchObject({ from: 1, to: 2, screened: 5, evaluated: 5, not_reevaluable: 0, unchanged: 3 })
    expect(body.diff.criteria.changed.map(c => c.id)).toEqual(['IN04'])
    expect(body.changed.map(c => c.subject_code)).toEqual(['IMP-101', 'IMP-150'])
    expect(body.changed[0]).toMatchObject({
      screened_version: 1,
      before: { overall: 'eligible' },
      after: { overall: 'ineligible', failing: ['IN04'] },
      criteria: [{ id: 'IN04', before: 'pass', after: 'fail' }],
    })
    expect(body.shifted).toEqual([])
    expect(body.transitions.eligible).toEqual({ eligible: 2, undetermined: 0, ineligible: 2 })

    const all = (await (await req(t.app, 'GET', `/protocols/${P}/impact?population=all&from=1&to=2`, { token: t.adminToken })).json()) as ImpactBody
    expect(all.screened).toBe(6)
    expect(all.changed.map(c => c.subject_code)).toEqual(['IMP-101', 'IMP-150', null])
  })

  it('counts screenings logged without their record as not re-evaluable', async () => {
    const t = await testApp()
    await t.store.addEvaluation(
      { protocol_id: P, version: 1, subject_id: null, overall: 'eligible', failing: '[]', verdict: '{}' },
      { ...TEST_ACTOR, name: 'legacy' },
    )
    await amend(t)
    const body = (await (await req(t.app, 'GET', `/protocols/${P}/impact?population=all`, { token: t.adminToken })).json()) as ImpactBody
    expect(body).toMatchObject({ screened: 1, evaluated: 0, not_reevaluable: 1, changed: [] })
  })

  it('the evaluation log keeps the record it evaluated', async () => {
    const t = await testApp()
    const res = await req(t.app, 'POST', `/protocols/${P}/evaluate`, { token: t.adminToken, json: withUpcr(1.3) })
    const { evaluation_id } = (await res.json()) as { evaluation_id: number }
    const [row] = await t.store.evaluations({ protocolId: P })
    expect(row!.id).toBe(evaluation_id)
    expect(JSON.parse(row!.patient!)).toEqual(withUpcr(1.3))
  })

  it('400 with one version or from = to, 404 for an unknown protocol or version, 401 without a token', async () => {
    const t = await testApp()
    expect((await expectProblem(await req(t.app, 'GET', `/protocols/${P}/impact`, { token: t.adminToken }), 400, 'invalid-request')).detail).toMatch(
      /only version 1/,
    )
    await amend(t)
    await expectProblem(await req(t.app, 'GET', `/protocols/${P}/impact?from=2&to=2`, { token: t.adminToken }), 400, 'invalid-request')
    await expectProblem(await req(t.app, 'GET', `/protocols/${P}/impact?from=1&to=7`, { token: t.adminToken }), 404, 'not-found')
    await expectProblem(await req(t.app, 'GET', `/protocols/${P}/impact?from=x`, { token: t.adminToken }), 400, 'invalid-request')
    await expectProblem(await req(t.app, 'GET', '/protocols/nope/impact', { token: t.adminToken }), 404, 'not-found')
    await expectProblem(await req(t.app, 'GET', `/protocols/${P}/impact`, {}), 401, 'unauthorized')
  })
})
