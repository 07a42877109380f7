/**
 * Small wording helpers for plain-words descriptions: parameter use, units,
 * and windows as the designer wrote them (weeks stay weeks). Numbers, lists
 * and windows are worded once in engine/words/, shared with the web.
 */
import type { NumberOrParam, ParameterValue, ProtocolDocument, StringOrParam, Window } from '../types.ts'
import { isParamRef } from '../compile/resolve.ts'
import { humanUnit } from './unit-words.ts'
import { formatNumber } from '../words/phrases.ts'
import {
  spanWords as sharedSpanWords,
  valueWindowWords as sharedValueWindowWords,
  windowWords as sharedWindowWords,
  type Span,
  type WindowReading,
} from '../words/windows.ts'

export { formatNumber, joinAnd, joinOr, lowerFirst } from '../words/phrases.ts'

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

/**
 * A unit after a number in a sentence, in human form (`humanUnit`, the one
 * home: `g/(24.h)` -> "g/24 h"); a score (`{score}`) or a ratio (`1`) has no
 * unit to show after its number.
 */
export function unitWords(ucum: string | undefined): string {
  return !ucum || ucum === '{score}' || ucum === '1' ? '' : humanUnit(ucum)
}

/**
 * A window as the designer wrote it, noting the parameters and reference
 * dates it reads (the one wording: engine/words/windows.ts).
 */
export function windowWords(w: Window | undefined, doc: ProtocolDocument, u: Usage): string {
  return sharedWindowWords(w, reading(doc, u))
}

/** The window of a measured value ("on the screening date" for `at`), noting what it reads (engine/words/windows.ts). */
export function valueWindowWords(w: Window | undefined, doc: ProtocolDocument, u: Usage): string {
  return sharedValueWindowWords(w, reading(doc, u))
}

function reading(doc: ProtocolDocument, u: Usage): WindowReading {
  return { doc, number: x => numberOf(x, doc, u), onRef: ref => useRef(u, ref) }
}

/** A span of years, months, weeks and days in words ("6 months"; '' when it is 0), noting parameters. */
export function spanWords(w: Span, doc: ProtocolDocument, u: Usage): string {
  return sharedSpanWords(w, x => numberOf(x, doc, u))
}
