/**
 * The form's state and the patient record built from it (and back, to load
 * a record). "Unknown" answers and empty inputs leave the field out of the
 * record (not recorded); a list section is present only when it has entries
 * or is marked "none" (an empty list = recorded, none).
 */
import type {
  Acr1997Item,
  ConditionRecord,
  Measurement,
  MedicationRecord,
  PatientRecord,
  PregnancyTest,
  ProcedureRecord,
  SledaiAssessment,
  SledaiDescriptor,
  VaccinationRecord,
} from '../../engine/index.ts'
import { parseIsoDate } from '../../engine/calculators/dates.ts'
import { BOOLEAN_FACTS } from './catalogue.ts'
import type { EventSection } from './fields.ts'

export type Tri = 'yes' | 'no' | 'unknown'

export interface MeasurementInput {
  /** As typed; an empty or non-numeric value leaves the measurement out. */
  value: string
  unit: string
  date: string
  /** Kept from a loaded record: the lab's range, in `unit`. */
  reference_range?: Measurement['reference_range']
}

export interface ListInput<T> {
  /** Recorded: none (only meaningful while `items` is empty). */
  none: boolean
  items: T[]
}

export interface FormState {
  birth_date: string
  sex: '' | 'female' | 'male'
  dates: Record<string, string>
  facts: Record<string, Tri>
  acr: Partial<Record<Acr1997Item, Tri>>
  attestations: Record<string, Tri>
  measurements: Record<string, MeasurementInput>
  sledai: { date: string; mode: 'descriptors' | 'score'; score: string; descriptors: Partial<Record<SledaiDescriptor, Tri>> }
  pregnancyTests: Partial<Record<'urine' | 'serum', { result: '' | 'negative' | 'positive'; date: string }>>
  medications: ListInput<MedicationRecord>
  conditions: ListInput<ConditionRecord>
  procedures: ListInput<ProcedureRecord>
  vaccinations: ListInput<VaccinationRecord>
  /** Facts whose answer the form inferred (a consent date implies "signed"; see shortcuts.ts), shown with a note; not in the record. */
  implied?: string[]
  /** What a loaded record held that the form has no control for; kept in the built record. */
  extra: Pick<PatientRecord, 'id' | 'measurements' | 'sledai_2k' | 'unrecognised'> & {
    pregnancy_tests?: PregnancyTest[]
    /** A dated pregnancy status (from an import); the form's "pregnant" answer, when given, wins over it. */
    pregnancy_status?: NonNullable<PatientRecord['reproductive']>['pregnancy_status']
    attestations?: Record<string, boolean>
  }
}

export function emptyState(): FormState {
  return {
    birth_date: '',
    sex: '',
    dates: {},
    facts: {},
    acr: {},
    attestations: {},
    measurements: {},
    sledai: { date: '', mode: 'score', score: '', descriptors: {} },
    pregnancyTests: {},
    medications: { none: false, items: [] },
    conditions: { none: false, items: [] },
    procedures: { none: false, items: [] },
    vaccinations: { none: false, items: [] },
    extra: {},
  }
}

const tri = (v: Tri | undefined): boolean | undefined => (v === 'yes' ? true : v === 'no' ? false : undefined)
const toTri = (v: boolean | undefined): Tri => (v === true ? 'yes' : v === false ? 'no' : 'unknown')
/** A real calendar day (a date typed as 2026-02-30, or still being typed, is not recorded). */
const ISO = { test: (text: string): boolean => parseIsoDate(text) !== undefined }
/** Members of list entries that hold dates: an unfinished one is left out like an empty one. */
const DATE_MEMBERS = new Set(['start', 'stop', 'onset', 'resolved', 'date'])

/** Entries with their name filled in; blank rows are drafts, not data. */
const named = <T>(list: ListInput<T>, key: keyof T): T[] | undefined => {
  const items = list.items.filter(i => String(i[key] ?? '').trim() !== '').map(i => clean(i))
  return items.length ? items : list.none ? [] : undefined
}

