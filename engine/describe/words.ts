/**
 * Small wording helpers for plain-words descriptions: numbers, units,
 * windows as the designer wrote them (weeks stay weeks), parameter use.
 */
import type { NumberOrParam, ParameterValue, ProtocolDocument, StringOrParam, Window } from '../types.ts'
import { describeRef, describeWindow } from '../compile/labels.ts'
import { isParamRef } from '../compile/resolve.ts'
import { humanUnit } from './unit-words.ts'

/** What a description collects while it walks a protocol part. */
export interface Usage {
  /** Parameters used, in first-use order. */
  parameters: string[]
  /** Reference dates used, in first-use order. */
  refs: string[]
}

export function newUsage(): Usage {
  return { parameters: [], refs: [] }
}

export function useParameter(u: Usage, name: string): void {
  if (!u.parameters.includes(name)) u.parameters.push(name)
}

export function useRef(u: Usage, ref: string): void {
  if (!u.refs.includes(ref)) u.refs.push(ref)
}

/** A parameter's value; a name the protocol does not define stays visible as `?name`. */
export function parameterValue(doc: ProtocolDocument, name: string): ParameterValue | undefined {
  return doc.parameters?.[name]?.value
}

/** A number or `{ param }` as its value, noting the parameter. */
export function numberOf(x: NumberOrParam, doc: ProtocolDocument, u: Usage): string {
  if (!isParamRef(x)) return formatNumber(x)
  useParameter(u, x.param)
  const v = parameterValue(doc, x.param)
  return typeof v === 'number' ? formatNumber(v) : `{${x.param}}`
}

/** A string or `{ param }` as its value, noting the parameter. */
export function stringOf(x: StringOrParam, doc: ProtocolDocument, u: Usage): string {
  if (!isParamRef(x)) return x
  useParameter(u, x.param)
  const v = parameterValue(doc, x.param)
  return v === undefined ? `{${x.param}}` : String(v)
}

/** 1000000 -> "1,000,000"; 1.2 -> "1.2". Grouping only from 10 000 up, where it helps reading. */
export function formatNumber(n: number): string {
  return Math.abs(n) >= 10000 && Number.isInteger(n) ? n.toLocaleString('en-US') : String(n)
}

/**
 * A unit after a number in a sentence, in human form (`humanUnit`, the one
 * home: `g/(24.h)` -> "g/24 h"); a score (`{score}`) or a ratio (`1`) has no
 * unit to show after its number.
 */
export function unitWords(ucum: string | undefined): string {
  return !ucum || ucum === '{score}' || ucum === '1' ? '' : humanUnit(ucum)
}

/** "Creatinine in serum" -> "creatinine in serum" inside a sentence; "SLEDAI-2K score", "eGFR" stay. */
export function lowerFirst(s: string): string {
  return s.length > 1 && /[A-Z]/.test(s[0]!) && /[a-z ]/.test(s[1]!) ? s[0]!.toLowerCase() + s.slice(1) : s
}

/** "a, b or c". */
export function joinOr(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`
}

/** "a, b and c". */
export function joinAnd(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
}

function plural(n: string, unit: string): string {
  return `${n} ${unit}${n === '1' ? '' : 's'}`
}

/**
 * A window as the designer wrote it: "within 24 weeks before screening",
 * "within 28 days before screening", "within 6 months before screening", "on
 * the screening date", "from study day 309 to day 365 (day 1 = the random
 * allocation date)", "current at screening", "planned during the study", "at
 * the visit", "at any time".
 * `{ weeks: 24, before: screening }` runs from 24 weeks before screening up to
 * and including screening (both ends count).
 */
export function windowWords(w: Window | undefined, doc: ProtocolDocument, u: Usage): string {
  if (!w) return describeWindow({ kind: 'any' }, doc)
  if ('planned' in w) return describeWindow({ kind: 'planned' }, doc)
  if ('visit' in w) return describeWindow({ kind: 'visit', visit: w.visit }, doc)
  if ('at' in w) {
    useRef(u, w.at)
    return describeWindow({ kind: 'at', ref: w.at }, doc)
  }
  if ('from_day' in w) {
    useRef(u, w.ref)
    return `from study day ${numberOf(w.from_day, doc, u)} to day ${numberOf(w.to_day, doc, u)} (day 1 = the ${describeRef(doc, w.ref)} date)`
  }
  useRef(u, w.before)
  const span = spanWords(w, doc, u)
  const ref = describeRef(doc, w.before)
  if (span === '') return `on the ${ref} date`
  return `within ${span} before ${ref}`
}

/** A span of years, months, weeks and days in words ("6 months"; '' when it is 0), noting parameters. */
export function spanWords(w: { years?: NumberOrParam; months?: NumberOrParam; weeks?: NumberOrParam; days?: NumberOrParam }, doc: ProtocolDocument, u: Usage): string {
  const parts: string[] = []
  // calendar years and months first (the engine steps back by months, then by weeks and days)
  if (w.years !== undefined) parts.push(plural(numberOf(w.years, doc, u), 'year'))
  if (w.months !== undefined) parts.push(plural(numberOf(w.months, doc, u), 'month'))
  if (w.weeks !== undefined) parts.push(plural(numberOf(w.weeks, doc, u), 'week'))
  if (w.days !== undefined) parts.push(plural(numberOf(w.days, doc, u), 'day'))
  return joinAnd(parts.filter((p) => !p.startsWith('0 ')))
}
