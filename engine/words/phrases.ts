/**
 * Small phrases every worded text of the engine and the web builds on:
 * numbers, lists, plurals. Pure, with no runtime import, so the browser
 * bundle may import it (test/web/boundaries.test.ts WEB_SHARED).
 */

/** 1000000 -> "1,000,000"; 1.2 -> "1.2". Grouping only from 10 000 up, where it helps reading. */
export function formatNumber(n: number): string {
  return Math.abs(n) >= 10000 && Number.isInteger(n) ? n.toLocaleString('en-US') : String(n)
}

/** "1 week", "3 weeks": a count (already in words) and its noun. */
export function plural(n: string | number, unit: string): string {
  return `${n} ${unit}${String(n) === '1' ? '' : 's'}`
}

/** "a, b or c". */
export function joinOr(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`
}

/** "a, b and c". */
export function joinAnd(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
}

/** "malar rash" -> "Malar rash": a name in sentence form as a label. */
export function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** "Creatinine in serum" -> "creatinine in serum" inside a sentence; "SLEDAI-2K score", "eGFR" stay. */
export function lowerFirst(s: string): string {
  return s.length > 1 && /[A-Z]/.test(s[0]!) && /[a-z ]/.test(s[1]!) ? s[0]!.toLowerCase() + s.slice(1) : s
}

/** Comparison operators as written in a sentence: `>=` -> ≥. */
const OP_WORDS: Readonly<Record<string, string>> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤', '==': '=', '!=': '≠' }

/** A comparison operator in words (`>=` -> "≥"); an operator of its own (an extension's) reads as written. */
export function opWords(op: string): string {
  return OP_WORDS[op] ?? op
}
