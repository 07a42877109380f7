/**
 * Calendar dates as integer day numbers (days since 1970-01-01, UTC).
 *
 * Dates in protocols and records are calendar days, not instants. Working
 * with `Date.UTC(y, m - 1, d) / 86_400_000` keeps every date an integer and
 * no local time zone or daylight-saving change can shift a day; the engine
 * never calls `new Date('YYYY-MM-DD')` in local time nor `setDate`.
 */

const MS_PER_DAY = 86_400_000
/** A Date holds ±8.64e15 ms, i.e. ±100 000 000 days (ECMA-262 §21.4.1.1). */
const MAX_DATE_DAYS = 100_000_000

/**
 * Birthday of someone born on 29 February in a non-leap year: 1 March
 * (month 3, day 1). This is the statutory rule where one exists, e.g. Hong
 * Kong Age of Majority (Related Provisions) Ordinance Cap. 410 s.5 (verify),
 * and makes "18 years old" never come before 18 full years have elapsed.
 */
export const LEAP_DAY_BIRTHDAY_IN_COMMON_YEARS = { month: 3, day: 1 } as const

/**
 * Parses a strict ISO calendar date `YYYY-MM-DD` into a day number.
 *
 * @param s the date text
 * @returns the day number, or `undefined` when the text is not a real date
 * @example parseIsoDate('1970-01-02') // 1
 * @example parseIsoDate('2026-02-30') // undefined
 */
export function parseIsoDate(s: string): number | undefined {
  // a non-string (schema-invalid record) is read as its text, as RegExp.exec would read it
  if (typeof s !== 'string') s = `${s as unknown as string}`
  // Hand-checked `YYYY-MM-DD` (exactly /^\d{4}-\d{2}-\d{2}$/, ASCII digits, without a
  // regex match array): this runs for every dated entry of every record.
  if (s.length !== 10 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH) return undefined
  const y = digits(s, 0, 4)
  const mo = digits(s, 5, 7)
  const d = digits(s, 8, 10)
  if (y < 0 || mo < 0 || d < 0) return undefined
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined
  return dayNumber(y, mo, d)
}

const DASH = 0x2d
const ZERO = 0x30

/** The decimal value of s[from, to) when every character is an ASCII digit, else -1. */
function digits(s: string, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - ZERO
    if (c < 0 || c > 9) return -1
    n = n * 10 + c
  }
  return n
}

/**
 * Orders ISO calendar dates (YYYY-MM-DD) as text, which is date order: a
 * plain comparison, not localeCompare, whose order depends on the locale.
 *
 * @example ['2026-03-02', '2025-12-31'].sort(compareIsoDates) // ['2025-12-31', '2026-03-02']
 */
export function compareIsoDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Formats a day number as `YYYY-MM-DD`.
 *
 * @example formatIsoDate(0) // '1970-01-01'
 */
