/**
 * Renal response endpoints added from the published trials: NOBILITY's
 * overall renal response (CRR or PRR) as a study rate, and BLISS-LN's PERR at
 * week 52 with its week-48 confirmation as a named choice.
 */
import { describe, expect, it } from 'vitest'
import { compileProtocol, type ProtocolDocument } from '../../../engine/index.ts'
import { evaluateSubject, exampleSubject, summarizeStudy } from '../../../engine/study.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

describe('NOBILITY overall renal response (CRR + PRR)', () => {
  const { doc, examples } = shippedProtocol('NCT02550652')
  // CRR, PRR only, neither, and undecided (no week-52 UPCR)
  const ids = ['crr', 'upcr-0.5', 'creatinine-115.4-percent', 'upcr-missing-at-week-52']

  async function orr(protocol: ProtocolDocument) {
    const compiled = compileProtocol(protocol)
    const results = await Promise.all(ids.map(id => evaluateSubject(compiled, { ...exampleSubject(examples!, id), arm: 'obinutuzumab' })))
    const summary = summarizeStudy(compiled, results).responses.find(r => r.endpoint === 'overall_renal_response' && r.visit === 'week_52')!
    return summary.arms.find(a => a.arm === 'obinutuzumab')!
  }

  it('counts CRR and PRR subjects as responders; an undecided subject is a non-responder by default', async () => {
    const arm = await orr(doc)
    expect(arm.unknown).toBe(1)
    expect(arm.rates.CRR).toMatchObject({ x: 1, n: 4 })
    expect(arm.rates.PRR).toMatchObject({ x: 1, n: 4 })
    expect(arm.rates.any).toMatchObject({ x: 2, n: 4 })
  })

  it('with missing_response_as = exclude, the undecided subject leaves the denominator', async () => {
    const exclude = { ...doc, parameters: { ...doc.parameters, missing_response_as: { ...doc.parameters!.missing_response_as!, value: 'exclude' } } }
    expect((await orr(exclude)).rates.any).toMatchObject({ x: 2, n: 3 })
  })
})

describe('BLISS-LN PERR at week 52: week-48 confirmation', () => {
  const { doc, examples } = shippedProtocol('NCT01639339')
  const confirmed = (value: boolean): ProtocolDocument => ({
    ...doc,
    parameters: { ...doc.parameters, perr_week_52_confirmed_at_week_48: { ...doc.parameters!.perr_week_52_confirmed_at_week_48!, value } },
  })
  const perr52 = async (protocol: ProtocolDocument, measurements: unknown[]) => {
    const base = exampleSubject(examples!, 'complete-response')
    const r = await evaluateSubject(compileProtocol(protocol), {
      ...base,
      measurements: [...base.measurements!, ...(measurements as typeof base.measurements & object)],
    })
    return r.responses.find(x => x.endpoint === 'perr_week_52' && x.visit === 'week_52')!.truth
  }
  // week 48 is study day 337: 2027-03-29 for random allocation on 2026-04-27
  const week48 = (upcr: number) => [
    { concept: 'urine_protein_creatinine_ratio', value: upcr, unit: 'g/g', date: '2027-03-29' },
    { concept: 'egfr', value: 85, unit: 'mL/min/{1.73_m2}', date: '2027-03-29' },
  ]

  it('by default reads week 52 alone', async () => {
    expect(doc.parameters!.perr_week_52_confirmed_at_week_48!.value).toBe(false)
    expect(await perr52(doc, [])).toBe('met')
    expect(await perr52(doc, week48(0.9))).toBe('met')
  })

  it('when confirmation is required, week 48 must hold too (0.7 yes, 0.71 no, none: unknown)', async () => {
    expect(await perr52(confirmed(true), week48(0.7))).toBe('met')
    expect(await perr52(confirmed(true), week48(0.71))).toBe('not_met')
    expect(await perr52(confirmed(true), [])).toBe('unknown')
  })
})
