/**
 * Time to the first of several dated events (`time_to_first_event`): death,
 * a condition or procedure, a measurement that reaches a multiple of its
 * baseline value, or a visit question answered yes. Each source is read from
 * the record's own dates; a source the record cannot decide never counts as
 * "no event" (see FirstEventEndpoint in engine/types/study.ts).
 */
import type { DatedEventSource, FirstEventEndpoint, MissingData, SubjectRecord, TimeToEventResult } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { resolveNumber, resolveSelection } from '../compile/resolve.ts'
import { describeRef, visitLabel } from '../compile/labels.ts'
import { daysBetween, formatIsoDate, parseIsoDate } from '../calculators/dates.ts'
import { resolveLabConcept } from '../dictionary/index.ts'
import { known, unknown, type Evidence, type EventValue } from '../evaluate/evidence.ts'
import { eventEvidence } from '../evaluate/facts/events.ts'
import { selectMeasurement } from '../evaluate/facts/measurement.ts'
import type { FactContext } from '../evaluate/facts/context.ts'
import { factContextAt, runAt, type SubjectCalendar } from './calendar.ts'
import { intervalConvention, intervalPoint } from './time-to-event.ts'
import { kindedEventSource, type EventSourceByKind } from '../logic/event-source-model.ts'

/**
 * What one source says about follow-up days 1..until (day 1 = the reference date).
 * - event: first on `day`; `after` is the last day known free of it when days before `day` could not be decided.
 * - none: no event through `until`.
 * - unknown: free through `through` (0: not even day 1 is known), undecided after it.
 */
type SourceOutcome =
  | { kind: 'event'; day: number; after?: number; detail: string }
  | { kind: 'none'; detail: string }
  | { kind: 'unknown'; through: number; detail: string; missing: MissingData[] }

/** What the endpoint's sources share: its reference date, the last follow-up day, the protocol and the subject's calendar. */
interface Frame {
  ref: string
  from: number
  until: number
  compiled: CompiledProtocol
  calendar: SubjectCalendar
  ctx: FactContext
}

export function sourceLabel(s: DatedEventSource): string {
  if (s.label !== undefined) return s.label
  const k = kindedEventSource(s)
  switch (k.kind) {
    case 'death':
      return 'death'
    case 'condition':
      return k.source.condition.label ?? k.source.condition.set ?? 'condition'
    case 'procedure':
      return k.source.procedure.label ?? k.source.procedure.set ?? 'procedure'
    case 'ratio_to_baseline': {
      const r = k.source.ratio_to_baseline
      return `${r.concept} ${r.op} ${JSON.stringify(r.value)} × baseline`
    }
    case 'attestation':
      return k.source.attestation
  }
}

/**
 * The first day a growing window [1, d] holds the event, trying the days the
 * record has dates on: "an event in days 1..d" can only become true as d
 * grows, so the first day it is met is the event's.
 */
function firstDay(probe: (toDay: number) => Evidence, candidates: number[], until: number, what: string): SourceOutcome {
  const days = [...new Set([...candidates.filter(d => d >= 1 && d <= until), until])].sort((a, b) => a - b)
  let through = 0
  let undecided: Evidence | undefined
  for (const d of days) {
    const ev = probe(d)
    if (ev.known && ev.value === true) return { kind: 'event', day: d, ...(undecided ? { after: through } : {}), detail: `${what}: ${ev.detail}` }
    if (ev.known) {
      through = d
      undecided = undefined
    } else undecided ??= ev
  }
  if (undecided && !undecided.known) return { kind: 'unknown', through, detail: `${what}: ${undecided.detail}`, missing: undecided.missing }
  return { kind: 'none', detail: `${what}: none` }
}

function studyDay(f: Frame, iso: string | undefined): number | undefined {
  const d = iso === undefined ? undefined : parseIsoDate(iso)
  return d === undefined ? undefined : daysBetween(f.from, d) + 1
}

function deathOutcome(f: Frame, subject: SubjectRecord, what: string): SourceOutcome {
  const date = subject.death?.date
  const day = studyDay(f, date)
  if (date === undefined || day === undefined) return { kind: 'none', detail: `${what}: none recorded` }
  if (day < 1 || day > f.until) return { kind: 'none', detail: `${what}: ${date}, outside follow-up` }
  return { kind: 'event', day, detail: `${what} on ${date}` }
}

/** The history a source reads: a condition's onset or a procedure's date. */
type HistorySource = { kind: 'condition'; source: EventSourceByKind['condition'] } | { kind: 'procedure'; source: EventSourceByKind['procedure'] }

