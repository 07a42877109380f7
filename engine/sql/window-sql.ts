/**
 * A leaf's window as SQL date bounds on the person's reference date
 * (facts/context.ts placeWindow): both ends inclusive, NULL when the
 * reference date is not recorded (the window cannot be placed).
 */
import type { ResolvedWindow } from '../compile/ir.ts'
import type { Dialect } from './dialect.ts'

export type WindowBounds =
  /** Every date (`any`). */
  | { kind: 'any' }
  /** From `start` to `end`, both SQL date expressions on the reference date `date`. */
  | { kind: 'placed'; ref: string; start: string; end: string }

/**
 * @param date - the SQL expression of the reference date `w.ref` (a joined `ln_reference_date.date`)
 * @returns the bounds, or undefined for a window SQL does not place (a visit's, planned entries')
 */
export function windowBounds(d: Dialect, w: ResolvedWindow, date: string): WindowBounds | undefined {
  switch (w.kind) {
    case 'any':
      return { kind: 'any' }
    case 'at':
      return { kind: 'placed', ref: w.ref, start: date, end: date }
    case 'study_days':
      // study day d is d − 1 days after the reference date (there is no day 0)
      return { kind: 'placed', ref: w.ref, start: `${date} + ${w.from - 1}`, end: `${date} + ${w.to - 1}` }
    case 'range':
      // calendar months first, then days (dates.ts addMonths, then addDays)
      return { kind: 'placed', ref: w.ref, start: `${d.monthsBefore(date, w.months ?? 0)} - ${w.days}`, end: date }
    case 'planned':
    case 'visit':
      return undefined
  }
}
