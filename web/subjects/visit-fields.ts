/**
 * What a visit must collect, derived from the protocol document as the
 * eligibility form is from the criteria (web/patient-form/fields.ts): walk
 * every endpoint and arm and collect what they read at which visit: lab
 * concepts (unit, and the lab's limit where a definition compares with it),
 * glucocorticoid doses, the investigator questions asked at a visit,
 * SLEDAI-2K / PGA / BILAG-2004, and body weight when an arm doses per kg.
 * Nothing here knows a particular trial.
 */
import type { Condition, Endpoint, LabShiftEndpoint, ProtocolDocument, SubjectRecord, Window } from '../../engine/index.ts'
import { egfrConceptOf } from '../../engine/calculators/egfr-catalogue.ts'
import { childrenOf, kinded, measurementThreshold } from '../../engine/logic/condition-model.ts'
import { kindedEventSource } from '../../engine/logic/event-source-model.ts'
import { kindedWindow } from '../../engine/logic/window-model.ts'
import { isParamRef } from '../../engine/logic/param-ref.ts'
import { unitChoices, type LabConceptInfo } from '../patient-form/units.ts'

/** Where a field is read: the definitions (ids) and the visits (ids). */
export interface VisitUse {
  usedBy: string[]
  visits: string[]
}

/** A lab's reference limit a definition compares with: `high` (ULN) or `low` (LLN). */
export type RangeLimit = 'high' | 'low'

export interface VisitMeasurementField extends VisitUse {
  concept: string
  name: string
  /** The unit the protocol compares in (first one named), or the concept's own. */
  unit: string
  /** Units offered, `unit` first. */
  units: string[]
  /** The lab's limits to ask with the value (stored as `reference_range`). */
  limits: RangeLimit[]
  /** Why an extra field is there (serum creatinine for a computed eGFR). */
  note?: string
}

export interface VisitFields {
  measurements: VisitMeasurementField[]
  sledai: VisitUse | undefined
  pga: VisitUse | undefined
  bilag: VisitUse | undefined
  /** A definition reads glucocorticoid doses: a dose change is asked. */
  steroidDose: VisitUse | undefined
  attestations: Array<VisitUse & { id: string; question: string }>
  /** Interventions dosed per kg ("msc: uc_msc_iv"): body weight is asked at every visit. */
  bodyWeight: { usedBy: string[] } | undefined
  /** Visits endpoints compare with (baselines), in protocol order. */
  baselines: string[]
}

/**
 * The lab each CTCAE v5.0 term of a `lab_shifts` endpoint grades, and the
 * limit its grade counts from (a copy of engine/endpoints/safety.ts LAB_TERMS,
 * which web/ cannot import; the key type makes a new term a compile error
 * here): increases from the ULN, decreases from the LLN.
 */
export const LAB_SHIFT_TERMS: Record<LabShiftEndpoint['labs'][number], { concept: string; limit: RangeLimit }> = {
  creatinine_increased: { concept: 'serum_creatinine', limit: 'high' },
  alt_increased: { concept: 'alt', limit: 'high' },
  ast_increased: { concept: 'ast', limit: 'high' },
  neutrophil_count_decreased: { concept: 'neutrophils', limit: 'low' },
  platelet_count_decreased: { concept: 'platelets', limit: 'low' },
  anemia: { concept: 'hemoglobin', limit: 'low' },
}

/**
 * @param doc the protocol document
 * @param labConcepts the engine's lab-concept dictionary (GET /dictionary/lab-concepts); the protocol's own are added
 * @example deriveVisitFields(nobility).measurements.map((m) => m.concept) // ['urine_protein_creatinine_ratio', 'serum_creatinine', 'urine_rbc_hpf', 'urine_rbc_casts_lpf']
 */
