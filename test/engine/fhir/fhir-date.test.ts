import { describe, expect, it } from 'vitest'
import { fhirDate } from '../../../engine/fhir/index.ts'

// run under TZ=Pacific/Kiritimati (UTC+14) and TZ=America/New_York too: the answer must not change
describe('fhirDate: the calendar day as written, in the resource offset', () => {
  it.each([
    { value: '2026-01-04', want: '2026-01-04' },
    { value: '2026-01-04T23:30:00-05:00', want: '2026-01-04' }, // the 5th in UTC
    { value: '2026-01-05T00:30:00+14:00', want: '2026-01-05' }, // the 4th in UTC
    { value: '2026-01-04T23:59:59.999Z', want: '2026-01-04' },
    { value: '2024-02-29T12:00:00Z', want: '2024-02-29' }, // leap day
  ])('$value -> $want', ({ value, want }) => {
    expect(fhirDate(value)).toEqual({ ok: true, date: want })
  })

  it.each([
    { value: '2026', why: 'imprecise' },
    { value: '2026-01', why: 'imprecise' },
    { value: '2025-02-29', why: 'invalid' }, // not a leap year
    { value: '04/01/2026', why: 'invalid' },
    { value: 20260104, why: 'invalid' },
    { value: undefined, why: 'invalid' },
  ])('$value -> $why', ({ value, why }) => {
    expect(fhirDate(value)).toMatchObject({ ok: false, why })
  })
})
