/**
 * The fast backend: a compiled protocol's criteria as closures
 * (compile-fast.ts), evaluated synchronously record after record. Its
 * answers are the reference backend's (json-rules-engine), which
 * test/engine/backends/conformance.test.ts and the property test
 * test/engine/fast/equivalence.test.ts check on every shipped protocol.
 */
import type { CriterionKind, CriterionResult, PatientRecord, Verdict } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import type { EligibilityBackend, EligibilityEvaluator, ScreenCriterion, ScreenVerdict, ScreenVerdictOptions } from '../evaluate/backend.ts'
import type { EvidenceFn } from '../evaluate/facts/registry.ts'
import { criterionWhole, outcomeOf, overallOf, toTruth } from '../evaluate/kleene.ts'
import { newTrace, type Trace } from '../evaluate/trace.ts'
import { criterionResult, verdictFromTrace } from '../evaluate/verdict.ts'
import { beginRecord, treeCompiler, type Closure } from './compile-fast.ts'

interface FastCriterion {
  id: string
  kind: CriterionKind
  logic: Closure
  applies?: Closure
}

/**
 * Compile a protocol's criteria to closures: an evaluator reusable for any
 * number of records, one at a time (its working state is reused).
 *
 * @param facts - the fact table, by default the engine's (benchmarks time the closures alone with precomputed evidence)
 * @example
 * const fast = compileFast(compileProtocol(doc))
 * fast.screen(patient).overall // 'eligible' | 'ineligible' | 'undetermined'
 */
export function compileFast(compiled: CompiledProtocol, facts?: Readonly<Record<string, EvidenceFn>>): EligibilityEvaluator<'sync'> {
  // the reference backend's fact context for eligibility: no visit (run context {})
  const ctx = { doc: compiled.document, params: compiled.parameters, dictionary: compiled.dictionary, extensions: compiled.extensions, run: {} }
  const compiler = treeCompiler(ctx, facts)
  const criteria: FastCriterion[] = compiled.criteria.map(c => ({
    id: c.id,
    kind: c.kind,
    logic: compiler.part(c.id, 'logic', c.logic),
    ...(c.applicability ? { applies: compiler.part(c.id, 'applies_if', c.applicability) } : {}),
  }))
  const state = compiler.newState()

  /** Every leaf of the criteria given run and recorded. */
  function traced(patient: PatientRecord, which: readonly FastCriterion[]): Trace {
    const trace = newTrace()
    const s = beginRecord(state, patient, trace)
    try {
      for (const c of which) {
        c.logic(s)
        c.applies?.(s)
      }
    } finally {
      s.trace = null
    }
    return trace
  }

  function evaluate(patient: PatientRecord): Verdict {
    return verdictFromTrace(compiled, patient, traced(patient, criteria))
  }

  function explainCriteria(patient: PatientRecord, ids: ReadonlySet<string>): CriterionResult[] {
    const trace = traced(
      patient,
      criteria.filter(c => ids.has(c.id)),
    )
    return compiled.criteria.filter(c => ids.has(c.id)).map(c => criterionResult(c, trace))
  }

  function screen(patient: PatientRecord, options: ScreenVerdictOptions = {}): ScreenVerdict {
    const s = beginRecord(state, patient, null)
    // a plain loop and no intermediate objects: this runs for every record screened
    const results: ScreenCriterion[] = []
    for (const c of criteria) {
      const logic = c.logic(s)
      const applies = c.applies ? c.applies(s) : true
      const whole = criterionWhole(c.kind, logic, applies)
      results.push({ id: c.id, kind: c.kind, truth: toTruth(whole), applicable: toTruth(applies), outcome: outcomeOf(c.kind, whole) })
    }
    const { overall, failing, undecided } = overallOf(results)
    const verdict: ScreenVerdict = patient.id
      ? { patient_id: patient.id, overall, failing, undecided, criteria: results }
      : { overall, failing, undecided, criteria: results }
    // the data still needed comes from the explanations: traced only when something is undecided
    if (options.missing) verdict.missing = verdict.undecided.length > 0 ? evaluate(patient).missing : []
    return verdict
  }

  return { backend: 'fast', mode: 'sync', compiled, evaluate, screen, explainCriteria }
}

const evaluators = new WeakMap<CompiledProtocol, EligibilityEvaluator<'sync'>>()

/** Closures compiled from the normalised criteria: synchronous, for screening many records. */
export const fastBackend: EligibilityBackend<'sync'> = {
  name: 'fast',
  mode: 'sync',
  evaluatorOf(compiled) {
    let evaluator = evaluators.get(compiled)
    if (!evaluator) {
      evaluator = compileFast(compiled)
      evaluators.set(compiled, evaluator)
    }
    return evaluator
  },
}
