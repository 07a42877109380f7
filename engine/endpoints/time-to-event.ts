/**
 * Time to first response from graded visits, with interval censoring.
 *
 * Visit-based assessments see a response only at a visit, so the time is
 * known to lie between the last visit known *not* to be the event and the
 * first visit known to be it. When those two visits are consecutive on the
 * schedule (or the event is at the first scheduled visit) the time is
 * "exact at the visit": the design's own resolution. When visits in between
 * could not be graded, the time is interval-censored and reported as such,
 * with one point of the interval (the endpoint's `interval_censored_as`) in
 * `days` and in the per-arm Kaplan–Meier.
 */
import type { ClassificationAtVisit, IntervalConvention, ProtocolDocument, SubjectRecord, TimeToEventEndpoint, TimeToEventResult } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import type { ResolvedParameters } from '../compile/ir.ts'
import { resolveString } from '../compile/resolve.ts'
import { describeRef, visitLabel } from '../compile/labels.ts'
import { daysBetween, formatIsoDate, parseIsoDate } from '../calculators/dates.ts'
import type { SubjectCalendar } from './calendar.ts'

/**
 * Right endpoint by default: the event is dated at the assessment that first
 * shows it (FDA, Clinical Trial Endpoints for the Approval of Cancer Drugs and
 * Biologics, Guidance for Industry, Dec 2018, Appendix 2: the date "assigned
 * to the first time at which progression can be declared").
 */
export const DEFAULT_INTERVAL_CONVENTION: IntervalConvention = 'right'

/** In words, for details, the CLI and describe. */
export const INTERVAL_CONVENTION_WORDS: Record<IntervalConvention, string> = {
  right: 'right endpoint: the visit at which it was first seen',
  midpoint: 'midpoint of the interval',
}

/** The endpoint's convention, its `{ param }` resolved; anything but right or midpoint is an error. */
export function intervalConvention(e: Pick<TimeToEventEndpoint, 'id' | 'interval_censored_as'>, params: ResolvedParameters): IntervalConvention {
  const v = e.interval_censored_as === undefined ? DEFAULT_INTERVAL_CONVENTION : resolveString(e.interval_censored_as, params)
  if (v !== 'right' && v !== 'midpoint') throw new Error(`interval_censored_as of ${e.id} is "${v}": expected right or midpoint`)
  return v
}

/**
 * The one number an interval (after_days, by_days] stands for.
 * - right: by_days, the first visit known to be the event (default, above).
 * - midpoint: (after_days + by_days) / 2 (Law CG, Brookmeyer R. Effects of
 *   mid-point imputation on the analysis of doubly censored data. Stat Med
 *   1992;11(12):1569–1578: little bias while intervals are short relative to
 *   the times, more as they widen).
 */
export function intervalPoint(interval: { after_days: number; by_days: number }, convention: IntervalConvention): number {
  return convention === 'right' ? interval.by_days : (interval.after_days + interval.by_days) / 2
}

/** The time a per-arm estimate uses for one subject under a convention, and whether it is an event; undefined when unknown. */
export function observedTime(t: TimeToEventResult, convention: IntervalConvention): { time: number; event: boolean } | undefined {
  if (t.event && t.interval) return { time: intervalPoint(t.interval, convention), event: true }
  const time = t.event ? t.days : t.censored_at_days
  return time === undefined ? undefined : { time, event: t.event }
}

export type EventStatus = 'event' | 'no_event' | 'unknown'

/**
 * Whether a visit's grade is the event. An unknown grade is still decided
 * when every level it can still be is on the same side: "at least PR" is a
 * response for time to PR-or-CR, and "PR or NR" (CR ruled out) is no CR.
 */
export function eventStatus(grade: ClassificationAtVisit, levels: string[]): EventStatus {
  if (grade.level !== 'unknown') return levels.includes(grade.level) ? 'event' : 'no_event'
  const possible = grade.possible ?? []
  if (possible.length === 0) return 'unknown'
  if (possible.every(l => levels.includes(l))) return 'event'
  if (possible.every(l => !levels.includes(l))) return 'no_event'
  return 'unknown'
}

function gradeWords(g: ClassificationAtVisit): string {
  if (g.level !== 'unknown') return g.level
  if (g.at_least !== undefined) return `at least ${g.at_least}`
  return (g.possible ?? []).join(' or ') || 'unknown'
}

