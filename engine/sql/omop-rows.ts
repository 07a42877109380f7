/**
 * A patient record as the OMOP CDM rows the SQL backend reads (omop.ts):
 * person, the yes/no items as observations, the reference dates. For loading
 * engine records into an OMOP database, and for the test that holds the SQL
 * verdicts to the engine's on the same patients. Only what the SQL backend
 * expresses is written; a value the record does not hold (or holds as an
 * invalid date) is written as not recorded.
 */
import { ACR_1997 } from '../record-catalogue.ts'
import { parseIsoDate } from '../calculators/dates.ts'
import type { PatientRecord } from '../types.ts'
import { ANSWER_CONCEPT, BLACK_RACE_CONCEPT, EHR_TYPE_CONCEPT, GENDER_CONCEPT } from './omop.ts'

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

export interface OmopRows {
  person: OmopPerson
  observation: OmopObservation[]
  referenceDates: Array<{ person_id: number; name: string; date: string }>
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

/**
 * @param observedOn the date the yes/no answers are recorded on (the record keeps none): its screening date, else this
 */
export function omopRowsOf(p: PatientRecord, personId: number, observedOn = '2026-01-01'): OmopRows {
  const birth = validDate(p.birth_date) ? p.birth_date.split('-').map(Number) : undefined
  const on = validDate(p.dates?.screening) ? p.dates!.screening! : observedOn
  return {
    person: {
      person_id: personId,
      gender_concept_id: p.sex === 'female' ? GENDER_CONCEPT.female : p.sex === 'male' ? GENDER_CONCEPT.male : 0,
      year_of_birth: birth?.[0] ?? 0,
      month_of_birth: birth?.[1] ?? null,
      day_of_birth: birth?.[2] ?? null,
      race_concept_id: p.black_race === true ? BLACK_RACE_CONCEPT : p.black_race === false ? NOT_BLACK_RACE_CONCEPT : 0,
      ethnicity_concept_id: 0,
      person_source_value: p.id ?? null,
    },
    observation: yesNoItems(p)
      .filter((item): item is [string, boolean] => typeof item[1] === 'boolean')
      .map(([key, answer]) => ({
        person_id: personId,
        observation_concept_id: 0,
        observation_date: on,
        observation_type_concept_id: EHR_TYPE_CONCEPT,
        value_as_concept_id: answer ? ANSWER_CONCEPT.yes : ANSWER_CONCEPT.no,
        observation_source_value: key,
      })),
    referenceDates: Object.entries(p.dates ?? {})
      .filter(([, date]) => validDate(date))
      .map(([name, date]) => ({ person_id: personId, name, date: date as string })),
  }
}
