/**
 * The `measurement` fact: the patient's value of a lab concept (or score)
 * within a window, converted into the unit the protocol compares in.
 */
import type { Measurement, PatientRecord } from '../../types.ts'
import type { ResolvedWindow } from '../../compile/ir.ts'
import type { LabConcept } from '../../dictionary/index.ts'
import { resolveLabConcept } from '../../dictionary/index.ts'
import { parseIsoDate } from '../../calculators/dates.ts'
import { convertQuantity } from '../../calculators/units.ts'
import { scoreSledai2k } from '../../calculators/sledai-2k.ts'
import { known, unknown, type Evidence, type NumericValue, type UnknownEvidence } from '../evidence.ts'
import { placeWindow, type FactContext } from './context.ts'

export interface MeasurementParams {
  concept: string
  unit?: string
  window: ResolvedWindow
  select: 'latest' | 'highest' | 'lowest' | 'nearest'
  /** Compare the value as a multiple of the upper limit of normal reported with it. */
  relative_to?: 'upper_limit'
}

/** A candidate value before selection: its day, value (or bounds), unit and how it was entered. */
interface Candidate {
  day: number
  date: string
  value: NumericValue
  unit: string
  entered: string
  /** Reference range reported with the value, in the same unit. */
  upper?: number
  lower?: number
}

/** Scores the engine derives from structured record sections rather than `measurements`. */
const DERIVED_SOURCES: Record<string, (p: PatientRecord) => Candidate[] | undefined> = {
  // SLEDAI-2K (Gladman 2002): a recorded total, or the descriptors scored by the engine
  sledai_2k_score: (p) =>
    p.sledai_2k?.flatMap((a): Candidate[] => {
      const day = parseIsoDate(a.date)
      if (day === undefined) return []
      if (a.score !== undefined) return [{ day, date: a.date, value: a.score, unit: '{score}', entered: `score ${a.score}` }]
      if (!a.descriptors) return []
      const s = scoreSledai2k(a.descriptors)
      const value = s.min === s.max ? s.min : { min: s.min, max: s.max }
      const entered =
        s.missing.length === 0
          ? `scored from descriptors: ${s.min}`
          : `scored from descriptors: ${s.min}–${s.max} (${s.missing.length} descriptors not recorded: ${s.missing.join(', ')})`
      return [{ day, date: a.date, value, unit: '{score}', entered }]
    }),
}

function fromMeasurements(p: PatientRecord, concept: LabConcept, ctx: FactContext): Candidate[] | undefined {
  if (!p.measurements) return undefined
  return p.measurements.flatMap((m: Measurement): Candidate[] => {
    const c = resolveLabConcept(m.concept ?? m.loinc ?? '', ctx.dictionary)
    const day = parseIsoDate(m.date)
    if (c?.id !== concept.id || day === undefined) return []
    const { high: upper, low: lower } = m.reference_range ?? {}
    return [{ day, date: m.date, value: m.value, unit: m.unit, entered: `${m.value} ${m.unit}`, ...(upper !== undefined ? { upper } : {}), ...(lower !== undefined ? { lower } : {}) }]
  })
}

function pick(cands: Candidate[], select: MeasurementParams['select'], due?: number): Candidate {
  const key = (c: Candidate) => (typeof c.value === 'number' ? c.value : c.value.max)
  // ties on the date: the entry listed last wins (the record's order is the clinician's order)
  const byDay = (a: Candidate, b: Candidate) => (a.day > b.day ? a : b.day > a.day ? b : b)
  if (select === 'latest' || (select === 'nearest' && due === undefined)) return cands.reduce(byDay)
  if (select === 'nearest') {
    // nearest the visit's nominal day; equally near: the later one
    const gap = (c: Candidate) => Math.abs(c.day - (due as number))
    return cands.reduce((a, b) => (gap(b) < gap(a) || (gap(b) === gap(a) && b.day >= a.day) ? b : a))
  }
  return cands.reduce((a, b) => (select === 'highest' ? (key(b) > key(a) ? b : a) : key(b) < key(a) ? b : a))
}

function convert(value: NumericValue, from: string, to: string | undefined, concept: LabConcept) {
  if (!to || from === to) return { ok: true as const, value }
  if (typeof value === 'number') return convertQuantity(value, from, to, concept)
  const lo = convertQuantity(value.min, from, to, concept)
  const hi = convertQuantity(value.max, from, to, concept)
  if (!lo.ok) return lo
  if (!hi.ok) return hi
  return { ok: true as const, value: { min: lo.value, max: hi.value } }
}

