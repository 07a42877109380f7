/**
 * A comparison between two values of one concept in an eligibility criterion
 * (the `change` leaf with `to: { window }`): "UPCR doubled within 6 months
 * before screening" as data. Both sides of the ratio, the window edges, the
 * earlier value strictly before the later one, missing values (unknown with
 * what to enter), the schema, the semantic checks, the words and the fast
 * path's answers.
 */
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { compileFast } from '../../../engine/fast/index.ts'
import {
  compileProtocol,
  evaluateEligibility,
  loadProtocol,
  validateAgainstSchema,
  type ChangeLeaf,
  type Condition,
  type PatientRecord,
  type ProtocolDocument,
} from '../../../engine/index.ts'
import { describeContext, describeLogic } from '../../../engine/describe/index.ts'
import { inclusion, protocolWith } from '../../helpers/protocol-builder.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const SCREENING = '2026-02-02'
type Change = ChangeLeaf['change']

/** UPCR at screening (latest in the 28 days up to it) ≥ 2 × an earlier UPCR (lowest in the 6 months up to screening). */
function doubled(over: Partial<Change> = {}): Condition {
  return {
    change: {
      concept: 'urine_protein_creatinine_ratio',
      from: { window: { months: 6, before: 'screening' }, select: 'lowest' },
      to: { window: { days: 28, before: 'screening' } },
      measure: 'ratio',
      op: '>=',
      value: 2,
      unit: 'g/g',
      ...over,
    },
  }
}

const upcr = (value: number, date: string, unit = 'g/g') => ({ concept: 'urine_protein_creatinine_ratio', value, unit, date })
const patient = (measurements: PatientRecord['measurements'], dates: Record<string, string> = { screening: SCREENING }): PatientRecord => ({
  dates,
  measurements,
})

async function criterion(logic: Condition, p: PatientRecord, extra: Partial<ProtocolDocument> = {}) {
  const v = await evaluateEligibility(compileProtocol(protocolWith([inclusion(logic)], extra)), p)
  return v.criteria[0]!
}

describe('ratio of the latest value to an earlier one (the change fact in a criterion)', () => {
  it.each([
    { earlier: 1.0, later: 2.0, want: 'met' }, // exactly doubled
    { earlier: 1.0, later: 1.99, want: 'not_met' },
    { earlier: 1.3, later: 2.6, want: 'met' }, // 2.6 / 1.3 is 2 after rounding to 10 significant digits
    { earlier: 0.7, later: 1.4, want: 'met' },
  ])('earlier $earlier, later $later -> $want', async ({ earlier, later, want }) => {
    const r = await criterion(doubled(), patient([upcr(earlier, '2025-10-01'), upcr(later, '2026-02-01')]))
    expect(r.truth).toBe(want)
  })

  it('compares in one unit: 113.12 mg/mmol earlier is 1 g/g (creatinine 113.12 g/mol)', async () => {
    const r = await criterion(doubled(), patient([upcr(113.12, '2025-10-01', 'mg/mmol'), upcr(2, '2026-02-01')]))
    expect(r.truth).toBe('met')
    const below = await criterion(doubled(), patient([upcr(113.12, '2025-10-01', 'mg/mmol'), upcr(1.99, '2026-02-01')]))
    expect(below.truth).toBe('not_met')
  })

  it('explains both values and the ratio', async () => {
    const r = await criterion(doubled(), patient([upcr(1, '2025-10-01'), upcr(2, '2026-02-01')]))
    expect(r.explanation.detail).toBe('2 g/g on 2026-02-01 vs 1 g/g on 2025-10-01 (within 6 months before screening): ratio 2 (later / earlier)')
  })

  it('an earlier value of 0 has no ratio: unknown', async () => {
    const r = await criterion(doubled(), patient([upcr(0, '2025-10-01'), upcr(2, '2026-02-01')]))
    expect(r.truth).toBe('unknown')
    expect(r.explanation.detail).toMatch(/so a ratio is undefined/)
  })
})

