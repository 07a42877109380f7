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

/**
 * Vocabularies the SQL matches codes in, by `concept.vocabulary_id`
 * (OHDSI Athena vocabulary ids): a measurement's concept by its LOINC code,
 * its unit by its UCUM code. Codes, not concept ids, are matched, so the
 * query reads any site's vocabulary load as it is. A dictionary entry with
 * no standard code has a code of our own (`local`), which no site has: its
 * rows stay unrecognised there (unknown), never silently absent.
 */
export const VOCABULARY = { loinc: 'LOINC', ucum: 'UCUM', snomed: 'SNOMED', rxnorm: 'RxNorm', cvx: 'CVX', local: 'LN Trial Rules' } as const

/**
 * The first concept id a writer of our own gives (to-omop and the tests'
 * minimal vocabulary): OMOP leaves ids above 2 000 000 000 to local concepts
 * (OHDSI CDM v5.4 conventions, "Custom concepts").
 */
export const LOCAL_CONCEPT_ID_START = 2_000_000_001

/**
 * A measurement (`measurement` row) counts when its concept is a LOINC code
 * of a dictionary lab concept and it has a `value_as_number`; its unit is
 * the UCUM code of `unit_concept_id` (none: the value cannot be converted);
 * `range_high` is the lab's upper limit of normal. Rows of one day are told
 * apart by `measurement_id`, in the order the record lists them.
 */

/**
 * An event (a condition, procedure, drug or vaccine) is a row of
 * `condition_occurrence`, `procedure_occurrence` or `drug_exposure`
 * (vaccines are drugs in OMOP, by their CVX codes) whose concept is a
 * dictionary entry's code or a descendant of it (`concept_ancestor`). A row
 * under no entry of its table's dictionaries is unrecognised: it may be
 * anything, so it leaves a leaf unknown unless another row decides it. A
 * drug given by a route that is not systemic (routes.ts, by its SNOMED
 * route code) is not exposure. The CDM requires start dates; a row without
 * one is read as its dates unknown. An end date is read as recorded; an
 * ongoing condition or drug ends with the observation period (the OMOP ETL
 * convention), and a missing end is unknown.
 *
 * Absence: with no row that is or may be in the selection, a leaf is not
 * met when its window lies inside one of the person's observation periods,
 * unknown otherwise. A window that cannot be placed (no reference date) is
 * decided by any observation period, as the engine decides a recorded
 * section with no entry that could be in the selection (events.ts).
 */
export const EVENT_TABLES = ['condition_occurrence', 'procedure_occurrence', 'drug_exposure'] as const

/** The CDM tables (and ours) the SQL reads, with the columns it needs: what a test or a loader creates. */
export const OMOP_DDL = [
  'CREATE TABLE person (person_id BIGINT PRIMARY KEY, gender_concept_id INTEGER NOT NULL, year_of_birth INTEGER NOT NULL, month_of_birth INTEGER, day_of_birth INTEGER, birth_datetime TIMESTAMP, race_concept_id INTEGER NOT NULL, ethnicity_concept_id INTEGER NOT NULL, person_source_value VARCHAR)',
  'CREATE TABLE observation_period (observation_period_id BIGINT PRIMARY KEY, person_id BIGINT NOT NULL, observation_period_start_date DATE NOT NULL, observation_period_end_date DATE NOT NULL, period_type_concept_id INTEGER NOT NULL)',
  'CREATE TABLE observation (observation_id BIGINT PRIMARY KEY, person_id BIGINT NOT NULL, observation_concept_id INTEGER NOT NULL, observation_date DATE NOT NULL, observation_type_concept_id INTEGER NOT NULL, value_as_concept_id INTEGER, observation_source_value VARCHAR)',
  'CREATE TABLE measurement (measurement_id BIGINT PRIMARY KEY, person_id BIGINT NOT NULL, measurement_concept_id INTEGER NOT NULL, measurement_date DATE NOT NULL, measurement_type_concept_id INTEGER NOT NULL, value_as_number DOUBLE PRECISION, unit_concept_id INTEGER, range_low DOUBLE PRECISION, range_high DOUBLE PRECISION, measurement_source_value VARCHAR, unit_source_value VARCHAR)',
  'CREATE TABLE concept (concept_id INTEGER PRIMARY KEY, concept_name VARCHAR NOT NULL, domain_id VARCHAR NOT NULL, vocabulary_id VARCHAR NOT NULL, concept_class_id VARCHAR NOT NULL, standard_concept VARCHAR, concept_code VARCHAR NOT NULL, valid_start_date DATE NOT NULL, valid_end_date DATE NOT NULL, invalid_reason VARCHAR)',
  'CREATE TABLE condition_occurrence (condition_occurrence_id BIGINT PRIMARY KEY, person_id BIGINT NOT NULL, condition_concept_id INTEGER NOT NULL, condition_start_date DATE, condition_end_date DATE, condition_type_concept_id INTEGER NOT NULL, condition_source_value VARCHAR)',
  'CREATE TABLE procedure_occurrence (procedure_occurrence_id BIGINT PRIMARY KEY, person_id BIGINT NOT NULL, procedure_concept_id INTEGER NOT NULL, procedure_date DATE, procedure_type_concept_id INTEGER NOT NULL, procedure_source_value VARCHAR)',
  'CREATE TABLE drug_exposure (drug_exposure_id BIGINT PRIMARY KEY, person_id BIGINT NOT NULL, drug_concept_id INTEGER NOT NULL, drug_exposure_start_date DATE, drug_exposure_end_date DATE, drug_type_concept_id INTEGER NOT NULL, route_concept_id INTEGER, drug_source_value VARCHAR, route_source_value VARCHAR)',
  'CREATE TABLE concept_ancestor (ancestor_concept_id INTEGER NOT NULL, descendant_concept_id INTEGER NOT NULL, min_levels_of_separation INTEGER NOT NULL, max_levels_of_separation INTEGER NOT NULL)',
  `CREATE TABLE ${REFERENCE_DATE_TABLE} (person_id BIGINT NOT NULL, name VARCHAR NOT NULL, date DATE NOT NULL, PRIMARY KEY (person_id, name))`,
] as const

/** Type concept of rows written from an EHR record (OHDSI Athena, Type Concept "EHR" 32817). */
export const EHR_TYPE_CONCEPT = 32817
