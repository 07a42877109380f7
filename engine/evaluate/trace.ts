/**
 * What an evaluation of one record leaves for its explanation, whichever
 * backend ran it: each leaf's truth and evidence, and each criterion part's
 * truth. explain.ts reads it; the reference backend builds it from
 * json-rules-engine's two runs (engine-pair.ts), the fast backend records it
 * from its closures (engine/fast/compile-fast.ts).
 */
import type { Tri } from './operators.ts'

export interface LeafOutcome {
  /** The condition's truth (for an `either` alternative, unused: explain.ts judges it from the evidence). */
  truth: Tri
  /** What the fact returned (Evidence), or undefined when it was not evaluated. */
  evidence: unknown
}

export interface Trace {
  /** Leaf outcomes by {@link traceKey}. */
  leaves: Map<string, LeafOutcome>
  /** Truth of each rule by name: criterion parts (to-rules.ts `ruleName`), and for the reference backend its at_least member rules. */
  rules: Map<string, Tri>
}

/**
 * A leaf's key: the rule holding it (the criterion part, or the at_least
 * member it sits in: to-rules.ts `memberRuleName`) and its path.
 */
export function traceKey(rule: string, path: string): string {
  return `${rule}|${path}`
}

export function newTrace(): Trace {
  return { leaves: new Map(), rules: new Map() }
}
