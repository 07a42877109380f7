/**
 * What every fact needs besides the patient: the protocol (for reference-date
 * labels), its resolved parameters and the dictionaries.
 */
import type { MissingData, PatientRecord, ProtocolDocument } from '../../types.ts'
import type { Dictionary } from '../../dictionary/index.ts'
import type { EngineExtensions } from '../../extensions.ts'
import type { ResolvedParameters, ResolvedWindow } from '../../compile/ir.ts'
import { addDays, addMonths, formatIsoDate } from '../../calculators/dates.ts'
import { describeWindow, visitLabel } from '../../compile/labels.ts'
import { referenceDay } from './reference-dates.ts'

export interface FactContext {
  doc: ProtocolDocument
  params: ResolvedParameters
  dictionary: Dictionary
  /** Custom facts, operators and calculators the protocol was compiled with. */
  extensions?: EngineExtensions
  /** Per-run context: set when evaluating endpoints at a visit. */
  run?: RunContext
  /**
   * Working memory of one record's evaluation: what several leaves derive
   * from the same record data (its measurements by concept...), computed once.
   * The evaluation paths give each record a fresh (or cleared) memo; without
   * one, facts compute everything afresh.
   */
  record?: RecordMemo
}

/** Derived record data by key, valid for one record's evaluation only. */
export type RecordMemo = Map<string, unknown>

/**
 * `compute()`, remembered in the record's memo under `key` when there is one.
 *
 * @example const byConcept = memoized(ctx, 'measurements', () => indexMeasurements(patient, ctx))
 */
export function memoized<T>(ctx: FactContext, key: string, compute: () => T): T {
  const memo = ctx.record
  if (!memo) return compute()
  if (memo.has(key)) return memo.get(key) as T
  const value = compute()
  memo.set(key, value)
  return value
}

/** One subject's visit on the calendar, as day numbers. */
export interface VisitDays {
  start: number
  end: number
  due: number
  /** The actual visit date, when recorded. */
  actual?: number
}

export interface RunContext {
  /** The visit being evaluated (`{ visit: current }` windows). */
  currentVisit?: string
  /** This subject's visit windows by visit id; absent when the schedule cannot be placed. */
  visitDays?: ReadonlyMap<string, VisitDays>
  /** Why the visits could not be placed (e.g. no randomization date). */
  visitProblem?: MissingData
}

/** A window as concrete inclusive day numbers for one patient. */
export type DayWindow =
  | { kind: 'any'; text: string }
  | { kind: 'planned'; text: string }
  | { kind: 'range'; start: number; end: number; text: string; due?: number }
  | { kind: 'missing'; missing: MissingData; text: string }

/**
 * Place a window on the patient's calendar: `{ weeks: 24, before: screening }`
 * becomes [screening − 168 days, screening], both ends inclusive.
 */
export function placeWindow(w: ResolvedWindow, patient: PatientRecord, ctx: FactContext): DayWindow {
  const text = describeWindow(w, ctx.doc)
  if (w.kind === 'any' || w.kind === 'planned') return { kind: w.kind, text }
  if (w.kind === 'visit') return placeVisitWindow(w.visit, ctx, text)
  const label = ctx.doc.reference_dates[w.ref]?.label ?? w.ref
  const ref = referenceDay(patient, w.ref, label)
  if (!ref.ok) return { kind: 'missing', missing: ref.missing, text }
  if (w.kind === 'at') return { kind: 'range', start: ref.day, end: ref.day, text: `${text} (${ref.iso})` }
  if (w.kind === 'study_days') {
    // study day d is d − 1 days after the reference date (there is no day 0)
    const start = addDays(ref.day, w.from - 1)
    const end = addDays(ref.day, w.to - 1)
    return { kind: 'range', start, end, text: `${text} (${formatIsoDate(start)} to ${formatIsoDate(end)})` }
  }
  const start = addDays(w.months ? addMonths(ref.day, -w.months) : ref.day, -w.days)
  return { kind: 'range', start, end: ref.day, text: `${text} (${formatIsoDate(start)} to ${ref.iso})` }
}

/** The window of a visit (or of the visit being evaluated) for this subject. */
function placeVisitWindow(visit: string, ctx: FactContext, text: string): DayWindow {
  const id = visit === 'current' ? ctx.run?.currentVisit : visit
  if (id === undefined) return { kind: 'missing', missing: { key: 'visit', description: 'the visit being evaluated' }, text }
  const label = visitLabel(ctx.doc, id)
  const days = ctx.run?.visitDays?.get(id)
  if (!days) {
    const missing = ctx.run?.visitProblem ?? { key: `visits.${id}`, description: `${label} on the visit schedule` }
    return { kind: 'missing', missing, text: `at ${label}` }
  }
  return {
    kind: 'range',
    start: days.start,
    end: days.end,
    due: days.due,
    text: `at ${label} (window ${formatIsoDate(days.start)} to ${formatIsoDate(days.end)})`,
  }
}
