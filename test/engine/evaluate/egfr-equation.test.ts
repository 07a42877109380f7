import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  applyMergePatch,
  compileProtocol,
  defaultDictionary,
  evaluateEligibility,
  examplePatient,
  loadProtocol,
  type Explanation,
  type PatientRecord,
} from '../../../engine/index.ts'
import { describeProtocol } from '../../../engine/describe/index.ts'
import { changeEvidence } from '../../../engine/evaluate/facts/change.ts'
import { measurementEvidence } from '../../../engine/evaluate/facts/measurement.ts'
import type { FactContext } from '../../../engine/evaluate/facts/context.ts'
import { PROTOCOLS_DIR, shippedProtocol } from '../../helpers/protocols.ts'

// AURORA 1 (NCT03021499) excludes eGFR ≤ 45 and reads eGFR by its egfr_equation parameter (CKD-EPI 2009).
const text = readFileSync(join(PROTOCOLS_DIR, 'nct03021499.yaml'), 'utf8')
const { doc } = shippedProtocol('NCT03021499')
const examples = shippedProtocol('NCT03021499').examples!
const defaults = compileProtocol(doc)

function withEquation(to: string) {
  const marker = '  egfr_equation:\n    value: ckd_epi_2009\n'
  if (!text.includes(marker)) throw new Error('egfr_equation not found')
  const loaded = loadProtocol(text.replace(marker, `  egfr_equation:\n    value: ${to}\n`))
  if (!loaded.value) throw new Error(JSON.stringify(loaded.diagnostics))
  return compileProtocol(loaded.value)
}

async function ex01(compiled: ReturnType<typeof compileProtocol>, patient: PatientRecord) {
  const verdict = await evaluateEligibility(compiled, patient)
  const c = verdict.criteria.find(x => x.id === 'EX01')!
  return { truth: c.truth, leaf: c.explanation as Explanation, missing: verdict.missing }
}

const upcr = { concept: 'urine_protein_creatinine_ratio', value: 2.6, unit: 'g/g', date: '2026-02-01' }
const creatinine = (value: number) => ({ concept: 'serum_creatinine', value, unit: 'mg/dL', date: '2026-02-01' })
const eGfr = (concept: string, value: number, date = '2026-02-01') => ({ concept, value, unit: 'mL/min/{1.73_m2}', date })
/** The patient: a woman aged 35 at screening (2026-02-02). */
const woman35 = (patch: Record<string, unknown>) =>
  applyMergePatch(examplePatient(examples, 'eligible-baseline'), { birth_date: '1990-06-01', ...patch }) as PatientRecord

