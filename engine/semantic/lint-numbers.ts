/**
 * W_STALE_NUMBER: a criterion's title or notes quote a number its logic no
 * longer uses (title "UPCR > 1.0" after an amendment moved the logic to 1.5).
 *
 * Only the designer's own words are read: `title` and `notes`, never `text`
 * (the registry's verbatim wording may legitimately differ), and not the
 * parts of a note in double quotes (a quotation of the registry).
 *
 * A number counts as a quoted threshold only in a quantity context: after a
 * comparison (`>`, `≥`, `=`, "more than", "at least", ...), before a unit
 * ("3 months", "1.0 g", "30 IU/mL", "50 %", "2 × ULN"), or as a range
 * "18 to 75". Numbers that are parts of names ("SLEDAI-2K", "24-h urine",
 * "§8.1"), years (1900–2099 in prose: "ACR 1997", "CKD-EPI 2021") and molar
 * masses ("113.12 g/mol", a conversion constant) are skipped.
 *
 * Comparison is numeric equality with the numbers of the logic (and of its
 * `applies_if`): every number in it, and the value of every parameter it
 * references, and digits standing alone in a snake_case name it uses
 * (attestation `upcr_doubled_within_6_months` carries 6). Equivalents
 * accepted: window lengths across weeks↔days and years↔months; a day count
 * within 0.1 month of whole months, for a number quoted in months only
 * (90 days ≈ 3 months; a study-day window by its distance from the
 * reference day); a percentage and its fraction (50 % = 0.5). No other unit
 * conversion: 1.0 g/g is not matched with 113 mg/mmol.
 *
 * One warning per distinct number per title or note, at that title or note.
 */
import type { Criterion, ParameterValue } from '../types.ts'
import { isParamRef } from '../compile/resolve.ts'
import { wordStaleNumber } from '../schema/messages.ts'
import type { PathSegment } from '../parse/path.ts'
import { issue, type SemanticIssue } from './issue.ts'

const DAYS_PER_MONTH = 365.25 / 12
/** Days also written in weeks (84 = 12 weeks). */
const daysAlso = (n: number): number[] => (n % 7 === 0 ? [n / 7] : [])
/** Window keys and the other units their numbers are also written in. */
const WINDOW_EQUIVALENTS: Record<string, (n: number) => number[]> = {
  weeks: n => [n * 7],
  days: daysAlso,
  years: n => [n * 12],
  months: n => (n % 12 === 0 ? [n / 12] : []),
  // study-day windows count back from a reference: day -90 is 90 days before it
  from_day: n => [Math.abs(n), ...daysAlso(Math.abs(n))],
  to_day: n => [Math.abs(n), ...daysAlso(Math.abs(n))],
}
const DAY_KEYS = new Set(['days', 'from_day', 'to_day'])

export interface LogicNumbers {
  /** Every number, with its window equivalents. */
  numbers: number[]
  /** Day counts close to a whole number of months (90 ≈ 3), matched only by a number quoted in months. */
  months: number[]
}

/** The numbers a condition tree compares with, parameters resolved. */
export function numbersInLogic(logic: unknown, params: Record<string, ParameterValue>, out: LogicNumbers = { numbers: [], months: [] }): LogicNumbers {
  const add = (n: number, key: string | undefined): void => {
    out.numbers.push(n)
    if (key !== undefined && WINDOW_EQUIVALENTS[key]) out.numbers.push(...WINDOW_EQUIVALENTS[key]!(n))
    if (key !== undefined && DAY_KEYS.has(key)) {
      const months = Math.abs(n) / DAYS_PER_MONTH
      if (months >= 0.9 && Math.abs(months - Math.round(months)) < 0.1) out.months.push(Math.round(months))
    }
  }
  const addValue = (v: unknown, key: string | undefined): void => {
    if (typeof v === 'number') add(v, key)
    else if (Array.isArray(v)) for (const x of v) addValue(x, key)
    // a parameter may hold a condition or an object with numbers in it
    else if (typeof v === 'object' && v !== null) visit(v, key)
  }
  const visit = (x: unknown, key: string | undefined): void => {
    if (isParamRef(x)) addValue(params[x.param], key)
    else if (typeof x === 'number') add(x, key)
    // a number carried by a name the logic uses: attestation upcr_doubled_within_6_months
    else if (typeof x === 'string' && /^[a-z][a-z0-9_]*$/.test(x)) {
      for (const t of x.split('_')) if (/^\d+$/.test(t)) add(Number(t), undefined)
    } else if (Array.isArray(x)) for (const y of x) visit(y, key)
    else if (typeof x === 'object' && x !== null) for (const [k, v] of Object.entries(x)) visit(v, k)
  }
  visit(logic, undefined)
  return out
}

