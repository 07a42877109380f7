/**
 * The "record a visit" form's values turned into the body of
 * POST /subjects/:sid/visits, with every input error collected and named.
 */
import type { VisitInput } from '../api/subjects.ts'
import type { BilagAssessment, ProtocolDocument } from '../../engine/index.ts'
import { dayOf } from './dates.ts'

export const UPCR_UNITS = ['g/g', 'mg/mmol', 'mg/g'] as const
export const CREATININE_UNITS = ['mg/dL', 'umol/L'] as const
/** Dosing frequencies offered; each is a phrase the engine turns into doses per day (engine/calculators/dose-frequency.ts, checked by a test). */
export const DOSE_FREQUENCIES = ['daily', 'twice daily', 'three times daily', 'every other day', 'weekly'] as const
export const DOSE_UNITS = ['mg', 'g'] as const
/** The nine BILAG-2004 systems as the subject record names them (engine BILAG_SYSTEM_NAMES, checked by a test). */
export const BILAG_SYSTEMS = ['constitutional', 'mucocutaneous', 'neuropsychiatric', 'musculoskeletal', 'cardiorespiratory', 'gastrointestinal', 'ophthalmic', 'renal', 'haematological'] as const
export type BilagSystem = (typeof BILAG_SYSTEMS)[number]
/** BILAG-2004 grades: A severe, B moderate, C mild stable, D previously involved now inactive, E never involved (Isenberg 2005). */
export const BILAG_GRADES = ['A', 'B', 'C', 'D', 'E'] as const
// Physician's Global Assessment scale, 0 to 3 (Furie 2009; engine lab concept physician_global_assessment)
const PGA_MAX = 3

export interface VisitFormValues {
  visit: string
  date: string
  upcr: string
  upcrUnit: string
  creatinine: string
  creatinineUnit: string
  sledai: string
  /** A dose taken from the visit on (e.g. a glucocorticoid taper): drug, amount per administration (0 = stopped), unit, frequency. */
  doseDrug: string
  doseAmount: string
  doseUnit: string
  doseFrequency: string
  /** Physician's Global Assessment, 0–3 (SRI-4). */
  pga: string
  /** BILAG-2004 grade per system, '' when not graded. */
  bilag: Partial<Record<BilagSystem, string>>
  /** Attestation id -> 'yes' | 'no' | '' (not answered). */
  attestations: Record<string, string>
}

export const emptyVisitForm = (): VisitFormValues => ({
  visit: '',
  date: '',
  upcr: '',
  upcrUnit: 'g/g',
  creatinine: '',
  creatinineUnit: 'mg/dL',
  sledai: '',
  doseDrug: '',
  doseAmount: '',
  doseUnit: 'mg',
  doseFrequency: 'daily',
  pga: '',
  bilag: {},
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

/**
 * @returns the request body, or every problem with the form (nothing is sent then)
 * @example visitInput({ ...emptyVisitForm(), visit: 'week_4', date: '2026-02-16', upcr: '0.4' }).value?.measurements?.[0]?.concept // 'urine_protein_creatinine_ratio'
 */
export function visitInput(v: VisitFormValues): { value?: VisitInput; errors: string[] } {
  const errors: string[] = []
  if (!v.visit) errors.push('Visit: choose the visit that took place')
  if (dayOf(v.date) === undefined) errors.push(`Date: expected a calendar date YYYY-MM-DD, got "${v.date}"`)
  const measurements: NonNullable<VisitInput['measurements']> = []
  const upcr = amount(v.upcr, 'UPCR', errors)
  if (upcr !== undefined) measurements.push({ concept: 'urine_protein_creatinine_ratio', value: upcr, unit: v.upcrUnit, date: v.date })
  const creat = amount(v.creatinine, 'Serum creatinine', errors)
  if (creat !== undefined) measurements.push({ concept: 'serum_creatinine', value: creat, unit: v.creatinineUnit, date: v.date })
  let sledai: number | undefined
  if (v.sledai.trim() !== '') {
    const n = Number(v.sledai)
    // SLEDAI-2K totals 0..105 (Gladman 2002; engine/schema/patient.schema.json)
    if (!Number.isInteger(n) || n < 0 || n > 105) errors.push(`SLEDAI-2K: expected a whole number from 0 to 105, got "${v.sledai}"`)
    else sledai = n
  }
  const pga = amount(v.pga, "Physician's Global Assessment", errors)
  if (pga !== undefined && pga > PGA_MAX) errors.push(`Physician's Global Assessment: expected a number from 0 to ${PGA_MAX}, got "${v.pga}"`)
  else if (pga !== undefined) measurements.push({ concept: 'physician_global_assessment', value: pga, unit: '{score}', date: v.date })
  const grades = Object.fromEntries(BILAG_SYSTEMS.flatMap((system) => ((BILAG_GRADES as readonly string[]).includes(v.bilag[system] ?? '') ? [[system, v.bilag[system]!]] : []))) as BilagAssessment['grades']
  let doseChange: NonNullable<VisitInput['dose_changes']>[number] | undefined
  if (v.doseDrug.trim() !== '' || v.doseAmount.trim() !== '') {
    const dose = amount(v.doseAmount, 'Dose', errors)
    if (v.doseDrug.trim() === '') errors.push('Dose: name the drug whose dose changed')
    else if (dose === undefined && v.doseAmount.trim() === '') errors.push(`Dose: give the ${v.doseDrug.trim()} dose from this visit on (0 if it was stopped)`)
    else if (dose !== undefined) doseChange = { drug: v.doseDrug.trim(), amount: dose, unit: v.doseUnit, ...(dose > 0 ? { frequency: v.doseFrequency } : {}) }
  }
  const attestations = Object.fromEntries(Object.entries(v.attestations).filter(([, a]) => a === 'yes' || a === 'no').map(([k, a]) => [k, a === 'yes']))
  if (errors.length) return { errors }
  return {
    errors,
    value: {
      visit: v.visit,
      date: v.date,
      ...(measurements.length ? { measurements } : {}),
      ...(sledai !== undefined ? { sledai_2k: [{ date: v.date, score: sledai }] } : {}),
      ...(Object.keys(grades).length ? { bilag_2004: [{ date: v.date, grades }] } : {}),
      ...(doseChange ? { dose_changes: [doseChange] } : {}),
      ...(Object.keys(attestations).length ? { attestations } : {}),
    },
  }
}

/**
 * The disease-activity assessments the protocol's endpoints read at visits:
 * BILAG-2004 (an SRI endpoint or a BILAG-2004 change) and the Physician's
 * Global Assessment (an SRI endpoint), so a trial without them is not asked.
 */
export function visitAssessments(doc: ProtocolDocument): { bilag: boolean; pga: boolean } {
  const endpoints = (doc.endpoints ?? []) as Array<{ type?: string; measure?: string }>
  const sri = endpoints.some((e) => e.type === 'sle_responder_index')
  return { bilag: sri || endpoints.some((e) => e.measure === 'bilag_2004'), pga: sri }
}

/**
 * Attestations the protocol asks at each visit: those its endpoints read
 * `at: current` (e.g. "any other indicator of deterioration?" for partial response).
 */
export function visitAttestations(doc: ProtocolDocument): Array<{ id: string; question: string }> {
  const ids = new Set<string>()
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk)
    if (!n || typeof n !== 'object') return
    const o = n as Record<string, unknown>
    if (typeof o.attestation === 'string' && o.at === 'current') ids.add(o.attestation)
    Object.values(o).forEach(walk)
  }
  walk(doc.endpoints ?? [])
  return [...ids].map((id) => ({ id, question: doc.attestations?.[id]?.question ?? id }))
}
