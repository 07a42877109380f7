/**
 * Derive the patient form from a protocol document: walk every criterion's
 * `logic` and `applies_if` and collect the data its leaves read. Nothing here
 * knows a particular trial; a protocol that asks for a new lab concept, fact
 * or attestation gets a field for it.
 */
import type { Condition, Criterion, ProtocolDocument, SetDefinition, Window } from '../../engine/index.ts'
import { BOOLEAN_FACTS, INSTRUMENT_CONCEPTS } from './catalogue.ts'
import { valueWindowWords, windowWords as sharedWindowWords } from '../../engine/words/windows.ts'
import { childrenOf, eventSelector, kinded, type EventKind } from '../../engine/logic/condition-model.ts'
import { kindedChangeFrom } from '../../engine/logic/window-model.ts'
import { isParamRef } from '../../engine/logic/param-ref.ts'
import { egfrConceptOf, needsRace } from '../../engine/calculators/egfr-catalogue.ts'
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

const LEAF_SECTION: Record<EventKind, EventSection> = {
  medication: 'medications',
  condition: 'conditions',
  procedure: 'procedures',
  vaccination: 'vaccinations',
}
/** Event-leaf filters in words, for the section hints. */
const FILTER_WORDS: Record<string, (v: string) => string> = {
  severity: v => v,
  recurrent: v => (v === 'true' ? 'recurrent' : 'not recurrent'),
  hospitalized: v => (v === 'true' ? 'hospitalised' : 'not hospitalised'),
  iv_antibiotics: v => (v === 'true' ? 'IV antibiotics' : 'no IV antibiotics'),
  treated: v => (v === 'true' ? 'treated' : 'untreated'),
  outcome: v => `outcome ${v}`,
  major: v => (v === 'true' ? 'major' : 'minor'),
  event: v => ({ exposure: 'taken', dose_change: 'dose changed', start_stop_or_dose_change: 'started, stopped or dose changed' })[v] ?? v,
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
  const concepts = new Map(labConcepts.map(c => [c.id, c]))
  for (const [id, c] of Object.entries(doc.definitions?.lab_concepts ?? {})) concepts.set(id, { id, ...c })
  const params = Object.fromEntries(Object.entries(doc.parameters ?? {}).map(([k, p]) => [k, p.value]))

  const f: PatientFormFields = {
    birthDate: undefined,
    sex: undefined,
    referenceDates: [],
    facts: [],
    acr1997: undefined,
    measurements: [],
    pregnancyTests: [],
    attestations: [],
    events: {},
    suggestions: {},
    unsupported: [],
  }
  const dates = new Map<string, string[]>()
  const use = (u: Used, id: string) => {
    if (!u.usedBy.includes(id)) u.usedBy.push(id)
  }
  const useDate = (name: string, id: string) => {
    const list = dates.get(name) ?? []
    if (!list.includes(id)) list.push(id)
    dates.set(name, list)
  }
  const num = (v: unknown): string => (isParamRef(v) ? String(params[v.param] ?? `{${v.param}}`) : String(v))
  // a window in the one wording (engine/words/windows.ts), noting the reference dates it counts from
  const windowWords = (w: Window | undefined, id: string, words = sharedWindowWords): string | undefined =>
    w === undefined ? undefined : words(w, { doc, number: num, onRef: ref => useDate(ref, id) })
  const setLabel = (section: EventSection, sel: SetDefinition & { set?: string }): string => {
    const named = sel.set ? (doc.definitions?.[SET_KIND[section]] as Record<string, SetDefinition> | undefined)?.[sel.set] : undefined
    const label = sel.label ?? named?.label ?? sel.set
    const listed = [...(sel.items ?? []), ...(sel.classes ?? []).map(c => `class ${c}`)].join(', ')
    return label ?? (listed || 'any entry')
  }

  const measurement = (concept: string, unit: string | undefined, window: Window | undefined, id: string) => {
    let m = f.measurements.find(x => x.concept === concept)
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
    const w = windowWords(window, id, valueWindowWords)
    if (w && !m.windows.includes(w)) m.windows.push(w)
  }

  // each node by its kind (engine/logic/condition-model.ts), groups through their children
  const leaf = (c: Condition, id: string): void => {
    const k = kinded(c)
    switch (k?.kind) {
      case 'all':
      case 'any':
      case 'either':
      case 'not':
      case 'at_least':
        for (const x of childrenOf(c)) leaf(x.node, id)
        return
      case 'measurement': {
        const m = k.node.measurement
        raceCoefficient(m.equation, id)
        measurement(egfrConcept(m.concept, m.equation), m.unit, m.window, id)
        return
      }
      case 'change': {
        const ch = k.node.change
        raceCoefficient(ch.equation, id)
        // a change in a criterion reads its two values in windows: the form lists both
        const from = kindedChangeFrom(ch.from)
        const windows = [...(from.kind === 'window' ? [from.from.window] : []), ...(ch.to !== undefined && typeof ch.to === 'object' ? [ch.to.window] : [])]
        if (windows.length === 0) measurement(ch.concept, ch.unit, undefined, id)
        for (const w of windows) measurement(ch.concept, ch.unit, w, id)
        return
      }
      case 'age':
        use((f.birthDate ??= { usedBy: [] }), id)
        useDate(k.node.age.at, id)
        return
      case 'fact': {
        const name = k.node.fact
        const info = BOOLEAN_FACTS[name]
        if (name === 'sex') use((f.sex ??= { usedBy: [] }), id)
        else if (name.startsWith('acr_1997.')) use((f.acr1997 ??= { usedBy: [] }), id)
        else if (!info) addUnsupported(`fact ${name}`, id)
        else {
          let field = f.facts.find(x => x.name === name)
          if (!field) f.facts.push((field = { name, label: info.label, usedBy: [] }))
          use(field, id)
        }
        return
      }
      case 'attestation': {
        const a = k.node
        if (a.at !== undefined) return // answered at follow-up visits, not at screening
        let field = f.attestations.find(x => x.name === a.attestation)
        if (!field) f.attestations.push((field = { name: a.attestation, question: doc.attestations?.[a.attestation]?.question ?? a.attestation, usedBy: [] }))
        use(field, id)
        return
      }
      case 'pregnancy_test': {
        const p = k.node.pregnancy_test
        let field = f.pregnancyTests.find(x => x.specimen === p.specimen)
        if (!field) f.pregnancyTests.push((field = { specimen: p.specimen, usedBy: [] }))
        windowWords(p.window, id, valueWindowWords)
        use(field, id)
        return
      }
      case 'steroid_dose':
        event('medications', { label: 'glucocorticoids (daily prednisone-equivalent dose)' }, id, [])
        return
      case 'parameter':
        return
      case 'medication':
      case 'condition':
      case 'procedure':
      case 'vaccination': {
        const section = LEAF_SECTION[k.kind]
        const sel = eventSelector(k.node) as SetDefinition & { set?: string; window?: Window } & Record<string, unknown>
        const filters = Object.keys(FILTER_WORDS)
          .filter(key => sel[key] !== undefined)
          .map(key => FILTER_WORDS[key]!(Array.isArray(sel[key]) ? (sel[key] as unknown[]).join(' or ') : num(sel[key])))
        const named = sel.set ? (doc.definitions?.[SET_KIND[section]] as Record<string, SetDefinition> | undefined)?.[sel.set] : undefined
        const ids = (f.suggestions[section] ??= [])
        for (const item of [...(named?.items ?? []), ...(sel.items ?? [])]) if (!ids.includes(item)) ids.push(item)
        event(section, { label: setLabel(section, sel), window: windowWords(sel.window, id) }, id, filters)
        return
      }
      default:
        // steroid_days, biopsy (and a shape the language does not have): nothing the screening form collects
        addUnsupported(Object.keys(c).join(', '), id)
    }
  }
  const event = (section: EventSection, hint: { label: string; window?: string | undefined }, id: string, filters: string[]) => {
    const hints = (f.events[section] ??= [])
    let h = hints.find(x => x.label === hint.label && x.window === hint.window && x.filters.join() === filters.join())
    if (!h) hints.push((h = { label: hint.label, ...(hint.window ? { window: hint.window } : {}), filters, usedBy: [] }))
    use(h, id)
  }
  // an eGFR a protocol reads by a named equation is entered as a value of that equation, so the engine knows which it is
  const egfrConcept = (concept: string, equation: unknown) => (concept === 'egfr' && equation !== undefined ? egfrConceptOf(num(equation)) : concept)
  // an eGFR computed by an equation with a race coefficient needs to know whether the patient is Black
  const raceCoefficient = (equation: unknown, id: string) => {
    if (equation === undefined || !needsRace(num(equation))) return
    let field = f.facts.find(x => x.name === 'black_race')
    if (!field) f.facts.push((field = { name: 'black_race', label: BOOLEAN_FACTS.black_race!.label, usedBy: [] }))
    use(field, id)
  }
  const addUnsupported = (what: string, id: string) => {
    let u = f.unsupported.find(x => x.what === what)
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
  for (const name of [...declared, ...[...dates.keys()].filter(d => !declared.includes(d))]) {
    const usedBy = dates.get(name)
    if (!usedBy) continue
    const def = doc.reference_dates?.[name]
    f.referenceDates.push({ name, label: def?.label ?? name, ...(def?.description ? { description: def.description } : {}), usedBy })
  }
  return f
}