interface Assessed {
  visit: string
  grade: ClassificationAtVisit
  day: number
  nominal: boolean
  status: EventStatus
}

/**
 * One time-to-event endpoint for one subject.
 *
 * @example
 * // PR at week 8 after an NR week 4: exact, 56 days
 * timeToEvent(doc, e, 'right', subject, classifications, calendar) // { event: true, days: 56, detail: 'PR first at week 8 on ...' }
 * // week 16 and 20 not gradable between NR at week 8 and CR at week 24
 * // { event: true, interval: { after_days: 56, by_days: 168 }, days: 168, days_as: 'right', ... }
 */
export function timeToEvent(
  doc: ProtocolDocument,
  e: TimeToEventEndpoint,
  convention: IntervalConvention,
  subject: SubjectRecord,
  classifications: ClassificationAtVisit[],
  calendar: SubjectCalendar,
): TimeToEventResult {
  const fromText = subject.dates?.[e.from]
  const from = fromText === undefined ? undefined : parseIsoDate(fromText)
  if (from === undefined) return { endpoint: e.id, event: false, detail: `no ${doc.reference_dates[e.from]?.label ?? e.from} date` }
  const assessed = calendar.order.flatMap((visit): Assessed[] => {
    const grade = classifications.find(c => c.endpoint === e.classification && c.visit === visit)
    const d = calendar.visitDays.get(visit)
    return grade && d ? [{ visit, grade, day: d.actual ?? d.due, nominal: d.actual === undefined, status: eventStatus(grade, e.levels) }] : []
  })
  const label = (a: Assessed) => visitLabel(doc, a.visit)
  const dayOf = (a: Assessed) => daysBetween(from, a.day)
  const what = e.levels.join('/')
  const at = assessed.findIndex(a => a.status === 'event')
  if (at < 0) {
    const lastNo = assessed.findLastIndex(a => a.status === 'no_event')
    const last = assessed[lastNo]
    if (!last) return { endpoint: e.id, event: false, detail: 'no evaluable visit' }
    const later = assessed.length - 1 - lastNo
    const censored = dayOf(last)
    return {
      endpoint: e.id,
      event: false,
      censored_at_days: censored,
      detail: `no ${what} by ${label(last)}: censored at day ${censored}${later ? `; ${later} later visit(s) not evaluable` : ''}`,
    }
  }
  const hit = assessed[at]!
  const by = dayOf(hit)
  const nominal = hit.nominal ? ' (nominal visit date)' : ''
  const before = assessed.slice(0, at)
  const lastNo = before.findLastIndex(a => a.status === 'no_event')
  const gap = before.slice(lastNo + 1)
  if (gap.length === 0) {
    return {
      endpoint: e.id,
      event: true,
      days: by,
      detail: `${gradeWords(hit.grade)} first at ${label(hit)} on ${formatIsoDate(hit.day)}, day ${by} from ${e.from}${nominal}`,
    }
  }
  const prior = before[lastNo]
  const after = prior ? dayOf(prior) : 0
  const interval = { after_days: after, by_days: by }
  const days = intervalPoint(interval, convention)
  const start = prior ? `${label(prior)} (day ${after}, ${gradeWords(prior.grade)})` : `${describeRef(doc, e.from)} (day 0)`
  const detail =
    `${what} between ${start} and ${label(hit)} (day ${by}, ${gradeWords(hit.grade)}${nominal}); ` +
    `${gap.map(label).join(', ')} not evaluable: interval-censored, counted at day ${days} (${INTERVAL_CONVENTION_WORDS[convention]})`
  return { endpoint: e.id, event: true, days, days_as: convention, interval, detail }
}

/** Every time-to-event endpoint of the protocol for one subject. */
export function evaluateTimesToEvent(
  compiled: CompiledProtocol,
  subject: SubjectRecord,
  classifications: ClassificationAtVisit[],
  calendar: SubjectCalendar,
): TimeToEventResult[] {
  const doc = compiled.document
  return (doc.endpoints ?? [])
    .filter((e): e is TimeToEventEndpoint => e.type === 'time_to_event')
    .map(e => timeToEvent(doc, e, intervalConvention(e, compiled.parameters), subject, classifications, calendar))
}
