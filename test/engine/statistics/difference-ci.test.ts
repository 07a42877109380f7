import { describe, expect, it } from 'vitest'
import { differenceInProportions } from '../../../engine/statistics/index.ts'

// Newcombe RG. Stat Med 1998;17:873–890, Table II, method 10 (hybrid score).
// Row (c) is recomputed independently (Python, Wilson limits by formula),
// not transcribed; the others are the paper's worked examples.
describe('differenceInProportions: Newcombe 1998 method 10 at 95 %', () => {
  it.each([
    { a: { x: 56, n: 70 }, b: { x: 48, n: 80 }, d: 0.2, lower: 0.0524, upper: 0.3339 }, // (a)
    { a: { x: 9, n: 10 }, b: { x: 3, n: 10 }, d: 0.6, lower: 0.1705, upper: 0.809 }, // (b)
    { a: { x: 6, n: 7 }, b: { x: 2, n: 7 }, d: 4 / 7, lower: 0.0582, upper: 0.8062 }, // (c)
    { a: { x: 5, n: 56 }, b: { x: 0, n: 29 }, d: 5 / 56, lower: -0.0381, upper: 0.1926 }, // (d) zero cell
    { a: { x: 0, n: 10 }, b: { x: 0, n: 20 }, d: 0, lower: -0.1611, upper: 0.2775 }, // (e) both zero: ±Wilson uppers
    { a: { x: 0, n: 10 }, b: { x: 0, n: 10 }, d: 0, lower: -0.2775, upper: 0.2775 }, // (f) symmetric
    { a: { x: 10, n: 10 }, b: { x: 0, n: 20 }, d: 1, lower: 0.6791, upper: 1 }, // (g) 1 − √(0.2775² + 0.1611²)
    { a: { x: 10, n: 10 }, b: { x: 0, n: 10 }, d: 1, lower: 0.6075, upper: 1 }, // (h) 1 − √2·0.2775
  ])('$a.x/$a.n vs $b.x/$b.n -> $d [$lower, $upper]', ({ a, b, d, lower, upper }) => {
    const ci = differenceInProportions(a, b)
    expect(ci.method).toBe('newcombe-hybrid-score')
    expect(ci.difference).toBeCloseTo(d, 12)
    expect(ci.lower).toBeCloseTo(lower, 4)
    expect(ci.upper).toBeCloseTo(upper, 4)
  })

  it('swapping the arms negates the difference and mirrors the interval', () => {
    const ab = differenceInProportions({ x: 56, n: 70 }, { x: 48, n: 80 })
    const ba = differenceInProportions({ x: 48, n: 80 }, { x: 56, n: 70 })
    expect(ba.difference).toBeCloseTo(-(ab.difference ?? Number.NaN), 12)
    expect(ba.lower).toBeCloseTo(-ab.upper, 12)
    expect(ba.upper).toBeCloseTo(-ab.lower, 12)
  })

  it('a wider confidence level gives a wider interval', () => {
    const a = { x: 9, n: 10 }
    const b = { x: 3, n: 10 }
    const ci90 = differenceInProportions(a, b, 0.9)
    const ci99 = differenceInProportions(a, b, 0.99)
    expect(ci99.lower).toBeLessThan(ci90.lower)
    expect(ci99.upper).toBeGreaterThan(ci90.upper)
  })

  it.each([
    { a: { x: 0, n: 0 }, b: { x: 3, n: 10 } },
    { a: { x: 3, n: 10 }, b: { x: 0, n: 0 } },
  ])('an arm with n = 0 gives no estimate and the interval [-1, 1]', ({ a, b }) => {
    expect(differenceInProportions(a, b)).toEqual({
      difference: undefined,
      lower: -1,
      upper: 1,
      method: 'newcombe-hybrid-score',
    })
  })

  it('rejects impossible counts', () => {
    expect(() => differenceInProportions({ x: 11, n: 10 }, { x: 1, n: 10 })).toThrow(RangeError)
  })
})