export function formatIsoDate(day: number): string {
  const { y, m, d } = toParts(day)
  if (y >= 1000 && y <= 9999) return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/**
 * Adds (or, negative, subtracts) whole days.
 *
 * @example formatIsoDate(addDays(parseIsoDate('2024-02-28')!, 1)) // '2024-02-29'
 */
export function addDays(day: number, n: number): number {
  return day + n
}

/**
 * Adds (or, negative, subtracts) calendar months: the same day of the month
 * `n` months away, or that month's last day when it is shorter ("6 months
 * before 31 August" is 28 or 29 February). Used for windows written in
 * months or years, so "within 6 months" is not approximated by 26 weeks.
 *
 * @example formatIsoDate(addMonths(parseIsoDate('2026-08-31')!, -6)) // '2026-02-28'
 * @example formatIsoDate(addMonths(parseIsoDate('2026-01-05')!, -24)) // '2024-01-05'
 */
export function addMonths(day: number, n: number): number {
  if (!Number.isInteger(n)) throw new RangeError(`months must be a whole number; got ${n}`)
  const { y, m, d } = toParts(day)
  const index = y * 12 + (m - 1) + n
  const ty = Math.floor(index / 12)
  const tm = index - ty * 12 + 1
  return dayNumber(ty, tm, Math.min(d, daysInMonth(ty, tm)))
}

/**
 * Days from `a` to `b` (positive when `b` is later).
 *
 * @example daysBetween(parseIsoDate('2026-01-01')!, parseIsoDate('2026-03-01')!) // 59
 */
export function daysBetween(a: number, b: number): number {
  return b - a
}

/**
 * Days from ISO date `a` to ISO date `b` (positive when `b` is later), or
 * `undefined` when either is not a calendar date.
 *
 * @example daysBetweenIso('2026-03-28', '2026-03-30') // 2 (across a daylight-saving change, no drift)
 */
export function daysBetweenIso(a: string, b: string): number | undefined {
  const x = parseIsoDate(a)
  const y = parseIsoDate(b)
  return x === undefined || y === undefined ? undefined : y - x
}

/**
 * Age on a date: completed years, and days since the last birthday.
 * A 29 February birthday falls on 1 March in common years
 * ({@link LEAP_DAY_BIRTHDAY_IN_COMMON_YEARS}).
 *
 * @param birth birth date, `YYYY-MM-DD`
 * @param on date the age is wanted at, `YYYY-MM-DD`
 * @returns `undefined` when either date is invalid or `on` precedes `birth`
 * @example ageOn('2008-03-15', '2026-03-15') // { years: 18, days: 0 }
 * @example ageOn('2008-02-29', '2026-02-28') // { years: 17, days: 364 }
 */
export function ageOn(birth: string, on: string): { years: number; days: number } | undefined {
  const b = parseIsoDate(birth)
  const o = parseIsoDate(on)
  if (b === undefined || o === undefined || o < b) return undefined
  const bp = toParts(b)
  const op = toParts(o)
  let years = op.y - bp.y
  if (birthdayIn(bp, op.y) > o) years -= 1
  return { years, days: o - birthdayIn(bp, bp.y + years) }
}

/**
 * The inclusive window ending on `ref` and starting `weeks * 7 + days` days before it.
 *
 * @example windowFrom(100, { weeks: 2 }) // { start: 86, end: 100 }
 */
export function windowFrom(ref: number, span: { weeks?: number; days?: number }): { start: number; end: number } {
  return { start: ref - ((span.weeks ?? 0) * 7 + (span.days ?? 0)), end: ref }
}

/**
 * Whether interval `a` shares at least one day with interval `b` (all ends
 * inclusive). An absent endpoint of `a` is unknown, not open, and `a` is
 * assumed well-formed (start <= end): a known endpoint can still decide it.
 * A period that ended before `b` starts does not overlap whatever its start;
 * one that started inside `b` overlaps whatever its end. Otherwise a missing
 * endpoint gives `'unknown'`. Pass `±Infinity` for an endpoint known to be
 * open (ongoing).
 *
 * @example intervalsOverlap({ start: 5, end: 10 }, { start: 10, end: 20 }) // true
 * @example intervalsOverlap({ end: 4 }, { start: 10, end: 20 }) // false
 * @example intervalsOverlap({ start: 12 }, { start: 10, end: 20 }) // true
 * @example intervalsOverlap({ start: 5 }, { start: 10, end: 20 }) // 'unknown'
 */
export function intervalsOverlap(a: { start?: number; end?: number }, b: { start: number; end: number }): true | false | 'unknown' {
  // Overlap <=> a.start <= b.end AND a.end >= b.start; each side is true, false or undecided.
  const startsInTime = a.start !== undefined ? a.start <= b.end : a.end !== undefined && a.end <= b.end ? true : undefined
  const endsInTime = a.end !== undefined ? a.end >= b.start : a.start !== undefined && a.start >= b.start ? true : undefined
  if (startsInTime === false || endsInTime === false) return false
  if (startsInTime === true && endsInTime === true) return true
  return 'unknown'
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date, by whole-number
 * arithmetic (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms",
 * days_from_civil): no Date object, and years 0-99 are not mapped to 1900-1999
 * as Date.UTC maps them. Checked against Date.UTC for every day of years 0-9999.
 */
function dayNumber(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146_097 + doe - 719_468
}

/** The inverse of {@link dayNumber} (Hinnant's civil_from_days). */
function toParts(day: number): { y: number; m: number; d: number } {
  if (!Number.isInteger(day) || Math.abs(day) > MAX_DATE_DAYS) {
    // fractions, ±Infinity, NaN and days past Date's range keep Date's answer
    const date = new Date(day * MS_PER_DAY)
    return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() }
  }
  const z = day + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d }
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31
}

function birthdayIn(birth: { m: number; d: number }, year: number): number {
  if (birth.m === 2 && birth.d === 29 && !isLeapYear(year)) {
    return dayNumber(year, LEAP_DAY_BIRTHDAY_IN_COMMON_YEARS.month, LEAP_DAY_BIRTHDAY_IN_COMMON_YEARS.day)
  }
  return dayNumber(year, birth.m, birth.d)
}
