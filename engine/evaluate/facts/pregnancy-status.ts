/**
 * Whether a dated pregnancy status still says something about screening day.
 * An EHR's pregnancy-status observation from 2022 does not make a patient
 * pregnant in 2026; a status is current only when dated shortly before the
 * reference date.
 */
import { parseIsoDate } from '../../calculators/dates.ts'
import type { PatientRecord } from '../../types.ts'

/**
 * How many days before screening a recorded pregnancy status still counts as
 * current. Project choice (no guideline gives one): four weeks, the
 * look-back LN protocols commonly give screening laboratory values; older
 * statuses leave `pregnant` unknown rather than guess.
 */
export const PREGNANCY_STATUS_CURRENT_DAYS = 28

/** The reference dates a status is compared with, in order of preference. */
const REFERENCE_DATES = ['screening', 'consent'] as const

export type PregnancyStatusReading = { value: boolean } | { value: undefined; why: string }

/**
 * The `pregnant` fact from the record: the clinician's undated answer, else a
 * dated status within {@link PREGNANCY_STATUS_CURRENT_DAYS} days before
 * screening (or consent).
 *
 * @example currentPregnancy({ dates: { screening: '2026-11-16' }, reproductive: { pregnancy_status: { pregnant: true, date: '2022-05-01' } } })
 * // { value: undefined, why: 'pregnancy status recorded 2022-05-01, more than 28 days before screening 2026-11-16: not current' }
 */
export function currentPregnancy(p: PatientRecord): PregnancyStatusReading {
  const stated = p.reproductive?.pregnant
  if (stated !== undefined) return { value: stated }
  const status = p.reproductive?.pregnancy_status
  if (!status) return { value: undefined, why: 'not recorded' }
  const name = REFERENCE_DATES.find(d => p.dates?.[d] !== undefined)
  const ref = name ? parseIsoDate(p.dates![name]!) : undefined
  const day = parseIsoDate(status.date)
  if (name === undefined || ref === undefined)
    return { value: undefined, why: `pregnancy status recorded ${status.date}, but no screening date to tell whether it is current` }
  if (day === undefined) return { value: undefined, why: `pregnancy status date "${status.date}" is not a calendar date` }
  if (day > ref) return { value: undefined, why: `pregnancy status recorded ${status.date}, after ${name} ${p.dates![name]}` }
  if (ref - day > PREGNANCY_STATUS_CURRENT_DAYS) {
    return {
      value: undefined,
      why: `pregnancy status recorded ${status.date}, more than ${PREGNANCY_STATUS_CURRENT_DAYS} days before ${name} ${p.dates![name]}: not current`,
    }
  }
  return { value: status.pregnant }
}
