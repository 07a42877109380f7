/**
 * FHIR date, dateTime and instant values as ISO calendar dates.
 *
 * The calendar day is the one written in the value, in the resource's own
 * offset: `2026-01-04T23:30:00-05:00` is 4 January, wherever the importer
 * runs. Going through `Date` would shift it into the local time zone.
 */
import { parseIsoDate } from '../calculators/dates.ts'
import type { IsoDate } from '../types.ts'

/** FHIR R4 dateTime / instant syntax (http://hl7.org/fhir/R4/datatypes.html#dateTime). */
const FHIR_DATE_TIME = /^(\d{4})(-(\d{2})(-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/

export type FhirDate = { ok: true; date: IsoDate } | { ok: false; why: 'imprecise' | 'invalid'; message: string }

/**
 * The calendar day of a FHIR date, dateTime or instant.
 *
 * @param value what the resource holds
 * @returns the ISO date, or why there is none (`imprecise`: only a year or a month)
 * @example fhirDate('2026-01-04T23:30:00-05:00') // { ok: true, date: '2026-01-04' }
 * @example fhirDate('2025-03') // { ok: false, why: 'imprecise', ... }
 */
export function fhirDate(value: unknown): FhirDate {
  if (typeof value !== 'string') return { ok: false, why: 'invalid', message: `expected a FHIR date, got ${describe(value)}` }
  const m = FHIR_DATE_TIME.exec(value.trim())
  if (!m) return { ok: false, why: 'invalid', message: `"${value}" is not a FHIR date or dateTime` }
  if (m[5] === undefined) return { ok: false, why: 'imprecise', message: `"${value}" is not a calendar day (only ${m[3] ? 'a month' : 'a year'})` }
  const date = `${m[1]}-${m[3]}-${m[5]}`
  if (parseIsoDate(date) === undefined) return { ok: false, why: 'invalid', message: `"${value}" is not a real calendar date` }
  return { ok: true, date }
}

/** A value quoted with its type, for messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${JSON.stringify(value)}`
}
