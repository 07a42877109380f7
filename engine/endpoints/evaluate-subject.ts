/**
 * Every endpoint of a protocol for one subject: responses and grades at each
 * visit, time to response, changes from baseline, SRI, safety.
 */
import type { SubjectEndpointResults, SubjectRecord } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { DEFAULT_BACKEND, type BackendName } from '../evaluate/backend.ts'
import { subjectCalendar } from './calendar.ts'
import { evaluateClassifications, evaluateResponses } from './responses.ts'
import { evaluateTimesToEvent } from './time-to-event.ts'
import { evaluateFirstEvents } from './first-event.ts'
import { evaluateChanges, evaluateResponderIndex } from './scores.ts'
import { evaluateSafety } from './safety.ts'

export interface EvaluateSubjectOptions {
  /** Which backend evaluates the response endpoints (default `fast`; `reference` is json-rules-engine): the same results either way. */
  backend?: BackendName
}

/**
 * Evaluate a subject's follow-up against the protocol's endpoints.
 *
 * @example
 * const results = await evaluateSubject(compileProtocol(doc), subject)
 * results.classifications.find((c) => c.visit === 'week_24')?.level // 'CR' | 'PR' | 'NR' | 'unknown'
 */
export async function evaluateSubject(
  compiled: CompiledProtocol,
  subject: SubjectRecord,
  options: EvaluateSubjectOptions = {},
): Promise<SubjectEndpointResults> {
  const calendar = subjectCalendar(compiled.document, compiled.parameters, subject)
  const responses = await evaluateResponses(compiled, subject, calendar, options.backend ?? DEFAULT_BACKEND)
  const classifications = evaluateClassifications(compiled, responses, calendar)
  return {
    subject: subject.id ?? '(no id)',
    ...(subject.arm !== undefined ? { arm: subject.arm } : {}),
    responses,
    classifications,
    times_to_event: [...evaluateTimesToEvent(compiled, subject, classifications, calendar), ...evaluateFirstEvents(compiled, subject, calendar)],
    changes: evaluateChanges(compiled, subject, calendar),
    responder_index: evaluateResponderIndex(compiled, subject, calendar),
    safety: evaluateSafety(compiled, subject, calendar),
  }
}
