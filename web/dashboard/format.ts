/**
 * Numbers as the dashboard writes them: proportions as percentages with one
 * decimal, intervals "lower to upper", differences signed in percentage
 * points. A missing estimate (no subjects) is a dash, never 0 %.
 */

/** `0.4286` → `42.9 %`; `undefined` → `—`. */
export function percent(p: number | undefined, digits = 1): string {
  return p === undefined || !Number.isFinite(p) ? '—' : `${(p * 100).toFixed(digits)} %`
}

/** The share `x / n` as a percentage of `n`; `—` when `n` is 0. */
export function shareOf(x: number, n: number, digits = 1): string {
  return n > 0 ? percent(x / n, digits) : '—'
}

/** A 95 % interval of proportions: `12.3 to 45.6 %`. */
export function interval(lower: number, upper: number, digits = 1): string {
  return `${(lower * 100).toFixed(digits)} to ${(upper * 100).toFixed(digits)} %`
}

/** A difference of proportions in percentage points, signed: `+14.3 pp`, `−5.0 pp` (a true minus sign), `0.0 pp`. */
export function points(d: number | undefined, digits = 1): string {
  if (d === undefined || !Number.isFinite(d)) return '—'
  const v = (d * 100).toFixed(digits)
  if (Number(v) === 0) return `${(0).toFixed(digits)} pp`
  return d > 0 ? `+${v} pp` : `−${v.slice(1)} pp`
}

/** A difference interval in percentage points: `−20.1 to +48.7 pp`. */
export function pointsInterval(lower: number, upper: number, digits = 1): string {
  return `${points(lower, digits).replace(' pp', '')} to ${points(upper, digits)}`
}

/** `1 subject`, `3 subjects`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}
