/**
 * The `change` fact: a comparison between an earlier and a later value of
 * one concept (a visit's value against baseline, or the latest UPCR at
 * screening against the lowest in the 6 months before): ratio, percent of
 * the earlier value, percent decrease or absolute change. The semantics are
 * documented on `ChangeLeaf` (engine/types.ts).
 */
import type { ChangeLeaf, ChangeSelect, EgfrEquation, PatientRecord } from '../../types.ts'
import { roundSignificant } from '../../calculators/units.ts'
import { addDays, addMonths, formatIsoDate } from '../../calculators/dates.ts'
import { visitLabel } from '../../compile/labels.ts'
import type { ResolvedWindow } from '../../compile/ir.ts'
import { describeWindow } from '../../compile/labels.ts'
import { resolvedSpanWords } from '../../compile/normalize-change.ts'
import { kindedChangeFrom } from '../../logic/window-model.ts'
import type { Span } from '../../words/windows.ts'
import { known, unknown, type Evidence, type NumericValue } from '../evidence.ts'
import { evaluateOperator, type OperatorName } from '../operators.ts'
import { dedupeMissing } from '../explain.ts'
import type { DayWindow, FactContext } from './context.ts'
import { placeWindowCached } from './perf-window.ts'
import { confirmed, lastMeasurements, selectMeasurement, type Candidate, type Selected } from './measurement.ts'

/** The earlier value: a visit id, a value selected in a window, or one in a span before the later value's date. */
export type ChangeFrom = string | { window: ResolvedWindow; select: ChangeSelect } | { before_to: ResolvedSpan; select: ChangeSelect }
/** A span counted back from the later value's date: calendar `months`, then `days`; `span` keeps the units as written, for the words only. */
export interface ResolvedSpan {
  months: number
  days: number
  span?: Span<number>
}
/** The later value: a visit id (`current`: the visit evaluated), or a value selected in a window. */
export type ChangeTo = string | { window: ResolvedWindow; select: ChangeSelect }

export interface ChangeParams {
  concept: string
  from: ChangeFrom
  to: ChangeTo
  measure: ChangeLeaf['change']['measure']
  unit?: string
  /** Confirmed change: each of the last `count` values in the `to` visit's window must satisfy `op value`. */
  confirm?: { op: OperatorName; value: number; count: number }
  /** eGFR (`egfr`) only: the protocol's creatinine equation, for both values (see facts/egfr.ts). */
  equation?: EgfrEquation
}

// Ratios and percentages are rounded to 10 significant digits: 1.5 / 1.2 × 100 must be exactly 125, not 125.00000000000001.
const round = (x: number) => roundSignificant(x, 10)

/** The value of the change's concept nearest a visit's nominal day, in the change's unit. */
const atVisit = (patient: PatientRecord, params: ChangeParams, visit: string, ctx: FactContext) =>
  selectMeasurement(patient, params.concept, { kind: 'visit', visit }, 'nearest', params.unit, ctx, params.equation)

/**
 * @example
 * changeEvidence(subject, { concept: 'serum_creatinine', from: 'baseline', to: 'current', measure: 'percent_of_baseline', unit: 'mg/dL' }, ctx)
 * // { known: true, value: 75, detail: '0.9 mg/dL on 2026-07-06 vs 1.2 mg/dL on 2026-01-15 (baseline): 75 % of baseline' }
 */
export function changeEvidence(patient: PatientRecord, params: ChangeParams, ctx: FactContext): Evidence {
  if (params.confirm) {
    // confirmed: the earlier value is a visit's or a window's, chosen once for every later value (semantic checks allow nothing else)
    const f = kindedChangeFrom(params.from)
    if (f.kind === 'before_to' || typeof params.to !== 'string') throw new Error('a confirmed change needs a visit or window `from` and a visit `to`')
    const from =
      f.kind === 'visit'
        ? atVisit(patient, params, f.visit, ctx)
        : selectMeasurement(patient, params.concept, f.from.window, f.from.select, params.unit, ctx, params.equation)
    const fromName = f.kind === 'visit' ? visitLabel(ctx.doc, f.visit) : describeWindow(f.from.window, ctx.doc)
    return confirmedChange(patient, { ...params, to: params.to }, params.confirm, from, fromName, ctx)
  }
  const to =
    typeof params.to === 'string'
      ? atVisit(patient, params, params.to, ctx)
      : selectMeasurement(patient, params.concept, params.to.window, params.to.select, params.unit, ctx, params.equation)
  const { selected: from, name: fromName } = selectFrom(patient, params, to, ctx)
  if (!from.ok || !to.ok) {
    const parts = [from, to].flatMap(s => (s.ok ? [] : [s.evidence]))
    return unknown(
      parts.map(p => p.detail).join('; '),
      parts.flatMap(p => p.missing),
    )
  }
  return changeOf(from, to, params.measure, fromName)
}

