import { describe, expect, it } from 'vitest'
import { describeProtocol, formatProtocolDescription } from '../../../engine/describe/index.ts'
import type { CriterionDescription, DescribedNode } from '../../../engine/index.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const { doc } = shippedProtocol('NCT05631717')
const d = describeProtocol(doc)
const criterion = (id: string): CriterionDescription => {
  const c = d.criteria.find(x => x.id === id)
  if (!c) throw new Error(`no criterion ${id}`)
  return c
}
const texts = (n: DescribedNode | undefined): string[] => (n?.children ?? []).map(c => c.text)

describe('NCT05631717 in plain words: representative criteria', () => {
  it('IN04 (UPCR or 24-h protein): ANY of two measurements, each with its unit, selection and window', () => {
    const logic = criterion('IN04').logic
    expect(logic).toMatchObject({ kind: 'any', path: 'logic', text: 'ANY of:' })
    expect(texts(logic)).toEqual([
      'Urine protein/creatinine ratio > 1 g/g, latest within 28 days before screening',
      'Protein in 24-hour urine > 1 g/24 h, latest within 28 days before screening',
    ])
    // the 28 days are a parameter, named on the leaf that uses it
    expect(logic.children?.[0]).toMatchObject({ kind: 'measurement', path: 'logic.any[0]', parameters: ['screening_lookback_days'] })
    expect(criterion('IN04').parameters).toEqual(['screening_lookback_days'])
    expect(criterion('IN04').reference_dates).toEqual(['screening'])
  })

  it('IN02 (age): ALL of two bounds at informed consent, each with its counting basis from a parameter', () => {
    const logic = criterion('IN02').logic
    expect(logic.text).toBe('ALL of:')
    expect(texts(logic)).toEqual(['age at informed consent > 18 years, exact age', 'age at informed consent ≤ 65 years, in completed years'])
    expect(logic.children?.[0]?.details).toEqual(['Exact age: the calendar age to the day, so 18 years and 1 day is more than 18.'])
    expect(logic.children?.[1]?.details).toEqual(['Completed years: whole years only, so 65 years and 11 months counts as 65.'])
    expect(logic.children?.map(c => c.parameters)).toEqual([['age_lower_bound_basis'], ['age_upper_bound_basis']])
  })

  it('IN01 (ACR 1997): at least 4 of the 11 items', () => {
    const logic = criterion('IN01').logic
    expect(logic).toMatchObject({ kind: 'at_least', text: 'AT LEAST 4 of these 11:' })
    expect(texts(logic)[0]).toBe('ACR 1997: malar rash')
    expect(logic.children?.[10]?.path).toBe('logic.at_least.of[10]')
  })

  it('EX01a-c: medication exposure and unstable-dose windows, with what the named set selects', () => {
    expect(criterion('EX01a').logic).toMatchObject({
      kind: 'medication',
      text: 'rituximab or any other B cell depletion therapy taken within 24 weeks before screening',
      details: [
        'Selects dictionary class b_cell_depleting and item rituximab (set b_cell_depletion_therapy).',
        'Counts when any day of use falls in the window.',
      ],
    })
    const ex01b = criterion('EX01b').logic
    expect(ex01b.text).toBe(
      'mycophenolate mofetil, cyclophosphamide or other immunosuppressants started, stopped or changed in dose within 12 weeks before screening',
    )
    expect(ex01b.parameters).toEqual(['unstable_dose_events'])
    expect(criterion('EX01c').logic.text).toBe('biological agents or small molecule targeted drugs for immune diseases taken within 4 weeks before screening')
  })

  it('IN05: applies_if is described apart from the logic, parameter leaves say whether they hold now', () => {
    const c = criterion('IN05')
    expect(c.applies_if?.path).toBe('applies_if')
    expect(c.applies_if?.children?.[1]?.children?.map(n => n.text)).toEqual([
      'sex is female',
      'protocol parameter contraception_criterion_applies_to_men is true (now true, so this holds)',
    ])
    expect(c.logic.text).toBe('agrees to use effective contraception during the trial')
  })

  it('EX04: condition filters and the designer label kept apart from the generated words', () => {
    const first = criterion('EX04').logic.children?.[0]
    expect(first).toMatchObject({
      kind: 'condition',
      label: 'severe active infection, current or within 4 weeks before random allocation',
      text: 'bacterial, viral, fungal, parasitic or other infection (excluding onychomycosis) — severity severe — active within 4 weeks before random allocation',
    })
    expect(first?.details).toContain('Except onychomycosis.')
  })

  it('EX07: a history ("ever") window and an exception that depends on the outcome', () => {
    expect(criterion('EX07').logic.text).toBe(
      'malignant tumour, solid or haematological (except excised or cured basal cell carcinoma of the skin) recorded at any time (history)',
    )
    expect(criterion('EX07').logic.details).toContain('Except basal_cell_carcinoma_skin when its outcome is excised or cured.')
  })

  it('EX05/EX06: planned events during the study', () => {
    expect(criterion('EX06').logic.children?.[1]?.text).toBe('live vaccine (except herpes zoster vaccination) planned during the study')
    expect(criterion('EX05').logic.children?.[0]?.children?.[0]?.text).toBe('major surgery done within 12 weeks before screening')
  })
})

