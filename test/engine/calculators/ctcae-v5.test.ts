import { describe, expect, it } from 'vitest'
import {
  CTCAE_VERSION,
  gradeAltAstIncreased,
  gradeAnemia,
  gradeCreatinineIncreased,
  gradeFever,
  gradeNeutrophilCountDecreased,
  gradePlateletCountDecreased,
} from '../../../engine/calculators/index.ts'

it('pins CTCAE v5.0', () => {
  expect(CTCAE_VERSION).toBe('5.0')
})

describe('gradeCreatinineIncreased', () => {
  it.each([
    { value: 1.0, want: 0 }, // = ULN: not above
    { value: 1.01, want: 1 }, // just above ULN
    { value: 1.5, want: 1 }, // = 1.5 × ULN: still grade 1
    { value: 1.51, want: 2 }, // just above 1.5 × ULN
    { value: 3.0, want: 2 }, // = 3.0 × ULN: still grade 2
    { value: 3.01, want: 3 }, // just above 3.0 × ULN
    { value: 6.0, want: 3 }, // = 6.0 × ULN: still grade 3
    { value: 6.01, want: 4 }, // just above 6.0 × ULN
  ])('ULN 1.0, value $value -> $want', ({ value, want }) => {
    expect(gradeCreatinineIncreased({ value, uln: 1.0 })).toBe(want)
  })

  it.each([
    { value: 2.1, uln: 0.7, want: 2 }, // exactly 3.0 × ULN although 0.7 × 3 is 2.0999999999999996 in floats
    { value: 3.3, uln: 1.1, want: 2 }, // exactly 3.0 × ULN (3.3 / 1.1 is 2.9999999999999996)
    { value: 1.65, uln: 1.1, want: 1 }, // exactly 1.5 × ULN
  ])('float-exact ratio: $value / $uln -> $want', ({ value, uln, want }) => {
    expect(gradeCreatinineIncreased({ value, uln })).toBe(want)
  })

  it.each([
    { value: 0.9, baseline: 0.6, want: 0 }, // = 1.5 × baseline, below ULN: no grade
    { value: 0.91, baseline: 0.6, want: 2 }, // just above 1.5 × baseline: grade 2 though below ULN
    { value: 1.8, baseline: 0.6, want: 2 }, // = 3.0 × baseline: grade 2 (ULN grade 1)
    { value: 1.81, baseline: 0.6, want: 3 }, // just above 3.0 × baseline: grade 3
    { value: 7.3, baseline: 0.6, want: 4 }, // > 6.0 × ULN (7.2): ULN grade 4 beats baseline grade 3
    { value: 1.3, baseline: 1.0, want: 1 }, // 1.3 × baseline: ULN grade 1 kept (no grade 1 by baseline)
    { value: 3.7, baseline: 3.0, want: 3 }, // baseline above ULN: > 3.0 × ULN (3.6) gives grade 3, baseline none
  ])('ULN 1.2, baseline $baseline, value $value -> $want', ({ value, baseline, want }) => {
    expect(gradeCreatinineIncreased({ value, uln: 1.2, baseline })).toBe(want)
  })

  it.each([
    { value: -1, uln: 1 },
    { value: Number.NaN, uln: 1 },
    { value: 1, uln: 0 },
  ])('throws RangeError for value $value, uln $uln', input => {
    expect(() => gradeCreatinineIncreased(input)).toThrow(RangeError)
  })

  it('throws for a non-positive baseline', () => {
    expect(() => gradeCreatinineIncreased({ value: 1, uln: 1, baseline: 0 })).toThrow(RangeError)
  })
})

