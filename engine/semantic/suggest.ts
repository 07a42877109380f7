/**
 * "Did you mean …?" for names that refer to nothing: the closest known name
 * by edit distance, offered only when it is plausibly a typo.
 */
import { closest, distance } from 'fastest-levenshtein'

/**
 * The known name closest to `name`, if at most a third of it differs.
 *
 * @example
 * suggest('urine_protein_24hr', ['urine_protein_24h', 'egfr']) // 'urine_protein_24h'
 * suggest('xyz', ['urine_protein_24h']) // undefined
 */
export function suggest(name: string, known: readonly string[]): string | undefined {
  const candidates = known.filter((k): k is string => typeof k === 'string')
  if (typeof name !== 'string' || candidates.length === 0) return undefined
  const best = closest(name, candidates)
  return distance(name, best) <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined
}

/** `; did you mean "x"?` or nothing, to append to a message. */
export function didYouMean(name: string, known: readonly string[]): string {
  const s = suggest(name, known)
  return s ? `; did you mean "${s}"?` : ''
}
