// Day arithmetic must not depend on the local time zone. Besides the TZ switches below,
// this file is meant to pass as `TZ=America/New_York npx vitest run ...` and `TZ=Pacific/Chatham ...`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  LEAP_DAY_BIRTHDAY_IN_COMMON_YEARS,
  addDays,
  addMonths,
  ageOn,
  compareIsoDates,
  daysBetween,
  formatIsoDate,
  intervalsOverlap,
  parseIsoDate,
  windowFrom,
} from '../../../engine/calculators/index.ts'

function day(s: string): number {
  const d = parseIsoDate(s)
  if (d === undefined) throw new Error(`bad date ${s}`)
  return d
}

describe('parseIsoDate / formatIsoDate', () => {
  it.each([
    { s: '1970-01-01', want: 0 },
    { s: '1970-01-02', want: 1 },
    { s: '1969-12-31', want: -1 },
    { s: '2000-02-29', want: 11016 }, // 2000 is a leap year (divisible by 400)
    { s: '2024-02-29', want: 19782 },
    { s: '2026-03-29', want: 20541 }, // EU DST start
    { s: '2026-03-08', want: 20520 }, // US DST start
  ])('$s -> $want', ({ s, want }) => {
    expect(parseIsoDate(s)).toBe(want)
    expect(formatIsoDate(want)).toBe(s)
  })

  it.each([
    '2026-02-30',
    '2026-02-29', // 2026 is not a leap year
    '1900-02-29', // 1900 is not (divisible by 100, not 400)
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-1-5',
    '2026-01-05T00:00:00Z',
    ' 2026-01-05',
    '20260105',
    '',
  ])('rejects %j', s => {
    expect(parseIsoDate(s)).toBeUndefined()
  })

  it('round-trips every day of 2023-2025 (month ends, leap day)', () => {
    const start = day('2023-01-01')
    const end = day('2025-12-31')
    expect(end - start).toBe(365 + 366 + 365 - 1)
    for (let d = start; d <= end; d++) expect(parseIsoDate(formatIsoDate(d))).toBe(d)
  })

  it('handles years below 100 without the Date.UTC 19xx mapping', () => {
    expect(formatIsoDate(day('0050-06-15'))).toBe('0050-06-15')
  })
})

describe('addDays / daysBetween', () => {
  it.each([
    { from: '2024-02-28', n: 1, want: '2024-02-29' },
    { from: '2025-02-28', n: 1, want: '2025-03-01' },
    { from: '2026-01-31', n: 1, want: '2026-02-01' },
    { from: '2026-12-31', n: 1, want: '2027-01-01' },
    { from: '2026-03-01', n: -1, want: '2026-02-28' },
    { from: '2026-03-28', n: 1, want: '2026-03-29' }, // EU DST night: still one day
    { from: '2026-03-29', n: 1, want: '2026-03-30' },
    { from: '2026-03-07', n: 1, want: '2026-03-08' }, // US DST night
    { from: '2026-11-01', n: 1, want: '2026-11-02' }, // US DST end
    { from: '2026-10-25', n: -1, want: '2026-10-24' }, // EU DST end
    { from: '2026-04-01', n: -168, want: '2025-10-15' }, // 24 weeks back across DST end
  ])('$from + $n = $want', ({ from, n, want }) => {
    expect(formatIsoDate(addDays(day(from), n))).toBe(want)
    expect(daysBetween(day(from), day(want))).toBe(n)
  })

  it('gives integer day numbers across DST changes', () => {
    for (const s of ['2026-03-08', '2026-03-29', '2026-10-25', '2026-11-01', '2026-09-27', '2026-04-05']) {
      expect(Number.isInteger(day(s))).toBe(true)
    }
    expect(daysBetween(day('2026-03-01'), day('2026-04-01'))).toBe(31)
  })
})