describe('gradeAltAstIncreased', () => {
  it.each([
    { value: 40, want: 0 }, // = ULN
    { value: 41, want: 1 }, // just above ULN
    { value: 120, want: 1 }, // = 3.0 × ULN: still grade 1
    { value: 121, want: 2 }, // just above 3.0 × ULN
    { value: 200, want: 2 }, // = 5.0 × ULN: still grade 2
    { value: 201, want: 3 }, // just above 5.0 × ULN
    { value: 800, want: 3 }, // = 20.0 × ULN: still grade 3
    { value: 801, want: 4 }, // just above 20.0 × ULN
  ])('baseline normal, ULN 40, value $value -> $want', ({ value, want }) => {
    expect(gradeAltAstIncreased({ value, uln: 40, baselineAbnormal: false })).toBe(want)
  })

  it.each([
    { value: 89, want: 0 }, // just under 1.5 × baseline (above ULN, but baseline was abnormal)
    { value: 90, want: 1 }, // = 1.5 × baseline: inclusive ("1.5–3.0 × baseline")
    { value: 180, want: 1 }, // = 3.0 × baseline: still grade 1
    { value: 181, want: 2 }, // just above 3.0 × baseline
    { value: 300, want: 2 }, // = 5.0 × baseline: still grade 2
    { value: 301, want: 3 }, // just above 5.0 × baseline
    { value: 1200, want: 3 }, // = 20.0 × baseline: still grade 3
    { value: 1201, want: 4 }, // just above 20.0 × baseline
    { value: 30, want: 0 }, // fell below baseline
  ])('baseline abnormal 60, ULN 40, value $value -> $want', ({ value, want }) => {
    expect(gradeAltAstIncreased({ value, uln: 40, baselineAbnormal: true, baseline: 60 })).toBe(want)
  })

  it('a baseline given with baselineAbnormal false is ignored', () => {
    expect(gradeAltAstIncreased({ value: 41, uln: 40, baselineAbnormal: false, baseline: 60 })).toBe(1)
  })

  it('throws for an abnormal baseline that is not a positive number', () => {
    expect(() => gradeAltAstIncreased({ value: 41, uln: 40, baselineAbnormal: true, baseline: Number.NaN })).toThrow(RangeError)
  })
})

describe('gradeNeutrophilCountDecreased (10⁹/L)', () => {
  it.each([
    { value: 2.0, want: 0 }, // = LLN: not below
    { value: 1.99, want: 1 }, // just below LLN
    { value: 1.5, want: 1 }, // = 1.5: still grade 1
    { value: 1.49, want: 2 }, // just below 1.5
    { value: 1.0, want: 2 }, // = 1.0: still grade 2
    { value: 0.99, want: 3 }, // just below 1.0
    { value: 0.5, want: 3 }, // = 0.5: still grade 3
    { value: 0.49, want: 4 }, // just below 0.5
    { value: 0, want: 4 },
  ])('LLN 2.0, value $value -> $want', ({ value, want }) => {
    expect(gradeNeutrophilCountDecreased({ value10e9PerL: value, lln: 2.0 })).toBe(want)
  })

  it.each([
    { value: 1.45, want: 2 }, // ≥ LLN 1.4 but < 1.5: grade 2 by the absolute cut-off
    { value: 1.4, want: 2 }, // = LLN, < 1.5
    { value: 1.5, want: 0 }, // ≥ LLN and ≥ 1.5
  ])('LLN 1.4 (below the grade 2 cut-off), value $value -> $want', ({ value, want }) => {
    expect(gradeNeutrophilCountDecreased({ value10e9PerL: value, lln: 1.4 })).toBe(want)
  })
})

describe('gradePlateletCountDecreased (10⁹/L)', () => {
  it.each([
    { value: 150, want: 0 }, // = LLN: not below
    { value: 149, want: 1 }, // just below LLN
    { value: 75, want: 1 }, // = 75.0: still grade 1
    { value: 74.9, want: 2 }, // just below 75.0
    { value: 50, want: 2 }, // = 50.0: still grade 2
    { value: 49.9, want: 3 }, // just below 50.0
    { value: 25, want: 3 }, // = 25.0: still grade 3
    { value: 24.9, want: 4 }, // just below 25.0
  ])('LLN 150, value $value -> $want', ({ value, want }) => {
    expect(gradePlateletCountDecreased({ value10e9PerL: value, lln: 150 })).toBe(want)
  })
})

describe('gradeAnemia (g/dL; grade 4 is clinical)', () => {
  it.each([
    { hb: 12.0, want: 0 }, // = LLN: not below
    { hb: 11.9, want: 1 }, // just below LLN
    { hb: 10.0, want: 1 }, // = 10.0: still grade 1
    { hb: 9.9, want: 2 }, // just below 10.0
    { hb: 8.0, want: 2 }, // = 8.0: still grade 2
    { hb: 7.9, want: 3 }, // just below 8.0
    { hb: 4.0, want: 3 }, // very low is still only grade 3 by value
  ])('LLN 12, Hgb $hb -> $want', ({ hb, want }) => {
    expect(gradeAnemia({ hemoglobinGDl: hb, lln: 12 })).toBe(want)
  })

  it('LLN below 10.0: 9.9 g/dL is grade 2 by the absolute cut-off', () => {
    expect(gradeAnemia({ hemoglobinGDl: 9.9, lln: 9.5 })).toBe(2)
  })

  it.each([
    { hb: 12.0, want: 0 },
    { hb: 10.0, want: 1 },
    { hb: 9.9, want: 2 },
    { hb: 8.0, want: 2 },
    { hb: 7.9, want: 3 },
  ])('g/dL with its unit gives the same grade: Hgb $hb -> $want', ({ hb, want }) => {
    expect(gradeAnemia({ hemoglobin: hb, unit: 'g/dL', lln: 12 })).toBe(want)
  })
})

