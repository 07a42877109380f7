/**
 * Names that record text uses for more than one dictionary entry ("MPA" is
 * mycophenolic acid or medroxyprogesterone acetate). They are deliberately
 * not synonyms of any entry: `resolveEntry` finds nothing for them, and the
 * caller can show the candidates instead of guessing. Data in
 * `ambiguous-names.json`; each entry names its source.
 */
import data from './ambiguous-names.json' with { type: 'json' }
import type { EntryDomain } from './index.ts'
import { normalizeEntryText } from './normalize.ts'

export interface AmbiguousName {
  domain: EntryDomain
  /** The ambiguous text, as records write it. */
  name: string
  /** Ids of the entries it may mean. */
  candidates: string[]
  source: string
}

/** The shipped ambiguous names (checked by `checkDictionary`). */
export const AMBIGUOUS_NAMES: readonly AmbiguousName[] = data as AmbiguousName[]

const index = new Map<string, string[]>()
for (const a of AMBIGUOUS_NAMES) index.set(`${a.domain}\u0000${normalizeEntryText(a.name)}`, a.candidates)

/**
 * The entry ids a piece of record text may mean, when it is a known ambiguous
 * name (compared as `normalizeEntryText` folds it: case, accents and
 * separators ignored).
 *
 * @param domain which dictionary the text is for
 * @param text what the record says
 * @returns the candidate ids, or `undefined` when the text is not a known ambiguous name
 * @example ambiguousCandidates('drugs', 'MPA') // ['mycophenolic_acid', 'medroxyprogesterone']
 */
export function ambiguousCandidates(domain: EntryDomain, text: string): string[] | undefined {
  const hit = index.get(`${domain}\u0000${normalizeEntryText(text)}`)
  return hit === undefined ? undefined : [...hit]
}
