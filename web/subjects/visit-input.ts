/**
 * The "record a visit" form's values turned into the body of
 * POST /subjects/:sid/visits, with every input error collected and named.
 * Which fields exist comes from the protocol (visit-fields.ts): only the
 * fields read at the chosen visit are sent, plus body weight when a dose is per kg.
 */
import type { VisitInput } from '../api/subjects.ts'
import type { BilagAssessment } from '../../engine/index.ts'
import { parseIsoDate } from '../../engine/calculators/dates.ts'
import { readAt, type RangeLimit, type VisitFields } from './visit-fields.ts'
import { BILAG_SYSTEM_NAMES, type BilagSystemName } from '../../engine/types/study.ts'

/** Dosing frequencies offered; each is a phrase the engine turns into doses per day (engine/calculators/dose-frequency.ts, checked by a test). */
export const DOSE_FREQUENCIES = ['daily', 'twice daily', 'three times daily', 'every other day', 'weekly'] as const
export const DOSE_UNITS = ['mg', 'g'] as const
/** Body weight units (UCUM); the server converts to kg (engine/calculators/units). */
export const WEIGHT_UNITS = ['kg', '[lb_av]'] as const
/** The nine BILAG-2004 systems as the subject record names them: the engine's own list. */
export const BILAG_SYSTEMS = BILAG_SYSTEM_NAMES
export type BilagSystem = BilagSystemName
/** BILAG-2004 grades: A severe, B moderate, C mild stable, D previously involved now inactive, E never involved (Isenberg 2005). */
export const BILAG_GRADES = ['A', 'B', 'C', 'D', 'E'] as const
// Physician's Global Assessment scale, 0 to 3 (Furie 2009; engine lab concept physician_global_assessment)
const PGA_MAX = 3
// SLEDAI-2K totals 0..105 (Gladman 2002; engine/schema/patient.schema.json)
const SLEDAI_MAX = 105
/** The limits in words, for labels and errors. */
export const LIMIT_WORDS: Record<RangeLimit, string> = { high: 'upper limit of normal', low: 'lower limit of normal' }

/** One measurement as typed: value, unit and the lab's limits (in the same unit). */
export interface MeasurementValues {
  value: string
  unit: string
  high: string
  low: string
}

export interface VisitFormValues {
  visit: string
  date: string
  /** By concept; a concept absent here was not touched (its protocol unit applies). */
  measurements: Record<string, MeasurementValues>
  weight: string
  weightUnit: string
  sledai: string
  /** Physician's Global Assessment, 0–3 (SRI-4). */
  pga: string
  /** BILAG-2004 grade per system, '' when not graded. */
  bilag: Partial<Record<BilagSystem, string>>
  /** A dose taken from the visit on (e.g. a glucocorticoid taper): drug, amount per administration (0 = stopped), unit, frequency. */
  doseDrug: string
  doseAmount: string
  doseUnit: string
  doseFrequency: string
  /** Attestation id -> 'yes' | 'no' | '' (not answered). */
  attestations: Record<string, string>
}

export const emptyVisitForm = (): VisitFormValues => ({
  visit: '',
  date: '',
  measurements: {},
  weight: '',
  weightUnit: 'kg',
  sledai: '',
  pga: '',
  bilag: {},
  doseDrug: '',
  doseAmount: '',
  doseUnit: 'mg',
  doseFrequency: 'daily',
  attestations: {},
})

/** A non-negative number from a text field, or an error naming the field. */
function amount(text: string, field: string, errors: string[]): number | undefined {
  const t = text.trim()
  if (t === '') return undefined
  const n = Number(t.replace(',', '.'))
  if (!Number.isFinite(n) || n < 0) {
    errors.push(`${field}: expected a number ≥ 0, got "${text}"`)
    return undefined
  }
  return n
}

type Measurements = NonNullable<VisitInput['measurements']>

/** The measurements of the fields read at the visit, with their limits as `reference_range`. */
function measurementsOf(v: VisitFormValues, fields: VisitFields, errors: string[]): Measurements {
  const out: Measurements = []
  for (const f of fields.measurements) {
    const m = v.measurements[f.concept]
    if (!m || !readAt(f, v.visit)) continue
    const value = amount(m.value, f.name, errors)
    const range: { high?: number; low?: number } = {}
    for (const limit of f.limits) {
      const x = amount(m[limit], `${f.name}, ${LIMIT_WORDS[limit]}`, errors)
      if (x === undefined) continue
      if (x === 0 && limit === 'high') errors.push(`${f.name}, ${LIMIT_WORDS.high}: expected a number > 0, got "${m.high}"`)
      else range[limit] = x
    }
    if (value === undefined) {
      if (m.value.trim() === '' && Object.keys(range).length)
        errors.push(`${f.name}: give the value the ${f.limits.map(l => LIMIT_WORDS[l]).join(' and ')} belong${f.limits.length === 1 ? 's' : ''} to`)
      continue
    }
    out.push({ concept: f.concept, value, unit: m.unit || f.unit, date: v.date, ...(Object.keys(range).length ? { reference_range: range } : {}) })
  }
  return out
}