/** Drop empty strings and undefined members (a cleared date input is no date). */
function clean<T>(o: T): T {
  const out: Record<string, unknown> = {}
  for (const [k, raw] of Object.entries(o as Record<string, unknown>)) {
    const v = typeof raw === 'string' ? raw.trim() : raw
    if (v === undefined || v === '') continue
    if (DATE_MEMBERS.has(k) && typeof v === 'string' && !ISO.test(v)) continue
    out[k] = Array.isArray(v) ? v.map(x => (typeof x === 'object' && x !== null ? clean(x) : x)) : v
  }
  return out as T
}

/**
 * The patient record the form's inputs describe.
 *
 * @example buildRecord({ ...emptyState(), birth_date: '1990-05-01', facts: { pregnant: 'unknown' } }) // { birth_date: '1990-05-01' }
 */
export function buildRecord(s: FormState): PatientRecord {
  const r: PatientRecord = {}
  if (s.extra.id) r.id = s.extra.id
  if (ISO.test(s.birth_date)) r.birth_date = s.birth_date
  if (s.sex) r.sex = s.sex
  const dates = Object.fromEntries(Object.entries(s.dates).filter(([, d]) => ISO.test(d)))
  if (Object.keys(dates).length) r.dates = dates

  const reproductive: NonNullable<PatientRecord['reproductive']> = {}
  for (const [name, answer] of Object.entries(s.facts)) {
    const info = BOOLEAN_FACTS[name]
    const value = tri(answer)
    if (!info || value === undefined) continue
    if (info.section === 'informed_consent') r.informed_consent = { signed: value }
    else if (info.section === 'record') (r as Record<string, unknown>)[info.key] = value
    else (reproductive as Record<string, boolean>)[info.key] = value
  }
  const tests: PregnancyTest[] = [...(s.extra.pregnancy_tests ?? [])]
  for (const specimen of ['urine', 'serum'] as const) {
    const t = s.pregnancyTests[specimen]
    if (t?.result && ISO.test(t.date)) tests.push({ specimen, result: t.result, date: t.date })
  }
  if (tests.length) reproductive.pregnancy_tests = tests
  if (s.extra.pregnancy_status) reproductive.pregnancy_status = s.extra.pregnancy_status
  if (Object.keys(reproductive).length) r.reproductive = reproductive

  const measurements: Measurement[] = [...(s.extra.measurements ?? [])]
  for (const [concept, m] of Object.entries(s.measurements)) {
    const value = m.value.trim() === '' ? NaN : Number(m.value)
    if (Number.isFinite(value) && m.unit && ISO.test(m.date))
      measurements.push({ concept, value, unit: m.unit, date: m.date, ...(m.reference_range ? { reference_range: m.reference_range } : {}) })
  }
  if (measurements.length) r.measurements = measurements

  const sledai: SledaiAssessment[] = [...(s.extra.sledai_2k ?? [])]
  if (ISO.test(s.sledai.date)) {
    if (s.sledai.mode === 'score') {
      const score = s.sledai.score.trim() === '' ? NaN : Number(s.sledai.score)
      if (Number.isFinite(score)) sledai.push({ date: s.sledai.date, score })
    } else {
      const descriptors = Object.fromEntries(Object.entries(s.sledai.descriptors).flatMap(([d, a]) => (tri(a) === undefined ? [] : [[d, tri(a)]])))
      if (Object.keys(descriptors).length) sledai.push({ date: s.sledai.date, descriptors })
    }
  }
  if (sledai.length) r.sledai_2k = sledai

  const acr = Object.fromEntries(Object.entries(s.acr).flatMap(([k, a]) => (tri(a) === undefined ? [] : [[k, tri(a)]])))
  if (Object.keys(acr).length) r.acr_1997 = acr

  const meds = named(s.medications, 'drug')?.map(m => {
    // a dose row still being filled in is a draft, not data
    const doses = m.doses?.filter(d => ISO.test(d.date ?? '') && Number.isFinite(d.amount) && d.amount >= 0 && Boolean(d.unit))
    const { doses: _all, ...rest } = m
    return doses?.length ? { ...rest, doses } : rest
  })
  if (meds) r.medications = meds
  const conditions = named(s.conditions, 'concept')
  if (conditions) r.conditions = conditions
  const procedures = named(s.procedures, 'concept')
  if (procedures) r.procedures = procedures
  const vaccinations = named(s.vaccinations, 'vaccine')
  if (vaccinations) r.vaccinations = vaccinations

  const attestations: Record<string, boolean> = { ...s.extra.attestations }
  for (const [name, answer] of Object.entries(s.attestations)) {
    const v = tri(answer)
    if (v !== undefined) attestations[name] = v
  }
  if (Object.keys(attestations).length) r.attestations = attestations
  // what an import could not recognise keeps its histories incomplete: dropping it would read them as complete
  if (s.extra.unrecognised) r.unrecognised = s.extra.unrecognised
  return r
}