describe('the earlier value: its window, its edges and its selection', () => {
  it.each([
    { date: '2025-08-02', want: 'met' }, // exactly 6 calendar months before screening: inside (inclusive)
    { date: '2025-08-01', want: 'unknown' }, // 6 months and 1 day: outside, so there is no earlier value
  ])('earlier value on $date -> $want', async ({ date, want }) => {
    const r = await criterion(doubled(), patient([upcr(1, date), upcr(2, '2026-02-01')]))
    expect(r.truth).toBe(want)
  })

  it('no earlier value in the window: unknown (never not met), naming the value to enter', async () => {
    const r = await criterion(doubled(), patient([upcr(1, '2025-07-01'), upcr(1.5, '2026-02-01')]))
    expect(r.truth).toBe('unknown')
    expect(r.missing).toEqual([
      {
        key: 'measurement:urine_protein_creatinine_ratio',
        description: 'Urine protein/creatinine ratio within 6 months before screening (2025-08-02 to 2026-02-02), earlier than the value of 2026-02-01',
      },
    ])
  })

  it('the earlier value is dated strictly before the later one: a same-day pair is no comparison', async () => {
    const r = await criterion(doubled(), patient([upcr(1, '2026-02-01'), upcr(2, '2026-02-01')]))
    expect(r.truth).toBe('unknown')
    // a value after the later one's date (the later one is the latest in its window) never counts either
    const later = await criterion(
      doubled({ to: { window: { days: 28, before: 'screening' }, select: 'highest' } }),
      patient([upcr(2, '2026-01-20'), upcr(1, '2026-02-01')]),
    )
    expect(later.truth).toBe('unknown')
  })

  it('lowest and earliest earlier values', async () => {
    const values = [upcr(1.5, '2025-09-01'), upcr(0.9, '2025-12-01'), upcr(2, '2026-02-01')]
    expect((await criterion(doubled(), patient(values))).truth).toBe('met') // 2 / 0.9
    const earliest = doubled({ from: { window: { months: 6, before: 'screening' }, select: 'earliest' } })
    expect((await criterion(earliest, patient(values))).truth).toBe('not_met') // 2 / 1.5
  })

  it('select from a parameter', async () => {
    const values = [upcr(1.5, '2025-09-01'), upcr(0.9, '2025-12-01'), upcr(2, '2026-02-01')]
    const logic = doubled({ from: { window: { months: 6, before: 'screening' }, select: { param: 'which' } } })
    const withWhich = (value: string) => ({ parameters: { which: { value, options: ['lowest', 'earliest'], rationale: 'test' } } })
    expect((await criterion(logic, patient(values), withWhich('lowest'))).truth).toBe('met')
    expect((await criterion(logic, patient(values), withWhich('earliest'))).truth).toBe('not_met')
  })

  it('a span counted back from the later value (before_to): its edges follow that date, not screening', async () => {
    const logic = doubled({ from: { before_to: { months: 6 }, select: 'lowest' } })
    // later value 2026-01-10: the span is 2025-07-10 to 2026-01-09
    expect((await criterion(logic, patient([upcr(1, '2025-07-10'), upcr(2, '2026-01-10')]))).truth).toBe('met')
    const outside = await criterion(logic, patient([upcr(1, '2025-07-09'), upcr(2, '2026-01-10')]))
    expect(outside.truth).toBe('unknown')
    expect(outside.missing[0]?.description).toBe(
      'Urine protein/creatinine ratio within 6 months before the later value of 2026-01-10 (2025-07-10 to 2026-01-09)',
    )
    // the same values against a window ending at screening (2025-08-02 on): the 2025-07-10 value is outside
    expect((await criterion(doubled(), patient([upcr(1, '2025-07-10'), upcr(2, '2026-01-10')]))).truth).toBe('unknown')
  })
})

