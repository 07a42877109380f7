/** Text and code normalisation shared by the lookups and the dictionary check. */

/**
 * Folds a name for comparison: case, accents, trademark signs, and runs of
 * spaces, underscores and hyphens are ignored, so `Certolizumab-Pegol`,
 * `certolizumab_pegol` and `certolizumab pegol` are one key.
 *
 * @example normalizeEntryText('Bacille Calmette-Guérin®') // 'bacille calmette guerin'
 */
export function normalizeEntryText(text: string): string {
  let normal = normalizedTexts.get(text)
  if (normal === undefined) {
    normal = text
      .replace(/[®™]/g, '')
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[\s_-]+/g, ' ')
      .trim()
    // the same few hundred names (dictionary entries, a protocol's and its records' drugs and conditions) come back on
    // every check, evaluation and record screened; a flood of new ones empties the memo rather than growing it
    if (normalizedTexts.size >= MAX_NORMALIZED_TEXTS) normalizedTexts.clear()
    normalizedTexts.set(text, normal)
  }
  return normal
}

const normalizedTexts = new Map<string, string>()
const MAX_NORMALIZED_TEXTS = 20_000

/** A full ATC code: anatomical group, two digits, two letters, two digits (WHO ATC structure), e.g. `L04AA06`. */
export const ATC_PATTERN = /^[A-Z]\d{2}[A-Z]{2}\d{2}$/
/** An ICD-10 code without its dot: letter, two digits, up to four more characters (ICD-10-CM allows 7 in all). */
export const ICD10_PATTERN = /^[A-Z]\d{2}[0-9A-Z]{0,4}$/

/**
 * Folds an ATC or ICD-10 code: upper case, no spaces or dots.
 *
 * @example normalizeCode('b02.9') // 'B029'
 */
export function normalizeCode(text: string): string {
  return text.replace(/[\s.]/g, '').toUpperCase()
}
