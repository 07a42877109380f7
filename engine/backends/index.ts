/**
 * The eligibility backends by name (evaluate/backend.ts says what each is).
 *
 * @example
 * const verdict = await evaluatorOf(compiled, 'fast').evaluate(patient) // the same Verdict as 'reference'
 */
import type { PatientRecord, Verdict } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { DEFAULT_BACKEND, type BackendName, type BriefVerdict, type EligibilityBackend, type EligibilityEvaluator } from '../evaluate/backend.ts'
import { recordWarnings } from '../evaluate/record-warnings.ts'
import { referenceBackend } from '../evaluate/evaluate.ts'
import { fastBackend } from '../fast/evaluate-fast.ts'

export const BACKENDS = { reference: referenceBackend, fast: fastBackend } as const satisfies Record<BackendName, EligibilityBackend>

/** The backends' names, as the CLI's `--engine` and the API's `?engine=` take them. */
export const BACKEND_NAMES = Object.keys(BACKENDS) as BackendName[]

export const isBackendName = (name: string): name is BackendName => (BACKEND_NAMES as string[]).includes(name)

/** The evaluator of a compiled protocol on the backend named, prepared once per compiled protocol. */
export function evaluatorOf(compiled: CompiledProtocol, name: 'fast'): EligibilityEvaluator<'sync'>
export function evaluatorOf(compiled: CompiledProtocol, name: 'reference'): EligibilityEvaluator<'async'>
export function evaluatorOf(compiled: CompiledProtocol, name: BackendName): EligibilityEvaluator
export function evaluatorOf(compiled: CompiledProtocol, name: BackendName): EligibilityEvaluator {
  return BACKENDS[name].evaluatorOf(compiled)
}

export interface EvaluateOptions {
  /** The backend that evaluates (default `fast`; `reference` is json-rules-engine): the same Verdict either way. */
  backend?: BackendName
}

/**
 * Evaluate a patient record against a compiled protocol, with an explanation
 * per criterion and the data still needed.
 *
 * Missing data never passes or fails silently: a criterion whose outcome
 * depends on absent data is `unknown`, and the verdict lists what to enter.
 *
 * @example
 * const verdict = await evaluateEligibility(compileProtocol(doc), patient)
 * verdict.overall // 'eligible' | 'ineligible' | 'undetermined'
 * await evaluateEligibility(compiled, patient, { backend: 'reference' }) // the same, on json-rules-engine
 */
export async function evaluateEligibility(compiled: CompiledProtocol, patient: PatientRecord, options: EvaluateOptions = {}): Promise<Verdict> {
  return evaluatorOf(compiled, options.backend ?? DEFAULT_BACKEND).evaluate(patient)
}

/**
 * The verdict without explanations ({@link BriefVerdict}): what
 * `evaluateEligibility` answers, less each criterion's explanation and
 * reason, which are never built (on the fast backend a record with nothing
 * undecided is not traced at all).
 *
 * @example
 * const brief = await evaluateBriefly(compiled, patient)
 * brief.missing // the data still needed, as in the full verdict
 */
export async function evaluateBriefly(compiled: CompiledProtocol, patient: PatientRecord, options: EvaluateOptions = {}): Promise<BriefVerdict> {
  const { registry_id, version } = compiled.document.protocol
  const { criteria, missing, ...screened } = await evaluatorOf(compiled, options.backend ?? DEFAULT_BACKEND).screen(patient, { missing: true })
  return { protocol: { registry_id, version }, ...screened, missing: missing ?? [], criteria, warnings: recordWarnings(patient, compiled.dictionary) }
}
