/**
 * The `measurement` fact: the patient's value of a lab concept (or score)
 * within a window, converted into the unit the protocol compares in.
 */
import type { EgfrEquation, PatientRecord } from '../../types.ts'
import type { ResolvedWindow } from '../../compile/ir.ts'
import type { LabConcept } from '../../dictionary/index.ts'
import { resolveLabConcept } from '../../dictionary/index.ts'
import { parseIsoDate } from '../../calculators/dates.ts'
import { convertQuantity } from '../../calculators/units.ts'
import { scoreSledai2k } from '../../calculators/sledai-2k.ts'
import { DEFAULT_EGFR_EQUATION, EGFR_CONCEPT } from '../../calculators/egfr-equations.ts'
import { known, unknown, type Evidence, type NumericValue, type UnknownEvidence } from '../evidence.ts'
import { evaluateOperator, type OperatorName } from '../operators.ts'
import { dedupeMissing } from '../explain.ts'
import { memoized, type DayWindow, type FactContext } from './context.ts'
import { placeWindowCached } from './perf-window.ts'
import type { LabCalculator } from '../../extensions.ts'
import { fromMeasurements, show, type Candidate, type Derived } from './measurement-values.ts'
import { egfrConcept, egfrValues } from './egfr.ts'
import { humanUnit } from '../../describe/unit-words.ts'

export type { Candidate } from './measurement-values.ts'

export interface MeasurementParams {
  concept: string
  unit?: string
  window: ResolvedWindow
  select: 'latest' | 'highest' | 'lowest' | 'nearest'
  /** Compare the value as a multiple of the upper limit of normal reported with it. */
  relative_to?: 'upper_limit'
  /**
   * Confirmed comparison: the fact answers whether each of the last `count`
   * measurements in the window satisfies `op value` (the leaf then compares the answer with true).
   */
  confirm?: { op: OperatorName; value: number; count: number }
  /** eGFR (`egfr`) only: the protocol's creatinine equation; default CKD-EPI 2021 (see facts/egfr.ts). */
  equation?: EgfrEquation
}

/** Values the engine derives from other record data rather than reads from `measurements`. */
const DERIVED_SOURCES: Record<string, (p: PatientRecord, ctx: FactContext) => Derived | undefined> = {
  // SLEDAI-2K (Gladman 2002): a recorded total, or the descriptors scored by the engine
  sledai_2k_score: p => {
    const candidates = p.sledai_2k?.flatMap((a): Candidate[] => {
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
    })
    return candidates && { candidates }
  },
  // eGFR is read by the protocol's equation (facts/egfr.ts), not derived here
}

/** The concepts whose values the engine derives from other record data (the SQL backend does not express them yet). */
export const DERIVED_CONCEPTS: ReadonlySet<string> = new Set(Object.keys(DERIVED_SOURCES))

/** Which candidate to take: a measurement leaf's choices, and `earliest` (change leaves). */
export type Select = MeasurementParams['select'] | 'earliest'

// The helpers of pick are module-level, as every closure declared inside a function called per record and leaf costs
// a property definition per call under tsx (esbuild's keepNames names each one as it is made).

/** A candidate's value for highest/lowest: a range by its upper end. */
const valueKey = (c: Candidate) => (typeof c.value === 'number' ? c.value : c.value.max)
/** The later of two candidates; ties on the date: the entry listed last wins (the record's order is the clinician's order). */
const laterByDay = (a: Candidate, b: Candidate) => (a.day > b.day ? a : b.day > a.day ? b : b)

