/**
 * An eligibility backend: what turns a compiled protocol into an evaluator
 * of patient records. Two implement it and give the same answers
 * (test/engine/backends/conformance.test.ts runs one suite against both):
 *
 * - `reference` (evaluate.ts): json-rules-engine over the compiled rules,
 *   run twice (unknown as false, then as true); asynchronous, as
 *   json-rules-engine is.
 * - `fast` (engine/fast): closures compiled from the normalised criterion
 *   trees, both bounds at once; synchronous, for screening many records.
 *
 * `mode` says which: a caller that must stay synchronous (a streamed
 * screening slice) asks for an `EligibilityEvaluator<'sync'>`; any other
 * `await`s the answer of either. Pick one by name with engine/backends.
 */
import type { CriterionKind, CriterionResult, MissingData, Overall, PatientRecord, Truth, Verdict } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import type { Outcome } from './kleene.ts'

export type BackendName = 'reference' | 'fast'

/** The backend used when none is named: the fast one, held to json-rules-engine's answers by the conformance suite. */
export const DEFAULT_BACKEND: BackendName = 'fast'
export type EvaluationMode = 'sync' | 'async'

/** An answer now (`sync`) or later (`async`). */
export type Answer<M extends EvaluationMode, T> = M extends 'sync' ? T : Promise<T>

/** One criterion's result without explanations: the fields of CriterionResult that decide the verdict. */
export interface ScreenCriterion {
  id: string
  kind: CriterionKind
  /** The criterion as a whole, its "if" included (CriterionResult.truth). */
  truth: Truth
  applicable: Truth
  outcome: Outcome
}

/** A verdict without explanations: what screening counts. */
export interface ScreenVerdict {
  patient_id?: string
  overall: Overall
  failing: string[]
  undecided: string[]
  criteria: ScreenCriterion[]
  /** With `{ missing: true }`: the data still needed (as Verdict.missing). */
  missing?: MissingData[]
}

export interface ScreenVerdictOptions {
  /** Also list the data still needed (the fast backend then traces an undecided record: about one explanation's cost). */
  missing?: boolean
}

/** A compiled protocol's eligibility criteria, ready for any number of records. */
export interface EligibilityEvaluator<M extends EvaluationMode = EvaluationMode> {
  readonly backend: BackendName
  readonly mode: M
  readonly compiled: CompiledProtocol
  /** The full verdict, with per-criterion explanations. */
  evaluate(patient: PatientRecord): Answer<M, Verdict>
  /** The verdict without explanations (cheaper on the fast backend). */
  screen(patient: PatientRecord, options?: ScreenVerdictOptions): Answer<M, ScreenVerdict>
  /**
   * The results (explanations included) of the criteria named only, in protocol order, as `evaluate` gives them: the
   * edit loop re-evaluates only the criteria a draft changed (the fast backend evaluates no other).
   */
  explainCriteria(patient: PatientRecord, ids: ReadonlySet<string>): Answer<M, CriterionResult[]>
}

export interface EligibilityBackend<M extends EvaluationMode = EvaluationMode> {
  readonly name: BackendName
  readonly mode: M
  /** The evaluator of a compiled protocol, prepared once per compiled protocol and kept. */
  evaluatorOf(compiled: CompiledProtocol): EligibilityEvaluator<M>
}

/** A full verdict reduced to what screening counts. */
export function screenVerdictOf(v: Verdict, options: ScreenVerdictOptions = {}): ScreenVerdict {
  return {
    ...(v.patient_id !== undefined ? { patient_id: v.patient_id } : {}),
    overall: v.overall,
    failing: v.failing,
    undecided: v.undecided,
    criteria: v.criteria.map(({ id, kind, truth, applicable, outcome }) => ({ id, kind, truth, applicable, outcome })),
    ...(options.missing ? { missing: v.missing } : {}),
  }
}

/**
 * A verdict without explanations, for callers that only act on it (an
 * integrator's batch, a form's live badge): the per-criterion outcomes, the
 * data still needed and the record's warnings, in a tenth of the full
 * verdict's size. Unknown stays unknown: nothing that decides the verdict is
 * left out, only the why.
 */
export interface BriefVerdict {
  protocol: Verdict['protocol']
  patient_id?: string
  overall: Overall
  failing: string[]
  undecided: string[]
  missing: MissingData[]
  criteria: ScreenCriterion[]
  warnings: string[]
}

/** A full verdict reduced to a brief one: the same fields in the same order, the explanations dropped. */
export function briefVerdictOf(v: Verdict): BriefVerdict {
  const { criteria, ...screened } = screenVerdictOf(v)
  return { protocol: v.protocol, ...screened, missing: v.missing, criteria, warnings: v.warnings }
}
