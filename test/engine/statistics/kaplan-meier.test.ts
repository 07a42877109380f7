import { describe, expect, it } from 'vitest'
import { kaplanMeier, kaplanMeierIncidence } from '../../../engine/statistics/index.ts'
import type { SurvivalObservation } from '../../../engine/statistics/index.ts'

function obs(spec: string): SurvivalObservation[] {
  // "2+" is censored at 2, "2" is an event at 2
  return spec.split(/\s+/).map(t => ({ time: Number.parseFloat(t), event: !t.endsWith('+') }))
}

// Worked by hand: times 1, 2, 2+, 3, 4, 4, 5+ (n = 7).
//
//  t  at risk  d  c  S(t)                          Greenwood Σ d/(n(n−d))
//  1    7      1  0  6/7               = 0.857143  1/42                        = 0.023810
//  2    6      1  1  6/7 · 5/6 = 5/7   = 0.714286  + 1/30                      = 0.057143
//     (the subject censored at 2 is still at risk for the event at 2: events first)
//  3    4      1  0  5/7 · 3/4 = 15/28 = 0.535714  + 1/12                      = 0.140476
//  4    3      2  0  15/28 · 1/3 = 5/28 = 0.178571 + 2/3                       = 0.807143
//  5    1      0  1  5/28 (unchanged)              (unchanged)
//
// Median: first S ≤ 0.5 is at t = 4 (S(3) = 0.536 > 0.5).
//
// log(−log) 95 % limits, S^exp(±z·σ/|ln S|), z = 1.959964. At t = 1:
//   σ = √(1/42) = 0.154303, |ln(6/7)| = 0.154151, k = exp(1.959964 · 1.000988) = 7.1119
//   lower = (6/7)^7.1119 = 0.33405, upper = (6/7)^(1/7.1119) = 0.97856
// (the other rows the same way; they match R survfit(..., conf.type = "log-log")).
describe('kaplanMeier: hand-worked 1, 2, 2+, 3, 4, 4, 5+', () => {
  const km = kaplanMeier(obs('1 2 2+ 3 4 4 5+'))

  it.each([
    { time: 1, atRisk: 7, events: 1, censored: 0, survival: 6 / 7, lower: 0.33405, upper: 0.97856 },
    { time: 2, atRisk: 6, events: 1, censored: 1, survival: 5 / 7, lower: 0.25815, upper: 0.9198 }, // tie: event before censoring
    { time: 3, atRisk: 4, events: 1, censored: 0, survival: 15 / 28, lower: 0.13199, upper: 0.825 },
    { time: 4, atRisk: 3, events: 2, censored: 0, survival: 5 / 28, lower: 0.00833, upper: 0.53799 }, // two tied events
    { time: 5, atRisk: 1, events: 0, censored: 1, survival: 5 / 28, lower: 0.00833, upper: 0.53799 }, // censor-only step
  ])('t=$time: S=$survival [$lower, $upper]', ({ time, atRisk, events, censored, survival, lower, upper }) => {
    const step = km.steps.find(s => s.time === time)
    expect(step).toMatchObject({ time, atRisk, events, censored })
    expect(step?.survival).toBeCloseTo(survival, 12)
    expect(step?.lower).toBeCloseTo(lower, 5)
    expect(step?.upper).toBeCloseTo(upper, 5)
  })

  it('has one step per distinct time, in order', () => {
    expect(km.steps.map(s => s.time)).toEqual([1, 2, 3, 4, 5])
  })

  it('median is 4', () => {
    expect(km.median).toBe(4)
  })

  it('does not depend on input order', () => {
    expect(kaplanMeier(obs('4 2+ 5+ 1 4 3 2'))).toEqual(km)
  })
})