function pick(cands: Candidate[], select: Select, due?: number): Candidate {
  if (select === 'latest' || (select === 'nearest' && due === undefined)) return cands.reduce(laterByDay)
  // earliest: ties on the date go to the entry listed first
  if (select === 'earliest') return cands.reduce((a, b) => (b.day < a.day ? b : a))
  if (select === 'nearest') {
    // nearest the visit's nominal day; equally near: the later one
    return cands.reduce((a, b) => {
      const gapA = Math.abs(a.day - (due as number))
      const gapB = Math.abs(b.day - (due as number))
      return gapB < gapA || (gapB === gapA && b.day >= a.day) ? b : a
    })
  }
  return cands.reduce((a, b) => (select === 'highest' ? (valueKey(b) > valueKey(a) ? b : a) : valueKey(b) < valueKey(a) ? b : a))
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

/** A selected, converted value, or the evidence of why there is none. */
export type Selected = { ok: true; value: NumericValue; chosen: Candidate; text: string } | { ok: false; evidence: UnknownEvidence }

type InWindow = { ok: true; concept: LabConcept; cands: Candidate[]; due?: number } | { ok: false; evidence: UnknownEvidence }

/** Values an engine extension's calculator computes for a concept (engine/extensions.ts); undated ones are left out. */
function calculated(calc: LabCalculator | undefined, patient: PatientRecord): Derived | undefined {
  if (!calc) return undefined
  const candidates = calc.compute(patient).flatMap((v): Candidate[] => {
    const day = parseIsoDate(v.date)
    return day === undefined || !Number.isFinite(v.value) ? [] : [{ day, date: v.date, value: v.value, unit: v.unit, entered: v.entered }]
  })
  return { candidates }
}

function joinDerived(a: Derived | undefined, b: Derived | undefined): Derived | undefined {
  if (!a || !b) return a ?? b
  return { candidates: [...a.candidates, ...b.candidates], ...(a.blocked ? { blocked: a.blocked } : {}) }
}

/**
 * Every value of a concept (recorded or derived) dated in the window, or why
 * there is none. eGFR is read by `equation` (facts/egfr.ts) and named after it.
 */
/** The data still needed when a window holds no value of the concept. */
const neededIn = (concept: LabConcept, window: { text: string }) => ({ key: `measurement:${concept.id}`, description: `${concept.name} ${window.text}` })

function valuesInWindow(patient: PatientRecord, conceptId: string, w: ResolvedWindow | DayWindow, ctx: FactContext, equation?: EgfrEquation): InWindow {
  const leafConcept = resolveLabConcept(conceptId, ctx.dictionary)
  if (!leafConcept) return { ok: false, evidence: unknown(`unknown concept ${conceptId}`, []) }
  const eq = leafConcept.id === EGFR_CONCEPT ? (equation ?? DEFAULT_EGFR_EQUATION) : undefined
  const concept = (eq && egfrConcept(eq, ctx)) || leafConcept
  // a placed window (change leaves narrow one to the days before a later value) carries its text
  const window = 'text' in w ? w : placeWindowCached(w, patient, ctx)
  if (window.kind === 'missing') return { ok: false, evidence: unknown(`no ${window.missing.description}, so the window cannot be placed`, [window.missing]) }
  // derived values depend on the record alone, so every leaf on the concept shares them
  const derived = memoized(ctx, eq ? `egfr:${eq}` : `derived:${concept.id}`, () =>
    joinDerived(
      eq ? egfrValues(patient, eq, ctx) : DERIVED_SOURCES[concept.id]?.(patient, ctx),
      calculated(ctx.extensions?.calculators?.[leafConcept.id], patient),
    ),
  )
  // eGFR values by the equation already include the reported ones
  const recorded = eq ? undefined : fromMeasurements(patient, concept, ctx)
  const blocked = derived?.blocked
  if (derived === undefined && recorded === undefined) return { ok: false, evidence: unknown(`no ${concept.name} recorded`, [neededIn(concept, window)]) }
  const all =
    derived === undefined || derived.candidates.length === 0
      ? (recorded ?? [])
      : recorded === undefined || recorded.length === 0
        ? derived.candidates
        : [...derived.candidates, ...recorded]
  const inWindow = window.kind === 'range' ? all.filter(c => c.day >= window.start && c.day <= window.end) : all
  if (inWindow.length === 0) {
    const outside = all.length > 0 ? ` (${all.length} recorded outside the window, latest ${pick(all, 'latest').date})` : ''
    const why = blocked ? `; ${blocked.detail}` : ''
    return { ok: false, evidence: unknown(`no ${concept.name} ${window.text}${outside}${why}`, [neededIn(concept, window), ...(blocked?.missing ?? [])]) }
  }
  return { ok: true, concept, cands: inWindow, ...(window.kind === 'range' && window.due !== undefined ? { due: window.due } : {}) }
}

type Converted = { ok: true; value: NumericValue; text: string } | { ok: false; evidence: UnknownEvidence }

/** One candidate converted into `unit`, with the text shown for it. */
function convertCandidate(c: Candidate, unit: string | undefined, concept: LabConcept): Converted {
  const converted = convert(c.value, c.unit, unit, concept)
  if (!converted.ok) {
    return {
      ok: false,
      evidence: unknown(
        `${concept.name} of ${c.date} is in ${humanUnit(c.unit)}, which cannot be converted to ${humanUnit(unit ?? concept.unit)}: ${converted.reason}`,
        [{ key: `measurement:${concept.id}`, description: `${concept.name} in a unit convertible to ${humanUnit(unit ?? concept.unit)}` }],
      ),
    }
  }
  const unitText = unit && unit !== '{score}' ? ` ${humanUnit(unit)}` : ''
  const entered = c.entered !== `${show(converted.value)}${unitText}`.trim() ? ` (${c.entered})` : ''
  return { ok: true, value: converted.value, text: `${show(converted.value)}${unitText} on ${c.date}${entered}` }
}

/**
 * Select one measurement of a concept in a window (or in days already placed)
 * and convert it into `unit`. Shared by the `measurement` and `change` facts.
 */
export function selectMeasurement(
  patient: PatientRecord,
  conceptId: string,
  w: ResolvedWindow | DayWindow,
  select: Select,
  unit: string | undefined,
  ctx: FactContext,
  equation?: EgfrEquation,
): Selected {
  const found = valuesInWindow(patient, conceptId, w, ctx, equation)
  if (!found.ok) return found
  const chosen = pick(found.cands, select, found.due)
  const converted = convertCandidate(chosen, unit, found.concept)
  if (!converted.ok) return converted
  return { ok: true, value: converted.value, chosen, text: converted.text }
}

/** The last `count` values of a concept in a window, in date order (ties: record order), converted into `unit`. */
export function lastMeasurements(
  patient: PatientRecord,
  conceptId: string,
  w: ResolvedWindow,
  count: number,
  unit: string | undefined,
  ctx: FactContext,
  equation?: EgfrEquation,
): { ok: true; values: Array<{ value: NumericValue; chosen: Candidate; text: string }>; concept: LabConcept } | { ok: false; evidence: UnknownEvidence } {
  const found = valuesInWindow(patient, conceptId, w, ctx, equation)
  if (!found.ok) return found
  const ordered = found.cands
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.day - b.c.day || a.i - b.i)
    .map(x => x.c)
  const values: Array<{ value: NumericValue; chosen: Candidate; text: string }> = []
  for (const c of ordered.slice(-count)) {
    const converted = convertCandidate(c, unit, found.concept)
    if (!converted.ok) return converted
    values.push({ value: converted.value, chosen: c, text: converted.text })
  }
  return { ok: true, values, concept: found.concept }
}

