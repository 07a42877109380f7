import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import {
  compileProtocol,
  evaluateEligibility,
  loadProtocol,
  type Condition,
  type PatientRecord,
  type ProtocolDocument,
  type SubjectRecord,
} from '../../../engine/index.ts'
import { evaluateSubject } from '../../../engine/study.ts'
import { exclusion, inclusion, protocolWith } from '../../helpers/protocol-builder.ts'

// Language features added for the lupus nephritis trials (BLISS-LN, AURORA 1,
// NOBILITY): calendar-month and study-day windows, kidney biopsies, eGFR
// computed from creatinine, confirmed (consecutive) comparisons, change from a
// value selected in a window, and days above a steroid dose.

async function truthOf(logic: Condition, patient: PatientRecord, extra: Partial<ProtocolDocument> = {}) {
  const v = await evaluateEligibility(compileProtocol(protocolWith([inclusion(logic)], extra)), patient)
  return v.criteria[0]!
}

const SCREENING = '2026-03-31'

describe('calendar-month windows ({ months: 6, before: screening })', () => {
  const upcr = (date: string): PatientRecord => ({
    dates: { screening: SCREENING },
    measurements: [{ concept: 'urine_protein_creatinine_ratio', value: 2, unit: 'g/g', date }],
  })
  const leaf: Condition = {
    measurement: { concept: 'urine_protein_creatinine_ratio', op: '>=', value: 1, unit: 'g/g', window: { months: 6, before: 'screening' } },
  }
  it.each([
    // 6 calendar months before 31 March is 30 September (September has 30 days): the window starts there
    { date: '2025-09-30', want: 'met' }, // first day of the window (inclusive)
    { date: '2025-09-29', want: 'unknown' }, // the day before: outside, so no value in the window
    { date: SCREENING, want: 'met' }, // last day (inclusive)
  ])('UPCR dated $date -> $want', async ({ date, want }) => {
    expect((await truthOf(leaf, upcr(date))).truth).toBe(want)
  })
  it('years are 12 calendar months; a leap day steps back to 28 February', async () => {
    const years: Condition = {
      measurement: { concept: 'urine_protein_creatinine_ratio', op: '>=', value: 1, unit: 'g/g', window: { years: 2, before: 'screening' } },
    }
    const p = (date: string): PatientRecord => ({
      dates: { screening: '2028-02-29' },
      measurements: [{ concept: 'urine_protein_creatinine_ratio', value: 2, unit: 'g/g', date }],
    })
    expect((await truthOf(years, p('2026-02-28'))).truth).toBe('met') // 2 years before 2028-02-29 is 2026-02-28
    expect((await truthOf(years, p('2026-02-27'))).truth).toBe('unknown')
  })
  it('says the window in words', async () => {
    expect((await truthOf(leaf, upcr(SCREENING))).explanation.label).toContain('within 6 months before screening')
  })
  it('rejects a fractional month, located', () => {
    const doc = protocolWith([inclusion({ measurement: { concept: 'egfr', op: '<', value: 30, window: { months: 1.5, before: 'screening' } } })])
    expect(loadProtocol(stringify(doc)).diagnostics.map(d => [d.code, d.path])).toEqual([['E_SCHEMA_TYPE', 'criteria[0].logic.measurement.window.months']])
  })
})

describe('study-day windows ({ ref, from_day, to_day })', () => {
  const leaf: Condition = {
    measurement: { concept: 'urine_protein_creatinine_ratio', op: '>=', value: 1, unit: 'g/g', window: { ref: 'randomization', from_day: 309, to_day: 365 } },
  }
  const p = (date: string): PatientRecord => ({
    dates: { randomization: '2026-01-01' },
    measurements: [{ concept: 'urine_protein_creatinine_ratio', value: 2, unit: 'g/g', date }],
  })
  it.each([
    { date: '2026-11-05', want: 'met' }, // day 309 = 2026-01-01 + 308 days (day 1 is the reference date)
    { date: '2026-11-04', want: 'unknown' }, // day 308
    { date: '2026-12-31', want: 'met' }, // day 365
    { date: '2027-01-01', want: 'unknown' }, // day 366
  ])('$date -> $want', async ({ date, want }) => {
    expect((await truthOf(leaf, p(date))).truth).toBe(want)
  })
  it('rejects a window that ends before it starts', () => {
    const doc = protocolWith([inclusion({ measurement: { concept: 'egfr', op: '<', value: 30, window: { ref: 'randomization', from_day: 10, to_day: 9 } } })])
    expect(loadProtocol(stringify(doc)).diagnostics.map(d => d.code)).toEqual(['E_SCHEMA_RANGE'])
  })
})

