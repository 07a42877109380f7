/**
 * Patient records as the OMOP CDM rows the SQL backend reads (omop.ts):
 * person, the yes/no items as observations, measurements with their LOINC
 * and UCUM concepts, the event history (omop-event-rows.ts), the reference
 * dates, and the minimal vocabulary those concepts come from
 * (omop-vocabulary.ts). For loading engine records into
 * an OMOP database, and for the test that holds the SQL verdicts to the
 * engine's on the same patients. Only what the SQL backend expresses is
 * written; a value the record does not hold (or holds as an invalid date)
 * is written as not recorded.
 */
import { ACR_1997 } from '../record-catalogue.ts'
import { parseIsoDate } from '../calculators/dates.ts'
import { isValidUnit } from '../calculators/units.ts'
import { defaultDictionary, resolveLabConcept, type Dictionary, type LabConcept } from '../dictionary/index.ts'
import type { Measurement, PatientRecord } from '../types.ts'
import { ANSWER_CONCEPT, BLACK_RACE_CONCEPT, EHR_TYPE_CONCEPT, GENDER_CONCEPT, REFERENCE_DATE_TABLE } from './omop.ts'
import { LocalVocabulary, type OmopConcept } from './omop-vocabulary.ts'
import { loincCodesOf } from './measurement-sql.ts'
import { addEventRows, type OmopEventRows } from './omop-event-rows.ts'

/** OMOP Race vocabulary (OHDSI Athena): "White" 8527, written for a record saying the patient is not Black (the record says no more). */
const NOT_BLACK_RACE_CONCEPT = 8527

export interface OmopPerson {
  person_id: number
  gender_concept_id: number
  /** 0 when the record has no valid birth date (the CDM requires a year; month and day stay NULL, so the age stays unknown). */
  year_of_birth: number
  month_of_birth: number | null
  day_of_birth: number | null
  race_concept_id: number
  ethnicity_concept_id: number
  person_source_value: string | null
}

export interface OmopObservation {
  person_id: number
  observation_concept_id: number
  observation_date: string
  observation_type_concept_id: number
  value_as_concept_id: number
  observation_source_value: string
}

export interface OmopMeasurement {
  measurement_id: number
  person_id: number
  measurement_concept_id: number
  measurement_date: string
  measurement_type_concept_id: number
  value_as_number: number
  unit_concept_id: number
  range_low: number | null
  range_high: number | null
  measurement_source_value: string | null
  unit_source_value: string
}

/** Every table's rows, ids numbered from 1 in record order. */
export interface OmopTables extends OmopEventRows {
  person: OmopPerson[]
  observation: Array<OmopObservation & { observation_id: number }>
  measurement: OmopMeasurement[]
  [REFERENCE_DATE_TABLE]: Array<{ person_id: number; name: string; date: string }>
  concept: OmopConcept[]
  concept_ancestor: ReturnType<LocalVocabulary['ancestors']>
}

const validDate = (iso: unknown): iso is string => typeof iso === 'string' && parseIsoDate(iso) !== undefined

/** The yes/no items of a record, by their key (the observation_source_value the SQL reads). */
function yesNoItems(p: PatientRecord): Array<[string, unknown]> {
  return [
    ...Object.entries(p.attestations ?? {}).map(([name, v]): [string, unknown] => [`attestations.${name}`, v]),
    ...ACR_1997.map(({ id }): [string, unknown] => [`acr_1997.${id}`, p.acr_1997?.[id]]),
    ['reproductive.lactating', p.reproductive?.lactating],
    ['reproductive.childbearing_potential', p.reproductive?.childbearing_potential],
    ['reproductive.contraception_agreed', p.reproductive?.contraception_agreed],
    ['informed_consent.signed', p.informed_consent?.signed],
  ]
}

/** Every table empty. */
const emptyTables = (): OmopTables => ({
  person: [],
  observation_period: [],
  observation: [],
  measurement: [],
  condition_occurrence: [],
  procedure_occurrence: [],
  drug_exposure: [],
  [REFERENCE_DATE_TABLE]: [],
  concept: [],
  concept_ancestor: [],
})

export interface OmopWriterOptions {
  /** The date yes/no answers are recorded on when a record has no screening date (the record keeps none). */
  observedOn?: string
  /** The dictionaries entries and lab concepts are matched in (a protocol's dictionary; default the engine's). */
  dictionary?: Dictionary
}

/**
 * Records to OMOP rows a batch at a time, for files of any size: person ids
 * and every table's row ids go on from one batch to the next, and the
 * concepts the rows use are given at the end ({@link vocabulary}).
 */
export class OmopWriter {
  readonly #vocabulary = new LocalVocabulary()
  readonly #dictionary: Dictionary
  readonly #observedOn: string
  readonly #next = new Map<string, number>()
  #persons = 0

  constructor(options: OmopWriterOptions = {}) {
    this.#dictionary = options.dictionary ?? defaultDictionary
    this.#observedOn = options.observedOn ?? '2026-01-01'
  }