/** A matching condition present (or procedure done) on a day of follow-up, from the history's dates. */
function historyOutcome(f: Frame, subject: SubjectRecord, history: HistorySource, what: string): SourceOutcome {
  const domain = history.kind
  const section = domain === 'condition' ? 'conditions' : 'procedures'
  const selection = resolveSelection(history.kind === 'condition' ? history.source.condition : history.source.procedure, section, f.compiled.document)
  const dates = [
    ...(domain === 'condition' ? (subject.conditions ?? []).map(c => c.onset) : (subject.procedures ?? []).map(p => p.date)),
    ...(subject.unrecognised?.[section] ?? []).map(u => u.onset ?? u.date),
  ]
  const candidates = dates.flatMap(d => {
    const day = studyDay(f, d)
    return day === undefined ? [] : [day]
  })
  // the event fact answers the entries found; as an "exists" leaf does: a definite one is an event, a possible one leaves it unknown
  const probe = (toDay: number): Evidence => {
    const ev = eventEvidence(domain, subject, { selection, window: { kind: 'study_days', ref: f.ref, from: 1, to: toDay } }, f.ctx)
    if (!ev.known) return ev
    const found = ev.value as EventValue
    if (found.definite.length > 0) return known(true, ev.detail)
    if (found.possible.length > 0) {
      return unknown(
        ev.detail,
        found.possible.map(m => ({
          key: m.source,
          description: `${m.summary}: could be ${what}${m.doubt ? ` (${m.doubt})` : ''} — review it`,
          ...(m.review ? { review: true } : {}),
        })),
      )
    }
    return known(false, ev.detail)
  }
  return firstDay(probe, candidates, f.until, what)
}

/** The first measurement after baseline whose ratio to the baseline visit's value meets the threshold. */
function ratioOutcome(f: Frame, subject: SubjectRecord, source: EventSourceByKind['ratio_to_baseline'], what: string): SourceOutcome {
  const r = source.ratio_to_baseline
  const threshold = resolveNumber(r.value, f.compiled.parameters)
  const unit = r.unit ?? resolveLabConcept(r.concept, f.compiled.dictionary)?.unit
  const atBaseline: FactContext = { ...f.ctx, run: runAt(f.calendar, r.baseline) }
  const base = selectMeasurement(subject, r.concept, { kind: 'visit', visit: r.baseline }, 'nearest', unit, atBaseline)
  if (!base.ok) return { kind: 'unknown', through: 0, detail: `${what}: no baseline value (${base.evidence.detail})`, missing: base.evidence.missing }
  if (typeof base.value !== 'number' || base.value <= 0)
    return { kind: 'unknown', through: 0, detail: `${what}: baseline ${base.text} cannot be divided by`, missing: [] }
  const baseDay = base.chosen.day
  const baseline = base.value
  const candidates = (subject.measurements ?? []).flatMap(m => {
    const day = studyDay(f, m.date)
    const d = parseIsoDate(m.date)
    return day === undefined || d === undefined || d <= baseDay ? [] : [day]
  })
  const probe = (toDay: number): Evidence => {
    const v = selectMeasurement(subject, r.concept, { kind: 'study_days', ref: f.ref, from: toDay, to: toDay }, 'highest', unit, f.ctx)
    if (!v.ok) return v.evidence.missing.some(m => m.key === `measurement:${r.concept}`) ? known(false, `no ${r.concept} on day ${toDay}`) : v.evidence
    const high = typeof v.value === 'number' ? v.value : v.value.max
    const low = typeof v.value === 'number' ? v.value : v.value.min
    const meets = (x: number) => (r.op === '>=' ? x / baseline >= threshold : x / baseline > threshold)
    if (meets(low) !== meets(high)) return unknown(`${v.text} vs baseline ${base.text}: depends on a value the record does not give`, [])
    return known(meets(low), `${v.text} = ${Number((low / baseline).toPrecision(4))} × baseline ${base.text}`)
  }
  return firstDay(probe, candidates, f.until, what)
}

/**
 * The first visit where the investigator answered yes. Each answer covers the
 * days since the previous visit, so an unanswered visit leaves its own
 * stretch undecided whatever later visits say.
 */
function attestationOutcome(f: Frame, subject: SubjectRecord, name: string, what: string): SourceOutcome {
  const doc = f.compiled.document
  const answers = (subject.visits ?? [])
    .flatMap(v => {
      const day = studyDay(f, v.date)
      // asked about the time since the previous visit: a visit on the reference date itself has nothing of follow-up to report
      return day === undefined || day < 2 || day > f.until ? [] : [{ day, visit: v.visit, date: v.date, answer: v.attestations?.[name] }]
    })
    .sort((a, b) => a.day - b.day)
  let through = 0
  let unanswered: string | undefined
  for (const a of answers) {
    if (a.answer === true) {
      const open = unanswered ? `; not answered at ${visitLabel(doc, unanswered)}, so it may have happened since day ${Math.max(0, through - 1)}` : ''
      return { kind: 'event', day: a.day, ...(unanswered ? { after: through } : {}), detail: `${what}: yes at ${visitLabel(doc, a.visit)} (${a.date})${open}` }
    }
    if (a.answer === false) {
      if (unanswered === undefined) through = a.day
    } else unanswered ??= a.visit
  }
  if (unanswered === undefined) return { kind: 'none', detail: `${what}: no at every visit` }
  const question = doc.attestations?.[name]?.question ?? name
  return {
    kind: 'unknown',
    through,
    detail: `${what}: not answered at ${visitLabel(doc, unanswered)}`,
    missing: [{ key: `visits.${unanswered}.attestations.${name}`, description: `${question} (at ${visitLabel(doc, unanswered)})` }],
  }
}

