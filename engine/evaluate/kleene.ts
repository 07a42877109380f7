/**
 * Kleene's strong three-valued logic over `true | false | undefined`
 * (undefined = unknown): false AND unknown = false, true OR unknown = true.
 * The one home of the connectives and of how a criterion's parts decide
 * its outcome and the verdict, for both evaluation backends and the
 * explanations (evaluate/backend.ts).
 */
import type { CriterionKind, Overall, Truth } from '../types.ts'
import type { Tri } from './operators.ts'

export type { Tri }

/** A criterion's outcome for the patient: pass (counts towards eligible), fail, or unknown. */
export type Outcome = 'pass' | 'fail' | 'unknown'

// plain loops: the fast backend calls these for every criterion of every record
export function and3(...xs: Tri[]): Tri {
  let result: Tri = true
  for (const x of xs) {
    if (x === false) return false
    if (x === undefined) result = undefined
  }
  return result
}

export function or3(...xs: Tri[]): Tri {
  let result: Tri = false
  for (const x of xs) {
    if (x === true) return true
    if (x === undefined) result = undefined
  }
  return result
}

export function not3(x: Tri): Tri {
  return x === undefined ? undefined : !x
}

/** At least `n` true among values of which `met` are true and `open` unknown. */
export function atLeast3(met: number, open: number, n: number): Tri {
  return met >= n ? true : met + open < n ? false : undefined
}

/**
 * `either` (alternative data paths): met when one alternative is met, not
 * met when one was measured and none is met, unknown when none was measured.
 */
export function either3(xs: readonly Tri[]): Tri {
  return xs.some(x => x === true) ? true : xs.some(x => x === false) ? false : undefined
}

/**
 * The same connectives over values computed on demand (the fast backend's
 * closures): a value that decides the answer stops the computation, unless
 * `exhaustive` asks for every value (a traced run records every leaf).
 */
export function all3Lazy<S>(xs: ReadonlyArray<(s: S) => Tri>, s: S, exhaustive: boolean): Tri {
  let result: Tri = true
  for (const x of xs) {
    const v = x(s)
    if (v === false) {
      result = false
      if (!exhaustive) return false
    } else if (v === undefined && result === true) result = undefined
  }
  return result
}

export function any3Lazy<S>(xs: ReadonlyArray<(s: S) => Tri>, s: S, exhaustive: boolean): Tri {
  let result: Tri = false
  for (const x of xs) {
    const v = x(s)
    if (v === true) {
      result = true
      if (!exhaustive) return true
    } else if (v === undefined && result === false) result = undefined
  }
  return result
}

export function atLeast3Lazy<S>(n: number, xs: ReadonlyArray<(s: S) => Tri>, s: S, exhaustive: boolean): Tri {
  let met = 0
  let open = 0
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!(s)
    if (v === true) met++
    else if (v === undefined) open++
    // decided once n are met, or once even the rest all met could not reach n
    if (!exhaustive && (met >= n || met + open + (xs.length - i - 1) < n)) break
  }
  return atLeast3(met, open, n)
}

export function toTruth(x: Tri): Truth {
  return x === true ? 'met' : x === false ? 'not_met' : 'unknown'
}

export function fromTruth(t: Truth): Tri {
  return t === 'met' ? true : t === 'not_met' ? false : undefined
}

/** The truth of a rule from its runs with unknown-as-false (lower) and unknown-as-true (upper). */
export function fromBounds(lower: boolean, upper: boolean): Tri {
  if (lower === upper) return lower
  // lower can only be true when upper is: rules are monotone in their leaves
  return undefined
}

/**
 * A criterion as a whole, its "if" included, and its outcome: an inclusion
 * that does not apply is met (nothing to satisfy), an exclusion that does
 * not apply is not met (nothing excludes); an inclusion passes when met, an
 * exclusion when not met.
 */
export function criterionOutcome(kind: CriterionKind, logic: Tri, applies: Tri): { whole: Tri; outcome: Outcome } {
  const whole = criterionWhole(kind, logic, applies)
  return { whole, outcome: outcomeOf(kind, whole) }
}

/** A criterion as a whole, its "if" included (see {@link criterionOutcome}). */
export function criterionWhole(kind: CriterionKind, logic: Tri, applies: Tri): Tri {
  return kind === 'inclusion' ? or3(not3(applies), logic) : and3(applies, logic)
}

/** A criterion's outcome from its truth as a whole (see {@link criterionOutcome}). */
export function outcomeOf(kind: CriterionKind, whole: Tri): Outcome {
  const passes = kind === 'inclusion' ? whole : not3(whole)
  return passes === true ? 'pass' : passes === false ? 'fail' : 'unknown'
}

/** The verdict from the criteria's outcomes: one failure makes ineligible, else one unknown undetermined. */
export function overallOf(criteria: ReadonlyArray<{ id: string; outcome: Outcome }>): { overall: Overall; failing: string[]; undecided: string[] } {
  const failing: string[] = []
  const undecided: string[] = []
  for (const c of criteria) {
    if (c.outcome === 'fail') failing.push(c.id)
    else if (c.outcome === 'unknown') undecided.push(c.id)
  }
  return { overall: failing.length > 0 ? 'ineligible' : undecided.length > 0 ? 'undetermined' : 'eligible', failing, undecided }
}