describe('biopsy leaf (ISN/RPS 2003 classes and findings)', () => {
  const within6 = { months: 6, before: 'screening' } as const
  const p = (biopsies: PatientRecord['kidney_biopsies']): PatientRecord => ({
    dates: { screening: SCREENING },
    ...(biopsies ? { kidney_biopsies: biopsies } : {}),
  })
  const proliferative: Condition = { biopsy: { classes: ['III', 'IV'], window: within6 } }
  const pureV: Condition = { biopsy: { classes: ['V'], only: true, window: within6 } }
  it.each([
    { classes: ['IV-G'], leaf: 'proliferative', want: 'met' }, // IV matches IV-G
    { classes: ['III', 'V'], leaf: 'proliferative', want: 'met' }, // mixed III + V shows III
    { classes: ['V'], leaf: 'proliferative', want: 'not_met' },
    { classes: ['II'], leaf: 'proliferative', want: 'not_met' },
    { classes: ['V'], leaf: 'pureV', want: 'met' },
    { classes: ['IV-S', 'V'], leaf: 'pureV', want: 'not_met' }, // not pure: also IV
  ] as const)('$classes, $leaf -> $want', async ({ classes, leaf, want }) => {
    const r = await truthOf(leaf === 'pureV' ? pureV : proliferative, p([{ date: '2026-02-01', classes: [...classes] }]))
    expect(r.truth).toBe(want)
  })
  it('uses the latest biopsy in the window', async () => {
    const r = await truthOf(
      proliferative,
      p([
        { date: '2026-03-01', classes: ['V'] },
        { date: '2026-01-10', classes: ['IV'] },
      ]),
    )
    expect(r.truth).toBe('not_met')
    expect(r.explanation.detail).toContain('kidney biopsy of 2026-03-01: class V')
  })
  it.each([
    { biopsies: undefined, key: 'kidney_biopsies' }, // no biopsies recorded
    { biopsies: [{ date: '2025-09-29', classes: ['IV'] }], key: 'kidney_biopsies' }, // only one before the window (6 months before 31 March is 30 September)
    { biopsies: [{ date: '2026-02-01' }], key: 'kidney_biopsies.classes' }, // class not reported
  ] as const)('unknown, never a silent pass or fail: $key', async ({ biopsies, key }) => {
    const r = await truthOf(proliferative, p(biopsies as PatientRecord['kidney_biopsies']))
    expect(r.truth).toBe('unknown')
    expect(r.missing.map(m => m.key)).toContain(key)
  })
  it.each([
    { percent: 50, want: 'not_met' }, // "> 50 %": exactly 50 does not exclude
    { percent: 50.1, want: 'met' },
    { percent: undefined, want: 'unknown' },
  ])('finding: sclerosed glomeruli $percent % > 50 -> $want', async ({ percent, want }) => {
    const leaf: Condition = { biopsy: { finding: { name: 'sclerosed_glomeruli_percent', op: '>', value: 50 } } }
    const r = await truthOf(leaf, p([{ date: '2026-02-01', classes: ['IV'], ...(percent !== undefined ? { sclerosed_glomeruli_percent: percent } : {}) }]))
    expect(r.truth).toBe(want)
  })
  it('negates as "does not show" (an exclusion of pure class V)', async () => {
    const v = await evaluateEligibility(compileProtocol(protocolWith([exclusion({ not: pureV })])), p([{ date: '2026-02-01', classes: ['IV', 'V'] }]))
    expect(v.criteria[0]!.truth).toBe('met')
  })
  it('needs exactly one of classes and finding; only qualifies classes', () => {
    const doc = protocolWith([
      inclusion({ biopsy: { classes: ['IV'], finding: { name: 'activity_index', op: '>', value: 2 } } }),
      inclusion({ biopsy: { only: true } }, 'IN02'),
    ])
    expect(loadProtocol(stringify(doc)).diagnostics.map(d => [d.code, d.path])).toEqual([
      ['E_SCHEMA_SHAPE', 'criteria[0].logic.biopsy'],
      ['E_SCHEMA_SHAPE', 'criteria[1].logic.biopsy'],
      ['E_SCHEMA_SHAPE', 'criteria[1].logic.biopsy.only'],
    ])
  })
})