function sourceOutcome(f: Frame, subject: SubjectRecord, source: DatedEventSource): SourceOutcome {
  const what = sourceLabel(source)
  const k = kindedEventSource(source)
  switch (k.kind) {
    case 'death':
      return deathOutcome(f, subject, what)
    case 'condition':
    case 'procedure':
      return historyOutcome(f, subject, k, what)
    case 'ratio_to_baseline':
      return ratioOutcome(f, subject, k.source, what)
    case 'attestation':
      return attestationOutcome(f, subject, k.source.attestation, what)
  }
}

/** The last day the subject was seen: the latest recorded visit date (study day), if any. */
function lastContact(f: Frame, subject: SubjectRecord): number | undefined {
  const days = (subject.visits ?? []).flatMap(v => {
    const d = studyDay(f, v.date)
    return d === undefined ? [] : [d]
  })
  return days.length ? Math.max(...days) : undefined
}

/**
 * One subject's time to the first event of one endpoint.
 *
 * @example
 * firstEventTime(compiled, subject, endpoint, calendar)
 * // { endpoint: 'time_to_renal_event_or_death', event: true, days: 301, detail: 'first: doubling of serum creatinine ... on day 302 ...' }
 */
export function firstEventTime(compiled: CompiledProtocol, subject: SubjectRecord, e: FirstEventEndpoint, calendar: SubjectCalendar): TimeToEventResult {
  const doc = compiled.document
  const fromText = subject.dates?.[e.from]
  const from = fromText === undefined ? undefined : parseIsoDate(fromText)
  if (from === undefined) return { endpoint: e.id, event: false, detail: `no ${doc.reference_dates[e.from]?.label ?? e.from} date` }
  const ctx = factContextAt(compiled, calendar)
  const f: Frame = { ref: e.from, from, until: resolveNumber(e.until_day, compiled.parameters), compiled, calendar, ctx }
  const outcomes = e.events.map(s => sourceOutcome(f, subject, s))
  const events = outcomes.filter((o): o is Extract<SourceOutcome, { kind: 'event' }> => o.kind === 'event').sort((a, b) => a.day - b.day)
  const undecided = outcomes.filter((o): o is Extract<SourceOutcome, { kind: 'unknown' }> => o.kind === 'unknown')
  const first = events[0]
  // study day d is d - 1 days after the reference date
  const daysAfter = (studyDayN: number) => studyDayN - 1
  const when = (d: number) => `${formatIsoDate(from + d - 1)}, day ${daysAfter(d)} from ${describeRef(doc, e.from)}`
  if (first) {
    // an earlier event is possible wherever a source is undecided before the first known one
    const after = Math.min(
      ...[first.after, ...undecided.map(u => u.through), ...events.flatMap(x => (x.after !== undefined && x.day <= first.day ? [x.after] : []))].filter(
        (x): x is number => x !== undefined && x < first.day,
      ),
    )
    if (!Number.isFinite(after)) return { endpoint: e.id, event: true, days: daysAfter(first.day), detail: `first event ${when(first.day)}: ${first.detail}` }
    const convention = intervalConvention(e, compiled.parameters)
    const interval = { after_days: Math.max(0, daysAfter(after)), by_days: daysAfter(first.day) }
    const open = undecided.map(u => u.detail).join('; ')
    return {
      endpoint: e.id,
      event: true,
      interval,
      days: intervalPoint(interval, convention),
      days_as: convention,
      detail: `event by ${when(first.day)} (${first.detail}), possibly from day ${interval.after_days}${open ? `: ${open}` : ''}`,
    }
  }
  if (undecided.length > 0) return { endpoint: e.id, event: false, detail: `no event known, but ${undecided.map(u => u.detail).join('; ')}` }
  const seen = lastContact(f, subject)
  if (seen === undefined) return { endpoint: e.id, event: false, detail: 'no event recorded, and no visit date to censor at' }
  const censor = Math.min(seen, f.until)
  return {
    endpoint: e.id,
    event: false,
    censored_at_days: daysAfter(censor),
    detail: `no ${e.events.map(sourceLabel).join(', ')} by ${when(censor)}: censored at day ${daysAfter(censor)}`,
  }
}

/** Every `time_to_first_event` endpoint of a protocol for one subject. */
export function evaluateFirstEvents(compiled: CompiledProtocol, subject: SubjectRecord, calendar: SubjectCalendar): TimeToEventResult[] {
  return (compiled.document.endpoints ?? [])
    .filter((e): e is FirstEventEndpoint => e.type === 'time_to_first_event')
    .map(e => firstEventTime(compiled, subject, e, calendar))
}