export function deriveVisitFields(doc: ProtocolDocument, labConcepts: readonly LabConceptInfo[] = []): VisitFields {
  const concepts = new Map(labConcepts.map(c => [c.id, c]))
  for (const [id, c] of Object.entries(doc.definitions?.lab_concepts ?? {})) concepts.set(id, { id, ...c })
  const param = (v: unknown): unknown => (isParamRef(v) ? doc.parameters?.[v.param]?.value : v)
  const allVisits = (doc.visits ?? []).map(v => v.id)
  const endpoints = (doc.endpoints ?? []) as Endpoint[]
  const baselines = new Set<string>()
  const f: VisitFields = {
    measurements: [],
    sledai: undefined,
    pga: undefined,
    bilag: undefined,
    steroidDose: undefined,
    attestations: [],
    bodyWeight: undefined,
    baselines: [],
  }

  const use = (u: VisitUse, id: string, visits: readonly string[]) => {
    if (!u.usedBy.includes(id)) u.usedBy.push(id)
    for (const v of visits) if (!u.visits.includes(v)) u.visits.push(v)
  }
  const measurement = (concept: string, unit: string | undefined, id: string, visits: readonly string[], limit?: RangeLimit, note?: string) => {
    let m = f.measurements.find(x => x.concept === concept)
    if (!m) {
      const info = concepts.get(concept)
      const canonical = unit ?? info?.unit ?? ''
      m = {
        concept,
        name: info?.name ?? concept.replace(/_/g, ' '),
        unit: canonical,
        units: unitChoices(canonical, info),
        limits: [],
        usedBy: [],
        visits: [],
        ...(note ? { note } : {}),
      }
      f.measurements.push(m)
    }
    if (limit && !m.limits.includes(limit)) m.limits.push(limit)
    use(m, id, visits)
  }
  // an eGFR read by a named equation is entered as that equation's value; serum creatinine lets the engine compute it
  const egfr = (concept: string, equation: unknown, unit: string | undefined, id: string, visits: readonly string[]) => {
    if (concept !== 'egfr') return measurement(concept, unit, id, visits)
    const eq = param(equation)
    measurement(typeof eq === 'string' ? egfrConceptOf(eq) : concept, unit, id, visits)
    measurement('serum_creatinine', undefined, id, visits, undefined, 'the eGFR is computed from it when no eGFR is entered')
  }
  const at = (window: Window | undefined, current: readonly string[]): readonly string[] | undefined => {
    const k = kindedWindow(window)
    if (k.kind === 'any') return current
    if (k.kind === 'visit') return visitOf(k.window.visit, current)
    return undefined // a window before a reference date: data entered with the record, not at a visit
  }
  const visitOf = (v: string, current: readonly string[]) => (v === 'current' ? current : [v])
  const steroid = (id: string, visits: readonly string[]) => use((f.steroidDose ??= { usedBy: [], visits: [] }), id, visits)
  const attestation = (name: string, id: string, visits: readonly string[]) => {
    let a = f.attestations.find(x => x.id === name)
    if (!a) f.attestations.push((a = { id: name, question: doc.attestations?.[name]?.question ?? name, usedBy: [], visits: [] }))
    use(a, id, visits)
  }

  // each node by its kind (engine/logic/condition-model.ts); groups through their children
  const leaf = (c: Condition, id: string, current: readonly string[]): void => {
    const k = kinded(c)
    switch (k?.kind) {
      case 'all':
      case 'any':
      case 'either':
      case 'not':
      case 'at_least':
        for (const x of childrenOf(c)) leaf(x.node, id, current)
        return
      case 'measurement': {
        const m = k.node.measurement
        const visits = at(m.window, current)
        if (!visits) return
        if (measurementThreshold(m.value).kind === 'times_upper_limit') measurement(m.concept, m.unit, id, visits, 'high')
        else egfr(m.concept, m.equation, m.unit, id, visits)
        return
      }
      case 'change': {
        const ch = k.node.change
        if (typeof ch.from === 'string') {
          baselines.add(ch.from)
          egfr(ch.concept, ch.equation, ch.unit, id, [ch.from])
        }
        const to = ch.to === undefined ? current : typeof ch.to === 'string' ? visitOf(ch.to, current) : at(ch.to.window, current)
        if (to) egfr(ch.concept, ch.equation, ch.unit, id, to)
        return
      }
      case 'steroid_dose':
        steroid(id, visitOf(k.node.steroid_dose.at, current))
        return
      case 'steroid_days':
        steroid(id, current)
        return
      case 'attestation':
        if (k.node.at !== undefined) attestation(k.node.attestation, id, visitOf(k.node.at, current))
        return
      default:
        return // read with the record at screening, not at a visit
    }
  }

  for (const e of endpoints) {
    if (e.type === 'response') leaf(e.logic, e.id, e.visits ?? [])
    else if (e.type === 'change_from_baseline') {
      baselines.add(e.baseline)
      const visits = [e.baseline, ...e.visits]
      if (e.measure === 'sledai_2k') use((f.sledai ??= { usedBy: [], visits: [] }), e.id, visits)
      else if (e.measure === 'bilag_2004') use((f.bilag ??= { usedBy: [], visits: [] }), e.id, visits)
      else steroid(e.id, visits)
    } else if (e.type === 'sle_responder_index') {
      baselines.add(e.baseline)
      const visits = [e.baseline, ...e.visits]
      for (const k of ['sledai', 'pga', 'bilag'] as const) use((f[k] ??= { usedBy: [], visits: [] }), e.id, visits)
    } else if (e.type === 'lab_shifts') {
      baselines.add(e.baseline)
      for (const lab of e.labs) {
        const term = LAB_SHIFT_TERMS[lab]
        measurement(term.concept, undefined, e.id, [e.baseline, ...e.visits], term.limit)
      }
    } else if (e.type === 'vital_sign_changes') {
      baselines.add(e.baseline)
      for (const r of e.rules) measurement(r.concept, r.unit, e.id, [e.baseline, ...e.visits])
    }
  }
  // a first-event endpoint reads its sources at every visit after the baselines
  const firstEvent = endpoints.filter(e => e.type === 'time_to_first_event')
  const sources = firstEvent.flatMap(e => e.events.map(s => ({ id: e.id, ...kindedEventSource(s) })))
  for (const s of sources) if (s.kind === 'ratio_to_baseline') baselines.add(s.source.ratio_to_baseline.baseline)
  const followUp = allVisits.filter(v => !baselines.has(v))
  for (const s of sources) {
    if (s.kind === 'ratio_to_baseline') {
      const r = s.source.ratio_to_baseline
      measurement(r.concept, r.unit, s.id, [r.baseline, ...followUp])
    } else if (s.kind === 'attestation') attestation(s.source.attestation, s.id, followUp)
  }
  for (const arm of doc.arms ?? []) {
    for (const iv of arm.interventions) {
      const by = `${arm.label} (${iv.product})`
      if (iv.dose.per === 'kg' && !f.bodyWeight?.usedBy.includes(by)) (f.bodyWeight ??= { usedBy: [] }).usedBy.push(by)
    }
  }
  f.baselines = allVisits.filter(v => baselines.has(v))
  return f
}

