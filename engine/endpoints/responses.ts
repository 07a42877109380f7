/**
 * Response endpoints at each visit (three-valued, with explanations) on
 * either backend (the fast one by default; json-rules-engine as
 * `reference`), and graded classifications (CR / PR / NR); time to first
 * response is in time-to-event.ts.
 */
import type { ClassificationAtVisit, ClassificationEndpoint, Endpoint, ResponseAtVisit, SubjectRecord } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { ruleName } from '../compile/to-rules.ts'
import { enginePairOf } from '../evaluate/evaluate.ts'
import { traceOfRuns } from '../evaluate/engine-pair.ts'
import { DEFAULT_BACKEND, type BackendName } from '../evaluate/backend.ts'
import type { Trace } from '../evaluate/trace.ts'
import { fastEndpointsOf } from '../fast/endpoints-fast.ts'
import { collectMissing, dedupeMissing, explainNode } from '../evaluate/explain.ts'
import { toTruth } from '../evaluate/kleene.ts'
import { visitLabel } from '../compile/labels.ts'
import { runAt, type SubjectCalendar } from './calendar.ts'

/** The Trace of every response endpoint at one visit, on the backend named. */
async function traceAt(compiled: CompiledProtocol, subject: SubjectRecord, calendar: SubjectCalendar, visit: string, backend: BackendName): Promise<Trace> {
  const run = runAt(calendar, visit)
  if (backend === 'fast') return fastEndpointsOf(compiled).traceAt(subject, run, calendar.memo)
  const { lower, upper } = await enginePairOf(compiled, 'endpoints').run(subject, run)
  return traceOfRuns(lower, upper)
}

/** Every response endpoint at every visit it lists. */
export async function evaluateResponses(
  compiled: CompiledProtocol,
  subject: SubjectRecord,
  calendar: SubjectCalendar,
  backend: BackendName = DEFAULT_BACKEND,
): Promise<ResponseAtVisit[]> {
  const endpoints = (compiled.document.endpoints ?? []).filter((e): e is Extract<Endpoint, { type: 'response' }> => e.type === 'response')
  const visits = calendar.order.filter(v => endpoints.some(e => e.visits.includes(v)))
  const out: ResponseAtVisit[] = []
  for (const visit of visits) {
    const trace = await traceAt(compiled, subject, calendar, visit, backend)
    for (const e of endpoints.filter(x => x.visits.includes(visit))) {
      const compiledEndpoint = compiled.endpoints.find(c => c.id === e.id)
      if (!compiledEndpoint) throw new Error(`endpoint ${e.id} was not compiled`)
      const name = ruleName(e.id, 'logic')
      if (!trace.rules.has(name)) throw new Error(`rule ${name} did not run`)
      const truth = trace.rules.get(name)
      const explanation = explainNode(compiledEndpoint.logic, { criterionId: e.id, ruleName: name, trace })
      out.push({ endpoint: e.id, visit, truth: toTruth(truth), explanation, missing: dedupeMissing(collectMissing(explanation)) })
    }
  }
  return out
}

/** The first level met, in order; an undecided level before it makes the grade unknown ("at least PR"). */
export function classify(endpoint: ClassificationEndpoint, responses: ResponseAtVisit[], visit: string, visitName: string): ClassificationAtVisit {
  const undecided: string[] = []
  const missing = []
  for (const { level, endpoint: id } of endpoint.levels) {
    const r = responses.find(x => x.endpoint === id && x.visit === visit)
    if (!r) {
      undecided.push(level)
      missing.push({ key: `endpoint:${id}:${visit}`, description: `${id} is not evaluated at ${visitName}` })
      continue
    }
    if (r.truth === 'met') {
      const base = { endpoint: endpoint.id, visit }
      if (undecided.length === 0) return { ...base, level, detail: `${level} at ${visitName}`, missing: [] }
      return {
        ...base,
        level: 'unknown',
        at_least: level,
        possible: [...undecided, level],
        detail: `at least ${level} at ${visitName}; ${undecided.join(', ')} undecided`,
        missing: dedupeMissing(missing),
      }
    }
    if (r.truth === 'unknown') {
      undecided.push(level)
      missing.push(...r.missing)
    }
  }
  if (undecided.length > 0) {
    return {
      endpoint: endpoint.id,
      visit,
      level: 'unknown',
      possible: [...undecided, endpoint.otherwise],
      detail: `${undecided.join(', ')} undecided at ${visitName}`,
      missing: dedupeMissing(missing),
    }
  }
  return {
    endpoint: endpoint.id,
    visit,
    level: endpoint.otherwise,
    detail: `${endpoint.levels.map(l => l.level).join(' and ')} not met at ${visitName}`,
    missing: [],
  }
}

export function evaluateClassifications(compiled: CompiledProtocol, responses: ResponseAtVisit[], calendar: SubjectCalendar): ClassificationAtVisit[] {
  const doc = compiled.document
  return (doc.endpoints ?? [])
    .filter((e): e is ClassificationEndpoint => e.type === 'classification')
    .flatMap(e => calendar.order.filter(v => e.visits.includes(v)).map(v => classify(e, responses, v, visitLabel(doc, v))))
}
