/**
 * One presentation of dates, units, registry ids and versions for the whole
 * web UI (issue 17, problem 9): a clinician reading "12/1/2026" on one
 * screen and "2026-12-01" on the next cannot tell which day is meant.
 * test/web/format.test.ts keeps locale date formatting out of web/.
 */

// the engine's one home of unit wording: a pure module with no imports, the one runtime import web/ may make (test/web/boundaries.test.ts)
import { humanUnit } from '../engine/describe/unit-words.ts'

const ISO_DAY = /^(\d{4}-\d{2}-\d{2})(?:$|T)/

/**
 * A date as YYYY-MM-DD, always. An ISO date or date-time string keeps the
 * calendar day written in it (never shifted through the reader's time zone);
 * a Date (a server timestamp) is read in UTC, the zone the server writes.
 *
 * @example formatDate('2026-12-01T23:30:00Z') // '2026-12-01'
 */
export function formatDate(value: string | Date | undefined | null): string {
  if (value === undefined || value === null || value === '') return ''
  if (typeof value === 'string') {
    const m = ISO_DAY.exec(value)
    if (m) return m[1]!
    const d = new Date(value)
    return Number.isNaN(d.getTime()) ? value : d.toISOString().slice(0, 10)
  }
  return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10)
}

/**
 * A server timestamp (ISO instant, UTC) to the minute, in UTC and saying so:
 * who did what when, read the same in every time zone.
 *
 * @example formatInstant('2026-12-02T10:19:07.123Z') // '2026-12-02 10:19 UTC'
 */
export const formatInstant = (instant: string): string => `${instant.slice(0, 16).replace('T', ' ')} UTC`

/**
 * A UCUM unit code in human form, as the engine's descriptions write it.
 *
 * @example formatUnit('g/(24.h)') // 'g/24 h'
 */
export const formatUnit = (ucum: string): string => humanUnit(ucum)

/**
 * A trial registry id as the registry writes it: ClinicalTrials.gov ids in
 * upper case (a store id `nct05631717-copy` reads `NCT05631717-copy`).
 */
export const formatRegistryId = (id: string): string => id.replace(/^nct(\d{8})/i, 'NCT$1')

/** A protocol version as the library numbers it: `v3`. */
export const formatVersion = (version: number | string): string => `v${version}`
