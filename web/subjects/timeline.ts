/**
 * The visit timeline: each planned visit (due date and window) beside the
 * date it was recorded, with its status in a coordinator's words
 * (visit-status.ts) so that colour is never the only carrier.
 */
import type { PlannedVisit } from '../../engine/index.ts'
import { STATUS_SYMBOL, visitStatuses, type VisitStatusKind } from './visit-status.ts'

export type VisitState = VisitStatusKind | 'unplanned'

export interface TimelineRow {
  visit: string
  label: string
  /** Planned (absent for a recorded visit the plan could not place). */
  planned?: PlannedVisit
  recorded?: string
  state: VisitState
  /** What the state means for this visit, in words. */
  words: string
  /** A visit done outside its window: by how much. */
  note?: string
}

/**
 * Planned visits against recorded ones on `today` (statuses: visit-status.ts),
 * then any recorded visit the plan could not place.
 *
 * @example visitTimeline([{ visit: 'week_4', label: 'week 4', day: 29, due: '2026-02-16', window_start: '2026-02-09', window_end: '2026-02-23' }], [], '2026-03-01')[0].state // 'overdue'
 */
export function visitTimeline(
  planned: readonly PlannedVisit[],
  recorded: ReadonlyArray<{ visit: string; date: string }>,
  today: string,
  fromData: Readonly<Record<string, string>> = {},
): TimelineRow[] {
  const statuses = visitStatuses(planned, recorded, today, fromData)
  const rows: TimelineRow[] = planned.map(p => {
    const s = statuses.get(p.visit)!
    const date = recorded.find(r => r.visit === p.visit)?.date
    return {
      visit: p.visit,
      label: p.label,
      planned: p,
      ...(date !== undefined ? { recorded: date } : {}),
      state: s.kind,
      words: s.words,
      ...(s.note ? { note: s.note } : {}),
    }
  })
  for (const r of recorded) {
    // no planned visit to take a label from: the id is all the record holds
    if (!planned.some(p => p.visit === r.visit))
      rows.push({ visit: r.visit, label: r.visit, recorded: r.date, state: 'unplanned', words: 'recorded, but the plan could not place this visit' })
  }
  return rows
}

/** Symbols beside each state's words (the words carry the meaning; the symbol helps scanning). */
export const STATE_SYMBOL: Record<VisitState, string> = { ...STATUS_SYMBOL, unplanned: '?' }
