/**
 * Run a protocol's example subjects (follow-up with hand-worked endpoint
 * results) and list every result that differs from the expectation.
 */
import type { ExamplesDocument, SubjectEndpointResults, SubjectRecord } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { ContentCache, deepFreeze, derivedOnce } from '../load/content-cache.ts'
import { applyMergePatch } from '../load/merge-patch.ts'
import { evaluateSubject, type EvaluateSubjectOptions } from './evaluate-subject.ts'
import { runContextKey } from '../compile/run-context-key.ts'

export interface SubjectExampleOutcome {
  id: string
  description: string
  passed: boolean
  mismatches: Array<{ subject: string; expected: unknown; actual: unknown }>
  results: SubjectEndpointResults
}

/** The record of one example subject: the base subject with its patch, its arm and id. */
export function exampleSubject(examples: ExamplesDocument, id: string): SubjectRecord {
  const ex = examples.subjects?.find(s => s.id === id)
  if (!ex || !examples.base_subject) throw new Error(`no example subject ${id}`)
  const record = applyMergePatch(examples.base_subject, ex.record) as SubjectRecord
  return { ...record, id: ex.id, arm: ex.arm }
}

/**
 * @param options - `backend`: which evaluates the response endpoints (default `fast`, as runExamples)
 * @example
 * const outcomes = await runSubjectExamples(compiled, examples)
 * outcomes.filter((o) => !o.passed) // [] when every endpoint comes out as worked by hand
 */
export function runSubjectExamples(
  compiled: CompiledProtocol,
  examples: ExamplesDocument,
  options: EvaluateSubjectOptions = {},
): Promise<SubjectExampleOutcome[]> {
  // from a shared examples document (the edit loop's, frozen by its content cache), the last few runs are kept by what
  // they read: a draft that changed only its eligibility criteria does not run the subjects again
  if (!Object.isFrozen(examples)) return runAll(compiled, examples, options)
  let runs = keptRuns.get(examples)
  if (!runs) keptRuns.set(examples, (runs = new ContentCache(KEPT_RUNS)))
  const key = runContextKey(compiled, options.backend ?? '')
  const run = runs.get(key, () => runAll(compiled, examples, options).then(deepFreeze))
  // a failed run is not kept
  run.catch(() => runs.forget(key))
  return run
}

/** Runs kept per examples document, by what a subject's endpoints read (runContextKey: engine/endpoints reads no criterion). */
const keptRuns = new WeakMap<ExamplesDocument, ContentCache<Promise<SubjectExampleOutcome[]>>>()
const KEPT_RUNS = 4

async function runAll(compiled: CompiledProtocol, examples: ExamplesDocument, options: EvaluateSubjectOptions): Promise<SubjectExampleOutcome[]> {
  const out: SubjectExampleOutcome[] = []
  for (const ex of examples.subjects ?? []) {
    const r = await evaluateSubject(
      compiled,
      derivedOnce(examples, `subject:${ex.id}`, () => exampleSubject(examples, ex.id)),
      options,
    )
    const mismatches: SubjectExampleOutcome['mismatches'] = []
    const check = (subject: string, expected: unknown, actual: unknown) => {
      const same = typeof expected === 'number' && typeof actual === 'number' ? Math.abs(expected - actual) < 1e-9 : expected === actual
      if (!same) mismatches.push({ subject, expected, actual })
    }
    const e = ex.expect
    for (const [endpoint, byVisit] of Object.entries(e.responses ?? {})) {
      for (const [visit, want] of Object.entries(byVisit))
        check(`${endpoint}@${visit}`, want, r.responses.find(x => x.endpoint === endpoint && x.visit === visit)?.truth)
    }
    for (const [endpoint, byVisit] of Object.entries(e.classifications ?? {})) {
      for (const [visit, want] of Object.entries(byVisit))
        check(`${endpoint}@${visit}`, want, r.classifications.find(x => x.endpoint === endpoint && x.visit === visit)?.level)
    }
    for (const [endpoint, want] of Object.entries(e.time_to_event ?? {})) {
      const t = r.times_to_event.find(x => x.endpoint === endpoint)
      // a number expects an exact time, { after, by } an interval, written "(after, by]": neither matches the other
      const interval = (x: { after: number; by: number }) => `(${x.after}, ${x.by}]`
      const actual = !t?.event ? null : t.interval ? interval({ after: t.interval.after_days, by: t.interval.by_days }) : t.days
      check(endpoint, want !== null && typeof want === 'object' ? interval(want) : want, actual ?? null)
    }
    for (const [endpoint, byVisit] of Object.entries(e.changes ?? {})) {
      for (const [visit, want] of Object.entries(byVisit))
        check(`${endpoint}@${visit}`, want, r.changes.find(x => x.endpoint === endpoint && x.visit === visit)?.value ?? null)
    }
    for (const [endpoint, byVisit] of Object.entries(e.responder_index ?? {})) {
      for (const [visit, want] of Object.entries(byVisit))
        check(`${endpoint}@${visit}`, want, r.responder_index.find(x => x.endpoint === endpoint && x.visit === visit)?.value ?? null)
    }
    for (const [endpoint, want] of Object.entries(e.safety ?? {})) check(endpoint, want, r.safety.find(x => x.endpoint === endpoint)?.value ?? null)
    out.push({ id: ex.id, description: ex.description, passed: mismatches.length === 0, mismatches, results: r })
  }
  return out
}
