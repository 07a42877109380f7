/**
 * The `steroid_days` fact: on how many days of a window (in total, or in the
 * longest run of consecutive days) the glucocorticoid dose was above a limit,
 * in prednisone-equivalent mg/day from the medication record's dose history.
 * A day whose dose cannot be worked out (no frequency, an unknown drug...)
 * may or may not count, so the answer is then bounds, never a guess.
 */
import type { PatientRecord } from '../../types.ts'
import type { ResolvedWindow } from '../../compile/ir.ts'
import { formatIsoDate } from '../../calculators/dates.ts'
import { prednisoneEquivalentMg } from '../../calculators/glucocorticoids.ts'
import { known, unknown, type Evidence } from '../evidence.ts'
import type { FactContext } from './context.ts'
import { placeWindowCached } from './perf-window.ts'
import { doseOn, glucocorticoids, takenOn, type Glucocorticoid } from './steroid-dose.ts'
import { unrecognisedDrugsOfClass, type UnrecognisedMatch } from './unrecognised.ts'

export interface SteroidDaysParams {
  /** Days with a dose strictly above this (prednisone-equivalent mg/day) count. */
  above_mg: number
  count: 'total' | 'consecutive'
  window: ResolvedWindow
}

/** Whether the day's total dose is above the limit: true, false, or undefined with why. */
type DayAbove = { above: boolean | undefined; why?: string }

function dayAbove(steroids: Glucocorticoid[], unsure: UnrecognisedMatch[], day: number, aboveMg: number): DayAbove {
  let total = 0
  for (const { m, id } of steroids) {
    const dose = doseOn(m, day)
    if (!dose) continue
    if (!dose.ok) return { above: undefined, why: dose.why }
    const eq = prednisoneEquivalentMg(id, dose.mgPerDay)
    if (eq === undefined) return { above: undefined, why: `${m.drug}: no prednisone equivalence` }
    total += eq
  }
  if (total > aboveMg) return { above: true }
  // an unrecognised drug taken that day could be a glucocorticoid that tips the total
  const maybe = unsure.find(u => takenOn(u.entry, day))
  if (maybe)
    return { above: undefined, why: `${maybe.review ? 'unrecognised' : 'unknown drug'} "${maybe.entry.text}" (${maybe.key}) could be a glucocorticoid` }
  return { above: false }
}

function longestRun(days: boolean[]): number {
  let best = 0
  let run = 0
  for (const d of days) {
    run = d ? run + 1 : 0
    best = Math.max(best, run)
  }
  return best
}

/**
 * @example
 * steroidDaysEvidence(subject, { above_mg: 10, count: 'consecutive', window }, ctx)
 * // { known: true, value: 4, detail: '4 consecutive days above 10 mg/day from 2026-11-16 to 2027-01-18 ...' }
 */
export function steroidDaysEvidence(patient: PatientRecord, params: SteroidDaysParams, ctx: FactContext): Evidence {
  const window = placeWindowCached(params.window, patient, ctx)
  if (window.kind === 'missing') return unknown(`no ${window.missing.description}, so the window cannot be placed`, [window.missing])
  if (window.kind !== 'range') return unknown(`a steroid-day count needs a window with dates; got ${window.text}`, [])
  if (!patient.medications)
    return unknown('medication history not recorded', [{ key: 'medications', description: 'medication history with glucocorticoid doses' }])
  const definite: boolean[] = []
  const possible: boolean[] = []
  const doubts = new Set<string>()
  let firstDoubt: number | undefined
  // the dictionary is consulted only when the window has a day (as it was, once per day)
  const steroids = window.start <= window.end ? glucocorticoids(patient, ctx) : []
  const unsure = window.start <= window.end ? unrecognisedDrugsOfClass(patient, 'glucocorticoid', ctx.dictionary) : []
  for (let day = window.start; day <= window.end; day++) {
    const d = dayAbove(steroids, unsure, day, params.above_mg)
    definite.push(d.above === true)
    possible.push(d.above !== false)
    if (d.above === undefined) {
      doubts.add(d.why ?? 'dose unknown')
      firstDoubt ??= day
    }
  }
  const measure = params.count === 'total' ? (xs: boolean[]) => xs.filter(Boolean).length : longestRun
  const min = measure(definite)
  const max = measure(possible)
  const what = params.count === 'total' ? 'days in total' : 'consecutive days (longest run)'
  const span = `${window.text}`
  if (min === max) return known(min, `${min} ${what} above ${params.above_mg} mg/day prednisone-equivalent ${span}`)
  return known(
    { min, max },
    `${min} to ${max} ${what} above ${params.above_mg} mg/day prednisone-equivalent ${span}: dose unknown from ${formatIsoDate(firstDoubt as number)} (${[...doubts].join('; ')})`,
  )
}
