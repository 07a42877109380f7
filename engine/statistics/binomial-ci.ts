/**
 * Confidence intervals for a single binomial proportion (e.g. a response
 * rate: `x` responders out of `n` treated).
 *
 * "No data" (`n = 0`) is not an error: it returns {@link NoProportion},
 * whose `estimate` is `undefined` and whose interval is the whole of
 * [0, 1] (every rate is consistent with no observations). Callers narrow on
 * `estimate === undefined`, so a missing rate cannot be mistaken for 0 % or
 * leak a `NaN` into a table.
 */
import jStat from 'jstat'

/** A proportion with its two-sided confidence interval, all in [0, 1]. */
export interface ProportionInterval {
  estimate: number
  lower: number
  upper: number
}

/** The result for `n = 0`: no point estimate, and the trivial interval [0, 1]. */
export interface NoProportion {
  estimate: undefined
  lower: 0
  upper: 1
}

/** What the single-proportion interval functions return. */
export type BinomialInterval = ProportionInterval | NoProportion

const NO_PROPORTION: NoProportion = Object.freeze({ estimate: undefined, lower: 0, upper: 1 })

/**
 * Exact (Clopper–Pearson) confidence interval for a binomial proportion.
 *
 * Clopper CJ, Pearson ES. The use of confidence or fiducial limits
 * illustrated in the case of the binomial. Biometrika 1934;26(4):404–413.
 * The limits invert two one-sided binomial tests; via the beta–binomial
 * identity they are beta quantiles:
 * lower = B(α/2; x, n − x + 1), upper = B(1 − α/2; x + 1, n − x),
 * with lower = 0 when x = 0 and upper = 1 when x = n. The interval is
 * conservative (coverage ≥ the nominal level), which is why regulators
 * expect it for single-arm response rates.
 *
 * @param successes number of responders, an integer in [0, n]
 * @param n number of subjects, a non-negative integer
 * @param confidence two-sided confidence level in (0, 1)
 * @returns estimate x/n with its interval; for n = 0, {@link NoProportion}
 * @throws RangeError when the counts or confidence level are invalid (a bug in the caller)
 * @example clopperPearson(5, 10) // { estimate: 0.5, lower: 0.1871, upper: 0.8129 } (rounded)
 * @example clopperPearson(0, 0) // { estimate: undefined, lower: 0, upper: 1 }
 */
export function clopperPearson(successes: number, n: number, confidence = 0.95): BinomialInterval {
  assertCounts(successes, n)
  assertConfidence(confidence)
  if (n === 0) return NO_PROPORTION
  const alpha = 1 - confidence
  const lower = successes === 0 ? 0 : jStat.beta.inv(alpha / 2, successes, n - successes + 1)
  const upper = successes === n ? 1 : jStat.beta.inv(1 - alpha / 2, successes + 1, n - successes)
  return { estimate: successes / n, lower, upper }
}

/**
 * Wilson score confidence interval for a binomial proportion.
 *
 * Wilson EB. Probable inference, the law of succession, and statistical
 * inference. J Am Stat Assoc 1927;22(158):209–212. Inverts the score test:
 * centre (x + z²/2)/(n + z²), half-width z/(n + z²)·√(x(n − x)/n + z²/4).
 * Used as the building block of Newcombe's difference interval
 * ({@link differenceInProportions}); closer to nominal coverage than the
 * exact interval, never outside [0, 1].
 *
 * @param successes number of responders, an integer in [0, n]
 * @param n number of subjects, a non-negative integer
 * @param confidence two-sided confidence level in (0, 1)
 * @returns estimate x/n with its interval; for n = 0, {@link NoProportion}
 * @throws RangeError when the counts or confidence level are invalid (a bug in the caller)
 * @example wilsonInterval(0, 10) // { estimate: 0, lower: 0, upper: 0.2775 } (rounded)
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): BinomialInterval {
  assertCounts(successes, n)
  assertConfidence(confidence)
  if (n === 0) return NO_PROPORTION
  const z = jStat.normal.inv(1 - (1 - confidence) / 2, 0, 1)
  const z2 = z * z
  const centre = (successes + z2 / 2) / (n + z2)
  const half = (z / (n + z2)) * Math.sqrt((successes * (n - successes)) / n + z2 / 4)
  // At x = 0 (x = n) the limit is exactly 0 (1) algebraically; pin it so
  // rounding cannot produce -1e-17 or 1.0000000000000002.
  const lower = successes === 0 ? 0 : Math.max(0, centre - half)
  const upper = successes === n ? 1 : Math.min(1, centre + half)
  return { estimate: successes / n, lower, upper }
}

function assertCounts(successes: number, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`)
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must be an integer in [0, ${n}], got ${successes}`)
  }
}

function assertConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`)
  }
}
