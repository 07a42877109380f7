/**
 * The `change` fact: a measurement at one visit relative to another
 * (usually baseline): percent of baseline, percent decrease or absolute change.
 */
import type { PatientRecord } from '../../types.ts'
import { roundSignificant } from '../../calculators/units.ts'
import { visitLabel } from '../../compile/labels.ts'
import type { ResolvedWindow } from '../../compile/ir.ts'
import { describeWindow } from '../../compile/labels.ts'
import { known, unknown, type Evidence, type NumericValue } from '../evidence.ts'
import { evaluateOperator, type OperatorName } from '../operators.ts'
import type { FactContext } from './context.ts'
import { confirmed, lastMeasurements, selectMeasurement } from './measurement.ts'

export interface ChangeParams {
  concept: string
  /** A visit id, or a value selected in a window (a pre-flare value). */
  from: string | { window: ResolvedWindow; select: 'latest' | 'highest' | 'lowest' }
  to: string
  measure: 'percent_of_baseline' | 'percent_decrease' | 'absolute_change'
  unit?: string
  /** Confirmed change: each of the last `count` values in the `to` visit's window must satisfy `op value`. */
  confirm?: { op: OperatorName; value: number; count: number }
}

// Percentages are rounded to 10 significant digits: 1.5 / 1.2 × 100 must be exactly 125, not 125.00000000000001.
const round = (x: number) => roundSignificant(x, 10)

/**
 * @example
 * changeEvidence(subject, { concept: 'serum_creatinine', from: 'baseline', to: 'current', measure: 'percent_of_baseline', unit: 'mg/dL' }, ctx)
 * // { known: true, value: 75, detail: '0.9 mg/dL on 2026-07-06 vs 1.2 mg/dL on 2026-01-15 (baseline): 75 % of baseline' }
 */
export function changeEvidence(patient: PatientRecord, params: ChangeParams, ctx: FactContext): Evidence {
  const at = (visit: string) => selectMeasurement(patient, params.concept, { kind: 'visit', visit }, 'nearest', params.unit, ctx)
  const from = typeof params.from === 'string' ? at(params.from) : selectMeasurement(patient, params.concept, params.from.window, params.from.select, params.unit, ctx)
  const fromName = typeof params.from === 'string' ? visitLabel(ctx.doc, params.from) : describeWindow(params.from.window, ctx.doc)
  if (params.confirm) return confirmedChange(patient, params, params.confirm, from, fromName, ctx)
  const to = at(params.to)
  if (!from.ok || !to.ok) {
    const parts = [from, to].flatMap((s) => (s.ok ? [] : [s.evidence]))
    return unknown(parts.map((p) => p.detail).join('; '), parts.flatMap((p) => p.missing))
  }
  return changeOf(from, to, params.measure, fromName)
}

type Value = { value: NumericValue; text: string }

/** The change from one value to another, or why it is undefined. */
function changeOf(from: Value, to: Value, measure: ChangeParams['measure'], fromName: string): Evidence {
  if (typeof from.value !== 'number' || typeof to.value !== 'number') {
    return unknown('the values are ranges (partly recorded scores), so the change is not exact', [])
  }
  const both = `${to.text} vs ${from.text} (${fromName})`
  if (measure === 'absolute_change') {
    const delta = round(to.value - from.value)
    return known(delta, `${both}: change ${delta > 0 ? '+' : ''}${delta}`)
  }
  if (from.value <= 0) return unknown(`${both}: the ${fromName} value is 0, so a percentage is undefined`, [])
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
  params: ChangeParams,
  confirm: NonNullable<ChangeParams['confirm']>,
  from: ReturnType<typeof selectMeasurement>,
  fromName: string,
  ctx: FactContext,
): Evidence {
  const last = lastMeasurements(patient, params.concept, { kind: 'visit', visit: params.to }, confirm.count, params.unit, ctx)
  if (!from.ok || !last.ok) {
    const parts = [from, last].flatMap((s) => (s.ok ? [] : [s.evidence]))
    return unknown(parts.map((p) => p.detail).join('; '), parts.flatMap((p) => p.missing))
  }
  const changes = last.values.map((v) => changeOf(from, v, params.measure, fromName))
  const results = changes.map((c) => evaluateOperator(confirm.op, c, confirm.value))
  const truth = confirmed(results, confirm.count)
  const seen = changes.map((c) => c.detail).join('; ')
  if (truth === undefined) {
    const need = { key: `measurement:${params.concept}`, description: `${confirm.count - last.values.length} more value(s) of ${last.concept.name} to confirm the change` }
    return unknown(`${seen}: ${last.values.length} of the ${confirm.count} consecutive values needed to confirm`, results.includes(undefined) ? [] : [need])
  }
  return known(truth, `${seen}: ${truth ? `confirmed on ${confirm.count} consecutive values` : 'not confirmed'}`)
}
