/**
 * The verdict from a record's trace, whichever backend traced it: each
 * criterion's truth, outcome and explanation, and the overall verdict.
 */
import type { CriterionResult, Explanation, PatientRecord, Verdict } from '../types.ts'
import type { CompiledCriterion, CompiledProtocol } from '../compile/compile-protocol.ts'
import { ruleName } from '../compile/to-rules.ts'
import { collectMissing, decisiveLeaves, dedupeMissing, explainNode } from './explain.ts'
import { criterionOutcome, fromTruth, overallOf, toTruth } from './kleene.ts'
import type { Tri } from './operators.ts'
import { recordWarnings } from './record-warnings.ts'
import type { Trace } from './trace.ts'

function partTruth(trace: Trace, name: string): Tri {
  if (!trace.rules.has(name)) throw new Error(`rule ${name} did not run`)
  return trace.rules.get(name)
}

function explainPart(c: CompiledCriterion, part: 'logic' | 'applies_if', root: NonNullable<CompiledCriterion['logic']>, trace: Trace): Explanation {
  return explainNode(root, { criterionId: c.id, ruleName: ruleName(c.id, part), trace })
}

function reasonOf(result: Omit<CriterionResult, 'reason'>): string {
  if (result.applicable === 'not_met' && result.applicability) {
    return `not applicable: ${result.applicability.label} is false`
  }
  const leaves = decisiveLeaves(result.explanation)
  const shown = leaves.slice(0, 3).map(l => `${l.label}: ${l.detail ?? l.truth}`)
  const more = leaves.length > 3 ? ` (+${leaves.length - 3} more)` : ''
  return shown.join('; ') + more
}

/** One criterion's result, explanation included, from a trace in which it ran. */
export function criterionResult(c: CompiledCriterion, trace: Trace): CriterionResult {
  const truth = partTruth(trace, ruleName(c.id, 'logic'))
  const explanation = explainPart(c, 'logic', c.logic, trace)
  const applicability = c.applicability ? explainPart(c, 'applies_if', c.applicability, trace) : undefined
  const applies: Tri = c.applicability ? partTruth(trace, ruleName(c.id, 'applies_if')) : true
  if (fromTruth(explanation.truth) !== truth) throw new Error(`explanation of ${c.id} disagrees with the rule engine`)
  const { whole, outcome } = criterionOutcome(c.kind, truth, applies)
  const missing =
    outcome === 'unknown'
      ? dedupeMissing([
          ...(applies === undefined && applicability ? collectMissing(applicability) : []),
          ...(applies !== false ? collectMissing(explanation) : []),
        ])
      : []
  // built in place, in the answer's key order (no spreads: this runs for every criterion of every evaluation)
  const result: Omit<CriterionResult, 'reason'> & { reason?: string } = {
    id: c.id,
    kind: c.kind,
    text: c.text,
    truth: toTruth(whole),
    applicable: toTruth(applies),
    outcome,
    explanation,
    missing,
  }
  if (c.title) result.title = c.title
  if (applicability) result.applicability = applicability
  result.reason = reasonOf(result)
  return result as CriterionResult
}

/**
 * The verdict of one record from its trace (json-rules-engine's two runs or
 * the fast backend's traced closures), so both backends explain alike.
 *
 * Missing data never passes or fails silently: a criterion whose outcome
 * depends on absent data is `unknown`, and the verdict lists what to enter.
 */
export function verdictFromTrace(compiled: CompiledProtocol, patient: PatientRecord, trace: Trace): Verdict {
  return verdictOf(
    compiled,
    patient,
    compiled.criteria.map(c => criterionResult(c, trace)),
  )
}

/** The verdict from every criterion's result, in protocol order: the overall verdict, the data still needed, the record's warnings. */
export function verdictOf(compiled: CompiledProtocol, patient: PatientRecord, criteria: CriterionResult[]): Verdict {
  const { registry_id, version } = compiled.document.protocol
  return {
    protocol: { registry_id, version },
    ...(patient.id ? { patient_id: patient.id } : {}),
    ...overallOf(criteria),
    missing: dedupeMissing(criteria.flatMap(c => c.missing)),
    criteria,
    warnings: recordWarnings(patient, compiled.dictionary),
  }
}
