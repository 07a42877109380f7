/**
 * Visit calendars: when each visit is due, its window, and which visit an
 * observation date belongs to.
 *
 * Dates are day numbers (engine/calculators/dates.ts); study day 1 is the
 * reference date itself (there is no day 0), so day d is due d − 1 days
 * after the reference date. Windows are inclusive at both ends.
 */
import type { PlannedVisit, VisitAssignment, VisitDefinition } from '../types/study.ts'
import type { IsoDate, ParameterValue } from '../types.ts'
import { addDays, formatIsoDate, parseIsoDate } from '../calculators/dates.ts'
import { resolveWholeNumber } from './resolve-reported.ts'

/** A subject's visit calendar, or why parts of it could not be placed. */
export interface VisitPlanResult {
  /** The visits that could be placed, in definition order. */
  visits: PlannedVisit[]
  /** One line per problem: where, what, expected, got. */
  problems: string[]
}

/**
 * Places each visit on a subject's calendar.
 *
 * Due date = reference date + (day − 1) days; window = [due − before_days,
 * due + after_days], both ends inclusive. A visit whose reference date is
 * missing, or whose numbers are invalid, is left out and reported; the
 * others are still planned.
 *
 * @param visits the protocol's visit definitions
 * @param refDates reference dates by name (`randomization: '2026-01-19'`)
 * @param params protocol parameter values, for `{ param }` references
 * @example
 * planVisits(
 *   [{ id: 'week_4', label: 'Week 4', ref: 'randomization', day: 29, window: { before_days: 7, after_days: 7 } }],
 *   { randomization: '2026-01-19' },
 *   {},
 * ).visits
 * // [{ visit: 'week_4', label: 'Week 4', day: 29, due: '2026-02-16', window_start: '2026-02-09', window_end: '2026-02-23' }]
 */
export function planVisits(visits: VisitDefinition[], refDates: Record<string, IsoDate>, params: Record<string, ParameterValue>): VisitPlanResult {
  const problems: string[] = []
  const planned: PlannedVisit[] = []
  const seen = new Set<string>()
  for (const v of visits) {
    const where = `visit "${v.id}"`
    const before = problems.length
    if (seen.has(v.id)) problems.push(`${where}: defined more than once`)
    seen.add(v.id)
    const refText = refDates[v.ref]
    let ref: number | undefined
    if (refText === undefined) problems.push(`${where}: reference date "${v.ref}" not given`)
    else {
      ref = parseIsoDate(refText)
      if (ref === undefined) {
        problems.push(`${where}: reference date "${v.ref}" expected YYYY-MM-DD, got ${JSON.stringify(refText)}`)
      }
    }
    // No day 0 or negative days: with "day 1 = reference date" they are ambiguous between protocols.
    const day = resolveWholeNumber(v.day, params, `${where}: day`, 1, problems)
    const beforeDays = resolveWholeNumber(v.window.before_days, params, `${where}: window.before_days`, 0, problems)
    const afterDays = resolveWholeNumber(v.window.after_days, params, `${where}: window.after_days`, 0, problems)
    if (problems.length > before) continue
    if (ref === undefined || day === undefined || beforeDays === undefined || afterDays === undefined) continue
    const due = addDays(ref, day - 1)
    planned.push({
      visit: v.id,
      label: v.label,
      day,
      due: formatIsoDate(due),
      window_start: formatIsoDate(addDays(due, -beforeDays)),
      window_end: formatIsoDate(addDays(due, afterDays)),
    })
  }
  return { visits: planned, problems }
}

/**
 * The visit an observation date belongs to.
 *
 * The visit whose window contains the date. When several windows contain
 * it, the one whose due date is nearest wins; on a tie the later visit wins,
 * because an observation halfway between two visits is usually the late
 * half of follow-up rather than a repeat of the earlier visit, and this
 * keeps the choice deterministic. `offset_days` is date − due (negative when
 * early). Outside every window, the reason names the visit whose window is
 * nearest (ties again to the later visit).
 *
 * @param plan planned visits, from {@link planVisits}
 * @param date the observation date, `YYYY-MM-DD`
 * @example
 * assignVisit(plan, '2026-02-18') // { visit: 'week_4', label: 'Week 4', offset_days: 2 }
 * @example
 * assignVisit(plan, '2026-03-26')
 * // { visit: undefined, reason: 'outside every visit window (nearest: week_8, 3 days after its window)' }
 */
export function assignVisit(plan: PlannedVisit[], date: IsoDate): VisitAssignment {
  const d = parseIsoDate(date)
  if (d === undefined) return { visit: undefined, reason: `not a date: expected YYYY-MM-DD, got ${JSON.stringify(date)}` }
  const windows = plan.flatMap(p => {
    const w = windowOf(p)
    return w ? [{ p, ...w }] : []
  })
  if (windows.length === 0) return { visit: undefined, reason: 'no visits planned' }

  let best: (typeof windows)[number] | undefined
  for (const w of windows) {
    if (d < w.start || d > w.end) continue
    if (!best || isCloser(Math.abs(d - w.due), w.due, Math.abs(d - best.due), best.due)) best = w
  }
  if (best) return { visit: best.p.visit, label: best.p.label, offset_days: d - best.due }

  let nearest = windows[0]
  let nearestGap = Infinity
  for (const w of windows) {
    const gap = d < w.start ? w.start - d : d - w.end
    if (!nearest || isCloser(gap, w.due, nearestGap, nearest.due)) {
      nearest = w
      nearestGap = gap
    }
  }
  if (!nearest) return { visit: undefined, reason: 'no visits planned' }
  const side = d < nearest.start ? 'before' : 'after'
  const days = nearestGap === 1 ? '1 day' : `${nearestGap} days`
  return {
    visit: undefined,
    reason: `outside every visit window (nearest: ${nearest.p.visit}, ${days} ${side} its window)`,
  }
}

/**
 * A planned visit's window and due date as day numbers (days since
 * 1970-01-01, as `parseIsoDate` gives), for comparing with observation dates.
 *
 * @param plan planned visits, from {@link planVisits}
 * @param visitId the visit's id
 * @returns `undefined` when the visit is not in the plan
 * @example
 * visitWindowDays(plan, 'week_4') // { start: 20493, end: 20507, due: 20500 } (2026-02-09, 2026-02-23, 2026-02-16)
 */
export function visitWindowDays(plan: PlannedVisit[], visitId: string): { start: number; end: number; due: number } | undefined {
  const p = plan.find(v => v.visit === visitId)
  return p ? windowOf(p) : undefined
}

function windowOf(p: PlannedVisit): { start: number; end: number; due: number } | undefined {
  const start = parseIsoDate(p.window_start)
  const end = parseIsoDate(p.window_end)
  const due = parseIsoDate(p.due)
  if (start === undefined || end === undefined || due === undefined) return undefined
  return { start, end, due }
}

/** Smaller distance wins; equal distance goes to the later due date. */
function isCloser(dist: number, due: number, bestDist: number, bestDue: number): boolean {
  return dist < bestDist || (dist === bestDist && due > bestDue)
}