describe('kaplanMeier: median', () => {
  it.each([
    // S = 0.75, 0.5, 0.25, 0: flat at exactly 0.5 on [2, 3) -> midpoint, the sample median
    { spec: '1 2 3 4', want: 2.5 },
    // S = 0.8, 0.6, 0.4, ...: first S <= 0.5 at 3
    { spec: '1 2 3 4 5', want: 3 },
    // S = 0.75, 0.5 then only censoring: never falls below 0.5 -> the time it reached 0.5
    { spec: '1 2 3+ 4+', want: 2 },
    // S = 0.75 then censored: not reached
    { spec: '1 2+ 3+ 4+', want: undefined },
    { spec: '1+ 2+', want: undefined }, // no events
  ])('$spec -> $want', ({ spec, want }) => {
    expect(kaplanMeier(obs(spec)).median).toBe(want)
  })

  it('leaves median absent (not undefined-valued) when not reached', () => {
    expect('median' in kaplanMeier(obs('1 2+ 3+ 4+'))).toBe(false)
  })
})

describe('kaplanMeier: edges', () => {
  it('censoring before the first event: S = 1 with limits [1, 1]', () => {
    const [first] = kaplanMeier(obs('0.5+ 1 2')).steps
    expect(first).toMatchObject({ time: 0.5, atRisk: 3, events: 0, censored: 1, survival: 1, lower: 1, upper: 1 })
  })

  it('everyone at risk has the event: S = 0 with limits [0, 0]', () => {
    const last = kaplanMeier(obs('1 2 2')).steps.at(-1)
    expect(last).toMatchObject({ time: 2, atRisk: 2, events: 2, survival: 0, lower: 0, upper: 0 })
  })

  it('no observations: no steps, no median', () => {
    expect(kaplanMeier([])).toEqual({ steps: [] })
  })

  it('a wider confidence level gives wider limits', () => {
    const at = (c: number) => kaplanMeier(obs('1 2 2+ 3 4 4 5+'), c).steps[2]
    expect(at(0.99)?.lower).toBeLessThan(at(0.9)?.lower ?? Number.NaN)
    expect(at(0.99)?.upper).toBeGreaterThan(at(0.9)?.upper ?? Number.NaN)
  })

  it.each([{ time: -1 }, { time: Number.NaN }, { time: Number.POSITIVE_INFINITY }])('time $time throws RangeError', ({ time }) => {
    expect(() => kaplanMeier([{ time, event: true }])).toThrow(RangeError)
  })

  it('confidence outside (0, 1) throws RangeError', () => {
    expect(() => kaplanMeier(obs('1 2'), 1.5)).toThrow(RangeError)
  })
})

describe('kaplanMeierIncidence (time to response)', () => {
  const result = kaplanMeierIncidence(obs('1 2 2+ 3 4 4 5+'))

  it('is 1 − S with the limits swapped and complemented', () => {
    const km = kaplanMeier(obs('1 2 2+ 3 4 4 5+'))
    result.steps.forEach((s, i) => {
      const k = km.steps[i]
      expect(s).toMatchObject(k ?? {})
      expect(s.incidence).toBeCloseTo(1 - (k?.survival ?? Number.NaN), 12)
      expect(s.incidenceLower).toBeCloseTo(1 - (k?.upper ?? Number.NaN), 12)
      expect(s.incidenceUpper).toBeCloseTo(1 - (k?.lower ?? Number.NaN), 12)
      expect(s.incidenceLower).toBeLessThanOrEqual(s.incidence)
      expect(s.incidenceUpper).toBeGreaterThanOrEqual(s.incidence)
    })
  })

  it('at t = 4 incidence is 23/28 with limits [0.46201, 0.99167]', () => {
    const step = result.steps.find(s => s.time === 4)
    expect(step?.incidence).toBeCloseTo(23 / 28, 12)
    expect(step?.incidenceLower).toBeCloseTo(1 - 0.53799, 5)
    expect(step?.incidenceUpper).toBeCloseTo(1 - 0.00833, 5)
  })

  it('median time to response is the Kaplan–Meier median', () => {
    expect(result.median).toBe(4)
  })
})