/**
 * Fill the form from a record (Load from JSON). The latest value of each
 * concept the form shows goes into its inputs; everything else the form has
 * no control for is kept in `extra` and passes through unchanged.
 *
 * @param shown concepts with an input, and attestations asked, in the form
 */
export function stateFromRecord(p: PatientRecord, shown: { concepts: string[]; attestations: string[] }): FormState {
  const s = emptyState()
  if (p.id) s.extra.id = p.id
  s.birth_date = p.birth_date ?? ''
  s.sex = p.sex ?? ''
  s.dates = { ...p.dates }
  for (const [name, info] of Object.entries(BOOLEAN_FACTS)) {
    const v =
      info.section === 'informed_consent'
        ? p.informed_consent?.signed
        : info.section === 'record'
          ? ((p as Record<string, unknown>)[info.key] as boolean | undefined)
          : (p.reproductive as Record<string, boolean | undefined> | undefined)?.[info.key]
    if (v !== undefined) s.facts[name] = toTri(v)
  }
  for (const [k, v] of Object.entries(p.acr_1997 ?? {})) s.acr[k as Acr1997Item] = toTri(v)

  if (p.reproductive?.pregnancy_status) s.extra.pregnancy_status = p.reproductive.pregnancy_status
  if (p.unrecognised) s.extra.unrecognised = structuredClone(p.unrecognised)
  const latestFirst = <T extends { date: string }>(xs: T[]) => [...xs].sort((a, b) => b.date.localeCompare(a.date))
  const tests = latestFirst(p.reproductive?.pregnancy_tests ?? [])
  for (const t of tests) {
    if (!s.pregnancyTests[t.specimen]) s.pregnancyTests[t.specimen] = { result: t.result, date: t.date }
    else (s.extra.pregnancy_tests ??= []).push(t)
  }
  for (const m of latestFirst(p.measurements ?? [])) {
    if (m.concept && shown.concepts.includes(m.concept) && !s.measurements[m.concept]) {
      s.measurements[m.concept] = { value: String(m.value), unit: m.unit, date: m.date, ...(m.reference_range ? { reference_range: m.reference_range } : {}) }
    } else (s.extra.measurements ??= []).push(m)
  }
  const [sledai, ...olderSledai] = latestFirst(p.sledai_2k ?? [])
  if (sledai) {
    s.sledai = {
      date: sledai.date,
      mode: sledai.score !== undefined ? 'score' : 'descriptors',
      score: sledai.score !== undefined ? String(sledai.score) : '',
      descriptors: Object.fromEntries(Object.entries(sledai.descriptors ?? {}).map(([d, v]) => [d, toTri(v)])),
    }
    if (olderSledai.length) s.extra.sledai_2k = olderSledai
  }
  for (const section of ['medications', 'conditions', 'procedures', 'vaccinations'] as const satisfies readonly EventSection[]) {
    const list = p[section]
    if (list) (s[section] as ListInput<unknown>) = { none: list.length === 0, items: structuredClone(list) }
  }
  for (const [name, v] of Object.entries(p.attestations ?? {})) {
    if (shown.attestations.includes(name)) s.attestations[name] = toTri(v)
    else (s.extra.attestations ??= {})[name] = v
  }
  return s
}