describe('eGFR computed from serum creatinine (CKD-EPI 2021) when not reported', () => {
  const leaf: Condition = { measurement: { concept: 'egfr', op: '>=', value: 71.5, window: { days: 28, before: 'screening' } } }
  // male, 55 y, creatinine 1.2 mg/dL -> 142 × (1.2/0.9)^−1.2 × 0.9938^55 = 71.42 mL/min/1.73 m² (NKF calculator test vector, ≈71)
  const male55 = (extra: Partial<PatientRecord> = {}): PatientRecord => ({
    birth_date: '1971-03-01',
    sex: 'male',
    dates: { screening: SCREENING },
    measurements: [{ concept: 'serum_creatinine', value: 1.2, unit: 'mg/dL', date: '2026-03-20' }],
    ...extra,
  })
  it('computes it, shows how, and compares the unrounded value', async () => {
    const r = await truthOf(leaf, male55())
    expect(r.truth).toBe('not_met') // 71.42 < 71.5
    expect(r.explanation.detail).toMatch(/^71\.42 mL\/min\/1\.73 m² on 2026-03-20 \(computed by CKD-EPI 2021 from creatinine 1\.2 mg\/dL, age 55, male\)/)
    expect((await truthOf({ measurement: { concept: 'egfr', op: '>=', value: 71.4, window: { days: 28, before: 'screening' } } }, male55())).truth).toBe('met')
  })
  it('converts µmol/L first (106.08 µmol/L = 1.2 mg/dL)', async () => {
    const r = await truthOf(leaf, male55({ measurements: [{ concept: 'serum_creatinine', value: 106.08, unit: 'umol/L', date: '2026-03-20' }] }))
    expect(r.explanation.detail).toMatch(/^71\.42/)
  })
  it('a reported eGFR on the same day wins over the computed one', async () => {
    const r = await truthOf(
      leaf,
      male55({
        measurements: [
          { concept: 'serum_creatinine', value: 1.2, unit: 'mg/dL', date: '2026-03-20' },
          { concept: 'egfr', value: 75, unit: 'mL/min/{1.73_m2}', date: '2026-03-20' },
        ],
      }),
    )
    expect(r.truth).toBe('met')
  })
  it.each([
    { drop: 'birth_date' as const, key: 'birth_date' },
    { drop: 'sex' as const, key: 'sex' },
  ])('without $drop: unknown, asking for it', async ({ drop, key }) => {
    const patient = male55()
    delete patient[drop]
    const r = await truthOf(leaf, patient)
    expect(r.truth).toBe('unknown')
    expect(r.missing.map(m => m.key)).toEqual(['measurement:egfr', key])
  })
  it('not for a minor (the equation is for adults): unknown', async () => {
    expect((await truthOf(leaf, male55({ birth_date: '2010-01-01' }))).truth).toBe('unknown')
  })
})

describe('confirmed comparisons (consecutive: n)', () => {
  const leaf = (consecutive: number): Condition => ({
    measurement: { concept: 'urine_protein_creatinine_ratio', op: '>=', value: 1.5, unit: 'g/g', window: { days: 28, before: 'screening' }, consecutive },
  })
  const p = (...values: number[]): PatientRecord => ({
    dates: { screening: SCREENING },
    measurements: values.map((value, i) => ({
      concept: 'urine_protein_creatinine_ratio',
      value,
      unit: 'g/g',
      date: `2026-03-${String(10 + i).padStart(2, '0')}`,
    })),
  })
  it.each([
    { values: [1.6, 1.5], want: 'met' }, // both of the last two ≥ 1.5 (inclusive)
    { values: [1.6, 1.49], want: 'not_met' }, // the latest fails
    { values: [1.4, 1.6], want: 'not_met' }, // the confirmation fails
    { values: [1.0, 1.6, 1.7], want: 'met' }, // only the last two count
    { values: [1.6], want: 'unknown' }, // not yet confirmed
    { values: [1.2], want: 'not_met' }, // one value that fails cannot be confirmed
  ])('$values -> $want', async ({ values, want }) => {
    expect((await truthOf(leaf(2), p(...values))).truth).toBe(want)
  })
  it('"not confirmed" is the negation of the whole confirmation, not of each value', async () => {
    const r = await truthOf({ not: leaf(2) }, p(1.6, 1.4))
    expect(r.truth).toBe('met') // one of the two fails, so it is not confirmed
  })
  it('rejects consecutive below 1', () => {
    const doc = protocolWith([inclusion(leaf(0))])
    expect(loadProtocol(stringify(doc)).diagnostics.map(d => [d.code, d.path])).toEqual([['E_SCHEMA_RANGE', 'criteria[0].logic.measurement.consecutive']])
  })
})

