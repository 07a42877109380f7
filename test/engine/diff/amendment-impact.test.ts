import { describe, expect, it } from 'vitest'
import { amendmentImpact } from '../../../engine/diff/index.ts'
import { compileProtocol, examplePatient, loadProtocol, type PatientRecord } from '../../../engine/index.ts'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROTOCOLS_DIR, shippedProtocol } from '../../helpers/protocols.ts'

const yamlV1 = readFileSync(join(PROTOCOLS_DIR, 'nct05631717.yaml'), 'utf8')
/** The amendment: IN04's UPCR threshold tightened from > 1.0 to > 1.5 g/g (the 24-h protein path unchanged). */
const IN04_UPCR = 'concept: urine_protein_creatinine_ratio\n            op: ">"\n            value: 1.0'
const yamlV2 = yamlV1.replace(IN04_UPCR, IN04_UPCR.replace('value: 1.0', 'value: 1.5'))
const v1 = compileProtocol(loadProtocol(yamlV1).value!)
const v2 = compileProtocol(loadProtocol(yamlV2).value!)
const examples = shippedProtocol('NCT05631717').examples!
const base = examplePatient(examples, 'eligible-baseline')

/** The eligible base patient with a UPCR of `upcr` g/g and a 24-h protein of 0.9 g (not above 1.0: that path is closed). */
function withUpcr(upcr: number): PatientRecord {
  const others = (base.measurements ?? []).filter(m => m.concept !== 'urine_protein_creatinine_ratio')
  return {
    ...base,
    measurements: [
      ...others,
      { concept: 'urine_protein_creatinine_ratio', value: upcr, unit: 'g/g', date: '2026-01-04' },
      { concept: 'urine_protein_24h', value: 0.9, unit: 'g/(24.h)', date: '2026-01-04' },
    ],
  }
}

describe('amendmentImpact', () => {
  it('the amendment is a threshold change of IN04 in the structured diff', async () => {
    expect(yamlV2).not.toBe(yamlV1)
    const impact = await amendmentImpact(v1, v2, [])
    expect(impact.diff.criteria.changed).toEqual([
      expect.objectContaining({ id: 'IN04', changes: [expect.objectContaining({ kind: 'threshold', from: 1, to: 1.5 })] }),
    ])
    expect(impact).toMatchObject({ evaluated: 0, unchanged: 0, changed: [], shifted: [] })
  })

  it('lists exactly the screened patients whose verdict the tightened threshold changes, on both sides of it', async () => {
    const screened = [
      { key: 'upcr-1.01', patient: withUpcr(1.01) }, // eligible → ineligible
      { key: 'upcr-1.5', patient: withUpcr(1.5) }, // eligible → ineligible: 1.5 is not > 1.5
      { key: 'upcr-1.51', patient: withUpcr(1.51) }, // stays eligible
      { key: 'upcr-1.8', patient: base }, // the base (UPCR 1.8) stays eligible
      { key: 'upcr-0.9', patient: withUpcr(0.9) }, // ineligible under both
      { key: '24h-path', patient: examplePatient(examples, 'upcr-low-24h-high') }, // eligible by 24-h protein under both
      { key: 'too-old', patient: { ...withUpcr(1.2), birth_date: '1950-01-01' } }, // ineligible under both, IN04 shifts
    ]
    const impact = await amendmentImpact(v1, v2, screened)
    expect(impact.evaluated).toBe(7)
    expect(impact.changed.map(c => c.key)).toEqual(['upcr-1.01', 'upcr-1.5'])
    expect(impact.unchanged).toBe(5)
    expect(impact.changed[0]).toEqual({
      key: 'upcr-1.01',
      before: { overall: 'eligible', failing: [] },
      after: { overall: 'ineligible', failing: ['IN04'] },
      criteria: [expect.objectContaining({ id: 'IN04', before: 'pass', after: 'fail', reason: expect.stringContaining('1.01') })],
    })
    // still ineligible, but now also for IN04: listed apart from the verdict changes
    expect(impact.shifted).toEqual([
      expect.objectContaining({
        key: 'too-old',
        before: { overall: 'ineligible', failing: ['IN02'] },
        after: { overall: 'ineligible', failing: ['IN02', 'IN04'] },
      }),
    ])
    expect(impact.transitions.eligible).toEqual({ eligible: 3, undetermined: 0, ineligible: 2 })
    expect(impact.transitions.ineligible.ineligible).toBe(2)
  })

  it('a criterion removed by the amendment is reported as absent after it', async () => {
    const doc = loadProtocol(yamlV1).value!
    const withoutIn04 = compileProtocol({ ...doc, criteria: doc.criteria.filter(c => c.id !== 'IN04') })
    const impact = await amendmentImpact(v1, withoutIn04, [{ key: 'low', patient: withUpcr(0.9) }])
    expect(impact.changed).toEqual([
      expect.objectContaining({
        key: 'low',
        before: { overall: 'ineligible', failing: ['IN04'] },
        after: { overall: 'eligible', failing: [] },
        criteria: [expect.objectContaining({ id: 'IN04', before: 'fail', after: 'absent' })],
      }),
    ])
    expect(impact.diff.criteria.removed).toEqual(['IN04'])
  })
})
