/**
 * The `age` fact: age at a reference date, from the birth date.
 */
import type { PatientRecord } from '../../types.ts'
import { ageOn } from '../../calculators/dates.ts'
import { known, unknown, type Evidence } from '../evidence.ts'
import { referenceDay } from './reference-dates.ts'
import type { FactContext } from './context.ts'

export function ageEvidence(patient: PatientRecord, params: { at: string }, ctx: FactContext): Evidence {
  const label = ctx.doc.reference_dates[params.at]?.label ?? params.at
  const ref = referenceDay(patient, params.at, label)
  const birthMissing = { key: 'birth_date', description: 'date of birth' }
  if (!patient.birth_date && !ref.ok) return unknown(`no date of birth and no ${ref.missing.description}`, [birthMissing, ref.missing])
  if (!patient.birth_date) return unknown('no date of birth', [birthMissing])
  if (!ref.ok) return unknown(`no ${ref.missing.description}`, [ref.missing])
  const age = ageOn(patient.birth_date, ref.iso)
  if (!age) return unknown(`date of birth ${patient.birth_date} is not a valid date or is after ${ref.iso}`, [birthMissing])
  return known(age, `${age.years} years ${age.days} days at ${label} (${ref.iso}; born ${patient.birth_date})`)
}
