import { describe, expect, it } from 'vitest'
import { compileProtocol, type SubjectRecord } from '../../../engine/index.ts'
import { evaluateSubject, exampleSubject } from '../../../engine/study.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

// The lab_changes endpoint grades anaemia in the CTCAE v5.0 column of the unit the
// haemoglobin was reported in: 6.2 mmol/L is grade 1 (<LLN - 6.2 mmol/L), although
// 6.2 mmol/L × 16114.5 g/mol is 9.99 g/dL, which the g/dL column would call grade 2.
const p = shippedProtocol('NCT05631717')
const compiled = compileProtocol(p.doc)
const base = exampleSubject(p.examples!, 'neutropenia-and-hypertension')

/** The example subject with a normal neutrophil count, and its haemoglobin re-entered in `unit` (LLN `lln`): `week8` at the week-8 visit, `other` at every other. */
function withHemoglobin(unit: string, lln: number, other: number, week8: number): SubjectRecord {
  const measurements = (base.measurements ?? []).map(m => {
    if (m.concept === 'neutrophils') return { ...m, value: 4.0 }
    if (m.concept !== 'hemoglobin') return m
    return { ...m, value: m.date === '2026-03-16' ? week8 : other, unit, reference_range: { low: lln } }
  })
  return { ...base, measurements }
}

async function labChanges(s: SubjectRecord) {
  const results = await evaluateSubject(compiled, s)
  return results.safety.find(r => r.endpoint === 'lab_changes')!
}

describe('lab_changes: anaemia graded in the column of its own unit (CTCAE v5.0)', () => {
  it.each([
    // every other visit at grade 1; a shift needs grade 2 at week 8 (significant_lab_shift_grades 1)
    { unit: 'mmol/L', lln: 7.4, other: 7.0, week8: 6.2, shifted: false }, // = 6.2: grade 1
    { unit: 'mmol/L', lln: 7.4, other: 7.0, week8: 6.19, shifted: true }, // grade 2
    { unit: 'mmol/l', lln: 7.4, other: 7.0, week8: 6.2, shifted: false }, // the same unit, lower-case litre
    { unit: 'g/L', lln: 120, other: 110, week8: 100, shifted: false }, // = 100 g/L: grade 1
    { unit: 'g/L', lln: 120, other: 110, week8: 99, shifted: true }, // grade 2
    { unit: 'g/dL', lln: 12, other: 11, week8: 10.0, shifted: false }, // g/dL unchanged: = 10.0 is grade 1
    { unit: 'g/dL', lln: 12, other: 11, week8: 9.9, shifted: true }, // grade 2
  ])('$week8 $unit at week 8 (LLN $lln): shifted $shifted', async ({ unit, lln, other, week8, shifted }) => {
    const r = await labChanges(withHemoglobin(unit, lln, other, week8))
    expect(r.value).toBe(shifted)
    if (shifted) expect(r.detail).toContain('anemia: grade 1 → 2')
  })
})
