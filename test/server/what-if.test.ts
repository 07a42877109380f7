/**
 * POST /protocols/{id}/what-if: IN04's UPCR threshold moved from > 1.0 to
 * > 0.8 g/g over three screened subjects and over an uploaded extract; the
 * flows before and after, who changes, the edited document; nothing saved.
 * Edits that name nothing of the protocol, and records that are not patient
 * records, are said as problems.
 */
import { describe, expect, it } from 'vitest'
import { examplePatient, type PatientRecord } from '../../engine/index.ts'
import { whatIfKnobs } from '../../engine/whatif/index.ts'
import { shippedProtocol } from '../helpers/protocols.ts'
import { caller, expectProblem, testApp } from './helpers.ts'

const P = 'nct05631717'
const seed = shippedProtocol('NCT05631717')
const base = examplePatient(seed.examples!, 'eligible-baseline')
const upcrPath = whatIfKnobs(seed.doc).criteria.find(c => c.id === 'IN04')!.knobs[0]!.path
/** The eligible example patient (no id) with a UPCR of `upcr` g/g and a 24-h protein of 0.5 g. */
const withUpcr = (upcr: number): PatientRecord => {
  const { id: _id, ...rest } = base
  return {
    ...rest,
    measurements: [
      ...(base.measurements ?? []).filter(m => m.concept !== 'urine_protein_creatinine_ratio'),
      { concept: 'urine_protein_creatinine_ratio', value: upcr, unit: 'g/g', date: '2026-01-04' },
      { concept: 'urine_protein_24h', value: 0.5, unit: 'g/(24.h)', date: '2026-01-04' },
    ],
  }
}

interface WhatIfAnswer {
  version: number
  over: string
  evaluated: number
  flows: {
    before: { eligible: number; steps: Array<{ criterion: string; excluded: number }> }
    after: { eligible: number; steps: Array<{ criterion: string; excluded: number }> }
  }
  changed: Array<{ who: Record<string, unknown>; before: { overall: string }; after: { overall: string } }>
  document: { criteria: Array<{ id: string }> }
}
const in04 = (flow: WhatIfAnswer['flows']['before']) => flow.steps.find(s => s.criterion === 'IN04')!.excluded

describe('POST /protocols/{id}/what-if', () => {
  it('over the screened subjects: 0.9 g/g moves to eligible, the flows and the edited document say so, nothing is saved', async () => {
    const t = await testApp()
    const clinician = caller(t, 'clinician')
    for (const [code, upcr] of [
      ['S-07', 0.7],
      ['S-09', 0.9],
      ['S-11', 1.1],
    ] as const) {
      const reg = await clinician('POST', `/protocols/${P}/subjects`, { body: { code, record: withUpcr(upcr) } })
      expect(reg.status).toBe(201)
      const sid = ((await reg.json()) as { id: string }).id
      expect((await clinician('POST', `/subjects/${sid}/screening`, { body: {} })).status).toBe(200)
    }
    const designer = caller(t, 'designer')
    const logBefore = await (await designer('GET', `/protocols/${P}/screening-log`)).json()
    const res = await designer('POST', `/protocols/${P}/what-if`, { body: { values: [{ path: upcrPath, value: 0.8 }] } })
    expect(res.status).toBe(200)
    const body = (await res.json()) as WhatIfAnswer
    expect(body.over).toBe('screened')
    expect(body.evaluated).toBe(3)
    expect(body.changed.map(c => [c.who.subject_code, c.before.overall, c.after.overall])).toEqual([['S-09', 'ineligible', 'eligible']])
    expect([in04(body.flows.before), in04(body.flows.after)]).toEqual([2, 1])
    expect([body.flows.before.eligible, body.flows.after.eligible]).toEqual([1, 2])
    expect(JSON.stringify(body.document)).toContain('"value":0.8')
    // nothing saved: the protocol is still at version 1, the screening log as it was
    expect(((await (await designer('GET', `/protocols/${P}`)).json()) as { version: number }).version).toBe(1)
    expect(await (await designer('GET', `/protocols/${P}/screening-log`)).json()).toEqual(logBefore)
  })

  it('over an uploaded extract, switching IN04 off: every record passes it; edits and records that are wrong are said', async () => {
    const call = caller(await testApp(), 'viewer')
    const records = [0.7, 1.1].map((v, i) => ({ ...withUpcr(v), id: `R${i}` }))
    const res = await call('POST', `/protocols/${P}/what-if`, { body: { disabled: ['IN04'], records } })
    expect(res.status).toBe(200)
    const body = (await res.json()) as WhatIfAnswer
    expect(body.over).toBe('records')
    expect(body.changed.map(c => [c.who, c.after.overall])).toEqual([[{ index: 0, id: 'R0' }, 'eligible']])
    expect(body.document.criteria.map(c => c.id)).not.toContain('IN04')

    const unknown = await expectProblem(await call('POST', `/protocols/${P}/what-if`, { body: { disabled: ['IN99'], records } }), 400, 'invalid-request')
    expect(unknown.detail).toMatch(/no criterion IN99/)
    const notKnob = await expectProblem(
      await call('POST', `/protocols/${P}/what-if`, { body: { values: [{ path: ['protocol', 'target_enrollment'], value: 10 }], records } }),
      400,
      'invalid-request',
    )
    expect(notKnob.detail).toMatch(/protocol\.target_enrollment is not a threshold, window or numeric parameter/)
    await expectProblem(await call('POST', `/protocols/${P}/what-if`, { body: { records: [{ birth_date: 'yesterday' }] } }), 422, 'invalid-patient')
    await expectProblem(await call('POST', `/protocols/${P}/what-if`, { body: {}, as: null }), 401, 'unauthorized')
  })
})