describe("gradeAnemia in mmol/L and g/L: the table's own columns, not a molar-mass conversion", () => {
  // CTCAE v5.0 Anemia: G1 <LLN - 6.2 mmol/L, G2 <6.2 - 4.9 mmol/L, G3 <4.9 mmol/L
  it.each([
    { hb: 7.4, want: 0 }, // = LLN: not below
    { hb: 7.3, want: 1 }, // just below LLN
    { hb: 6.2, want: 1 }, // = 6.2: still grade 1 (9.99 g/dL by molar mass would be grade 2)
    { hb: 6.19, want: 2 }, // just below 6.2
    { hb: 4.9, want: 2 }, // = 4.9: still grade 2
    { hb: 4.89, want: 3 }, // just below 4.9
    { hb: 2.5, want: 3 }, // very low is still only grade 3 by value
  ])('LLN 7.4 mmol/L, Hgb $hb mmol/L -> $want', ({ hb, want }) => {
    expect(gradeAnemia({ hemoglobin: hb, unit: 'mmol/L', lln: 7.4 })).toBe(want)
  })

  it('LLN below 6.2 mmol/L: 6.1 mmol/L is grade 2 by the absolute cut-off', () => {
    expect(gradeAnemia({ hemoglobin: 6.1, unit: 'mmol/L', lln: 6.0 })).toBe(2)
  })

  // CTCAE v5.0 Anemia: G1 <LLN - 100 g/L, G2 <100 - 80 g/L, G3 <80 g/L
  it.each([
    { hb: 120, want: 0 },
    { hb: 119, want: 1 },
    { hb: 100, want: 1 }, // = 100: still grade 1
    { hb: 99, want: 2 },
    { hb: 80, want: 2 }, // = 80: still grade 2
    { hb: 79, want: 3 },
  ])('LLN 120 g/L, Hgb $hb g/L -> $want', ({ hb, want }) => {
    expect(gradeAnemia({ hemoglobin: hb, unit: 'g/L', lln: 120 })).toBe(want)
  })

  it('rejects a unit the table has no column for', () => {
    expect(() => gradeAnemia({ hemoglobin: 6, unit: 'umol/L' as never, lln: 7 })).toThrow(RangeError)
  })
})

describe('gradeFever (°C)', () => {
  it.each([
    { celsius: 37.9, hours: undefined, want: 0 }, // just under 38.0
    { celsius: 38.0, hours: undefined, want: 1 }, // = 38.0: grade 1 (inclusive)
    { celsius: 39.0, hours: undefined, want: 1 }, // = 39.0: still grade 1
    { celsius: 39.1, hours: undefined, want: 2 }, // just above 39.0
    { celsius: 40.0, hours: undefined, want: 2 }, // = 40.0: still grade 2
    { celsius: 40.1, hours: undefined, want: 3 }, // > 40.0, duration unknown: grade 3 (lower bound)
    { celsius: 40.1, hours: 24, want: 3 }, // = 24 h: grade 3 ("for ≤24 h")
    { celsius: 40.1, hours: 24.5, want: 4 }, // just over 24 h: grade 4
    { celsius: 40.0, hours: 48, want: 2 }, // 40.0 is not above 40.0, whatever the duration
  ])('$celsius °C for $hours h -> $want', ({ celsius, hours, want }) => {
    expect(gradeFever(hours === undefined ? { celsius } : { celsius, hoursAbove40: hours })).toBe(want)
  })

  it.each([{ celsius: Number.NaN }, { celsius: 41, hoursAbove40: -1 }])('throws RangeError for %j', input => {
    expect(() => gradeFever(input)).toThrow(RangeError)
  })
})
