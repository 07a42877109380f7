/**
 * Evaluate one patient against a compiled protocol: per-criterion truth with
 * explanations, and the overall verdict.
 */
import type { CriterionResult, Explanation, PatientRecord, Truth, Verdict } from '../types.ts'
import type { CompiledCriterion, CompiledProtocol } from '../compile/compile-protocol.ts'
import { ruleName } from '../compile/to-rules.ts'
import { buildEnginePair, type EnginePair } from './engine-pair.ts'
import { collectMissing, decisiveLeaves, dedupeMissing, explainNode, indexRun, type RunIndex } from './explain.ts'
import { and3, fromBounds, not3, or3, toTruth } from './kleene.ts'
import type { Tri } from './operators.ts'
import { recordWarnings } from './record-warnings.ts'

const pairs = { eligibility: new WeakMap<CompiledProtocol, EnginePair>(), endpoints: new WeakMap<CompiledProtocol, EnginePair>() }

/** The engine pair of a compiled protocol's eligibility rules (or endpoint rules), built on first use. */
export function enginePairOf(compiled: CompiledProtocol, part: 'eligibility' | 'endpoints' = 'eligibility'): EnginePair {
  let pair = pairs[part].get(compiled)
  if (!pair) {
    const ruleSet = part === 'eligibility' ? { rules: compiled.rules, counters: compiled.counters } : compiled.endpointRules
    pair = buildEnginePair(compiled, ruleSet)
    pairs[part].set(compiled, pair)
  }
  return pair
}

function asTri(t: Truth): Tri {
  return t === 'met' ? true : t === 'not_met' ? false : undefined
}

export interface Runs {
  lower: { conditions: RunIndex; rules: Map<string, boolean> }
  upper: { conditions: RunIndex; rules: Map<string, boolean> }
}

function ruleTruth(runs: Runs, name: string): Tri {
  const lo = runs.lower.rules.get(name)
  const hi = runs.upper.rules.get(name)
  if (lo === undefined || hi === undefined) throw new Error(`rule ${name} did not run`)
  return fromBounds(lo, hi)
}

function explainPart(c: CompiledCriterion, part: 'logic' | 'applies_if', root: NonNullable<CompiledCriterion['logic']>, runs: Runs): Explanation {
  return explainNode(root, {
    criterionId: c.id,
    ruleName: ruleName(c.id, part),
    lower: runs.lower.conditions,
    upper: runs.upper.conditions,
  })
}

function reasonOf(result: Omit<CriterionResult, 'reason'>): string {
  if (result.applicable === 'not_met' && result.applicability) {
    return `not applicable: ${result.applicability.label} is false`
  }
  const leaves = decisiveLeaves(result.explanation)
  const shown = leaves.slice(0, 3).map((l) => `${l.label}: ${l.detail ?? l.truth}`)
  const more = leaves.length > 3 ? ` (+${leaves.length - 3} more)` : ''
  return shown.join('; ') + more
}

function evaluateCriterion(c: CompiledCriterion, runs: Runs): CriterionResult {
  const truth = ruleTruth(runs, ruleName(c.id, 'logic'))
  const explanation = explainPart(c, 'logic', c.logic, runs)
  const applicability = c.applicability ? explainPart(c, 'applies_if', c.applicability, runs) : undefined
  const applies: Tri = c.applicability ? ruleTruth(runs, ruleName(c.id, 'applies_if')) : true
  if (asTri(explanation.truth) !== truth) throw new Error(`explanation of ${c.id} disagrees with the rule engine`)
  // The criterion as a whole includes its "if": an inclusion that does not apply is met
  // (nothing to satisfy), an exclusion that does not apply is not met (nothing excludes).
  const whole: Tri = c.kind === 'inclusion' ? or3(not3(applies), truth) : and3(applies, truth)
  const outcomeTri = c.kind === 'inclusion' ? whole : not3(whole)
  const missing =
    outcomeTri === undefined
      ? dedupeMissing([...(applies === undefined && applicability ? collectMissing(applicability) : []), ...(applies !== false ? collectMissing(explanation) : [])])
      : []
  const base: Omit<CriterionResult, 'reason'> = {
    id: c.id,
    kind: c.kind,
    text: c.text,
    truth: toTruth(whole),
    applicable: toTruth(applies),
    outcome: outcomeTri === true ? 'pass' : outcomeTri === false ? 'fail' : 'unknown',
    explanation,
    missing,
    ...(c.title ? { title: c.title } : {}),
    ...(applicability ? { applicability } : {}),
  }
  return { ...base, reason: reasonOf(base) }
}

/**
 * Evaluate a patient record against a compiled protocol.
 *
 * Missing data never passes or fails silently: a criterion whose outcome
 * depends on absent data is `unknown`, and the verdict lists what to enter.
 *
 * @example
 * const verdict = await evaluateEligibility(compileProtocol(doc), patient)
 * verdict.overall // 'eligible' | 'ineligible' | 'undetermined'
 */
export async function evaluateEligibility(compiled: CompiledProtocol, patient: PatientRecord): Promise<Verdict> {
  const { lower, upper } = await enginePairOf(compiled).run(patient)
  return verdictFromRuns(compiled, patient, { lower: indexRun(lower), upper: indexRun(upper) })
}

/**
 * The verdict from the two runs' indexed results: json-rules-engine's (above)
 * or the fast path's traced closures (engine/fast), so both explain alike.
 */
export function verdictFromRuns(compiled: CompiledProtocol, patient: PatientRecord, runs: Runs): Verdict {
  const criteria = compiled.criteria.map((c) => evaluateCriterion(c, runs))
  const failing = criteria.filter((c) => c.outcome === 'fail').map((c) => c.id)
  const undecided = criteria.filter((c) => c.outcome === 'unknown').map((c) => c.id)
  const overall = failing.length > 0 ? 'ineligible' : undecided.length > 0 ? 'undetermined' : 'eligible'
  const { registry_id, version } = compiled.document.protocol
  return {
    protocol: { registry_id, version },
    ...(patient.id ? { patient_id: patient.id } : {}),
    overall,
    failing,
    undecided,
    missing: dedupeMissing(criteria.flatMap((c) => c.missing)),
    criteria,
    warnings: recordWarnings(patient, compiled.dictionary),
  }
}