describe('eGFR by the protocol equation (AURORA 1 EX01: eGFR ≤ 45)', () => {
  it("(b) computed from creatinine: the issue's woman (35, Scr 1.5, not Black) is excluded by CKD-EPI 2009 (44.7), not by CKD-EPI 2021 (46.3), excluded by MDRD (39.5)", async () => {
    const patient = woman35({ black_race: false, measurements: [upcr, creatinine(1.5)] })
    const by2009 = await ex01(defaults, patient)
    expect(by2009.truth).toBe('met')
    expect(by2009.leaf.detail).toContain('44.67 mL/min/1.73 m² on 2026-02-01 (computed by CKD-EPI 2009 from creatinine 1.5 mg/dL, age 35, female, not Black)')
    expect(by2009.leaf.label).toContain('eGFR (creatinine-based, CKD-EPI 2009 equation) ≤ 45')
    const by2021 = await ex01(withEquation('ckd_epi_2021'), patient)
    expect(by2021.truth).toBe('not_met')
    expect(by2021.leaf.detail).toContain('46.32 mL/min/1.73 m² on 2026-02-01 (computed by CKD-EPI 2021 from creatinine 1.5 mg/dL, age 35, female)')
    expect((await ex01(withEquation('mdrd'), patient)).truth).toBe('met')
    // recorded as Black: 44.67 × 1.159 = 51.77 > 45
    expect((await ex01(defaults, woman35({ black_race: true, measurements: [upcr, creatinine(1.5)] }))).truth).toBe('not_met')
  })

  it('(b) race not recorded: both values are computed; decided when both agree, else unknown asking whether the patient is Black', async () => {
    const disagree = await ex01(defaults, woman35({ measurements: [upcr, creatinine(1.5)] }))
    expect(disagree.truth).toBe('unknown')
    expect(disagree.leaf.detail).toContain('44.67–51.77')
    expect(disagree.leaf.detail).toContain('44.67 if not Black, 51.77 if Black (race not recorded)')
    const need = { key: 'black_race', description: 'whether the patient is Black (the CKD-EPI 2009 eGFR equation has a race coefficient)' }
    expect(disagree.leaf.missing).toEqual([need])
    expect(disagree.missing).toContainEqual(need)
    // both ≤ 45 (Scr 2.0: 31.5 / 36.6) and both > 45 (Scr 1.4: 48.6 / 56.3): decided, nothing missing
    const bothExcluded = await ex01(defaults, woman35({ measurements: [upcr, creatinine(2.0)] }))
    expect(bothExcluded.truth).toBe('met')
    expect(bothExcluded.missing).toEqual([])
    expect((await ex01(defaults, woman35({ measurements: [upcr, creatinine(1.4)] }))).truth).toBe('not_met')
    // the race-free equation needs no race
    expect((await ex01(withEquation('ckd_epi_2021'), woman35({ measurements: [upcr, creatinine(1.5)] }))).truth).toBe('not_met')
  })

  it('(b) blocked: without sex the equation cannot be computed, and the missing data names the equation', async () => {
    const r = await ex01(defaults, woman35({ sex: null, measurements: [upcr, creatinine(1.5)] }))
    expect(r.truth).toBe('unknown')
    expect(r.missing).toContainEqual({ key: 'sex', description: 'sex (to compute eGFR from creatinine by CKD-EPI 2009)' })
    expect(r.missing.map(m => m.key)).toContain('measurement:egfr_ckd_epi_2009')
  })

  it('(a) an eGFR reported by the protocol equation wins over a computed value and over another equation on the same day', async () => {
    // creatinine 1.4 would give 48.6 (> 45); the lab's CKD-EPI 2009 value 44.7 is used
    const r = await ex01(defaults, woman35({ black_race: false, measurements: [upcr, creatinine(1.4), eGfr('egfr', 46.3), eGfr('egfr_ckd_epi_2009', 44.7)] }))
    expect(r.truth).toBe('met')
    expect(r.leaf.detail).toBe('44.7 mL/min/1.73 m² on 2026-02-01')
  })

  it('(c) only a CKD-EPI 2021 eGFR reported: compared as it is, the explanation naming both equations', async () => {
    const r = await ex01(defaults, examplePatient(examples, 'egfr-only-2021-reported'))
    expect(r.truth).toBe('not_met')
    expect(r.leaf.detail).toBe('46.3 mL/min/1.73 m² on 2026-02-01 (eGFR 46.3 mL/min/1.73 m² by CKD-EPI 2021; the protocol specifies CKD-EPI 2009)')
    // at 44.9 the same report decides the other way
    expect((await ex01(defaults, woman35({ measurements: [upcr, eGfr('egfr', 44.9)] }))).truth).toBe('met')
  })

  it('(c) a value computed by the protocol equation is preferred to another equation reported the same day; another day keeps its own value', async () => {
    const sameDay = await ex01(defaults, woman35({ black_race: false, measurements: [upcr, creatinine(1.5), eGfr('egfr', 46.3)] }))
    expect(sameDay.truth).toBe('met') // 44.67 computed by CKD-EPI 2009, not the 46.3 by 2021
    // a later MDRD report is the latest value: used, and named
    const later = await ex01(
      defaults,
      woman35({ black_race: false, measurements: [upcr, { ...creatinine(1.5), date: '2026-01-20' }, eGfr('egfr_mdrd', 50, '2026-02-01')] }),
    )
    expect(later.truth).toBe('not_met')
    expect(later.leaf.detail).toContain('by MDRD; the protocol specifies CKD-EPI 2009')
  })

  it('a value the lab computed for one race (LOINC 88294-4 / 48643-1) applies to the patient by the race coefficient', async () => {
    // CKD-EPI 2009 "among non-blacks" 44.7: the patient's own value when not Black, × 1.159 = 51.8 when Black, both when not recorded
    const nonBlackReport = { loinc: '88294-4', value: 44.7, unit: 'mL/min/{1.73_m2}', date: '2026-02-01' }
    expect((await ex01(defaults, woman35({ black_race: false, measurements: [upcr, nonBlackReport] }))).truth).toBe('met')
    const black = await ex01(defaults, woman35({ black_race: true, measurements: [upcr, nonBlackReport] }))
    expect(black.truth).toBe('not_met')
    expect(black.leaf.detail).toContain('reported for a patient who is not Black (LOINC 88294-4): 51.81 for this patient by the race coefficient 1.159')
    const unrecorded = await ex01(defaults, woman35({ measurements: [upcr, nonBlackReport] }))
    expect(unrecorded.truth).toBe('unknown')
    expect(unrecorded.missing.map(m => m.key)).toContain('black_race')
    // another equation's race-specific report (MDRD "among blacks" 47.9) for a patient who is not Black: ÷ 1.212 = 39.5, named as MDRD
    const mdrd = await ex01(
      defaults,
      woman35({ black_race: false, measurements: [upcr, { loinc: '48643-1', value: 47.9, unit: 'mL/min/{1.73_m2}', date: '2026-02-01' }] }),
    )
    expect(mdrd.truth).toBe('met')
    expect(mdrd.leaf.detail).toContain('by MDRD; the protocol specifies CKD-EPI 2009')
    expect(mdrd.leaf.detail).toContain('39.52 for this patient')
  })

  it('the default equation (a leaf naming none) is CKD-EPI 2021, as before', async () => {
    const noEquation = text.replace('        equation: { param: egfr_equation }\n        op: "<="\n', '        op: "<="\n')
    expect(noEquation).not.toBe(text)
    const compiled = compileProtocol(loadProtocol(noEquation).value!)
    const r = await ex01(compiled, woman35({ measurements: [upcr, creatinine(1.5)] }))
    expect(r.truth).toBe('not_met') // 46.3 by CKD-EPI 2021; race not needed
    expect(r.leaf.label).toContain('eGFR (creatinine-based, CKD-EPI 2021) ≤ 45')
  })

  it('describe shows the equation, its parameter and which values are used', () => {
    const d = describeProtocol(doc)
    const leaf = d.criteria.find(c => c.id === 'EX01')!.logic
    expect(leaf.text).toBe('eGFR (creatinine-based, CKD-EPI 2009 equation) ≤ 45 mL/min/1.73 m², latest within 28 days before screening')
    expect(leaf.parameters).toContain('egfr_equation')
    expect(leaf.details?.join(' ')).toContain(
      'eGFR by CKD-EPI 2009 (parameter egfr_equation): an eGFR reported by it; else computed by it from serum creatinine, age, sex and whether the patient is Black',
    )
  })
})

