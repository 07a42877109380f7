/**
 * A planned visit's status in a coordinator's words, one function for the
 * subject list, the visit timeline and the responses table:
 * not yet due (window opens <date>) / due (window <from> to <to>) /
 * overdue (window closed <date>, not recorded) / done (<date>) /
 * done (from screening data, <date>): a baseline visit not recorded as a
 * visit whose window holds the subject's measurements, which the endpoints
 * read as its baseline (engine/schedule/baseline.ts) /
 * missed (a later visit was recorded). Dates are ISO calendar dates compared
 * as text (YYYY-MM-DD sorts as it counts), never through `Date`.
 */
import type { PlannedVisit } from '../../engine/index.ts'
import { daysBetweenIso } from '../../engine/calculators/dates.ts'
import { plural } from '../../engine/words/phrases.ts'

export type VisitStatusKind = 'not-yet-due' | 'due' | 'overdue' | 'done' | 'missed'

export interface VisitStatus {
  kind: VisitStatusKind
  /** The status in words, with its date(s). */
  words: string
  /** A visit done outside its window: by how much, in words. */
  note?: string
}

/** What the record says about one planned visit. */
export interface VisitRecordFacts {
  /** The date the visit was recorded, if it was. */
  recorded?: string | undefined
  /** Whether a visit planned after this one was recorded. */
  laterRecorded: boolean
  /** A baseline visit not recorded: the date of the latest measurement in its window, serving as its baseline. */
  fromData?: string | undefined
}

/** A missed visit in words (no date: a later visit was recorded instead). */
export const MISSED_WORDS = 'missed (a later visit was recorded)'

/** Symbols beside the words (the words carry the meaning; the symbol helps scanning). */
export const STATUS_SYMBOL: Record<VisitStatusKind, string> = { 'not-yet-due': '○', due: '●', overdue: '!', done: '✓', missed: '✗' }

/**
 * @param p the planned visit (window from the server's plan, engine/schedule)
 * @param today the user's calendar date (web/subjects/dates.ts todayIso)
 * @example visitStatus({ visit: 'week_4', label: 'week 4', day: 29, due: '2026-02-16', window_start: '2026-02-09', window_end: '2026-02-23' }, { laterRecorded: false }, '2026-02-08').words // 'not yet due (window opens 2026-02-09)'
 */
export function visitStatus(p: PlannedVisit, facts: VisitRecordFacts, today: string): VisitStatus {
  const date = facts.recorded
  if (date !== undefined) {
    const note =
      date < p.window_start
        ? `${plural(daysBetweenIso(date, p.window_start) ?? 0, 'day')} before the window opened`
        : date > p.window_end
          ? `${plural(daysBetweenIso(p.window_end, date) ?? 0, 'day')} after the window closed`
          : undefined
    return { kind: 'done', words: `done (${date})`, ...(note ? { note } : {}) }
  }
  if (facts.fromData !== undefined) return { kind: 'done', words: `done (from screening data, ${facts.fromData})` }
  if (facts.laterRecorded) return { kind: 'missed', words: MISSED_WORDS }
  if (today < p.window_start) return { kind: 'not-yet-due', words: `not yet due (window opens ${p.window_start})` }
  if (today <= p.window_end) return { kind: 'due', words: `due (window ${p.window_start} to ${p.window_end})` }
  return { kind: 'overdue', words: `overdue (window closed ${p.window_end}, not recorded)` }
}

/**
 * Every planned visit's status, in plan order: a visit is missed when a visit
 * planned after it was recorded, unless it is a baseline visit served by the
 * data in its window (`fromData`: visit -> date, the server's `baseline_from_data`).
 */
export function visitStatuses(
  planned: readonly PlannedVisit[],
  recorded: ReadonlyArray<{ visit: string; date: string }>,
  today: string,
  fromData: Readonly<Record<string, string>> = {},
): Map<string, VisitStatus> {
  const done = new Map(recorded.map(r => [r.visit, r.date]))
  const lastDone = planned.reduce((at, p, i) => (done.has(p.visit) ? i : at), -1)
  return new Map(
    planned.map((p, i) => [p.visit, visitStatus(p, { recorded: done.get(p.visit), laterRecorded: i < lastDone, fromData: fromData[p.visit] }, today)]),
  )
}
