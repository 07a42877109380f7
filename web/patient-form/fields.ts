/**
 * Derive the patient form from a protocol document: walk every criterion's
 * `logic` and `applies_if` and collect the data its leaves read. Nothing here
 * knows a particular trial; a protocol that asks for a new lab concept, fact
 * or attestation gets a field for it.
 */
import type { Condition, Criterion, ProtocolDocument, SetDefinition, Window } from '../../engine/index.ts'
import { BOOLEAN_FACTS, INSTRUMENT_CONCEPTS } from './catalogue.ts'
import { unitChoices, type LabConceptInfo } from './units.ts'

export type EventSection = 'medications' | 'conditions' | 'procedures' | 'vaccinations'
export const EVENT_SECTIONS: readonly EventSection[] = ['medications', 'conditions', 'procedures', 'vaccinations']

/** Which criteria need a field: shown beside it. */
interface Used {
  usedBy: string[]
}

export interface ReferenceDateField extends Used {
  name: string
  label: string
  description?: string
}

export interface MeasurementField extends Used {
  concept: string
  name: string
  /** `number`: value + unit + date; `sledai`: the SLEDAI-2K checklist (or a total). */
  input: 'number' | 'sledai'
  /** The unit the protocol compares in (first one named), or the concept's own. */
  unit: string
  /** Units offered, `unit` first. */
  units: string[]
  /** Windows the protocol reads it in, in words ("28 days before screening"). */
  windows: string[]
}

export interface FactField extends Used {
  name: string
  label: string
}

export interface AttestationField extends Used {
  name: string
  question: string
}

/** One selection an event leaf looks for, for the section's hint. */
export interface EventHint extends Used {
  label: string
  window?: string
  /** Filters the leaf applies (`severity severe`, `major`, `planned`...). */
  filters: string[]
}

export interface PatientFormFields {
  /** An `age` leaf reads the birth date. */
  birthDate: Used | undefined
  sex: Used | undefined
  referenceDates: ReferenceDateField[]
  facts: FactField[]
  acr1997: Used | undefined
  measurements: MeasurementField[]
  pregnancyTests: Array<Used & { specimen: 'urine' | 'serum' }>
  attestations: AttestationField[]
  events: Partial<Record<EventSection, EventHint[]>>
  /** Dictionary ids the protocol names per section, offered as suggestions while typing. */
  suggestions: Partial<Record<EventSection, string[]>>
  /** Leaves the form cannot collect data for (an unknown fact name...), so the user knows. */
  unsupported: Array<Used & { what: string }>
}

/** The eGFR equations with a race coefficient (CKD-EPI 2009: Levey 2009; MDRD: Levey 2006). */
export const RACE_COEFFICIENT_EQUATIONS = ['ckd_epi_2009', 'mdrd']
/** The lab concept that holds values reported by each eGFR equation (a copy of the engine's, checked by test/web/patient-form.test.ts). */
export const EGFR_CONCEPT_BY_EQUATION: Record<string, string> = { ckd_epi_2021: 'egfr', ckd_epi_2009: 'egfr_ckd_epi_2009', mdrd: 'egfr_mdrd' }

const LEAF_SECTION: Record<string, EventSection> = { medication: 'medications', condition: 'conditions', procedure: 'procedures', vaccination: 'vaccinations' }
/** Event-leaf filters in words, for the section hints. */
const FILTER_WORDS: Record<string, (v: string) => string> = {
  severity: (v) => v,
  recurrent: (v) => (v === 'true' ? 'recurrent' : 'not recurrent'),
  hospitalized: (v) => (v === 'true' ? 'hospitalised' : 'not hospitalised'),
  iv_antibiotics: (v) => (v === 'true' ? 'IV antibiotics' : 'no IV antibiotics'),
  treated: (v) => (v === 'true' ? 'treated' : 'untreated'),
  outcome: (v) => `outcome ${v}`,
  major: (v) => (v === 'true' ? 'major' : 'minor'),
  event: (v) => ({ exposure: 'taken', dose_change: 'dose changed', start_stop_or_dose_change: 'started, stopped or dose changed' })[v] ?? v,
}
const SET_KIND: Record<EventSection, keyof NonNullable<ProtocolDocument['definitions']>> = {
  medications: 'drugs',
  conditions: 'conditions',
  procedures: 'procedures',
  vaccinations: 'vaccines',
}

/**
 * The fields a patient needs for a protocol's eligibility criteria.
 *
 * @param doc the protocol document (GET /protocols/:id answers it as `document`)
 * @param labConcepts the engine's lab-concept dictionary; the protocol's own `definitions.lab_concepts` are added
 * @example deriveFields(doc, labConcepts).measurements.map((m) => m.concept) // ['sledai_2k_score', 'urine_protein_creatinine_ratio', 'urine_protein_24h']
 */