export interface QuotedNumber {
  value: number
  /** As written, e.g. "1.0" or "50 %". */
  written: string
  percent: boolean
  /** Written in months ("3 months", "3 calendar months"). */
  months: boolean
}

const COMPARISON = '(?:[<>≤≥≠=]=?|more than|less than|greater than|fewer than|at least|at most|above|below|exceeding)'
const UNIT = String.raw`(?:calendar\s+)?(?:days?|weeks?|months?|years?|hours?|h|%|percent|(?:[x×]|times)\s*ULN|ULN|mg\/mmol|mg\/g|mg\/mg|g\/g|g\/dL|g\/L|mg\/dL|mg\/L|mmol\/L|µmol\/L|umol\/L|IU\/mL|U\/mL|mL\/min(?:\/1\.73\s*m²)?|mg|g|kg|mcg|µg|cells\/µL)`
const NUMBER = String.raw`\d+(?:\.\d+)?`
/** A number preceded by a comparison, optionally written as a titre 1:N. */
const AFTER_COMPARISON = new RegExp(String.raw`(?<![\w-])${COMPARISON}\s*(?:1:)?(${NUMBER})(?!\s*-\s*[A-Za-z])(?!\d)`, 'gi')
const BEFORE_UNIT = new RegExp(String.raw`(?<![\w.§/:-])(${NUMBER})\s*${UNIT}(?![\w/])`, 'gi')
const RANGE = new RegExp(String.raw`(?<![\w.§/:-])(${NUMBER})\s+to\s+(${NUMBER})(?![\w.-])`, 'gi')

/** Text outside double quotes ("..." or “...”), quotes blanked to keep offsets. */
function withoutQuotations(text: string): string {
  return text.replace(/"[^"]*"|“[^”]*”/g, q => ' '.repeat(q.length))
}

const isYear = (written: string): boolean => /^(19|20)\d\d$/.test(written)

/**
 * Numbers quoted as thresholds, windows or bounds in a title or note.
 *
 * @example
 * quotedNumbers('UPCR > 1.0 or 24-h urine protein > 1.0 g').map((q) => q.value) // [1, 1]
 */
export function quotedNumbers(text: string): QuotedNumber[] {
  const plain = withoutQuotations(text)
  const found = new Map<number, QuotedNumber>() // by offset: one number, one finding
  const take = (written: string, at: number, percent: boolean): void => {
    if (isYear(written) || found.has(at)) return
    const months = /^\s*(?:calendar\s+)?months?\b/i.test(plain.slice(at + written.length))
    found.set(at, { value: Number(written), written: percent ? `${written} %` : written, percent, months })
  }
  for (const m of plain.matchAll(AFTER_COMPARISON)) {
    const at = m.index! + m[0].length - m[1]!.length
    const percent = /^\s*(?:%|percent)/i.test(plain.slice(at + m[1]!.length))
    take(m[1]!, at, percent)
  }
  for (const m of plain.matchAll(BEFORE_UNIT)) {
    if (/g\/mol/i.test(plain.slice(m.index!, m.index! + m[0].length + 4))) continue
    take(m[1]!, m.index!, /(?:%|percent)$/i.test(m[0]))
  }
  for (const m of plain.matchAll(RANGE)) {
    take(m[1]!, m.index!, false)
    take(m[2]!, m.index! + m[0].length - m[2]!.length, false)
  }
  return [...found.entries()].sort(([a], [b]) => a - b).map(([, q]) => q)
}

const same = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))

/** Numbers of the criterion's title and notes that its logic does not use. */
export function lintStaleNumbers(c: Criterion, index: number, params: Record<string, ParameterValue>): SemanticIssue[] {
  const logic = numbersInLogic(c.logic, params)
  if (c.applies_if) numbersInLogic(c.applies_if, params, logic)
  const used = logic.numbers
  const uses = (q: QuotedNumber): boolean =>
    used.some(n => same(n, q.value) || (q.percent && same(n, q.value / 100))) || (q.months && logic.months.some(n => same(n, q.value)))
  const shown = [...new Set(used)].sort((a, b) => a - b)
  const out: SemanticIssue[] = []
  const check = (text: string | undefined, path: PathSegment[], where: string): void => {
    if (typeof text !== 'string') return
    const reported = new Set<number>() // "> 1.0 or ... > 1.0 g": one warning for 1.0
    for (const q of quotedNumbers(text)) {
      if (uses(q) || reported.has(q.value)) continue
      reported.add(q.value)
      out.push(issue('W_STALE_NUMBER', path, wordStaleNumber(where, q.written, c.id, shown), shown.join(', ') || undefined, q.written, 'warning'))
    }
  }
  check(c.title, ['criteria', index, 'title'], 'title')
  for (const [j, n] of (c.notes ?? []).entries()) check(n, ['criteria', index, 'notes', j], `note ${j + 1}`)
  return out
}