/**
 * Whether each of `n` values satisfies a comparison, three-valued: false as
 * soon as one known value fails; true when `n` values were found and all
 * pass; unknown when fewer than `n` were measured (the confirmation is missing).
 */
export function confirmed(results: Array<boolean | undefined>, n: number): boolean | undefined {
  if (results.some(r => r === false)) return false
  if (results.length >= n && results.every(r => r === true)) return true
  return undefined
}

/**
 * Select and convert the measurement a leaf compares.
 *
 * @example
 * measurementEvidence(patient, { concept: 'urine_protein_creatinine_ratio', unit: 'g/g', window, select: 'latest' }, ctx)
 * // { known: true, value: 1.4, detail: '1.4 g/g on 2026-01-10 (entered as 158 mg/mmol)' }
 */
export function measurementEvidence(patient: PatientRecord, params: MeasurementParams, ctx: FactContext): Evidence {
  if (params.confirm) return confirmedMeasurementEvidence(patient, params, params.confirm, ctx)
  const selected = selectMeasurement(patient, params.concept, params.window, params.select, params.unit, ctx, params.equation)
  if (!selected.ok) return selected.evidence
  if (params.relative_to !== 'upper_limit') return known(selected.value, selected.text, selected.chosen.narrow)
  // a multiple of the lab's upper limit of normal: value and limit share the record's unit
  const { chosen } = selected
  if (chosen.upper === undefined || chosen.upper <= 0 || typeof chosen.value !== 'number') {
    return unknown(`${selected.text}: the lab's upper limit of normal was not recorded with it`, [
      { key: `measurement:${params.concept}:reference_range`, description: `upper limit of normal for the ${params.concept} of ${chosen.date}` },
    ])
  }
  const ratio = chosen.value / chosen.upper
  return known(
    ratio,
    `${chosen.value} ${humanUnit(chosen.unit)} on ${chosen.date} = ${show(ratio)} × the upper limit of normal (${chosen.upper} ${humanUnit(chosen.unit)})`,
  )
}