describe('the later value', () => {
  it('no later value in its window: unknown, naming both values to enter when the earlier is missing too', async () => {
    const r = await criterion(doubled(), patient([upcr(2, '2026-01-04')])) // 29 days before screening
    expect(r.truth).toBe('unknown')
    expect(r.missing.map(m => m.description)).toEqual(['Urine protein/creatinine ratio within 28 days before screening (2026-01-05 to 2026-02-02)'])
    const none = await criterion(doubled(), patient([]))
    expect(none.truth).toBe('unknown')
    expect(none.missing.map(m => m.key)).toEqual(['measurement:urine_protein_creatinine_ratio'])
  })

  it('no measurements section or no screening date: unknown', async () => {
    expect((await criterion(doubled(), { dates: { screening: SCREENING } })).truth).toBe('unknown')
    const noDate = await criterion(doubled(), patient([upcr(1, '2025-10-01'), upcr(2, '2026-02-01')], {}))
    expect(noDate.truth).toBe('unknown')
    expect(noDate.missing.map(m => m.key)).toContain('dates.screening')
  })

  it('a span before a missing later value cannot be placed: unknown, asking only for the later value', async () => {
    const r = await criterion(doubled({ from: { before_to: { months: 6 } } }), patient([upcr(1, '2025-10-01')]))
    expect(r.truth).toBe('unknown')
    expect(r.missing.map(m => m.description)).toEqual(['Urine protein/creatinine ratio within 28 days before screening (2026-01-05 to 2026-02-02)'])
  })

  it('in `any` with an attestation, the data decide when the attestation is missing', async () => {
    const logic: Condition = { any: [{ attestation: 'a1', is: true }, doubled()] }
    expect((await criterion(logic, patient([upcr(1, '2025-10-01'), upcr(2, '2026-02-01')]))).truth).toBe('met')
    expect((await criterion(logic, patient([upcr(1, '2025-10-01'), upcr(1.99, '2026-02-01')]))).truth).toBe('unknown')
    expect((await criterion(logic, { ...patient([upcr(1, '2025-10-01'), upcr(1.99, '2026-02-01')]), attestations: { a1: false } })).truth).toBe('not_met')
  })
})

describe('schema and semantic checks', () => {
  const load = (logic: Condition, extra: Partial<ProtocolDocument> = {}) =>
    loadProtocol(stringify(protocolWith([inclusion(logic)], extra))).diagnostics.map(d => [d.code, d.path])

  it('accepts a ratio between two windows and a span before the later value', () => {
    expect(load(doubled())).toEqual([])
    expect(load(doubled({ from: { before_to: { months: 6, days: 3 }, select: 'earliest' } }))).toEqual([])
  })

  it('rejects what the schema forbids', () => {
    const bad = (over: Record<string, unknown>) =>
      validateAgainstSchema('protocol', protocolWith([inclusion(doubled(over as Partial<Change>))]), undefined).length
    expect(bad({ measure: 'fold' })).toBeGreaterThan(0)
    expect(bad({ from: { window: { months: 6, before: 'screening' }, select: 'median' } })).toBeGreaterThan(0)
    expect(bad({ from: { before_to: {} } })).toBeGreaterThan(0) // an empty span
    expect(bad({ from: { before_to: { months: 6 }, window: { months: 6, before: 'screening' } } })).toBeGreaterThan(0) // not both
    expect(bad({ to: { select: 'latest' } })).toBeGreaterThan(0) // a selection needs its window
  })

  it('visits belong to endpoints: a criterion needs windows for both values', () => {
    expect(load(doubled({ from: 'baseline' }))).toEqual([['E_SCHEMA_SHAPE', 'criteria[0].logic.change.from']])
    const { to: _to, ...noTo } = (doubled() as { change: Change }).change
    expect(load({ change: noTo })).toEqual([['E_SCHEMA_SHAPE', 'criteria[0].logic.change.to']])
  })

  it('a confirmed change needs a visit `to` and no span; windows, months and selections are checked', () => {
    expect(load(doubled({ consecutive: 2 })).map(([c]) => c)).toContain('E_SCHEMA_SHAPE')
    expect(load(doubled({ from: { before_to: { months: 1.5 } } }))).toEqual([['E_SCHEMA_TYPE', 'criteria[0].logic.change.from.before_to.months']])
    expect(load(doubled({ to: { window: { days: 28, before: 'screenin' } } }))).toEqual([
      ['E_UNKNOWN_REFERENCE_DATE', 'criteria[0].logic.change.to.window.before'],
    ])
    const param = { parameters: { which: { value: 'median', rationale: 'test' } } }
    expect(load(doubled({ from: { window: { months: 6, before: 'screening' }, select: { param: 'which' } } }), param)).toEqual([
      ['E_PARAMETER_VALUE', 'criteria[0].logic.change.from.select.param'],
    ])
  })
})

