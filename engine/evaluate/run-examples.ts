/**
 * Run a protocol's example patients (its own tests) and compare each verdict
 * with what the example expects.
 */
import { ContentCache, deepFreeze, derivedOnce } from '../load/content-cache.ts'
import type { CriterionResult, ExamplesDocument, PatientRecord, Truth, Verdict } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { applyMergePatch } from '../load/merge-patch.ts'
import { evaluatorOf } from '../backends/index.ts'
import { DEFAULT_BACKEND, type BackendName, type EligibilityEvaluator } from './backend.ts'
import { contentId, runContextKey } from '../compile/run-context-key.ts'
import { verdictOf } from './verdict.ts'

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
  // a shared examples document (the edit loop's, frozen by its content cache) keeps each criterion's result per example
  const shared = Object.isFrozen(examples)
  const out: ExampleOutcome[] = []
  for (const ex of examples.examples) {
    const patient = derivedOnce(examples, `patient:${ex.id}`, () => examplePatient(examples, ex.id))
    const verdict = shared ? await keptVerdict(evaluator, patient) : await evaluator.evaluate(patient)
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

/**
 * Each criterion's result kept per example record (frozen, shared by every run of the same examples text), by what it
 * reads: the criterion as written and everything else its facts may read (runContextKey); and the last few verdicts,
 * by every criterion's key at once. A draft that changed one criterion evaluates that one only; one that changed none
 * of them (its title, a comment) evaluates nothing. What is kept is read-only: every verdict built from it shares it.
 */
const keptResults = new WeakMap<PatientRecord, { verdicts: ContentCache<Verdict>; criteria: KeptCriteria }>()

/**
 * The criterion results of the last draft run and of the one before (so that undoing an edit finds them again), by
 * key: each run keeps only what it used, so nothing grows, and a look-up moves nothing (an LRU's re-insertion of
 * each of thousands of hits per run cost more than the look-ups).
 */
interface KeptCriteria {
  current: Map<string, CriterionResult>
  previous: Map<string, CriterionResult>
}

interface ResultKeys {
  /** Every criterion's key together. */
  verdict: string
  /** Each criterion's, in protocol order. */
  criteria: string[]
}

/** The keys of a compiled protocol's results, once per compiled protocol and backend. */
const resultKeys = new WeakMap<CompiledProtocol, Map<string, ResultKeys>>()

function keysOf(compiled: CompiledProtocol, backend: string): ResultKeys {
  let byBackend = resultKeys.get(compiled)
  if (!byBackend) resultKeys.set(compiled, (byBackend = new Map()))
  let keys = byBackend.get(backend)
  if (!keys) {
    const context = runContextKey(compiled, backend)
    const ids = compiled.document.criteria.map(c => contentId(JSON.stringify(c)))
    keys = { verdict: `${context}:${ids.join(',')}`, criteria: ids.map(id => `${context}:${id}`) }
    byBackend.set(backend, keys)
  }
  return keys
}

async function keptVerdict(evaluator: EligibilityEvaluator, patient: PatientRecord): Promise<Verdict> {
  const { compiled } = evaluator
  const keys = keysOf(compiled, evaluator.backend)
  let kept = keptResults.get(patient)
  if (!kept) keptResults.set(patient, (kept = { verdicts: new ContentCache(4), criteria: { current: new Map(), previous: new Map() } }))
  const whole = kept.verdicts.peek(keys.verdict)
  if (whole) return whole
  const { current, previous } = kept.criteria
  const results = keys.criteria.map(k => current.get(k) ?? previous.get(k))
  const changed = new Set(compiled.criteria.filter((_, i) => results[i] === undefined).map(c => c.id))
  if (changed.size > 0) {
    const fresh = new Map((await evaluator.explainCriteria(patient, changed)).map(r => [r.id, deepFreeze(r)]))
    for (const [i, c] of compiled.criteria.entries()) results[i] ??= fresh.get(c.id)
  }
  const used = new Map(keys.criteria.map((k, i) => [k, results[i] as CriterionResult]))
  kept.criteria = { current: used, previous: current }
  const verdict = deepFreeze(verdictOf(compiled, patient, results as CriterionResult[]))
  kept.verdicts.set(keys.verdict, verdict)
  return verdict
}
