/**
 * Run a protocol's example patients (its own tests) and compare each verdict
 * with what the example expects.
 */
import { derivedOnce } from '../load/content-cache.ts'
import type { ExamplesDocument, PatientRecord, Truth, Verdict } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { applyMergePatch } from '../load/merge-patch.ts'
import { evaluatorOf } from '../backends/index.ts'
import { DEFAULT_BACKEND, type BackendName } from './backend.ts'

export interface ExampleMismatch {
  /** `overall` or a criterion id. */
  subject: string
  expected: string
  actual: string
}

export interface ExampleOutcome {
  id: string
  description: string
  passed: boolean
  mismatches: ExampleMismatch[]
  verdict: Verdict
}

/** The patient record of one example: the base record with the example's merge patch applied. */
export function examplePatient(examples: ExamplesDocument, id: string): PatientRecord {
  const ex = examples.examples.find(e => e.id === id)
  if (!ex) throw new Error(`no example ${id}`)
  const patient = applyMergePatch(examples.base_patient, ex.patch ?? {}) as PatientRecord
  // an example is known by its own id, not the base record's, unless its patch sets one
  return { ...patient, id: typeof ex.patch?.id === 'string' ? ex.patch.id : ex.id }
}

export interface RunExamplesOptions {
  /**
   * The backend that evaluates them: `fast` unless asked (the designer's edit loop runs them on every change;
   * the conformance suite holds `fast` to `reference`, json-rules-engine, on every example patient).
   */
  backend?: BackendName
}

/**
 * Evaluate every example and list where the verdict differs from the expectation.
 *
 * @example
 * const outcomes = await runExamples(compiled, examples)
 * outcomes.filter((o) => !o.passed) // [] when the protocol behaves as its designer expects
 */
export async function runExamples(compiled: CompiledProtocol, examples: ExamplesDocument, options: RunExamplesOptions = {}): Promise<ExampleOutcome[]> {
  const evaluator = evaluatorOf(compiled, options.backend ?? DEFAULT_BACKEND)
  const out: ExampleOutcome[] = []
  for (const ex of examples.examples) {
    const verdict = await evaluator.evaluate(derivedOnce(examples, `patient:${ex.id}`, () => examplePatient(examples, ex.id)))
    const mismatches: ExampleMismatch[] = []
    if (verdict.overall !== ex.expect.overall) mismatches.push({ subject: 'overall', expected: ex.expect.overall, actual: verdict.overall })
    for (const [id, expected] of Object.entries(ex.expect.criteria ?? {}) as Array<[string, Truth]>) {
      const actual = verdict.criteria.find(c => c.id === id)?.truth ?? 'absent'
      if (actual !== expected) mismatches.push({ subject: id, expected, actual })
    }
    out.push({ id: ex.id, description: ex.description, passed: mismatches.length === 0, mismatches, verdict })
  }
  return out
}
