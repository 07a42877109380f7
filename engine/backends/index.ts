/**
 * The eligibility backends by name (evaluate/backend.ts says what each is).
 *
 * @example
 * const verdict = await evaluatorOf(compiled, 'fast').evaluate(patient) // the same Verdict as 'reference'
 */
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import type { BackendName, EligibilityBackend, EligibilityEvaluator } from '../evaluate/backend.ts'
import { referenceBackend } from '../evaluate/evaluate.ts'
import { fastBackend } from '../fast/evaluate-fast.ts'

export const BACKENDS = { reference: referenceBackend, fast: fastBackend } as const satisfies Record<BackendName, EligibilityBackend>

/** The evaluator of a compiled protocol on the backend named, prepared once per compiled protocol. */
export function evaluatorOf(compiled: CompiledProtocol, name: 'fast'): EligibilityEvaluator<'sync'>
export function evaluatorOf(compiled: CompiledProtocol, name: 'reference'): EligibilityEvaluator<'async'>
export function evaluatorOf(compiled: CompiledProtocol, name: BackendName): EligibilityEvaluator
export function evaluatorOf(compiled: CompiledProtocol, name: BackendName): EligibilityEvaluator {
  return BACKENDS[name].evaluatorOf(compiled)
}
