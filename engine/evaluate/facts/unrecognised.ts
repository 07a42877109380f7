/**
 * Unrecognised record items (PatientRecord.unrecognised) read by facts other
 * than the event leaves: a glucocorticoid dose cannot be totalled while an
 * unrecognised drug could be a glucocorticoid taken that day.
 */
import type { Dictionary } from '../../dictionary/index.ts'
import { isSystemicRoute } from '../../dictionary/routes.ts'
import type { PatientRecord, UnrecognisedEntry } from '../../types.ts'

export interface UnrecognisedMatch {
  entry: UnrecognisedEntry
  /** `unrecognised.medications[i]`, the key a reviewer is pointed to. */
  key: string
}

/**
 * The unrecognised medications that could be a drug of a class: given
 * systemically, and either anything (no `possibly`) or one of `possibly`
 * being that class, or an entry in it.
 *
 * @example unrecognisedDrugsOfClass(record, 'glucocorticoid', dictionary)
 */
export function unrecognisedDrugsOfClass(patient: PatientRecord, cls: string, dictionary: Dictionary): UnrecognisedMatch[] {
  const list = patient.unrecognised?.medications
  if (!Array.isArray(list)) return []
  const out: UnrecognisedMatch[] = []
  list.forEach((entry, i) => {
    if (!entry || !isSystemicRoute(entry.route)) return
    const could =
      entry.possibly === undefined ||
      entry.possibly.some((p) => p === cls || dictionary.drugs.some((d) => (d.id === p || d.classes.includes(p)) && d.classes.includes(cls)))
    if (could) out.push({ entry, key: `unrecognised.medications[${i}]` })
  })
  return out
}
