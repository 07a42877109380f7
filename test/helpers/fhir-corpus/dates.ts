/**
 * Calendar arithmetic for the corpus, in UTC only (never the machine's time
 * zone): ISO dates `YYYY-MM-DD` and FHIR dateTimes written with a US offset.
 * A dateTime's calendar day is the day written in it, whatever its offset.
 */
import type { Rng } from './random.ts'

const DAY_MS = 86_400_000

function parse(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) throw new Error(`not an ISO date: ${date}`)
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
}

function format(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

export function addDays(date: string, days: number): string {
  return format(parse(date) + days * DAY_MS)
}

/** Same month and day `years` later (29 February becomes 28 February in a common year). */
export function addYears(date: string, years: number): string {
  const d = new Date(parse(date))
  const y = d.getUTCFullYear() + years
  const m = d.getUTCMonth()
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return format(Date.UTC(y, m, Math.min(d.getUTCDate(), last)))
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((parse(b) - parse(a)) / DAY_MS)
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4))
}

/** Age in whole years on `on`. */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number]
  const [y, m, d] = on.split('-').map(Number) as [number, number, number]
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0)
}

/** US offsets seen in Synthea and EHR exports (Eastern, Central, Mountain, Pacific; standard and daylight). */
export const US_OFFSETS = ['-05:00', '-04:00', '-06:00', '-05:00', '-07:00', '-08:00'] as const

/** A dateTime on `date` at `hour:minute:second` in `offset`. */
export function dateTimeAt(date: string, hour: number, minute: number, second: number, offset: string): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${date}T${p(hour)}:${p(minute)}:${p(second)}${offset}`
}

/** A dateTime later the same day (minutes added, capped before midnight so the day stays the same). */
export function laterSameDay(dateTime: string, minutes: number): string {
  // YYYY-MM-DDTHH:MM:SS±hh:mm
  if (dateTime.length < 25 || dateTime.charAt(10) !== 'T') return dateTime
  const total = Math.min(Number(dateTime.slice(11, 13)) * 60 + Number(dateTime.slice(14, 16)) + minutes, 23 * 60 + 59)
  return dateTimeAt(dateTime.slice(0, 10), Math.floor(total / 60), total % 60, Number(dateTime.slice(17, 19)), dateTime.slice(19))
}

/** A Synthea-style `issued` instant: the dateTime with milliseconds. */
export function instantOf(dateTime: string, rng: Rng): string {
  return `${dateTime.slice(0, 19)}.${String(rng.int(0, 999)).padStart(3, '0')}${dateTime.slice(19)}`
}

/** A random clinic-hours dateTime on `date`. */
export function clinicTime(date: string, rng: Rng, offset: string): string {
  return dateTimeAt(date, rng.int(7, 17), rng.int(0, 59), rng.int(0, 59), offset)
}
