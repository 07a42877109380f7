/**
 * Confidence interval for the difference between two independent binomial
 * proportions (e.g. response rate on drug minus response rate on placebo).
 */
import { wilsonInterval } from './binomial-ci.ts'

/** Responders `x` out of `n` subjects in one arm. */
export interface BinomialCount {
  x: number
  n: number
}

/** A difference pA − pB with its two-sided confidence interval, all in [−1, 1]. */
export interface DifferenceInterval {
  difference: number
  lower: number
  upper: number
  method: 'newcombe-hybrid-score'
}

/**
 * The result when either arm has `n = 0`: no point estimate, and the
 * trivial interval [−1, 1].
 */
export interface NoDifference {
  difference: undefined
  lower: -1
  upper: 1
  method: 'newcombe-hybrid-score'
}

/** What {@link differenceInProportions} returns. */
export type DifferenceResult = DifferenceInterval | NoDifference

/**
 * Newcombe's hybrid score interval for pA − pB (two independent arms).
 *
 * Newcombe RG. Interval estimation for the difference between independent
 * proportions: comparison of eleven methods. Stat Med 1998;17(8):873–890,
 * method 10. With D = pA − pB and (lA, uA), (lB, uB) the Wilson score
 * intervals of each arm:
 * lower = D − √((pA − lA)² + (uB − pB)²),
 * upper = D + √((uA − pA)² + (pB − lB)²).
 * Chosen over the Wald interval because it stays inside [−1, 1], behaves at
 * 0/n and n/n, and keeps coverage near nominal with the small arms typical
 * of early-phase trials.
 *
 * @param a responders and subjects in arm A (the minuend)
 * @param b responders and subjects in arm B
 * @param confidence two-sided confidence level in (0, 1)
 * @returns the difference with its interval; when either `n` is 0, {@link NoDifference}
 * @throws RangeError when the counts or confidence level are invalid (a bug in the caller)
 * @example differenceInProportions({ x: 56, n: 70 }, { x: 48, n: 80 })
 * // { difference: 0.2, lower: 0.0524, upper: 0.3339, method: 'newcombe-hybrid-score' } (rounded)
 */
export function differenceInProportions(a: BinomialCount, b: BinomialCount, confidence = 0.95): DifferenceResult {
  const wa = wilsonInterval(a.x, a.n, confidence)
  const wb = wilsonInterval(b.x, b.n, confidence)
  if (wa.estimate === undefined || wb.estimate === undefined) {
    return { difference: undefined, lower: -1, upper: 1, method: 'newcombe-hybrid-score' }
  }
  const pa = wa.estimate
  const pb = wb.estimate
  const difference = pa - pb
  const lower = difference - Math.hypot(pa - wa.lower, wb.upper - pb)
  const upper = difference + Math.hypot(wa.upper - pa, pb - wb.lower)
  return {
    difference,
    lower: Math.max(-1, lower),
    upper: Math.min(1, upper),
    method: 'newcombe-hybrid-score',
  }
}