// A study with baseline and week 52 visits for endpoint leaves.
function study(logic: Condition, extra: Partial<ProtocolDocument> = {}): ProtocolDocument {
  return protocolWith([inclusion({ fact: 'sex', is: 'female' })], {
    reference_dates: {
      screening: { label: 'screening' },
      randomization: { label: 'random allocation' },
      pre_flare: { label: 'last assessment before the flare' },
    },
    visits: [
      { id: 'baseline', label: 'baseline', ref: 'randomization', day: 1, window: { before_days: 14, after_days: 0 } },
      { id: 'week_52', label: 'week 52', ref: 'randomization', day: 365, window: { before_days: 14, after_days: 14 } },
    ],
    endpoints: [{ id: 'r', kind: 'primary', type: 'response', title: 'r', text: 'r', visits: ['week_52'], logic }],
    ...extra,
  })
}
async function responseAt52(doc: ProtocolDocument, subject: SubjectRecord) {
  const results = await evaluateSubject(compileProtocol(doc), subject)
  return results.responses.find(r => r.visit === 'week_52')!
}
const base: SubjectRecord = {
  birth_date: '1990-01-01',
  sex: 'female',
  dates: { randomization: '2026-01-01', pre_flare: '2025-06-01' },
  visits: [
    { visit: 'baseline', date: '2026-01-01' },
    { visit: 'week_52', date: '2026-12-31' },
  ],
}
const egfr = (value: number, date: string) => ({ concept: 'egfr', value, unit: 'mL/min/{1.73_m2}', date })

describe('change from a value selected in a window (pre-flare value)', () => {
  const logic: Condition = {
    change: { concept: 'egfr', from: { window: { days: 0, before: 'pre_flare' } }, measure: 'percent_of_baseline', op: '>=', value: 80 },
  }
  it.each([
    { at52: 80, want: 'met' }, // exactly 20 % below the pre-flare 100: not worse than 20 % below
    { at52: 79.9, want: 'not_met' },
  ])('eGFR $at52 vs pre-flare 100 -> $want', async ({ at52, want }) => {
    const r = await responseAt52(study(logic), { ...base, measurements: [egfr(100, '2025-06-01'), egfr(at52, '2026-12-31')] })
    expect(r.truth).toBe(want)
  })
  it('no pre-flare date or value: unknown, naming what is missing', async () => {
    const noDate = await responseAt52(study(logic), {
      ...base,
      dates: { randomization: '2026-01-01' },
      measurements: [egfr(100, '2025-06-01'), egfr(90, '2026-12-31')],
    })
    expect(noDate.truth).toBe('unknown')
    expect(noDate.missing.map(m => m.key)).toContain('dates.pre_flare')
    const noValue = await responseAt52(study(logic), { ...base, measurements: [egfr(90, '2026-12-31')] })
    expect(noValue.truth).toBe('unknown')
  })
})

describe('confirmed change (consecutive on a change leaf)', () => {
  // "no confirmed decrease from baseline of > 20 %"
  const logic: Condition = { not: { change: { concept: 'egfr', from: 'baseline', measure: 'percent_decrease', op: '>', value: 20, consecutive: 2 } } }
  it.each([
    { week52: [79, 79], want: 'not_met' }, // both values 21 % down: a confirmed decrease
    { week52: [79, 81], want: 'met' }, // the second value is only 19 % down: not confirmed
    { week52: [80, 79], want: 'met' }, // exactly 20 % is not > 20 %
    { week52: [79], want: 'unknown' }, // a single decreased value, no confirmation yet
    { week52: [85], want: 'met' }, // a single value that is not decreased cannot be confirmed
  ])('baseline 100, week 52 $week52 -> $want', async ({ week52, want }) => {
    const measurements = [egfr(100, '2025-12-28'), ...week52.map((v, i) => egfr(v, `2027-01-0${1 + i * 3}`))]
    const r = await responseAt52(study(logic), { ...base, measurements })
    expect(r.truth).toBe(want)
  })
})