describe('eGFR change: values computed while race is not recorded pair by race', () => {
  const ctx: FactContext = { doc, params: {}, dictionary: defaultDictionary }
  const window = { window: { kind: 'any' as const }, select: 'latest' as const }
  const params = {
    concept: 'egfr',
    from: { window: { kind: 'any' as const }, select: 'earliest' as const },
    to: window,
    measure: 'percent_of_baseline' as const,
    unit: 'mL/min/{1.73_m2}',
    equation: 'ckd_epi_2009' as const,
  }
  const patient = (measurements: unknown[]) => ({ birth_date: '1990-06-01', sex: 'female', measurements }) as PatientRecord
  const early = { concept: 'serum_creatinine', value: 1.5, unit: 'mg/dL', date: '2026-01-01' }
  const late = { concept: 'serum_creatinine', value: 2.0, unit: 'mg/dL', date: '2026-02-01' }

  it('both computed: the race factor cancels in a ratio, so the change is known', () => {
    const e = changeEvidence(patient([early, late]), params, ctx)
    expect(e.known).toBe(true)
    // (2.0/1.5)^−1.209: the same for a Black and a non-Black patient
    expect(e.known && typeof e.value === 'number' && e.value).toBeCloseTo((2.0 / 1.5) ** -1.209 * 100, 6)
    expect(e.known && e.missing).toBeUndefined()
  })

  it('one reported, one computed: the change for each race, as bounds with what would narrow them', () => {
    const e = changeEvidence(patient([{ concept: 'egfr_ckd_epi_2009', value: 50, unit: 'mL/min/{1.73_m2}', date: '2026-01-01' }, late]), params, ctx)
    expect(e.known).toBe(true)
    if (!e.known) return
    const v = e.value as { min: number; max: number }
    expect(v.min).toBeCloseTo((31.5477836 / 50) * 100, 4)
    expect(v.max).toBeCloseTo((36.5638812 / 50) * 100, 4)
    expect(e.detail).toContain('if not Black')
    expect(e.missing).toEqual([{ key: 'black_race', description: 'whether the patient is Black (the CKD-EPI 2009 eGFR equation has a race coefficient)' }])
  })

  it('a confirmed comparison (consecutive values) asks for race only when a value straddles the threshold', () => {
    const confirmOn = (value: number) =>
      measurementEvidence(
        patient([early, late]),
        {
          concept: 'egfr',
          window: { kind: 'any' },
          select: 'latest',
          unit: 'mL/min/{1.73_m2}',
          equation: 'ckd_epi_2009',
          confirm: { op: 'lt', value, count: 2 },
        },
        ctx,
      )
    // < 50: 44.67–51.77 straddles it, 31.5–36.6 does not: unknown until race is recorded
    const straddles = confirmOn(50)
    expect(straddles.known).toBe(false)
    expect(!straddles.known && straddles.missing.map(m => m.key)).toEqual(['black_race'])
    // < 40: the first value fails for either race: not confirmed, whatever the race
    expect(confirmOn(40)).toMatchObject({ known: true, value: false })
    // < 60: both values pass for either race: confirmed
    expect(confirmOn(60)).toMatchObject({ known: true, value: true })
  })

  it('a measurement leaf hands the bounds and the missing race to the operator', () => {
    const e = measurementEvidence(
      patient([late]),
      { concept: 'egfr', window: { kind: 'any' }, select: 'latest', unit: 'mL/min/{1.73_m2}', equation: 'mdrd' },
      ctx,
    )
    expect(e.known).toBe(true)
    if (!e.known) return
    expect(e.value).toEqual({ min: expect.closeTo(28.35356, 4), max: expect.closeTo(34.36451, 4) }) // 175 × 2^−1.154 × 35^−0.203 × 0.742, × 1.212 if Black
    expect(e.missing?.[0]?.description).toContain('MDRD')
  })
})