describe('words', () => {
  const doc = protocolWith([])
  const text = (logic: Condition) => describeLogic(logic, 'logic', describeContext(doc)).text
  it('describes the two values and the ratio', () => {
    expect(text(doubled())).toBe(
      'urine protein/creatinine ratio: the latest value within 28 days before screening ≥ 2 × the lowest value within 6 months before screening',
    )
    expect(text(doubled({ from: { before_to: { months: 6 }, select: 'earliest' } }))).toBe(
      'urine protein/creatinine ratio: the latest value within 28 days before screening ≥ 2 × the earliest earlier value within 6 months before it',
    )
  })
  it('says what the ratio is and that the earlier value precedes the later one', () => {
    expect(describeLogic(doubled(), 'logic', describeContext(doc)).details).toEqual([
      'Ratio = later / earlier, both converted to the same unit ("doubled" is a ratio ≥ 2).',
      'The earlier value is one dated before the later value; unknown when there is none where it is looked for, or no later value.',
    ])
  })
  it('the compiled label names both values', () => {
    const compiled = compileProtocol(protocolWith([inclusion(doubled())]))
    expect(JSON.stringify(compiled)).toContain(
      'Urine protein/creatinine ratio: the latest value within 28 days before screening / the lowest value within 6 months before screening ≥ 2',
    )
  })
  it('a span before the later value reads in the units written (28 days stay 28 days, 4 weeks stay 4 weeks) in the label, the description and the explanation', async () => {
    for (const [span, words] of [
      [{ days: 28 }, '28 days'],
      [{ weeks: 4 }, '4 weeks'],
      [{ years: 1, weeks: 2 }, '1 year and 2 weeks'],
    ] as const) {
      const logic = doubled({ from: { before_to: span, select: 'lowest' } })
      expect(JSON.stringify(compileProtocol(protocolWith([inclusion(logic)])))).toContain(`the lowest earlier value within ${words} before it ≥ 2`)
      expect(text(logic)).toContain(`the lowest earlier value within ${words} before it`)
      const r = await criterion(logic, patient([upcr(2, '2026-02-01')]))
      expect(r.missing[0]?.description).toContain(`within ${words} before the later value of 2026-02-01`)
    }
  })
})