  /** The next row id of a table, from 1. */
  readonly nextId = (table: string): number => {
    const id = (this.#next.get(table) ?? 0) + 1
    this.#next.set(table, id)
    return id
  }

  /** These records' rows (concept and concept_ancestor stay empty: see vocabulary). */
  rows(records: Iterable<PatientRecord>): OmopTables {
    const tables = emptyTables()
    for (const p of records) this.#add(tables, p, ++this.#persons)
    return tables
  }

  /** The concept and ancestry rows of every code the rows so far use. */
  vocabulary(): Pick<OmopTables, 'concept' | 'concept_ancestor'> {
    return { concept: this.#vocabulary.concepts(), concept_ancestor: this.#vocabulary.ancestors() }
  }

  #add(tables: OmopTables, p: PatientRecord, personId: number): void {
    const birth = validDate(p.birth_date) ? p.birth_date.split('-').map(Number) : undefined
    const on = validDate(p.dates?.screening) ? p.dates!.screening! : this.#observedOn
    tables.person.push({
      person_id: personId,
      gender_concept_id: p.sex === 'female' ? GENDER_CONCEPT.female : p.sex === 'male' ? GENDER_CONCEPT.male : 0,
      year_of_birth: birth?.[0] ?? 0,
      month_of_birth: birth?.[1] ?? null,
      day_of_birth: birth?.[2] ?? null,
      race_concept_id: p.black_race === true ? BLACK_RACE_CONCEPT : p.black_race === false ? NOT_BLACK_RACE_CONCEPT : 0,
      ethnicity_concept_id: 0,
      person_source_value: p.id ?? null,
    })
    for (const [key, answer] of yesNoItems(p)) {
      if (typeof answer !== 'boolean') continue
      tables.observation.push({
        observation_id: this.nextId('observation'),
        person_id: personId,
        observation_concept_id: 0,
        observation_date: on,
        observation_type_concept_id: EHR_TYPE_CONCEPT,
        value_as_concept_id: answer ? ANSWER_CONCEPT.yes : ANSWER_CONCEPT.no,
        observation_source_value: key,
      })
    }
    for (const m of p.measurements ?? []) {
      const row = measurementRow(m, personId, this.#vocabulary, this.#dictionary)
      if (row) tables.measurement.push({ measurement_id: this.nextId('measurement'), ...row })
    }
    addEventRows(tables, p, personId, { vocabulary: this.#vocabulary, dictionary: this.#dictionary, nextId: this.nextId })
    for (const [name, date] of Object.entries(p.dates ?? {})) if (validDate(date)) tables[REFERENCE_DATE_TABLE].push({ person_id: personId, name, date })
  }
}

/**
 * The records as OMOP tables, with the vocabulary they use: person_id is the record's position from 1.
 *
 * @example omopTablesOf(records, { dictionary: compiled.dictionary }).measurement
 */
export function omopTablesOf(records: readonly PatientRecord[], options: OmopWriterOptions = {}): OmopTables {
  const writer = new OmopWriter(options)
  return { ...writer.rows(records), ...writer.vocabulary() }
}

/**
 * A recorded measurement as a row: its concept as a LOINC code the SQL reads back as the same lab concept (the
 * record's own code when it does), its unit as a UCUM concept (an invalid unit: none, kept as the source value).
 * An entry the engine skips (no lab concept, no date, no number) is not written.
 */
function measurementRow(
  m: Measurement,
  personId: number,
  vocabulary: LocalVocabulary,
  dictionary: Dictionary,
): Omit<OmopMeasurement, 'measurement_id'> | undefined {
  const concept = resolveLabConcept(m.concept ?? m.loinc ?? '', dictionary)
  if (!concept || !validDate(m.date) || typeof m.value !== 'number' || !Number.isFinite(m.value)) return undefined
  const code = codeFor(concept, m.loinc, dictionary)
  return {
    person_id: personId,
    measurement_concept_id: code === undefined ? 0 : vocabulary.idOf('LOINC', code, concept.name),
    measurement_date: m.date,
    measurement_type_concept_id: EHR_TYPE_CONCEPT,
    value_as_number: m.value,
    unit_concept_id: isValidUnit(m.unit) ? vocabulary.idOf('UCUM', m.unit) : 0,
    range_low: m.reference_range?.low ?? null,
    range_high: m.reference_range?.high ?? null,
    measurement_source_value: m.loinc ?? m.concept ?? null,
    unit_source_value: m.unit,
  }
}

/** The LOINC code to write for a lab concept: the record's, else the concept's first code that reads back as it. */
function codeFor(concept: LabConcept, recorded: string | undefined, dictionary: Dictionary): string | undefined {
  const codes = loincCodesOf(dictionary)
  if (recorded !== undefined && codes.get(recorded) === concept.id) return recorded
  return concept.loinc.find(code => codes.get(code) === concept.id)
}