/** The value a leaf compares: the converted value, or its multiple of the lab's upper limit of normal. */
function compared(
  v: { value: NumericValue; chosen: Candidate; text: string },
  relative: MeasurementParams['relative_to'],
): { value?: number | NumericValue; text: string } {
  if (relative !== 'upper_limit') return { value: v.value, text: v.text }
  const { chosen } = v
  if (chosen.upper === undefined || chosen.upper <= 0 || typeof chosen.value !== 'number') return { text: `${v.text} (no upper limit of normal recorded)` }
  const ratio = chosen.value / chosen.upper
  return { value: ratio, text: `${v.text} = ${show(ratio)} × ULN` }
}

/**
 * A confirmed comparison (`consecutive: n`): each of the last n values in the
 * window must satisfy it. Answers a boolean the leaf compares with true, so a
 * `not` around it means "not confirmed" rather than "every value fails".
 */
function confirmedMeasurementEvidence(
  patient: PatientRecord,
  params: MeasurementParams,
  confirm: NonNullable<MeasurementParams['confirm']>,
  ctx: FactContext,
): Evidence {
  const found = lastMeasurements(patient, params.concept, params.window, confirm.count, params.unit, ctx, params.equation)
  if (!found.ok) return found.evidence
  const parts = found.values.map(v => compared(v, params.relative_to))
  const results = parts.map(p => (p.value === undefined ? undefined : evaluateOperator(confirm.op, known(p.value, ''), confirm.value)))
  const truth = confirmed(results, confirm.count)
  const seen = parts.map(p => p.text).join('; ')
  const need = { key: `measurement:${found.concept.id}`, description: `${confirm.count - found.values.length} more ${found.concept.name} value(s) to confirm` }
  if (truth === undefined) {
    // a value known only as bounds (eGFR while race is not recorded) that straddle the threshold: what narrows it is missing
    const narrow = found.values.flatMap((v, i) => (results[i] === undefined ? (v.chosen.narrow ?? []) : []))
    if (narrow.length > 0)
      return unknown(
        `${seen}: undecided until ${dedupeMissing(narrow)
          .map(m => m.description)
          .join('; ')} is recorded`,
        dedupeMissing(narrow),
      )
    return unknown(`${seen}: ${found.values.length} of the ${confirm.count} consecutive values needed to confirm`, results.includes(undefined) ? [] : [need])
  }
  return known(truth, `${seen}: ${truth ? `confirmed on ${confirm.count} consecutive values` : 'not confirmed'}`)
}
