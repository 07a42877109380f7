/**
 * How the engine's patient record sits on the OMOP CDM v5.4 tables the SQL
 * backend reads (compile-sql.ts), and the concept ids it compares with, each
 * with its source. What OMOP has no table for (a protocol's reference dates)
 * is a table of ours beside the CDM's, named `ln_*`.
 */

/** OMOP Gender vocabulary (OHDSI Athena, vocabulary "Gender"): FEMALE 8532, MALE 8507. */
export const GENDER_CONCEPT = { female: 8532, male: 8507 } as const

/** OMOP Race vocabulary (OHDSI Athena, vocabulary "Race"): "Black or African American" 8516; 0 is "No matching concept" (unknown). */
export const BLACK_RACE_CONCEPT = 8516

/**
 * Answers to a yes/no question in `observation.value_as_concept_id`
 * (OHDSI Athena, SNOMED CT answers: Yes 4188539 = 373066001, No 4188540 = 373067005).
 */
export const ANSWER_CONCEPT = { yes: 4188539, no: 4188540 } as const

/**
 * A recorded yes/no item (an investigator attestation, an ACR 1997
 * criterion, lactating...) is an `observation` row whose
 * `observation_source_value` is the item's key in the patient record
 * (`attestations.<name>`, `acr_1997.<id>`, `reproductive.lactating`...),
 * answered by `value_as_concept_id`; the latest row per person and key
 * counts, as the record holds one answer. No row: not answered (unknown).
 */

/**
 * The protocol's reference dates per person (`dates.<name>` in the record:
 * consent, screening, randomization...), which the CDM has no place for:
 * `ln_reference_date(person_id BIGINT, name VARCHAR, date DATE)`.
 */
export const REFERENCE_DATE_TABLE = 'ln_reference_date'

/** The CDM tables (and ours) the SQL reads, with the columns it needs: what a test or a loader creates. */
export const OMOP_DDL = [
  'CREATE TABLE person (person_id BIGINT PRIMARY KEY, gender_concept_id INTEGER NOT NULL, year_of_birth INTEGER NOT NULL, month_of_birth INTEGER, day_of_birth INTEGER, birth_datetime TIMESTAMP, race_concept_id INTEGER NOT NULL, ethnicity_concept_id INTEGER NOT NULL, person_source_value VARCHAR)',
  'CREATE TABLE observation_period (observation_period_id BIGINT PRIMARY KEY, person_id BIGINT NOT NULL, observation_period_start_date DATE NOT NULL, observation_period_end_date DATE NOT NULL, period_type_concept_id INTEGER NOT NULL)',
  'CREATE TABLE observation (observation_id BIGINT PRIMARY KEY, person_id BIGINT NOT NULL, observation_concept_id INTEGER NOT NULL, observation_date DATE NOT NULL, observation_type_concept_id INTEGER NOT NULL, value_as_concept_id INTEGER, observation_source_value VARCHAR)',
  `CREATE TABLE ${REFERENCE_DATE_TABLE} (person_id BIGINT NOT NULL, name VARCHAR NOT NULL, date DATE NOT NULL, PRIMARY KEY (person_id, name))`,
] as const

/** Type concept of rows written from an EHR record (OHDSI Athena, Type Concept "EHR" 32817). */
export const EHR_TYPE_CONCEPT = 32817
