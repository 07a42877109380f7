/**
 * A subject's visits on the calendar, as the facts need them: day windows
 * by visit id, with the actual visit date when the record has it; and the
 * fact context of each visit, sharing one memo of what the facts derive from
 * the subject's record alone.
 */
import type { ProtocolDocument, SubjectRecord } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import type { ResolvedParameters } from '../compile/ir.ts'
import type { FactContext, RecordMemo, RunContext, VisitDays } from '../evaluate/facts/context.ts'
import { parseIsoDate } from '../calculators/dates.ts'
import { planVisits, visitWindowDays } from '../schedule/index.ts'

export interface SubjectCalendar {
  /** Visit ids in protocol order. */
  order: string[]
  visitDays: Map<string, VisitDays>
  /** Why the visits could not be placed, when they could not. */
  problem?: RunContext['visitProblem']
  /**
   * What the facts derive from the subject's record alone (its measurements by concept…), computed once for every
   * endpoint at every visit (facts/context.ts `memoized`): one subject's record, one evaluation.
   */
  memo: RecordMemo
}

export function subjectCalendar(doc: ProtocolDocument, params: ResolvedParameters, subject: SubjectRecord): SubjectCalendar {
  const visits = doc.visits ?? []
  const refs = [...new Set(visits.map(v => v.ref))]
  const missingRef = refs.find(r => subject.dates?.[r] === undefined)
  const order = visits.map(v => v.id)
  if (missingRef !== undefined) {
    const label = doc.reference_dates[missingRef]?.label ?? missingRef
    return {
      order,
      visitDays: new Map(),
      problem: { key: `dates.${missingRef}`, description: `${label} date (the visit schedule counts from it)` },
      memo: new Map(),
    }
  }
  const plan = planVisits(visits, subject.dates ?? {}, params)
  const visitDays = new Map<string, VisitDays>()
  for (const id of order) {
    const w = visitWindowDays(plan.visits, id)
    if (!w) continue
    const actualText = subject.visits?.find(v => v.visit === id)?.date
    const actual = actualText === undefined ? undefined : parseIsoDate(actualText)
    visitDays.set(id, actual === undefined ? w : { ...w, actual })
  }
  return { order, visitDays, memo: new Map() }
}

/** The run context for evaluating endpoints at one visit. */
export function runAt(calendar: SubjectCalendar, visit: string): RunContext {
  return { currentVisit: visit, visitDays: calendar.visitDays, ...(calendar.problem ? { visitProblem: calendar.problem } : {}) }
}

/** The facts' context for an endpoint at `visit` (none: not about one visit), with the subject's memo. */
export function factContextAt(compiled: CompiledProtocol, calendar: SubjectCalendar, visit?: string): FactContext {
  return {
    doc: compiled.document,
    params: compiled.parameters,
    dictionary: compiled.dictionary,
    extensions: compiled.extensions,
    ...(visit === undefined ? {} : { run: runAt(calendar, visit) }),
    record: calendar.memo,
  }
}