/** For people: 4 significant digits (the comparison itself uses the unrounded value). */
function show(v: NumericValue): string {
  const r = (x: number) => String(Number(x.toPrecision(4)))
  return typeof v === 'number' ? r(v) : `${r(v.min)}–${r(v.max)}`
}

/** A selected, converted value, or the evidence of why there is none. */
export type Selected = { ok: true; value: NumericValue; chosen: Candidate; text: string } | { ok: false; evidence: UnknownEvidence }

/**
 * Select one measurement of a concept in a window and convert it into `unit`.
 * Shared by the `measurement` and `change` facts.
 */
export function selectMeasurement(patient: PatientRecord, conceptId: string, w: ResolvedWindow, select: MeasurementParams['select'], unit: string | undefined, ctx: FactContext): Selected {
  const concept = resolveLabConcept(conceptId, ctx.dictionary)
  if (!concept) return { ok: false, evidence: unknown(`unknown concept ${conceptId}`, []) }
  const window = placeWindow(w, patient, ctx)
  const need = { key: `measurement:${concept.id}`, description: `${concept.name} ${window.text}` }
  if (window.kind === 'missing') return { ok: false, evidence: unknown(`no ${window.missing.description}, so the window cannot be placed`, [window.missing]) }
  const derived = DERIVED_SOURCES[concept.id]?.(patient)
  const recorded = fromMeasurements(patient, concept, ctx)
  if (derived === undefined && recorded === undefined) return { ok: false, evidence: unknown(`no ${concept.name} recorded`, [need]) }
  const all = [...(derived ?? []), ...(recorded ?? [])]
  const inWindow = window.kind === 'range' ? all.filter((c) => c.day >= window.start && c.day <= window.end) : all
  if (inWindow.length === 0) {
    const outside = all.length > 0 ? ` (${all.length} recorded outside the window, latest ${pick(all, 'latest').date})` : ''
    return { ok: false, evidence: unknown(`no ${concept.name} ${window.text}${outside}`, [need]) }
  }
  const chosen = pick(inWindow, select, window.kind === 'range' ? window.due : undefined)
  const converted = convert(chosen.value, chosen.unit, unit, concept)
  if (!converted.ok) {
    return {
      ok: false,
      evidence: unknown(`${concept.name} of ${chosen.date} is in ${chosen.unit}, which cannot be converted to ${unit}: ${converted.reason}`, [
        { key: `measurement:${concept.id}`, description: `${concept.name} in a unit convertible to ${unit}` },
      ]),
    }
  }
  const unitText = unit && unit !== '{score}' ? ` ${unit}` : ''
  const entered = chosen.entered !== `${show(converted.value)}${unitText}`.trim() ? ` (${chosen.entered})` : ''
  return { ok: true, value: converted.value, chosen, text: `${show(converted.value)}${unitText} on ${chosen.date}${entered}` }
}

/**
 * Select and convert the measurement a leaf compares.
 *
 * @example
 * measurementEvidence(patient, { concept: 'urine_protein_creatinine_ratio', unit: 'g/g', window, select: 'latest' }, ctx)
 * // { known: true, value: 1.4, detail: '1.4 g/g on 2026-01-10 (entered as 158 mg/mmol)' }
 */
export function measurementEvidence(patient: PatientRecord, params: MeasurementParams, ctx: FactContext): Evidence {
  const selected = selectMeasurement(patient, params.concept, params.window, params.select, params.unit, ctx)
  if (!selected.ok) return selected.evidence
  if (params.relative_to !== 'upper_limit') return known(selected.value, selected.text)
  // a multiple of the lab's upper limit of normal: value and limit share the record's unit
  const { chosen } = selected
  if (chosen.upper === undefined || chosen.upper <= 0 || typeof chosen.value !== 'number') {
    return unknown(`${selected.text}: the lab's upper limit of normal was not recorded with it`, [
      { key: `measurement:${params.concept}:reference_range`, description: `upper limit of normal for the ${params.concept} of ${chosen.date}` },
    ])
  }
  const ratio = chosen.value / chosen.upper
  return known(ratio, `${chosen.value} ${chosen.unit} on ${chosen.date} = ${show(ratio)} × the upper limit of normal (${chosen.upper} ${chosen.unit})`)
}