/**
 * The earlier value. A visit's is chosen on its own; one in a window or a
 * span is chosen among values dated strictly before the later value (a value
 * is not its own baseline). Without a later value, a window is searched whole
 * (so what is missing there is still reported) and a span cannot be placed.
 */
function selectFrom(patient: PatientRecord, params: ChangeParams, to: Selected, ctx: FactContext): { selected: Selected; name: string } {
  const k = kindedChangeFrom(params.from)
  if (k.kind === 'visit')
    return {
      selected: selectMeasurement(patient, params.concept, { kind: 'visit', visit: k.visit }, 'nearest', params.unit, ctx, params.equation),
      name: visitLabel(ctx.doc, k.visit),
    }
  if (k.kind === 'window') {
    const f = k.from
    const name = describeWindow(f.window, ctx.doc)
    if (!to.ok) return { selected: selectMeasurement(patient, params.concept, f.window, f.select, params.unit, ctx, params.equation), name }
    const placed = placeWindowCached(f.window, patient, ctx)
    return {
      selected: selectMeasurement(patient, params.concept, beforeDay(placed, to.chosen.day, to.chosen.date), f.select, params.unit, ctx, params.equation),
      name,
    }
  }
  const f = k.from
  const name = `within ${resolvedSpanWords(f.before_to)} before the later value`
  if (!to.ok) return { selected: { ok: false, evidence: unknown(`the earlier value is looked for ${name}, which is missing`, []) }, name }
  const start = addDays(addMonths(to.chosen.day, -f.before_to.months), -f.before_to.days)
  const end = addDays(to.chosen.day, -1)
  const text = `${name} of ${to.chosen.date} (${formatIsoDate(start)} to ${formatIsoDate(end)})`
  return { selected: selectMeasurement(patient, params.concept, { kind: 'range', start, end, text }, f.select, params.unit, ctx, params.equation), name }
}

/** A placed window cut to the days strictly before `day` (the later value's date). */
function beforeDay(w: DayWindow, day: number, date: string): DayWindow {
  const text = `${w.text}, earlier than the value of ${date}`
  if (w.kind === 'range') return { kind: 'range', start: w.start, end: Math.min(w.end, addDays(day, -1)), text }
  if (w.kind === 'any') return { kind: 'range', start: -Infinity, end: addDays(day, -1), text }
  return w
}

type Value = { value: NumericValue; text: string; chosen?: Candidate }

/**
 * Values known only as bounds because race is not recorded (an eGFR computed
 * by an equation with a race coefficient) pair by race: the earlier and the
 * later value of a patient who is not Black, and of one who is. Undefined
 * when neither value is such, or another kind of range is involved.
 */
function raceScenarios(from: Value, to: Value): Array<[Value, Value]> | undefined {
  if (!byRace(from) && !byRace(to)) return undefined
  if ((typeof from.value !== 'number' && !byRace(from)) || (typeof to.value !== 'number' && !byRace(to))) return undefined
  return [
    [endOf(from, 'min'), endOf(to, 'min')],
    [endOf(from, 'max'), endOf(to, 'max')],
  ]
}

// module-level, as a closure declared in a function run per record costs a property definition per call under tsx
/** A value computed per race (a range of the two). */
const byRace = (v: Value) => v.chosen?.byRace === true && typeof v.value !== 'number'
/** One end of a value per race; a single value as it is. */
const endOf = (v: Value, side: 'min' | 'max'): Value => (typeof v.value === 'number' ? v : { value: v.value[side], text: v.text })