describe('NCT05631717 in plain words: the rest of the protocol', () => {
  it('identity, and reference dates with what counts from them', () => {
    expect(d.identity).toMatchObject({ registry_id: 'NCT05631717', version: '1.0.0' })
    const consent = d.reference_dates.find(r => r.name === 'consent')
    expect(consent).toMatchObject({ label: 'informed consent', used_by: ['IN02'] })
    const randomization = d.reference_dates.find(r => r.name === 'randomization')
    expect(randomization?.used_by).toEqual(expect.arrayContaining(['EX04', 'EX06', 'arm il2', 'visit week_24', 'endpoint time_to_pr']))
    expect(randomization?.used_by).not.toContain('IN02')
  })

  it('parameters: value, options, rationale, open ones flagged in words, and who uses each', () => {
    const lookback = d.parameters.find(p => p.name === 'screening_lookback_days')
    expect(lookback).toMatchObject({ value: 28, open: false, used_by: ['IN03', 'IN04', 'IN06'] })
    expect(lookback?.open_note).toBeUndefined()
    const cycles = d.parameters.find(p => p.name === 'il2_cycles')
    expect(cycles).toMatchObject({ value: 3, open: true, used_by: ['arm il2'] })
    expect(cycles?.open_note).toMatch(/^Open: the registry text does not settle this/)
    expect(d.parameters.find(p => p.name === 'age_lower_bound_basis')?.options).toEqual(['exact', 'completed_years'])
  })

  it('arms, visits and endpoints in brief', () => {
    expect(d.arms[0]?.interventions).toEqual([
      'Interleukin-2 (aldesleukin): 1,000,000 IU subcutaneous; first dose on day 1 counted from random allocation (day 1 = the random allocation date); 7 doses per cycle, one every 2 days; 3 cycles, a new cycle every 28 days.',
    ])
    expect(d.arms[1]?.interventions[0]).toMatch(/2,000,000 cells\/kg body weight intravenous, in 30 mL saline; .*; a single dose\.$/)
    expect(d.visits.find(v => v.id === 'week_4')?.text).toBe(
      'day 29 counted from random allocation (day 1 = the random allocation date); window 7 days before to 7 days after, both ends included',
    )
    const cr = d.endpoints.find(e => e.id === 'complete_response')
    expect(cr?.logic?.children?.[1]).toMatchObject({ kind: 'either', label: 'protein/creatinine ratio < 0.5 or 24-h urine protein < 0.5 g' })
    expect(cr?.logic?.children?.[2]?.text).toBe('glucocorticoid dose at the visit ≤ 10 mg/day prednisone-equivalent')
    expect(d.endpoints.find(e => e.id === 'response_status')?.summary).toBe(
      'Graded at week 4, week 8, week 16, week 20 and week 24: CR if Complete response (CR) holds, else PR if Partial response (PR) holds, else NR. In study-level rates a subject whose grade cannot be decided counts as NR.',
    )
  })

  it('partial response: NOT over a leaf reads "NOT (…)", change leaves name both visits', () => {
    const pr = d.endpoints.find(e => e.id === 'partial_response')?.logic
    const onlyProteinuria = pr?.children?.[1]
    expect(onlyProteinuria?.children?.[0]).toMatchObject({
      kind: 'not',
      path: 'logic.any[1].all[0]',
      text: "NOT (Creatinine in serum or plasma > 1 × the upper limit of normal (the lab's, reported with the value), at baseline, value nearest its nominal day)",
      parameters: ['creatinine_abnormal_above_uln_times'],
    })
    expect(pr?.children?.[0]?.children?.[2]?.text).toBe('decrease of creatinine in serum or plasma from baseline to the visit > 30 % of the earlier value')
  })

  it('is plain JSON (the server sends it as is)', () => {
    expect(JSON.parse(JSON.stringify(d))).toEqual(d)
  })

  it('as text: sections, the criteria trees with bullets, open parameters marked', () => {
    const text = formatProtocolDescription(d)
    expect(text).toContain('REFERENCE DATES')
    expect(text).toContain('  il2_cycles = 3 — OPEN')
    expect(text).toContain(
      [
        'IN04 — UPCR > 1.0 or 24-h urine protein > 1.0 g',
        '  Registry text: "Urinary total protein / creatinine ratio > 1.0 or 24-hour urinary protein > 1.0g, with or without microscopic hematuria"',
        '  Met when:',
        '    • ANY of:',
        '      • Urine protein/creatinine ratio > 1 g/g, latest within 28 days before screening',
        '        – uses parameter screening_lookback_days = 28',
      ].join('\n'),
    )
    expect(text).toContain('  Excludes when:\n    • rituximab or any other B cell depletion therapy taken within 24 weeks before screening')
  })
})
