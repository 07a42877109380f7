import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { compileProtocol, evaluateEligibility, loadProtocol, type LabConceptDefinition } from '../../../engine/index.ts'
import { inclusion, protocolWith } from '../../helpers/protocol-builder.ts'

// A protocol can add a lab concept the dictionary lacks, in YAML, and compare it in any convertible unit.
const uacr: LabConceptDefinition = {
  name: 'Urine albumin/creatinine ratio',
  loinc: ['9318-7'],
  unit: 'mg/g',
  denominator_molar_mass_g_per_mol: 113.12, // creatinine, as for UPCR (KDIGO conversion factors)
  source: 'LOINC 9318-7; creatinine molar mass 113.12 g/mol',
}

function protocolText(concepts: Record<string, LabConceptDefinition>): string {
  const doc = protocolWith(
    [inclusion({ measurement: { concept: 'urine_albumin_creatinine_ratio', op: '>', value: 300, unit: 'mg/g', window: { days: 28, before: 'screening' } } })],
    { definitions: { lab_concepts: concepts } },
  )
  return stringify(doc)
}

describe('protocol-local lab concepts', () => {
  const loaded = loadProtocol(protocolText({ urine_albumin_creatinine_ratio: uacr }))
  const compiled = compileProtocol(loaded.value!)
  const truth = async (value: number, unit: string, code: { concept?: string; loinc?: string }) => {
    const v = await evaluateEligibility(compiled, { dates: { screening: '2026-01-05' }, measurements: [{ ...code, value, unit, date: '2026-01-05' }] })
    return v.criteria[0]!.truth
  }

  it('loads without diagnostics', () => {
    expect(loaded.diagnostics).toEqual([])
  })

  it.each([
    { value: 34, unit: 'mg/mmol', want: 'met' }, // 34 mg/mmol = 300.6 mg/g
    { value: 33.9, unit: 'mg/mmol', want: 'not_met' }, // 299.7 mg/g
    { value: 300, unit: 'mg/g', want: 'not_met' }, // boundary: not > 300
    { value: 0.31, unit: 'g/g', want: 'met' },
  ])('$value $unit -> $want', async ({ value, unit, want }) => {
    expect(await truth(value, unit, { loinc: '9318-7' })).toBe(want)
  })

  it('rejects a concept that shadows a dictionary concept, and an invalid unit', () => {
    const { diagnostics } = loadProtocol(protocolText({ urine_albumin_creatinine_ratio: { ...uacr, unit: 'mg per g' }, egfr: { ...uacr } }))
    expect(diagnostics.map(d => [d.code, d.path])).toEqual([
      ['E_UNIT_INCONVERTIBLE', 'definitions.lab_concepts.urine_albumin_creatinine_ratio.unit'],
      ['E_DUPLICATE_ID', 'definitions.lab_concepts.egfr'],
    ])
  })
})
