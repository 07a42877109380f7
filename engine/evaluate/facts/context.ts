/**
 * What every fact needs besides the patient: the protocol (for reference-date
 * labels), its resolved parameters and the dictionaries.
 */
import type { MissingData, PatientRecord, ProtocolDocument } from '../../types.ts'
import type { Dictionary } from '../../dictionary/index.ts'
import type { ResolvedParameters, ResolvedWindow } from '../../compile/ir.ts'
import { addDays, formatIsoDate } from '../../calculators/dates.ts'
import { describeWindow } from '../../compile/labels.ts'
import { referenceDay } from './reference-dates.ts'

export interface FactContext {
  doc: ProtocolDocument
  params: ResolvedParameters
  dictionary: Dictionary
}

/** A window as concrete inclusive day numbers for one patient. */
export type DayWindow =
  | { kind: 'any'; text: string }
  | { kind: 'planned'; text: string }
  | { kind: 'range'; start: number; end: number; text: string }
  | { kind: 'missing'; missing: MissingData; text: string }

/**
 * Place a window on the patient's calendar: `{ weeks: 24, before: screening }`
 * becomes [screening − 168 days, screening], both ends inclusive.
 */
export function placeWindow(w: ResolvedWindow, patient: PatientRecord, ctx: FactContext): DayWindow {
  const text = describeWindow(w, ctx.doc)
  if (w.kind === 'any' || w.kind === 'planned') return { kind: w.kind, text }
  const label = ctx.doc.reference_dates[w.ref]?.label ?? w.ref
  const ref = referenceDay(patient, w.ref, label)
  if (!ref.ok) return { kind: 'missing', missing: ref.missing, text }
  if (w.kind === 'at') return { kind: 'range', start: ref.day, end: ref.day, text: `${text} (${ref.iso})` }
  const start = addDays(ref.day, -w.days)
  return { kind: 'range', start, end: ref.day, text: `${text} (${formatIsoDate(start)} to ${ref.iso})` }
}