/** The change for each race (see raceScenarios): one value when both agree (a ratio of two computed values), else both as bounds. */
function changeByRace(scenarios: Array<[Value, Value]>, from: Value, to: Value, measure: ChangeParams['measure'], fromName: string): Evidence {
  const [notBlack, black] = scenarios.map(([f, t]) => changeOf(f, t, measure, fromName)) as [Evidence, Evidence]
  if (!notBlack.known) return notBlack
  if (!black.known) return black
  if (notBlack.value === black.value) return notBlack
  const both = `${to.text} vs ${from.text} (${fromName})`
  const tail = (e: Evidence) => e.detail.slice(both.length + 2)
  const a = notBlack.value as number
  const b = black.value as number
  const narrow = dedupeMissing([...(from.chosen?.narrow ?? []), ...(to.chosen?.narrow ?? [])])
  return known({ min: Math.min(a, b), max: Math.max(a, b) }, `${both}: ${tail(notBlack)} if not Black, ${tail(black)} if Black`, narrow)
}

/** The change from one value to another, or why it is undefined. */
function changeOf(from: Value, to: Value, measure: ChangeParams['measure'], fromName: string): Evidence {
  const scenarios = raceScenarios(from, to)
  if (scenarios) return changeByRace(scenarios, from, to, measure, fromName)
  if (typeof from.value !== 'number' || typeof to.value !== 'number') {
    return unknown('the values are ranges (partly recorded scores), so the change is not exact', [])
  }
  const both = `${to.text} vs ${from.text} (${fromName})`
  if (measure === 'absolute_change') {
    const delta = round(to.value - from.value)
    return known(delta, `${both}: change ${delta > 0 ? '+' : ''}${delta}`)
  }
  if (from.value <= 0) return unknown(`${both}: the ${fromName} value is 0, so a ${measure === 'ratio' ? 'ratio' : 'percentage'} is undefined`, [])
  if (measure === 'ratio') {
    const ratio = round(to.value / from.value)
    // 6 significant digits, so that a ratio of 1.9999 is not shown as 2
    return known(ratio, `${both}: ratio ${Number(ratio.toPrecision(6))} (later / earlier)`)
  }
  if (measure === 'percent_of_baseline') {
    const pct = round((to.value / from.value) * 100)
    return known(pct, `${both}: ${Number(pct.toPrecision(4))} % of ${fromName}`)
  }
  const decrease = round(((from.value - to.value) / from.value) * 100)
  return known(decrease, `${both}: ${decrease >= 0 ? 'decreased' : 'increased'} by ${Number(Math.abs(decrease).toPrecision(4))} %`)
}

/**
 * A confirmed change (`consecutive: n`): the change of each of the last n
 * values in the `to` visit's window from the reference value must satisfy
 * the comparison. Answers a boolean the leaf compares with true.
 */
function confirmedChange(
  patient: PatientRecord,
  params: ChangeParams & { to: string },
  confirm: NonNullable<ChangeParams['confirm']>,
  from: Selected,
  fromName: string,
  ctx: FactContext,
): Evidence {
  const last = lastMeasurements(patient, params.concept, { kind: 'visit', visit: params.to }, confirm.count, params.unit, ctx, params.equation)
  if (!from.ok || !last.ok) {
    const parts = [from, last].flatMap(s => (s.ok ? [] : [s.evidence]))
    return unknown(
      parts.map(p => p.detail).join('; '),
      parts.flatMap(p => p.missing),
    )
  }
  const changes = last.values.map(v => changeOf(from, v, params.measure, fromName))
  const results = changes.map(c => evaluateOperator(confirm.op, c, confirm.value))
  const truth = confirmed(results, confirm.count)
  const seen = changes.map(c => c.detail).join('; ')
  if (truth === undefined) {
    const need = {
      key: `measurement:${params.concept}`,
      description: `${confirm.count - last.values.length} more value(s) of ${last.concept.name} to confirm the change`,
    }
    // a change known only as bounds (race not recorded) that straddle the threshold: what narrows it is missing
    const narrow = changes.flatMap((c, i) => (results[i] === undefined && c.known ? (c.missing ?? []) : []))
    if (narrow.length > 0) return unknown(`${seen}: undecided until ${narrow[0]!.description} is recorded`, dedupeMissing(narrow))
    return unknown(`${seen}: ${last.values.length} of the ${confirm.count} consecutive values needed to confirm`, results.includes(undefined) ? [] : [need])
  }
  return known(truth, `${seen}: ${truth ? `confirmed on ${confirm.count} consecutive values` : 'not confirmed'}`)
}