/** True when the field is read at `visit` (every field when no visit is chosen yet). */
export const readAt = (u: VisitUse, visit: string): boolean => visit === '' || u.visits.includes(visit)

/** A value already in the record, for the baseline note and the last weight. */
export interface RecordedValue {
  concept: string
  name: string
  value: number
  unit: string
  date: string
}

/**
 * The values of the form's measurements (and SLEDAI-2K totals) the record
 * already holds dated `from` to `to` inclusive: at a baseline visit, the
 * screening values the engine reads as baseline (a visit's window selects by
 * date, whatever was recorded with it).
 */
export function recordedBetween(record: Pick<SubjectRecord, 'measurements' | 'sledai_2k'>, fields: VisitFields, from: string, to: string): RecordedValue[] {
  const names = new Map(fields.measurements.map(m => [m.concept, m.name]))
  const inside = (d: string) => d >= from && d <= to
  const labs = (record.measurements ?? []).flatMap(m =>
    m.concept && names.has(m.concept) && inside(m.date)
      ? [{ concept: m.concept, name: names.get(m.concept)!, value: m.value, unit: m.unit, date: m.date }]
      : [],
  )
  const sledai = fields.sledai
    ? (record.sledai_2k ?? []).flatMap(s =>
        typeof s.score === 'number' && inside(s.date) ? [{ concept: 'sledai_2k', name: 'SLEDAI-2K total', value: s.score, unit: '{score}', date: s.date }] : [],
      )
    : []
  return [...labs, ...sledai].sort((a, b) => a.date.localeCompare(b.date))
}

/** The latest value of a concept in the record (e.g. the last body weight), if any. */
export function latestValue(record: Pick<SubjectRecord, 'measurements'>, concept: string): Omit<RecordedValue, 'name'> | undefined {
  const m = (record.measurements ?? [])
    .filter(x => x.concept === concept)
    .sort((a, b) => a.date.localeCompare(b.date))
    .at(-1)
  return m ? { concept, value: m.value, unit: m.unit, date: m.date } : undefined
}
