/**
 * Kleene's strong three-valued logic over `true | false | undefined`
 * (undefined = unknown): false AND unknown = false, true OR unknown = true.
 */
import type { Truth } from '../types.ts'
import type { Tri } from './operators.ts'

export function and3(...xs: Tri[]): Tri {
  if (xs.some((x) => x === false)) return false
  return xs.every((x) => x === true) ? true : undefined
}

export function or3(...xs: Tri[]): Tri {
  if (xs.some((x) => x === true)) return true
  return xs.every((x) => x === false) ? false : undefined
}

export function not3(x: Tri): Tri {
  return x === undefined ? undefined : !x
}

export function toTruth(x: Tri): Truth {
  return x === true ? 'met' : x === false ? 'not_met' : 'unknown'
}

/** The truth of a rule from its runs with unknown-as-false (lower) and unknown-as-true (upper). */
export function fromBounds(lower: boolean, upper: boolean): Tri {
  if (lower === upper) return lower
  // lower can only be true when upper is: rules are monotone in their leaves
  return undefined
}
