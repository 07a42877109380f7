/**
 * A minimal OMOP vocabulary of our own: a `concept` row for each code the
 * rows we write use (a LOINC code, a UCUM unit), with local concept ids
 * (omop.ts LOCAL_CONCEPT_ID_START). Real warehouses have Athena's full
 * vocabulary; the SQL matches codes, not ids, so it reads either alike.
 */
import { LOCAL_CONCEPT_ID_START, type VOCABULARY } from './omop.ts'

export interface OmopConcept {
  concept_id: number
  concept_name: string
  domain_id: string
  vocabulary_id: string
  concept_class_id: string
  standard_concept: string | null
  concept_code: string
  valid_start_date: string
  valid_end_date: string
  invalid_reason: string | null
}

/** Domain and class of the concepts each vocabulary gives here (OHDSI Athena: LOINC "Lab Test", UCUM "Unit", RxNorm "Ingredient", CVX "CVX"). */
const KIND: Record<(typeof VOCABULARY)[keyof typeof VOCABULARY], { domain: string; conceptClass: string }> = {
  LOINC: { domain: 'Measurement', conceptClass: 'Lab Test' },
  UCUM: { domain: 'Unit', conceptClass: 'Unit' },
  SNOMED: { domain: 'Condition', conceptClass: 'Clinical Finding' },
  RxNorm: { domain: 'Drug', conceptClass: 'Ingredient' },
  CVX: { domain: 'Drug', conceptClass: 'CVX' },
  'LN Trial Rules': { domain: 'Observation', conceptClass: 'Local' },
}

/** OHDSI's open-ended validity (CDM v5.4 conventions: valid_end_date 2099-12-31 for a valid concept). */
const VALID = { valid_start_date: '1970-01-01', valid_end_date: '2099-12-31', invalid_reason: null }

export class LocalVocabulary {
  readonly #ids = new Map<string, OmopConcept>()

  /** The concept id of a code, given the next local id the first time it is asked for. */
  idOf(vocabulary: keyof typeof KIND, code: string, name = code, domain?: string): number {
    const key = `${vocabulary}\u0000${code}`
    let concept = this.#ids.get(key)
    if (!concept) {
      const kind = KIND[vocabulary]
      concept = {
        concept_id: LOCAL_CONCEPT_ID_START + this.#ids.size,
        concept_name: name,
        domain_id: domain ?? kind.domain,
        vocabulary_id: vocabulary,
        concept_class_id: kind.conceptClass,
        standard_concept: 'S',
        concept_code: code,
        ...VALID,
      }
      this.#ids.set(key, concept)
    }
    return concept.concept_id
  }

  /** The `concept_ancestor` rows: each concept its own ancestor (OMOP's self-links, levels 0), as a vocabulary without hierarchy has. */
  ancestors(): Array<{ ancestor_concept_id: number; descendant_concept_id: number; min_levels_of_separation: number; max_levels_of_separation: number }> {
    return [...this.#ids.values()].map(c => ({
      ancestor_concept_id: c.concept_id,
      descendant_concept_id: c.concept_id,
      min_levels_of_separation: 0,
      max_levels_of_separation: 0,
    }))
  }

  /** The `concept` rows of every code asked for, in the order first asked. */
  concepts(): OmopConcept[] {
    return [...this.#ids.values()]
  }
}
