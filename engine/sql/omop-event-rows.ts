/**
 * A record's event history (medications, conditions, procedures,
 * vaccinations, and the items an import could not recognise) as OMOP event
 * rows, read back by events-sql.ts as omop.ts describes:
 *
 * - an entry the dictionary resolves is written with its entry's first code
 *   (event-codes.ts); a name it does not resolve (or an ambiguous one, or an
 *   unrecognised item) with concept 0 and the text as source value, which
 *   the query reads as unrecognised;
 * - an ongoing entry ends with the observation period; a planned one is not
 *   written (OMOP records what happened);
 * - the observation period is written only when the record holds all four
 *   histories: OMOP cannot say one domain is complete and another not.
 */
import { parseIsoDate } from '../calculators/dates.ts'
import { resolveEntry, type Dictionary, type EntryDomain } from '../dictionary/index.ts'
import { ambiguousCandidates } from '../dictionary/ambiguous-names.ts'
import { routeOf } from '../dictionary/routes.ts'
import { HISTORY_SECTIONS, type PatientRecord, type UnrecognisedEntry } from '../types.ts'
import { entryCodes } from './event-codes.ts'
import { EHR_TYPE_CONCEPT, VOCABULARY } from './omop.ts'
import type { LocalVocabulary } from './omop-vocabulary.ts'

/** The observation period of a record whose histories are complete: wide enough for every window a protocol places (synthetic data). */
export const COMPLETE_HISTORY = { start: '1900-01-01', end: '2099-12-31' } as const

export interface OmopEventRows {
  condition_occurrence: Array<Record<string, string | number | null>>
  procedure_occurrence: Array<Record<string, string | number | null>>
  drug_exposure: Array<Record<string, string | number | null>>
  observation_period: Array<Record<string, string | number | null>>
}

const dateOrNull = (iso: string | undefined) => (iso !== undefined && parseIsoDate(iso) !== undefined ? iso : null)
/** An end date: recorded, else the period's end when ongoing, else unknown. */
const endOf = (end: string | undefined, ongoing: boolean | undefined) => dateOrNull(end) ?? (ongoing ? COMPLETE_HISTORY.end : null)

/** The concept of an entry's text in a dictionary: its entry's first code, or 0 (unrecognised). */
function conceptOf(dict: EntryDomain, text: string, vocabulary: LocalVocabulary, dictionary: Dictionary): number {
  const entry = resolveEntry(dict, text, dictionary)
  if (!entry) return 0
  const [code] = entryCodes(dict, entry)
  return vocabulary.idOf(
    code!.vocabulary,
    code!.code,
    entry.name,
    dict === 'drugs' || dict === 'vaccines' ? 'Drug' : dict === 'conditions' ? 'Condition' : 'Procedure',
  )
}

function routeConcept(route: string | undefined, vocabulary: LocalVocabulary): number | null {
  if (route === undefined) return null
  const code = routeOf(route)?.snomed[0]
  return code === undefined ? 0 : vocabulary.idOf(VOCABULARY.snomed, code, route, 'Route')
}

/** Where the rows' concepts and ids come from. */
export interface EventRowContext {
  vocabulary: LocalVocabulary
  dictionary: Dictionary
  /** The next row id of a table. */
  nextId: (table: string) => number
}

