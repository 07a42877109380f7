/**
 * Drugs that could be of a class without being known to be: an import's
 * unrecognised items (PatientRecord.unrecognised) and recorded names the
 * dictionary does not know or that are ambiguous ("steroid"). Read by facts
 * other than the event leaves: a glucocorticoid dose cannot be totalled while
 * such a drug could be a glucocorticoid taken that day.
 */
import { resolveEntry, type Dictionary } from '../../dictionary/index.ts'
import { ambiguousCandidates } from '../../dictionary/ambiguous-names.ts'
import { isSystemicRoute } from '../../dictionary/routes.ts'
import type { PatientRecord, UnrecognisedEntry } from '../../types.ts'

export interface UnrecognisedMatch {
  /** The item's text and dates. */
  entry: Pick<UnrecognisedEntry, 'text' | 'start' | 'stop' | 'ongoing'>
  /** `unrecognised.medications[i]` (an import's item to review) or `medications[i]` (a name the dictionary does not know). */
  key: string
  /** true for an import's unrecognised item, which a person reviews; false for a recorded name to correct. */
  review: boolean
}

/**
 * The unrecognised medications that could be a drug of a class: given
 * systemically, and either anything (no `possibly`) or one of `possibly`
 * being that class, or an entry in it.
 *
 * @example unrecognisedDrugsOfClass(record, 'glucocorticoid', dictionary)
 */
export function unrecognisedDrugsOfClass(patient: PatientRecord, cls: string, dictionary: Dictionary): UnrecognisedMatch[] {
  const out: UnrecognisedMatch[] = []
  const list = patient.unrecognised?.medications
  if (Array.isArray(list)) {
    list.forEach((entry, i) => {
      if (entry && isSystemicRoute(entry.route) && possiblyOfClass(entry.possibly, cls, dictionary))
        out.push({ entry, key: `unrecognised.medications[${i}]`, review: true })
    })
  }
  // a recorded name the dictionary does not know (or an ambiguous one) could be of the class too
  ;(patient.medications ?? []).forEach((m, i) => {
    if (!m || typeof m.drug !== 'string' || !isSystemicRoute(m.route) || resolveEntry('drugs', m.drug, dictionary)) return
    if (possiblyOfClass(ambiguousCandidates('drugs', m.drug), cls, dictionary))
      out.push({
        entry: {
          text: m.drug,
          ...(m.start ? { start: m.start } : {}),
          ...(m.stop ? { stop: m.stop } : {}),
          ...(m.ongoing !== undefined ? { ongoing: m.ongoing } : {}),
        },
        key: `medications[${i}]`,
        review: false,
      })
  })
  return out
}

/** Whether an unrecognised entry may be of the class: it names no candidates, or one that is the class or in it. */
function possiblyOfClass(possibly: readonly string[] | undefined, cls: string, dictionary: Dictionary): boolean {
  return possibly === undefined || possibly.some(p => p === cls || dictionary.drugs.some(d => (d.id === p || d.classes.includes(p)) && d.classes.includes(cls)))
}