describe('time-zone independence', () => {
  // The day arithmetic is UTC-only; changing TZ must not change any result.
  const saved = process.env.TZ
  afterAll(() => {
    // the unit project shares its process between files (vitest.config.ts): put TZ back as it was, unset included
    // (assigning undefined would set the string "undefined")
    if (saved === undefined) delete process.env.TZ
    else process.env.TZ = saved
  })

  for (const tz of ['America/New_York', 'Pacific/Chatham', 'Europe/Paris', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
    describe(`TZ=${tz}`, () => {
      beforeAll(() => {
        process.env.TZ = tz
      })
      it('parses, formats and measures ages the same', () => {
        expect(parseIsoDate('2026-03-29')).toBe(20541)
        expect(parseIsoDate('2026-03-08')).toBe(20520)
        expect(formatIsoDate(20541)).toBe('2026-03-29')
        expect(formatIsoDate(addDays(20520, 1))).toBe('2026-03-09')
        expect(ageOn('2008-03-08', '2026-03-08')).toEqual({ years: 18, days: 0 })
        expect(ageOn('2008-03-29', '2026-03-28')).toEqual({ years: 17, days: 364 })
      })
    })
  }
})

describe('ageOn', () => {
  it.each([
    { birth: '2008-03-15', on: '2026-03-14', want: { years: 17, days: 364 } }, // day before 18th birthday
    { birth: '2008-03-15', on: '2026-03-15', want: { years: 18, days: 0 } }, // 18th birthday
    { birth: '2008-03-15', on: '2026-03-16', want: { years: 18, days: 1 } }, // 18 years and 1 day
    { birth: '1950-06-30', on: '2026-06-29', want: { years: 75, days: 364 } },
    { birth: '1950-06-30', on: '2026-06-30', want: { years: 76, days: 0 } },
    { birth: '2026-01-01', on: '2026-01-01', want: { years: 0, days: 0 } },
    { birth: '2025-12-31', on: '2026-12-30', want: { years: 0, days: 364 } },
  ])('born $birth, on $on -> $want', ({ birth, on, want }) => {
    expect(ageOn(birth, on)).toEqual(want)
  })

  it('uses 1 March as the 29 February birthday in common years', () => {
    expect(LEAP_DAY_BIRTHDAY_IN_COMMON_YEARS).toEqual({ month: 3, day: 1 })
    expect(ageOn('2008-02-29', '2026-02-28')).toEqual({ years: 17, days: 364 }) // not yet 18
    expect(ageOn('2008-02-29', '2026-03-01')).toEqual({ years: 18, days: 0 })
    expect(ageOn('2008-02-29', '2028-02-28')).toEqual({ years: 19, days: 364 }) // 2028 is leap
    expect(ageOn('2008-02-29', '2028-02-29')).toEqual({ years: 20, days: 0 })
    expect(ageOn('2008-02-29', '2009-02-28')).toEqual({ years: 0, days: 365 })
  })

  it('28 February and 1 March birthdays are unaffected by leap years', () => {
    expect(ageOn('2007-02-28', '2024-02-28')).toEqual({ years: 17, days: 0 })
    expect(ageOn('2007-03-01', '2024-02-29')).toEqual({ years: 16, days: 365 })
  })

  it.each([
    { birth: '2026-01-02', on: '2026-01-01' }, // before birth
    { birth: '2026-02-30', on: '2026-03-01' },
    { birth: '2000-01-01', on: 'soon' },
  ])('undefined for born $birth on $on', ({ birth, on }) => {
    expect(ageOn(birth, on)).toBeUndefined()
  })
})

describe('windowFrom', () => {
  it('24 weeks before is 168 days, both ends inclusive', () => {
    const ref = day('2026-04-01')
    expect(windowFrom(ref, { weeks: 24 })).toEqual({ start: ref - 168, end: ref })
  })
  it('adds weeks and days', () => {
    expect(windowFrom(100, { weeks: 1, days: 3 })).toEqual({ start: 90, end: 100 })
  })
  it('days: 0 is that day only', () => {
    expect(windowFrom(100, { days: 0 })).toEqual({ start: 100, end: 100 })
    expect(windowFrom(100, {})).toEqual({ start: 100, end: 100 })
  })
})

describe('intervalsOverlap (inclusive ends)', () => {
  const w = { start: 10, end: 20 }
  it.each([
    { a: { start: 0, end: 9 }, want: false }, // ends the day before
    { a: { start: 0, end: 10 }, want: true }, // ends on the first day
    { a: { start: 20, end: 30 }, want: true }, // starts on the last day
    { a: { start: 21, end: 30 }, want: false }, // starts the day after
    { a: { start: 12, end: 15 }, want: true }, // inside
    { a: { start: 0, end: 30 }, want: true }, // covers
    { a: { start: 15, end: 15 }, want: true }, // single day inside
    { a: { start: 5, end: Number.POSITIVE_INFINITY }, want: true }, // ongoing
    { a: { start: Number.NEGATIVE_INFINITY, end: 9 }, want: false },
    { a: { end: 9 }, want: false }, // start unknown, but ended before
    { a: { end: 10 }, want: true }, // start unknown, but ended on the first day (start <= end)
    { a: { end: 20 }, want: true }, // ended on the last day
    { a: { end: 21 }, want: 'unknown' }, // start unknown: may have started after the window
    { a: { start: 21 }, want: false }, // end unknown, but started the day after
    { a: { start: 20 }, want: true }, // started on the last day: in the window whatever the end
    { a: { start: 10 }, want: true }, // started on the first day
    { a: { start: 9 }, want: 'unknown' }, // end unknown: may have ended the day before the window
    { a: {}, want: 'unknown' },
  ])('$a vs [10, 20] -> $want', ({ a, want }) => {
    expect(intervalsOverlap(a, w)).toBe(want)
  })
})

describe('addMonths (calendar months, for windows in months or years)', () => {
  it.each([
    { from: '2026-03-31', n: -6, want: '2025-09-30' }, // September has 30 days: clamped
    { from: '2026-08-31', n: -6, want: '2026-02-28' },
    { from: '2028-08-31', n: -6, want: '2028-02-29' }, // leap year
    { from: '2028-02-29', n: -24, want: '2026-02-28' },
    { from: '2026-01-15', n: -1, want: '2025-12-15' }, // across the year
    { from: '2026-01-15', n: 13, want: '2027-02-15' },
    { from: '2026-01-15', n: 0, want: '2026-01-15' },
  ])('$from + $n months = $want', ({ from, n, want }) => {
    expect(formatIsoDate(addMonths(parseIsoDate(from)!, n))).toBe(want)
  })
  it('refuses a fractional month', () => {
    expect(() => addMonths(0, 1.5)).toThrow(RangeError)
  })
})

describe('compareIsoDates', () => {
  it('orders calendar dates across days, months and years; equal dates are equal', () => {
    expect(['2026-03-02', '2025-12-31', '2026-03-01', '2026-02-28'].sort(compareIsoDates)).toEqual(['2025-12-31', '2026-02-28', '2026-03-01', '2026-03-02'])
    expect(compareIsoDates('2026-01-19', '2026-01-19')).toBe(0)
    expect(compareIsoDates('2026-01-18', '2026-01-19')).toBeLessThan(0)
    expect(compareIsoDates('2026-01-20', '2026-01-19')).toBeGreaterThan(0)
  })
})