/** Append one person's event rows. */
export function addEventRows(rows: OmopEventRows, p: PatientRecord, personId: number, { vocabulary, dictionary, nextId }: EventRowContext): void {
  const unrecognised = (key: (typeof HISTORY_SECTIONS)[number]): UnrecognisedEntry[] => (Array.isArray(p.unrecognised?.[key]) ? p.unrecognised![key]! : [])
  const drug = (concept: number, text: string, start: string | null, end: string | null, route: string | undefined) =>
    rows.drug_exposure.push({
      drug_exposure_id: nextId('drug_exposure'),
      person_id: personId,
      drug_concept_id: concept,
      drug_exposure_start_date: start,
      drug_exposure_end_date: end,
      drug_type_concept_id: EHR_TYPE_CONCEPT,
      route_concept_id: routeConcept(route, vocabulary),
      drug_source_value: text,
      route_source_value: route ?? null,
    })
  for (const m of p.medications ?? []) drug(conceptOf('drugs', m.drug, vocabulary, dictionary), m.drug, dateOrNull(m.start), endOf(m.stop, m.ongoing), m.route)
  for (const u of unrecognised('medications')) drug(0, u.text, dateOrNull(u.start), endOf(u.stop, u.ongoing), u.route)
  for (const v of [
    ...(p.vaccinations ?? []).map(v => ({ ...v, text: v.vaccine, known: true })),
    ...unrecognised('vaccinations').map(u => ({ ...u, known: false })),
  ]) {
    if (v.planned) continue
    drug(v.known ? conceptOf('vaccines', v.text, vocabulary, dictionary) : 0, v.text, dateOrNull(v.date), dateOrNull(v.date), undefined)
  }
  const conditions = [
    ...(p.conditions ?? []).map(c => ({ ...c, text: c.concept, known: true })),
    ...unrecognised('conditions').map(u => ({ ...u, known: false })),
  ]
  for (const c of conditions) {
    rows.condition_occurrence.push({
      condition_occurrence_id: nextId('condition_occurrence'),
      person_id: personId,
      condition_concept_id: c.known ? conceptOf('conditions', c.text, vocabulary, dictionary) : 0,
      condition_start_date: dateOrNull(c.onset),
      condition_end_date: endOf(c.resolved, c.ongoing),
      condition_type_concept_id: EHR_TYPE_CONCEPT,
      condition_source_value: c.text,
    })
  }
  const procedures = [
    ...(p.procedures ?? []).map(x => ({ ...x, text: x.concept, known: true })),
    ...unrecognised('procedures').map(u => ({ ...u, known: false })),
  ]
  for (const x of procedures) {
    if (x.planned) continue
    rows.procedure_occurrence.push({
      procedure_occurrence_id: nextId('procedure_occurrence'),
      person_id: personId,
      procedure_concept_id: x.known ? conceptOf('procedures', x.text, vocabulary, dictionary) : 0,
      procedure_date: dateOrNull(x.date),
      procedure_type_concept_id: EHR_TYPE_CONCEPT,
      procedure_source_value: x.text,
    })
  }
  if (HISTORY_SECTIONS.every(s => Array.isArray(p[s]))) {
    rows.observation_period.push({
      observation_period_id: nextId('observation_period'),
      person_id: personId,
      observation_period_start_date: COMPLETE_HISTORY.start,
      observation_period_end_date: COMPLETE_HISTORY.end,
      period_type_concept_id: EHR_TYPE_CONCEPT,
    })
  }
}

const SECTION_DICTIONARY = { medications: 'drugs', conditions: 'conditions', procedures: 'procedures', vaccinations: 'vaccines' } as const
const TEXT_FIELD = { medications: 'drug', conditions: 'concept', procedures: 'concept', vaccinations: 'vaccine' } as const

/**
 * The record as its OMOP rows hold it, for comparing the engine with the
 * query: what the rows cannot say is taken out as they lose it.
 *
 * - histories recorded for some domains and not others: none recorded (one
 *   observation period covers them all);
 * - an ambiguous name (MPA: mycophenolic acid or medroxyprogesterone) is an
 *   unmapped source value, so an unrecognised item whatever it could be; an
 *   unrecognised item's candidates (`possibly`) are dropped alike.
 */
export function heldByOmop(r: PatientRecord, dictionary: Dictionary): PatientRecord {
  if (!HISTORY_SECTIONS.every(s => Array.isArray(r[s])) && !HISTORY_SECTIONS.every(s => r[s] === undefined)) {
    const { medications: _m, conditions: _c, procedures: _p, vaccinations: _v, unrecognised: _u, ...rest } = r
    return rest
  }
  if (!HISTORY_SECTIONS.some(s => r[s]?.length || r.unrecognised?.[s]?.length)) return r
  const held: PatientRecord = { ...r, unrecognised: { ...r.unrecognised } }
  for (const section of HISTORY_SECTIONS) {
    const entries = r[section] as Array<Record<string, unknown>> | undefined
    if (!entries) continue
    const dict = SECTION_DICTIONARY[section]
    const field = TEXT_FIELD[section]
    const unmapped = entries.filter(e => {
      const text = String(e[field])
      return resolveEntry(dict, text, dictionary) === undefined && ambiguousCandidates(dict, text) !== undefined
    })
    const before = (r.unrecognised?.[section] ?? []).map(({ possibly: _p, ...u }) => u)
    if (unmapped.length === 0 && before.length === 0) continue
    ;(held as Record<string, unknown>)[section] = entries.filter(e => !unmapped.includes(e))
    held.unrecognised![section] = [
      ...before,
      ...unmapped.map(({ [field]: text, ...dates }) => ({ ...dates, text: String(text), reason: 'an ambiguous name, unmapped in OMOP' })),
    ]
  }
  return held
}
