/**
 * The one wording of a window (issue 18: the compiled labels, the protocol
 * description and the version comparison said "within 4 weeks", "within 28
 * days" and "within … days" for the same window). A window reads as the
 * designer wrote it: weeks stay weeks and days stay days, so the text
 * matches the protocol it was written from.
 *
 * Pure, importing only types, so the browser bundle may import it
 * (test/web/boundaries.test.ts WEB_SHARED); the engine words its compiled
 * windows through it too (compile/labels.ts).
 */
import type { NumberOrParam, ProtocolDocument, Window } from '../types.ts'
import { formatNumber, joinAnd, plural } from './phrases.ts'
import { kindedWindow } from '../logic/window-model.ts'

/** The labels a window names: reference dates and visits. */
export type LabelSource = Pick<ProtocolDocument, 'reference_dates' | 'visits'>

/** How a window is read where it is worded. */
export interface WindowReading {
  doc: LabelSource
  /** A number or `{ param }` as it reads here (the describer notes the parameter; the comparison names it). */
  number: (x: NumberOrParam) => string
  /** Told of each reference date the window counts from. */
  onRef?: (ref: string) => void
}

/** A span of calendar years and months, then weeks and days, as written. */
export interface Span<N = NumberOrParam> {
  years?: N
  months?: N
  weeks?: N
  days?: N
}

/** A reference date's label ("random allocation"), or its name. */
export function referenceLabel(doc: LabelSource, ref: string): string {
  return doc.reference_dates?.[ref]?.label ?? ref
}

/** A visit's label ("week 24"), or its id. */
export function visitLabel(doc: LabelSource, visit: string): string {
  return doc.visits?.find(v => v.id === visit)?.label ?? visit
}

/** A number as written once resolved; a parameter left unresolved reads `{name}`. */
export const plainNumber = (x: NumberOrParam): string => (typeof x === 'number' ? formatNumber(x) : `{${x.param}}`)

/** Reads plain numbers (a compiled window, whose parameters are resolved). */
export const plainNumbers = (doc: LabelSource): WindowReading => ({ doc, number: plainNumber })

/**
 * A span in words, "6 months", "1 year and 2 weeks"; '' when every part is 0.
 * Calendar years and months come first, as the engine steps back by months,
 * then by weeks and days.
 */
export function spanWords(span: Span, number: WindowReading['number']): string {
  const parts: string[] = []
  for (const unit of ['year', 'month', 'week', 'day'] as const) {
    const n = span[`${unit}s`]
    if (n !== undefined) parts.push(plural(number(n), unit))
  }
  return joinAnd(parts.filter(p => !p.startsWith('0 ')))
}

/**
 * A window as the designer wrote it: "within 24 weeks before screening",
 * "within 28 days before screening", "within 6 months before screening", "on
 * the screening date", "from study day 309 to day 365 (day 1 = the random
 * allocation date)", "current at screening", "planned during the study", "at
 * the visit", "at week 24", "at any time".
 * `{ weeks: 24, before: screening }` runs from 24 weeks before screening up to
 * and including screening (both ends count).
 */
export function windowWords(written: Window | undefined, r: WindowReading): string {
  const k = kindedWindow(written)
  switch (k.kind) {
    case 'any':
      return 'at any time'
    case 'planned':
      return 'planned during the study'
    case 'visit':
      return k.window.visit === 'current' ? 'at the visit' : `at ${visitLabel(r.doc, k.window.visit)}`
    case 'at':
      r.onRef?.(k.window.at)
      return `current at ${referenceLabel(r.doc, k.window.at)}`
    case 'study_days': {
      const w = k.window
      r.onRef?.(w.ref)
      return `from study day ${r.number(w.from_day)} to day ${r.number(w.to_day)} (day 1 = the ${referenceLabel(r.doc, w.ref)} date)`
    }
    case 'range': {
      const w = k.window
      r.onRef?.(w.before)
      const span = spanWords(w, r.number)
      const ref = referenceLabel(r.doc, w.before)
      return span === '' ? `on the ${ref} date` : `within ${span} before ${ref}`
    }
  }
}

/**
 * The window of a measured value: as {@link windowWords}, but a value "at"
 * a reference date is the one dated that day ("on the screening date"),
 * where an event is "current at screening".
 */
export function valueWindowWords(w: Window | undefined, r: WindowReading): string {
  const k = kindedWindow(w)
  if (k.kind === 'at') {
    r.onRef?.(k.window.at)
    return `on the ${referenceLabel(r.doc, k.window.at)} date`
  }
  return windowWords(w, r)
}
