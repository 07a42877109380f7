/**
 * The visit timeline: each planned visit (due date and window) beside the
 * date it was recorded, with its state in words so that colour is never
 * the only carrier (in window, early, late, missed, overdue, due, upcoming).
 */
import type { PlannedVisit } from '../../engine/index.ts'
import { daysFrom, plural } from './dates.ts'

export type VisitState = 'in-window' | 'early' | 'late' | 'missed' | 'due' | 'upcoming' | 'unplanned'

export interface TimelineRow {
  visit: string
  label: string
  /** Planned (absent for a recorded visit the plan could not place). */
  planned?: PlannedVisit
  recorded?: string
  state: VisitState
  /** What the state means for this visit, in words. */
  words: string
}

/**
 * Planned visits against recorded ones on `today`.
 * A visit not recorded is "missed" once its window has closed, "due" while
 * today is inside its window, and "upcoming" before it opens.
 *
 * @example visitTimeline([{ visit: 'week_4', label: 'week 4', day: 29, due: '2026-02-16', window_start: '2026-02-09', window_end: '2026-02-23' }], [], '2026-03-01')[0].state // 'missed'
 */
export function visitTimeline(planned: readonly PlannedVisit[], recorded: ReadonlyArray<{ visit: string; date: string }>, today: string): TimelineRow[] {
  const done = new Map(recorded.map((r) => [r.visit, r.date]))
  const rows: TimelineRow[] = planned.map((p) => {
    const date = done.get(p.visit)
    if (date !== undefined) {
      if (date < p.window_start) return { visit: p.visit, label: p.label, planned: p, recorded: date, state: 'early', words: `recorded ${plural(daysFrom(date, p.window_start) ?? 0, 'day')} before the window opened` }
      if (date > p.window_end) return { visit: p.visit, label: p.label, planned: p, recorded: date, state: 'late', words: `recorded ${plural(daysFrom(p.window_end, date) ?? 0, 'day')} after the window closed` }
      const off = daysFrom(p.due, date) ?? 0
      return { visit: p.visit, label: p.label, planned: p, recorded: date, state: 'in-window', words: off === 0 ? 'done on the due date' : `done in the window, ${plural(Math.abs(off), 'day')} ${off < 0 ? 'before' : 'after'} the due date` }
    }
    if (today > p.window_end) return { visit: p.visit, label: p.label, planned: p, state: 'missed', words: `missed: not recorded, the window closed ${plural(daysFrom(p.window_end, today) ?? 0, 'day')} ago` }
    if (today >= p.window_start) {
      const left = daysFrom(today, p.window_end) ?? 0
      return { visit: p.visit, label: p.label, planned: p, state: 'due', words: today > p.due ? `overdue: past the due date, ${left === 0 ? 'the window closes today' : `${plural(left, 'day')} left in the window`}` : `due now: the window is open (${left === 0 ? 'closes today' : `${plural(left, 'day')} left`})` }
    }
    return { visit: p.visit, label: p.label, planned: p, state: 'upcoming', words: `upcoming: the window opens in ${plural(daysFrom(today, p.window_start) ?? 0, 'day')}` }
  })
  for (const r of recorded) {
    if (!planned.some((p) => p.visit === r.visit)) rows.push({ visit: r.visit, label: r.visit, recorded: r.date, state: 'unplanned', words: 'recorded, but the plan could not place this visit' })
  }
  return rows
}

/** Symbols beside each state's words (the words carry the meaning; the symbol helps scanning). */
export const STATE_SYMBOL: Record<VisitState, string> = {
  'in-window': '✓',
  early: '⚠',
  late: '⚠',
  missed: '✗',
  due: '●',
  upcoming: '○',
  unplanned: '?',
}