describe('steroid_days (days above a prednisone-equivalent dose in a window)', () => {
  // AURORA 1: not more than 10 mg/day for ≥ 3 consecutive days or ≥ 7 days in total in weeks 44–52
  const window = { ref: 'randomization', from_day: 302, to_day: 365 } as const
  const consecutive: Condition = { steroid_days: { above_mg: 10, count: 'consecutive', op: '>=', value: 3, window } }
  const total: Condition = { steroid_days: { above_mg: 10, count: 'total', op: '>=', value: 7, window } }
  const pred = (doses: Array<[string, number]>, stop?: string) => ({
    drug: 'prednisone',
    start: '2026-01-01',
    ...(stop ? { stop } : { ongoing: true }),
    doses: doses.map(([date, amount]) => ({ date, amount, unit: 'mg', frequency: 'daily' })),
  })
  // day 302 = 2026-10-29; day 365 = 2026-12-31
  const burst = (days: number) => {
    const end = new Date(Date.UTC(2026, 10, 10 + days)).toISOString().slice(0, 10)
    return pred([
      ['2026-01-01', 5],
      ['2026-11-10', 20],
      [end, 5],
    ])
  }
  const subject = (meds: SubjectRecord['medications']): PatientRecord => ({ dates: { randomization: '2026-01-01' }, ...(meds ? { medications: meds } : {}) })
  it.each([
    { days: 2, consecutiveWant: 'not_met' }, // 20 mg for 2 days
    { days: 3, consecutiveWant: 'met' }, // 3 consecutive days (inclusive threshold)
  ])('a $days-day burst of 20 mg/day -> consecutive ≥ 3: $consecutiveWant', async ({ days, consecutiveWant }) => {
    expect((await truthOf(consecutive, subject([burst(days)]))).truth).toBe(consecutiveWant)
  })
  it('counts days in total across separate bursts', async () => {
    const twoBursts = pred([
      ['2026-01-01', 5],
      ['2026-11-10', 15],
      ['2026-11-12', 5],
      ['2026-12-01', 12.5],
      ['2026-12-06', 10],
    ])
    const r = await truthOf(total, subject([twoBursts]))
    expect(r.truth).toBe('met') // 2 + 5 = 7 days above 10 (10 mg itself is not above)
    expect(r.explanation.detail).toContain('7 days in total above 10 mg/day')
    const consec = await truthOf(consecutive, subject([twoBursts]))
    expect(consec.truth).toBe('met') // the second burst is 5 consecutive days
  })
  it('a day whose dose cannot be worked out gives bounds, not a guess', async () => {
    const noFrequency = { drug: 'prednisone', start: '2026-12-20', ongoing: true, doses: [{ date: '2026-12-20', amount: 20, unit: 'mg' }] }
    const r = await truthOf(consecutive, subject([pred([['2026-01-01', 5]], '2026-12-19'), noFrequency]))
    expect(r.truth).toBe('unknown') // 0 to 12 consecutive days
    expect(r.explanation.detail).toContain('0 to 12 consecutive days (longest run)')
  })
  it('no medication history: unknown', async () => {
    expect((await truthOf(consecutive, subject(undefined))).truth).toBe('unknown')
  })
  it('rejects a window without a start and an end', () => {
    const doc = protocolWith([inclusion({ steroid_days: { above_mg: 10, count: 'total', op: '>=', value: 7, window: { at: 'screening' } } })])
    expect(loadProtocol(stringify(doc)).diagnostics.map(d => [d.code, d.path])).toEqual([['E_SCHEMA_SHAPE', 'criteria[0].logic.steroid_days.window']])
  })
})

describe('a malformed measurement (no number) never throws', () => {
  it('is skipped like an undated one, leaving the leaf unknown', async () => {
    const leaf: Condition = { measurement: { concept: 'anti_dsdna', op: '>=', value: 30, unit: '[IU]/mL', window: { days: 28, before: 'screening' } } }
    const malformed = {
      dates: { screening: SCREENING },
      measurements: [{ concept: 'anti_dsdna', unit: '[IU]/mL', date: '2026-03-30' }],
    } as unknown as PatientRecord
    expect((await truthOf(leaf, malformed)).truth).toBe('unknown')
  })
})
