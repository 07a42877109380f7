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
import { known, unknown, type Evidence, type NumericValue } from '../evidence.ts'
import { placeWindow, type FactContext } from './context.ts'

export interface MeasurementParams {
  concept: string
  unit?: string
  window: ResolvedWindow
  select: 'latest' | 'highest' | 'lowest'
}

/** A candidate value before selection: its day, value (or bounds), unit and how it was entered. */
interface Candidate {
  day: number
  date: string
  value: NumericValue
  unit: string
  entered: string
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
    return [{ day, date: m.date, value: m.value, unit: m.unit, entered: `${m.value} ${m.unit}` }]
  })
}

function pick(cands: Candidate[], select: MeasurementParams['select']): Candidate {
  const key = (c: Candidate) => (typeof c.value === 'number' ? c.value : c.value.max)
  // ties on the date: the entry listed last wins (the record's order is the clinician's order)
  const byDay = (a: Candidate, b: Candidate) => (a.day > b.day ? a : b.day > a.day ? b : b)
  if (select === 'latest') return cands.reduce(byDay)
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

/**
 * Select and convert the measurement a leaf compares.
 *
 * @example
 * measurementEvidence(patient, { concept: 'urine_protein_creatinine_ratio', unit: 'g/g', window, select: 'latest' }, ctx)
 * // { known: true, value: 1.4, detail: '1.4 g/g on 2026-01-10 (entered as 158 mg/mmol)' }
 */
export function measurementEvidence(patient: PatientRecord, params: MeasurementParams, ctx: FactContext): Evidence {
  const concept = resolveLabConcept(params.concept, ctx.dictionary)
  if (!concept) return unknown(`unknown concept ${params.concept}`, [])
  const window = placeWindow(params.window, patient, ctx)
  const need = { key: `measurement:${concept.id}`, description: `${concept.name} ${window.text}` }
  if (window.kind === 'missing') return unknown(`no ${window.missing.description}, so the window cannot be placed`, [window.missing])
  const derived = DERIVED_SOURCES[concept.id]?.(patient)
  const recorded = fromMeasurements(patient, concept, ctx)
  if (derived === undefined && recorded === undefined) return unknown(`no ${concept.name} recorded`, [need])
  const all = [...(derived ?? []), ...(recorded ?? [])]
  const inWindow = window.kind === 'range' ? all.filter((c) => c.day >= window.start && c.day <= window.end) : all
  if (inWindow.length === 0) {
    const outside = all.length > 0 ? ` (${all.length} recorded outside the window, latest ${pick(all, 'latest').date})` : ''
    return unknown(`no ${concept.name} ${window.text}${outside}`, [need])
  }
  const chosen = pick(inWindow, params.select)
  const converted = convert(chosen.value, chosen.unit, params.unit, concept)
  if (!converted.ok) {
    return unknown(`${concept.name} of ${chosen.date} is in ${chosen.unit}, which cannot be converted to ${params.unit}: ${converted.reason}`, [
      { key: `measurement:${concept.id}`, description: `${concept.name} in a unit convertible to ${params.unit}` },
    ])
  }
  const unitText = params.unit && params.unit !== '{score}' ? ` ${params.unit}` : ''
  const entered = chosen.entered !== `${show(converted.value)}${unitText}`.trim() ? ` (${chosen.entered})` : ''
  return known(converted.value, `${show(converted.value)}${unitText} on ${chosen.date}${entered}`)
}
