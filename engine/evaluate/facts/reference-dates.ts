/**
 * A patient's reference dates (consent, screening, randomisation...) as day numbers.
 */
import type { MissingData, PatientRecord } from '../../types.ts'
import { parseIsoDate } from '../../calculators/dates.ts'

export type RefDay = { ok: true; day: number; iso: string } | { ok: false; missing: MissingData }

export function referenceDay(patient: PatientRecord, ref: string, refLabel: string): RefDay {
  const iso = patient.dates?.[ref]
  const day = iso === undefined ? undefined : parseIsoDate(iso)
  if (iso === undefined || day === undefined) {
    return { ok: false, missing: { key: `dates.${ref}`, description: `${refLabel} date` } }
  }
  return { ok: true, day, iso }
}