export function deriveFields(doc: ProtocolDocument, labConcepts: readonly LabConceptInfo[] = []): PatientFormFields {
  const concepts = new Map(labConcepts.map((c) => [c.id, c]))
  for (const [id, c] of Object.entries(doc.definitions?.lab_concepts ?? {})) concepts.set(id, { id, ...c })
  const params = Object.fromEntries(Object.entries(doc.parameters ?? {}).map(([k, p]) => [k, p.value]))
  const dateLabel = (name: string) => doc.reference_dates?.[name]?.label ?? name

  const f: PatientFormFields = { birthDate: undefined, sex: undefined, referenceDates: [], facts: [], acr1997: undefined, measurements: [], pregnancyTests: [], attestations: [], events: {}, suggestions: {}, unsupported: [] }
  const dates = new Map<string, string[]>()
  const use = (u: Used, id: string) => {
    if (!u.usedBy.includes(id)) u.usedBy.push(id)
  }
  const useDate = (name: string, id: string) => {
    const list = dates.get(name) ?? []
    if (!list.includes(id)) list.push(id)
    dates.set(name, list)
  }
  const num = (v: unknown): string => (typeof v === 'object' && v !== null && 'param' in v ? String(params[(v as { param: string }).param] ?? `{${(v as { param: string }).param}}`) : String(v))
  const windowWords = (w: Window | undefined, id: string): string | undefined => {
    if (!w) return undefined
    if ('before' in w) {
      useDate(w.before, id)
      const parts = [
        w.years !== undefined ? `${num(w.years)} years` : '',
        w.months !== undefined ? `${num(w.months)} months` : '',
        w.weeks !== undefined ? `${num(w.weeks)} weeks` : '',
        w.days !== undefined ? `${num(w.days)} days` : '',
      ].filter(Boolean)
      return `${parts.join(' ') || 'on the day'} before ${dateLabel(w.before)}`
    }
    if ('at' in w) {
      useDate(w.at, id)
      return `at ${dateLabel(w.at)}`
    }
    if ('planned' in w) return 'planned during the study'
    if ('from_day' in w) {
      useDate(w.ref, id)
      return `study days ${num(w.from_day)} to ${num(w.to_day)} from ${dateLabel(w.ref)}`
    }
    return `at visit ${w.visit}`
  }
  const setLabel = (section: EventSection, sel: SetDefinition & { set?: string }): string => {
    const named = sel.set ? (doc.definitions?.[SET_KIND[section]] as Record<string, SetDefinition> | undefined)?.[sel.set] : undefined
    const label = sel.label ?? named?.label ?? sel.set
    const listed = [...(sel.items ?? []), ...(sel.classes ?? []).map((c) => `class ${c}`)].join(', ')
    return label ?? (listed || 'any entry')
  }

  const measurement = (concept: string, unit: string | undefined, window: Window | undefined, id: string) => {
    let m = f.measurements.find((x) => x.concept === concept)
    const info = concepts.get(concept)
    if (!m) {
      const canonical = unit ?? info?.unit ?? ''
      m = {
        concept,
        name: info?.name ?? concept.replace(/_/g, ' '),
        input: concept in INSTRUMENT_CONCEPTS ? 'sledai' : 'number',
        unit: canonical,
        units: unitChoices(canonical, info),
        windows: [],
        usedBy: [],
      }
      f.measurements.push(m)
    }
    use(m, id)
    const w = windowWords(window, id)
    if (w && !m.windows.includes(w)) m.windows.push(w)
  }

  const leaf = (c: Condition, id: string): void => {
    if ('all' in c) return c.all.forEach((x) => leaf(x, id))
    if ('any' in c) return c.any.forEach((x) => leaf(x, id))
    if ('either' in c) return c.either.forEach((x) => leaf(x, id))
    if ('not' in c) return leaf(c.not, id)
    if ('at_least' in c) return c.at_least.of.forEach((x) => leaf(x, id))
    if ('measurement' in c) {
      raceCoefficient(c.measurement.equation, id)
      return measurement(egfrConcept(c.measurement.concept, c.measurement.equation), c.measurement.unit, c.measurement.window, id)
    }
    if ('change' in c) {
      raceCoefficient(c.change.equation, id)
      // a change in a criterion reads its two values in windows: the form lists both
      const windows = [c.change.from, c.change.to].flatMap((x) => (x !== undefined && typeof x === 'object' && 'window' in x ? [x.window] : []))
      if (windows.length === 0) return measurement(c.change.concept, c.change.unit, undefined, id)
      return windows.forEach((w) => measurement(c.change.concept, c.change.unit, w, id))
    }
    if ('age' in c) {
      use((f.birthDate ??= { usedBy: [] }), id)
      return useDate(c.age.at, id)
    }
    if ('fact' in c) {
      if (c.fact === 'sex') return use((f.sex ??= { usedBy: [] }), id)
      if (c.fact.startsWith('acr_1997.')) return use((f.acr1997 ??= { usedBy: [] }), id)
      const info = BOOLEAN_FACTS[c.fact]
      if (!info) return addUnsupported(`fact ${c.fact}`, id)
      let field = f.facts.find((x) => x.name === c.fact)
      if (!field) f.facts.push((field = { name: c.fact, label: info.label, usedBy: [] }))
      return use(field, id)
    }
    if ('attestation' in c) {
      if (c.at !== undefined) return // answered at follow-up visits, not at screening
      let field = f.attestations.find((x) => x.name === c.attestation)
      if (!field) f.attestations.push((field = { name: c.attestation, question: doc.attestations?.[c.attestation]?.question ?? c.attestation, usedBy: [] }))
      return use(field, id)
    }
    if ('pregnancy_test' in c) {
      let field = f.pregnancyTests.find((x) => x.specimen === c.pregnancy_test.specimen)
      if (!field) f.pregnancyTests.push((field = { specimen: c.pregnancy_test.specimen, usedBy: [] }))
      windowWords(c.pregnancy_test.window, id)
      return use(field, id)
    }
    if ('steroid_dose' in c) return event('medications', { label: 'glucocorticoids (daily prednisone-equivalent dose)' }, id, [])
    if ('parameter' in c) return
    for (const [key, section] of Object.entries(LEAF_SECTION)) {
      if (key in c) {
        const sel = (c as unknown as Record<string, SetDefinition & { set?: string; window?: Window } & Record<string, unknown>>)[key]!
        const filters = Object.keys(FILTER_WORDS)
          .filter((k) => sel[k] !== undefined)
          .map((k) => FILTER_WORDS[k]!(Array.isArray(sel[k]) ? (sel[k] as unknown[]).join(' or ') : num(sel[k])))
        const named = sel.set ? (doc.definitions?.[SET_KIND[section]] as Record<string, SetDefinition> | undefined)?.[sel.set] : undefined
        const ids = (f.suggestions[section] ??= [])
        for (const item of [...(named?.items ?? []), ...(sel.items ?? [])]) if (!ids.includes(item)) ids.push(item)
        return event(section, { label: setLabel(section, sel), window: windowWords(sel.window, id) }, id, filters)
      }
    }
    addUnsupported(Object.keys(c).join(', '), id)
  }
  const event = (section: EventSection, hint: { label: string; window?: string | undefined }, id: string, filters: string[]) => {
    const hints = (f.events[section] ??= [])
    let h = hints.find((x) => x.label === hint.label && x.window === hint.window && x.filters.join() === filters.join())
    if (!h) hints.push((h = { label: hint.label, ...(hint.window ? { window: hint.window } : {}), filters, usedBy: [] }))
    use(h, id)
  }
  // an eGFR a protocol reads by a named equation is entered as a value of that equation, so the engine knows which it is
  const egfrConcept = (concept: string, equation: unknown) => (concept === 'egfr' && equation !== undefined ? (EGFR_CONCEPT_BY_EQUATION[num(equation)] ?? concept) : concept)
  // an eGFR computed by an equation with a race coefficient needs to know whether the patient is Black
  const raceCoefficient = (equation: unknown, id: string) => {
    if (equation === undefined || !RACE_COEFFICIENT_EQUATIONS.includes(num(equation))) return
    let field = f.facts.find((x) => x.name === 'black_race')
    if (!field) f.facts.push((field = { name: 'black_race', label: BOOLEAN_FACTS.black_race!.label, usedBy: [] }))
    use(field, id)
  }
  const addUnsupported = (what: string, id: string) => {
    let u = f.unsupported.find((x) => x.what === what)
    if (!u) f.unsupported.push((u = { what, usedBy: [] }))
    use(u, id)
  }

  for (const c of doc.criteria as Criterion[]) {
    if (c.applies_if) leaf(c.applies_if, c.id)
    leaf(c.logic, c.id)
  }
  if (doc.protocol.sex && doc.protocol.sex !== 'all') f.sex ??= { usedBy: [] }
  // reference dates in the protocol's own order
  const declared = Object.keys(doc.reference_dates ?? {})
  for (const name of [...declared, ...[...dates.keys()].filter((d) => !declared.includes(d))]) {
    const usedBy = dates.get(name)
    if (!usedBy) continue
    const def = doc.reference_dates?.[name]
    f.referenceDates.push({ name, label: def?.label ?? name, ...(def?.description ? { description: def.description } : {}), usedBy })
  }
  return f
}
