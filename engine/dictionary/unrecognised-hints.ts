/**
 * Hints for record items whose code is in no dictionary: words in their
 * display text that suggest which dictionary classes they could belong to
 * ("Metastasis from malignant tumor of prostate" could be a `malignancy`).
 * A hint is only a "possibly" that asks a person to review the item; it never
 * puts an item in a class. Data in `unrecognised-hints.json`; each entry
 * names its source. The words err on the side of matching: a false
 * "possibly" costs a review, a miss lets an exclusion pass silently.
 *
 * How words match, after the text is folded (lower case, accents removed,
 * every run of characters other than letters and digits made one space):
 * - `stem` (the default) matches at the start of a word: `malignan` matches
 *   "malignant" and "malignancy"; a stem with a space (`in situ`) matches
 *   that phrase starting at a word start;
 * - `-stem` matches at the end of a word: `-ectomy` matches "appendectomy",
 *   `-mab` matches "rituximab";
 * - `=word` matches only the whole word: `=tb` matches "TB" but not "TBI".
 */
import data from './unrecognised-hints.json' with { type: 'json' }
import type { EntryDomain } from './index.ts'

/** The dictionaries hints are given for. */
export type HintDomain = 'conditions' | 'procedures' | 'drugs'

export interface UnrecognisedHint {
  domain: HintDomain
  /** A class used in that dictionary (checked by `checkDictionary`). */
  class: string
  /** Lower-case stems, matched as described in this module's comment. */
  words: string[]
  source: string
}

/** The shipped hints. */
export const UNRECOGNISED_HINTS: readonly UnrecognisedHint[] = data as UnrecognisedHint[]

/** Folds text for matching: lower case, no accents, one space between words, a space at each end. */
export function foldHintText(text: string): string {
  const words = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(w => w !== '')
  return ` ${words.join(' ')} `
}

/**
 * Whether a hint word occurs in folded text (see the module comment).
 *
 * @param folded text from {@link foldHintText}
 * @param word a hint word: `stem`, `-stem` or `=word`
 */
export function hintWordMatches(folded: string, word: string): boolean {
  if (word.startsWith('=')) return folded.includes(` ${foldHintText(word.slice(1)).trim()} `)
  if (word.startsWith('-')) return folded.includes(`${foldHintText(word.slice(1)).trim()} `)
  return folded.includes(` ${foldHintText(word).trim()}`)
}

/**
 * The classes an unrecognised item could belong to, judged from its text.
 *
 * @param domain which dictionary the item is for (vaccines have no hints: always `[]`)
 * @param text the item's display text
 * @param hints the hints to use (default: the shipped ones)
 * @returns the classes whose words occur in the text, in hint order without repeats; `[]` when none
 * @example possibleClasses('conditions', 'Metastasis from malignant tumor of prostate (disorder)') // includes 'malignancy'
 * @example possibleClasses('conditions', 'Full-time employment (finding)') // []
 */
export function possibleClasses(domain: EntryDomain, text: string, hints: readonly UnrecognisedHint[] = UNRECOGNISED_HINTS): string[] {
  const folded = foldHintText(text)
  const out: string[] = []
  for (const h of hints) {
    if (h.domain !== domain || out.includes(h.class)) continue
    if (h.words.some(w => hintWordMatches(folded, w))) out.push(h.class)
  }
  return out
}
