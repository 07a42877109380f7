/**
 * The `change` fact: a measurement at one visit relative to another
 * (usually baseline): percent of baseline, percent decrease or absolute change.
 */
import type { PatientRecord } from '../../types.ts'
import { roundSignificant } from '../../calculators/units.ts'
import { visitLabel } from '../../compile/labels.ts'
import { known, unknown, type Evidence } from '../evidence.ts'
import type { FactContext } from './context.ts'
import { selectMeasurement } from './measurement.ts'

export interface ChangeParams {
  concept: string
  from: string
  to: string
  measure: 'percent_of_baseline' | 'percent_decrease' | 'absolute_change'
  unit?: string
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
  const from = at(params.from)
  const to = at(params.to)
  if (!from.ok || !to.ok) {
    const parts = [from, to].flatMap((s) => (s.ok ? [] : [s.evidence]))
    return unknown(parts.map((p) => p.detail).join('; '), parts.flatMap((p) => p.missing))
  }
  if (typeof from.value !== 'number' || typeof to.value !== 'number') {
    return unknown('the values are ranges (partly recorded scores), so the change is not exact', [])
  }
  const fromName = visitLabel(ctx.doc, params.from)
  const both = `${to.text} vs ${from.text} (${fromName})`
  if (params.measure === 'absolute_change') {
    const delta = round(to.value - from.value)
    return known(delta, `${both}: change ${delta > 0 ? '+' : ''}${delta}`)
  }
  if (from.value <= 0) return unknown(`${both}: the ${fromName} value is 0, so a percentage is undefined`, [])
  if (params.measure === 'percent_of_baseline') {
    const pct = round((to.value / from.value) * 100)
    return known(pct, `${both}: ${Number(pct.toPrecision(4))} % of ${fromName}`)
  }
  const decrease = round(((from.value - to.value) / from.value) * 100)
  return known(decrease, `${both}: ${decrease >= 0 ? 'decreased' : 'increased'} by ${Number(Math.abs(decrease).toPrecision(4))} %`)
}
