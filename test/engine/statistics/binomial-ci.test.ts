import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { clopperPearson, wilsonInterval } from '../../../engine/statistics/index.ts'

// Independent check of the exact interval, not via beta quantiles: the
// Clopper–Pearson limits are where the one-sided binomial tail equals α/2,
// found here by bisection on the binomial CDF summed term by term.
function binomialCdf(k: number, n: number, p: number): number {
  let total = 0
  let term = (1 - p) ** n // P(X = 0)
  for (let i = 0; i <= k; i++) {
    total += term
    term *= ((n - i) / (i + 1)) * (p / (1 - p))
  }
  return total
}

function bisect(f: (p: number) => number, target: number, increasing: boolean): number {
  let lo = 0
  let hi = 1
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2
    if (f(mid) < target === increasing) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

function exactByBisection(x: number, n: number, confidence: number): { lower: number; upper: number } {
  const half = (1 - confidence) / 2
  // lower: P(X >= x | p) = α/2, increasing in p; upper: P(X <= x | p) = α/2, decreasing in p
  const lower = x === 0 ? 0 : bisect(p => 1 - binomialCdf(x - 1, n, p), half, true)
  const upper = x === n ? 1 : bisect(p => binomialCdf(x, n, p), half, false)
  return { lower, upper }
}

describe('clopperPearson: published 95 % limits', () => {
  it.each([
    { x: 0, n: 10, lower: 0, upper: 0.3085 }, // x = 0: lower is 0; upper = 1 − 0.025^(1/10)
    { x: 5, n: 10, lower: 0.1871, upper: 0.8129 }, // symmetric about 0.5
    { x: 10, n: 10, lower: 0.6915, upper: 1 }, // x = n: upper is 1; mirror of 0/10
    { x: 3, n: 20, lower: 0.0321, upper: 0.3789 },
  ])('$x/$n -> [$lower, $upper]', ({ x, n, lower, upper }) => {
    const ci = clopperPearson(x, n)
    expect(ci.estimate).toBe(x / n)
    expect(ci.lower).toBeCloseTo(lower, 4)
    expect(ci.upper).toBeCloseTo(upper, 4)
  })

  it('0/n upper limit equals the closed form 1 − (α/2)^(1/n)', () => {
    expect(clopperPearson(0, 10).upper).toBeCloseTo(1 - 0.025 ** (1 / 10), 12)
    expect(clopperPearson(0, 1000).upper).toBeCloseTo(1 - 0.025 ** (1 / 1000), 12)
  })

  it('x = 0 and x = n limits are exactly 0 and 1', () => {
    expect(clopperPearson(0, 7)).toMatchObject({ estimate: 0, lower: 0 })
    expect(clopperPearson(7, 7)).toMatchObject({ estimate: 1, upper: 1 })
  })

  it.each([
    { x: 0, n: 10 },
    { x: 5, n: 10 },
    { x: 10, n: 10 },
    { x: 3, n: 20 },
    { x: 1, n: 7 },
    { x: 17, n: 60 },
  ])('$x/$n agrees with bisection on the binomial CDF at 95 % and 90 %', ({ x, n }) => {
    for (const confidence of [0.95, 0.9]) {
      const want = exactByBisection(x, n, confidence)
      const got = clopperPearson(x, n, confidence)
      // jStat's beta quantile is accurate to ~1e-9, far below the 4 decimals reported
      expect(got.lower).toBeCloseTo(want.lower, 8)
      expect(got.upper).toBeCloseTo(want.upper, 8)
    }
  })

  it('agrees with bisection for arbitrary counts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }).chain(n => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        ([x, n]) => {
          const got = clopperPearson(x, n)
          const want = exactByBisection(x, n, 0.95)
          expect(got.lower).toBeCloseTo(want.lower, 8)
          expect(got.upper).toBeCloseTo(want.upper, 8)
          expect(got.lower).toBeLessThanOrEqual(x / n)
          expect(got.upper).toBeGreaterThanOrEqual(x / n)
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('no data (n = 0)', () => {
  it.each([
    { name: 'clopperPearson', f: clopperPearson },
    { name: 'wilsonInterval', f: wilsonInterval },
  ])('$name(0, 0) has no estimate and the interval [0, 1]', ({ f }) => {
    const ci = f(0, 0)
    expect(ci).toEqual({ estimate: undefined, lower: 0, upper: 1 })
    // the type narrows on estimate, so a missing rate is never read as a number
    if (ci.estimate !== undefined) expect.unreachable()
  })
})

describe('invalid input is a caller bug', () => {
  it.each([
    { x: -1, n: 10, confidence: 0.95 },
    { x: 11, n: 10, confidence: 0.95 }, // more responders than subjects
    { x: 1.5, n: 10, confidence: 0.95 },
    { x: 0, n: -1, confidence: 0.95 },
    { x: 1, n: Number.NaN, confidence: 0.95 },
    { x: 1, n: 10, confidence: 95 }, // a percentage, not a proportion
    { x: 1, n: 10, confidence: 1 },
    { x: 1, n: 10, confidence: 0 },
  ])('x=$x n=$n confidence=$confidence throws RangeError', ({ x, n, confidence }) => {
    expect(() => clopperPearson(x, n, confidence)).toThrow(RangeError)
    expect(() => wilsonInterval(x, n, confidence)).toThrow(RangeError)
  })
})

describe('wilsonInterval: 95 % limits', () => {
  // z = 1.959964; centre (x + z²/2)/(n + z²), half-width z/(n + z²)·√(x(n − x)/n + z²/4)
  it.each([
    { x: 0, n: 10, lower: 0, upper: 0.2775 }, // upper = z²/(n + z²) = 3.8415/13.8415
    { x: 5, n: 10, lower: 0.2366, upper: 0.7634 },
    { x: 3, n: 20, lower: 0.0524, upper: 0.3604 },
    { x: 56, n: 70, lower: 0.6918, upper: 0.877 },
    { x: 10, n: 10, lower: 0.7225, upper: 1 }, // mirror of 0/10
  ])('$x/$n -> [$lower, $upper]', ({ x, n, lower, upper }) => {
    const ci = wilsonInterval(x, n)
    expect(ci.estimate).toBe(x / n)
    expect(ci.lower).toBeCloseTo(lower, 4)
    expect(ci.upper).toBeCloseTo(upper, 4)
  })
})