describe('the fast path gives the same answers', () => {
  const doc = protocolWith([
    inclusion({ any: [{ attestation: 'a1', is: true }, doubled()] }, 'IN01'),
    inclusion(doubled({ from: { before_to: { months: 6 }, select: 'earliest' } }), 'IN02'),
    inclusion({ not: doubled({ measure: 'absolute_change', op: '>', value: 0.5 }) }, 'IN03'),
  ])
  const compiled = compileProtocol(doc)
  const fast = compileFast(compiled)
  const records: PatientRecord[] = [
    patient([upcr(1, '2025-10-01'), upcr(2, '2026-02-01')]),
    patient([upcr(1, '2025-10-01'), upcr(1.99, '2026-02-01')]),
    patient([upcr(1, '2025-08-01'), upcr(2, '2026-02-01')]),
    patient([upcr(1, '2025-08-02'), upcr(2, '2026-02-01')]),
    patient([upcr(1.5, '2025-09-01'), upcr(0.9, '2025-12-01'), upcr(2, '2026-02-01')]),
    patient([upcr(1, '2026-02-01'), upcr(2, '2026-02-01')]),
    patient([upcr(0, '2025-10-01'), upcr(2, '2026-02-01')]),
    patient([upcr(2, '2026-01-04')]),
    patient([]),
    { dates: { screening: SCREENING } },
    { ...patient([upcr(1, '2025-10-01'), upcr(1.99, '2026-02-01')]), attestations: { a1: false } },
    patient([upcr(1, '2025-10-01'), upcr(2, '2026-02-01')], {}),
  ]
  it.each(records.map((r, i) => ({ i, r })))('record $i: same verdict, criteria and explanations', async ({ r }) => {
    const ref = await evaluateEligibility(compiled, r)
    const got = fast.screen(r, { missing: true })
    expect(got.overall).toBe(ref.overall)
    expect(got.criteria.map(c => c.truth)).toEqual(ref.criteria.map(c => c.truth))
    expect(got.missing).toEqual(ref.missing)
    expect(fast.evaluate(r)).toEqual(ref)
  })
})

describe('AURORA 1 (NCT03021499) IN03: the parameters of the data branch', () => {
  const aurora = shippedProtocol('NCT03021499')
  const base = aurora.examples!.base_patient
  const egfr = { concept: 'egfr', value: 80, unit: 'mL/min/{1.73_m2}', date: '2026-02-01' }
  /** IN03 with the investigator's "no", the given UPCR values and parameter values. */
  async function in03(values: Array<[number, string]>, set: Record<string, string | boolean> = {}) {
    const parameters = Object.fromEntries(Object.entries(aurora.doc.parameters ?? {}).map(([k, d]) => [k, k in set ? { ...d, value: set[k]! } : d]))
    const record: PatientRecord = {
      ...base,
      attestations: { ...base.attestations, upcr_doubled_within_6_months: false },
      measurements: [...values.map(([v, d]) => upcr(v, d)), egfr],
    }
    const v = await evaluateEligibility(compileProtocol({ ...aurora.doc, parameters }), record)
    return v.criteria.find(c => c.id === 'IN03')!.truth
  }

  it('the 6 months counted back from screening (default) or from the screening UPCR (upcr_value)', async () => {
    // screening 2026-02-02, screening UPCR 2026-02-01: 2025-08-01 is 6 months and 1 day before screening, 6 months before the UPCR
    const values: Array<[number, string]> = [
      [1, '2025-08-01'],
      [2, '2026-02-01'],
    ]
    expect(await in03(values)).toBe('unknown')
    expect(await in03(values, { upcr_doubling_counted_back_from: 'upcr_value' })).toBe('met')
    expect(
      await in03(
        [
          [1, '2025-07-31'],
          [2, '2026-02-01'],
        ],
        { upcr_doubling_counted_back_from: 'upcr_value' },
      ),
    ).toBe('unknown')
  })

  it('the lowest (default) or the earliest earlier value', async () => {
    const values: Array<[number, string]> = [
      [1.5, '2025-09-01'],
      [0.9, '2025-12-01'],
      [2, '2026-02-01'],
    ]
    expect(await in03(values)).toBe('met')
    expect(await in03(values, { upcr_doubling_earlier_value: 'earliest' })).toBe('not_met')
    expect(await in03(values, { upcr_doubling_earlier_value: 'earliest', upcr_doubling_counted_back_from: 'upcr_value' })).toBe('not_met')
  })

  it('no doubling required: the record and the attestation no longer matter', async () => {
    expect(
      await in03(
        [
          [1, '2025-10-01'],
          [1.99, '2026-02-01'],
        ],
        { upcr_doubling_required: false },
      ),
    ).toBe('met')
  })
})
