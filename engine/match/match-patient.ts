/**
 * Cross-trial matching: one patient record against several protocols,
 * ranked for a clinician deciding where to refer. Eligible trials first;
 * then undetermined ones, the fewest facts still missing first (closest to
 * a decision); then ineligible ones, the fewest failing criteria first.
 */
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { evaluateEligibility, type EvaluateOptions } from '../backends/index.ts'
import type { CriterionResult, MissingData, Overall, PatientRecord, Verdict } from '../types.ts'

/** A criterion named in a match row: id, its title (or verbatim text) and the one-line reason. */
export interface MatchCriterion {
  id: string
  title: string
  reason: string
}

/** One protocol's row of the ranked table. */
export interface MatchRow {
  /** 1-based position in the ranking. */
  rank: number
  registry_id: string
  title: string
  /** The protocol's encoding version (`identity.version`). */
  encoding_version: string
  overall: Overall
  /** Criteria that rule the patient out. */
  failing: MatchCriterion[]
  /** Criteria that cannot be decided yet. */
  undecided: MatchCriterion[]
  /** Data still needed (deduplicated), the fewest first in the ranking. */
  missing: MissingData[]
  /** Criteria passed / decided / all: how far the record goes. */
  counts: { passed: number; failed: number; unknown: number; total: number }
  /** The full verdict, for the explanation of each criterion. */
  verdict: Verdict
}

/** A protocol to match against: compiled, with an optional caller's key (e.g. the store's protocol id). */
export interface MatchTarget {
  compiled: CompiledProtocol
  key?: string
}

const OVERALL_ORDER: Record<Overall, number> = { eligible: 0, undetermined: 1, ineligible: 2 }

const named = (c: CriterionResult): MatchCriterion => ({ id: c.id, title: c.title ?? c.text, reason: c.reason })

/** Build a row (unranked) from a verdict. */
export function matchRow(compiled: CompiledProtocol, verdict: Verdict): Omit<MatchRow, 'rank'> {
  const identity = compiled.document.protocol
  const byOutcome = (o: CriterionResult['outcome']) => verdict.criteria.filter(c => c.outcome === o)
  return {
    registry_id: identity.registry_id,
    title: identity.title,
    encoding_version: identity.version,
    overall: verdict.overall,
    failing: byOutcome('fail').map(named),
    undecided: byOutcome('unknown').map(named),
    missing: verdict.missing,
    counts: { passed: byOutcome('pass').length, failed: byOutcome('fail').length, unknown: byOutcome('unknown').length, total: verdict.criteria.length },
    verdict,
  }
}

/**
 * Order rows: eligible, undetermined (fewest missing facts, then fewest
 * undecided criteria), ineligible (fewest failing criteria, then fewest
 * unknown); ties by registry id so the order is stable.
 */
export function compareMatchRows(a: Omit<MatchRow, 'rank'>, b: Omit<MatchRow, 'rank'>): number {
  return (
    OVERALL_ORDER[a.overall] - OVERALL_ORDER[b.overall] ||
    (a.overall === 'undetermined' ? a.missing.length - b.missing.length || a.undecided.length - b.undecided.length : 0) ||
    (a.overall === 'ineligible' ? a.failing.length - b.failing.length || a.undecided.length - b.undecided.length : 0) ||
    a.registry_id.localeCompare(b.registry_id)
  )
}

/** Rank rows and number them from 1. */
export function rankMatchRows<R extends Omit<MatchRow, 'rank'>>(rows: R[]): Array<R & { rank: number }> {
  return [...rows].sort(compareMatchRows).map((row, i) => ({ ...row, rank: i + 1 }))
}

/**
 * Evaluate one patient against every protocol and rank the results.
 *
 * @example
 * const rows = await matchPatient([{ compiled: compileProtocol(a) }, { compiled: compileProtocol(b) }], patient)
 * rows[0].overall // the best match first
 */
export async function matchPatient(targets: MatchTarget[], patient: PatientRecord, options: EvaluateOptions = {}): Promise<Array<MatchRow & { key?: string }>> {
  // one protocol at a time: each engine pair runs its evaluations in turn anyway, and the order of rows is decided by ranking
  const rows: Array<Omit<MatchRow, 'rank'> & { key?: string }> = []
  for (const t of targets) {
    const verdict = await evaluateEligibility(t.compiled, patient, options)
    rows.push({ ...(t.key === undefined ? {} : { key: t.key }), ...matchRow(t.compiled, verdict) })
  }
  return rankMatchRows(rows)
}