/**
 * A body weight as a measurement (in kg or lb as typed: the server converts
 * it to kg for a per-kg dose), or what is wrong with it.
 *
 * @example bodyWeight('62,5', 'kg', '2026-01-19').value // { concept: 'body_weight', value: 62.5, unit: 'kg', date: '2026-01-19' }
 */
export function bodyWeight(text: string, unit: string, date: string): { value?: Measurements[number]; errors: string[] } {
  const errors: string[] = []
  const w = amount(text, 'Body weight', errors)
  if (text.trim() === '') errors.push('Body weight: enter the weight (the per-kg dose is counted from it)')
  else if (w === 0) errors.push(`Body weight: expected a number > 0, got "${text}"`)
  if (!(WEIGHT_UNITS as readonly string[]).includes(unit)) errors.push(`Body weight: the unit must be kg or lb, got "${unit}"`)
  return errors.length || w === undefined ? { errors } : { value: { concept: 'body_weight', value: w, unit, date }, errors }
}

/**
 * @param fields what the protocol reads (deriveVisitFields); only the fields read at `v.visit` are sent
 * @returns the request body, or every problem with the form (nothing is sent then)
 * @example visitInput({ ...emptyVisitForm(), visit: 'week_4', date: '2026-02-16', measurements: { urine_protein_creatinine_ratio: { value: '0.4', unit: 'g/g', high: '', low: '' } } }, fields).value?.measurements?.[0]?.concept // 'urine_protein_creatinine_ratio'
 */
export function visitInput(v: VisitFormValues, fields: VisitFields): { value?: VisitInput; errors: string[] } {
  const errors: string[] = []
  if (!v.visit) errors.push('Visit: choose the visit that took place')
  if (parseIsoDate(v.date) === undefined) errors.push(`Date: expected a calendar date YYYY-MM-DD, got "${v.date}"`)
  const measurements = measurementsOf(v, fields, errors)
  if (fields.bodyWeight && v.weight.trim() !== '') {
    const weight = bodyWeight(v.weight, v.weightUnit, v.date)
    errors.push(...weight.errors)
    if (weight.value) measurements.push(weight.value)
  }
  let sledai: number | undefined
  if (fields.sledai && readAt(fields.sledai, v.visit) && v.sledai.trim() !== '') {
    const n = Number(v.sledai)
    if (!Number.isInteger(n) || n < 0 || n > SLEDAI_MAX) errors.push(`SLEDAI-2K: expected a whole number from 0 to ${SLEDAI_MAX}, got "${v.sledai}"`)
    else sledai = n
  }
  if (fields.pga && readAt(fields.pga, v.visit)) {
    const pga = amount(v.pga, "Physician's Global Assessment", errors)
    if (pga !== undefined && pga > PGA_MAX) errors.push(`Physician's Global Assessment: expected a number from 0 to ${PGA_MAX}, got "${v.pga}"`)
    else if (pga !== undefined) measurements.push({ concept: 'physician_global_assessment', value: pga, unit: '{score}', date: v.date })
  }
  const graded = fields.bilag && readAt(fields.bilag, v.visit) ? BILAG_SYSTEMS.filter(s => (BILAG_GRADES as readonly string[]).includes(v.bilag[s] ?? '')) : []
  const grades = Object.fromEntries(graded.map(s => [s, v.bilag[s]!])) as BilagAssessment['grades']
  let doseChange: NonNullable<VisitInput['dose_changes']>[number] | undefined
  if (fields.steroidDose && (v.doseDrug.trim() !== '' || v.doseAmount.trim() !== '')) {
    const dose = amount(v.doseAmount, 'Dose', errors)
    if (v.doseDrug.trim() === '') errors.push('Dose: name the drug whose dose changed')
    else if (dose === undefined && v.doseAmount.trim() === '') errors.push(`Dose: give the ${v.doseDrug.trim()} dose from this visit on (0 if it was stopped)`)
    else if (dose !== undefined) doseChange = { drug: v.doseDrug.trim(), amount: dose, unit: v.doseUnit, ...(dose > 0 ? { frequency: v.doseFrequency } : {}) }
  }
  const asked = new Set(fields.attestations.filter(a => readAt(a, v.visit)).map(a => a.id))
  const attestations = Object.fromEntries(
    Object.entries(v.attestations)
      .filter(([k, a]) => asked.has(k) && (a === 'yes' || a === 'no'))
      .map(([k, a]) => [k, a === 'yes']),
  )
  if (errors.length) return { errors }
  return {
    errors,
    value: {
      visit: v.visit,
      date: v.date,
      ...(measurements.length ? { measurements } : {}),
      ...(sledai !== undefined ? { sledai_2k: [{ date: v.date, score: sledai }] } : {}),
      ...(graded.length ? { bilag_2004: [{ date: v.date, grades }] } : {}),
      ...(doseChange ? { dose_changes: [doseChange] } : {}),
      ...(Object.keys(attestations).length ? { attestations } : {}),
    },
  }
}
