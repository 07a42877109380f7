/**
 * Three-valued operators, registered with json-rules-engine by name.
 *
 * Each operator answers true, false or `undefined` (unknown) from the
 * Evidence a fact produced. json-rules-engine is two-valued, so we run two
 * engines over the same rules (see engine-pair.ts): one where unknown counts
 * as false (a lower bound) and one where it counts as true (an upper bound).
 * The compiler pushes negations down to the leaves first, so every rule is
 * monotone in its leaves and the pair of runs gives exactly Kleene's strong
 * three-valued logic.
 */
import type { AgeValue, Evidence, EventValue, NumericValue } from './evidence.ts'

export type Tri = boolean | undefined

/** How a leaf is compared; the compiler only emits these names. */
export type OperatorName =
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'eq'
  | 'ne'
  | 'exists'
  | 'none'
  | 'count_gte'
  // `either` (alternative data paths): `{ op, value }` definitely true / undecided, and a literal that is always unknown
  | 'definitely'
  | 'undecided'
  | 'assume_unknown'

/** The operator that is true exactly when `op` is false (for known evidence). */
export const NEGATED_OPERATOR: Record<OperatorName, OperatorName | undefined> = {
  gt: 'lte',
  gte: 'lt',
  lt: 'gte',
  lte: 'gt',
  eq: 'ne',
  ne: 'eq',
  exists: 'none',
  none: 'exists',
  // at_least is negated structurally by the compiler, never by swapping the operator
  count_gte: undefined,
  // either is never negated (semantic checks forbid it)
  definitely: undefined,
  undecided: undefined,
  assume_unknown: undefined,
}

/** What an age comparison's `value` holds. */
export interface AgeThreshold {
  years: number
  basis: 'exact' | 'completed_years'
}

type Numeric = (a: number, b: number) => boolean
const NUMERIC: Record<'gt' | 'gte' | 'lt' | 'lte', Numeric> = {
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
}

function isAge(v: unknown): v is AgeValue {
  return typeof v === 'object' && v !== null && 'years' in v && 'days' in v
}
function isBounds(v: unknown): v is { min: number; max: number } {
  return typeof v === 'object' && v !== null && 'min' in v && 'max' in v
}
function isAgeThreshold(v: unknown): v is AgeThreshold {
  return typeof v === 'object' && v !== null && 'years' in v && 'basis' in v
}

/**
 * Compare a numeric value (or bounds) with a threshold. With bounds the
 * answer is known only when every value in [min, max] gives the same answer.
 */
function compareNumeric(op: keyof typeof NUMERIC, value: NumericValue, threshold: number): Tri {
  const f = NUMERIC[op]
  if (typeof value === 'number') return f(value, threshold)
  const atMin = f(value.min, threshold)
  const atMax = f(value.max, threshold)
  return atMin === atMax ? atMin : undefined
}

/**
 * Exact age compares the birthday itself: on the 18th birthday the age is
 * exactly 18 (not > 18); the next day it is > 18. Completed years ignore the
 * days since the last birthday (65 years 11 months counts as 65).
 */
function compareAge(op: keyof typeof NUMERIC, age: AgeValue, t: AgeThreshold): boolean {
  if (t.basis === 'completed_years') return NUMERIC[op](age.years, t.years)
  // exact: represent the age as years plus a fraction strictly between 0 and 1 when past a birthday
  const exact = age.days === 0 ? age.years : age.years + 0.5
  return NUMERIC[op](exact, t.years)
}

function countOf(v: EventValue): Tri {
  if (v.definite.length > 0) return true
  if (v.possible.length > 0) return undefined
  return false
}

/**
 * Evaluate one operator on evidence, three-valued.
 *
 * @example
 * evaluateOperator('gt', known(1.4, '...'), 1.0) // true
 * evaluateOperator('gt', unknown('no UPCR', []), 1.0) // undefined
 */
export function evaluateOperator(op: OperatorName, evidence: unknown, compareTo: unknown): Tri {
  if (op === 'definitely' || op === 'undecided') {
    const inner = compareTo as { op: OperatorName; value: unknown }
    const r = evaluateOperator(inner.op, evidence, inner.value)
    return op === 'definitely' ? r === true : r === undefined
  }
  if (op === 'assume_unknown') return undefined
  if (op === 'count_gte') {
    // counters are plain numbers maintained by the engine pair, not Evidence
    return typeof evidence === 'number' && typeof compareTo === 'number' ? evidence >= compareTo : undefined
  }
  const ev = evidence as Evidence
  if (!ev?.known) return undefined
  const value = ev.value
  switch (op) {
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (isAge(value) && isAgeThreshold(compareTo)) return compareAge(op, value, compareTo)
      if ((typeof value === 'number' || isBounds(value)) && typeof compareTo === 'number') {
        return compareNumeric(op, value, compareTo)
      }
      return undefined
    case 'eq':
    case 'ne': {
      if (typeof value === 'number' || isBounds(value)) {
        if (typeof compareTo !== 'number') return undefined
        const lo = typeof value === 'number' ? value : value.min
        const hi = typeof value === 'number' ? value : value.max
        const equal: Tri = lo === hi ? lo === compareTo : compareTo < lo || compareTo > hi ? false : undefined
        return equal === undefined ? undefined : op === 'eq' ? equal : !equal
      }
      if (typeof value === 'object') return undefined
      return op === 'eq' ? value === compareTo : value !== compareTo
    }
    case 'exists':
    case 'none': {
      if (typeof value !== 'object' || !('definite' in value)) return undefined
      const any = countOf(value)
      return any === undefined ? undefined : op === 'exists' ? any : !any
    }
  }
}

export const OPERATOR_NAMES = Object.keys(NEGATED_OPERATOR) as OperatorName[]
