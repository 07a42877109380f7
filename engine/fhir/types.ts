/** What a FHIR import produces: the patient record and an account of every resource. */
import type { PatientRecord } from '../types.ts'

/**
 * Why something in the bundle did not make it into the record (a closed
 * union; tests and the UI use the code, wording may change).
 */
export type UnmappedReason =
  /** The resource type has no place in the patient record (AllergyIntolerance, Encounter...). */
  | 'UNSUPPORTED_RESOURCE'
  /** No coding (LOINC, ATC, CVX, ICD-10...) or name matched the engine's dictionaries. */
  | 'UNKNOWN_CODE'
  /** The quantity's UCUM unit cannot be converted into the concept's unit. */
  | 'UNIT_NOT_CONVERTIBLE'
  /** The quantity carries no UCUM code (`system` http://unitsofmeasure.org with `code`): the unit is not guessed. */
  | 'UNIT_NOT_UCUM'
  /** No effective / onset / performed / occurrence date. */
  | 'MISSING_DATE'
  /** A date that is not a calendar day (`2025`, `2025-03`, free text). */
  | 'IMPRECISE_DATE'
  /** No value (or only a dataAbsentReason). */
  | 'MISSING_VALUE'
  /** A value the record cannot hold (a comparator such as `<`, a string, an unmapped gender...). */
  | 'UNSUPPORTED_VALUE'
  /** The status says it did not happen or is not to be trusted (entered-in-error, not-done, refuted...). */
  | 'EXCLUDED_STATUS'
  /** A reference (to a Medication) that the bundle does not contain. */
  | 'UNRESOLVED_REFERENCE'
  /** The resource is about another patient than the bundle's Patient. */
  | 'OTHER_PATIENT'
  /** A later value of the same item was kept. */
  | 'SUPERSEDED'
  /** The entry is not a resource at all. */
  | 'INVALID_ENTRY'
  /** A name that stands for more than one dictionary entry ("MPA": mycophenolic acid or medroxyprogesterone); kept as unrecognised with the candidates. */
  | 'AMBIGUOUS_NAME'
  /**
   * A code outside the dictionary whose words suggest none of its classes
   * (malignancy, infection, surgery...): taken as relevant to no criterion. Check it.
   */
  | 'OUTSIDE_DICTIONARY'

/** Something in the bundle that was not (or not entirely) imported. */
export interface UnmappedItem {
  resourceType: string
  /** `Resource.id`, when it has one. */
  id?: string
  /** Where in the bundle, e.g. `entry[4].resource.valueQuantity.code`. */
  path: string
  reason: UnmappedReason
  /** What and why, in plain words, with the offending value. */
  message: string
  /**
   * true: the resource was imported without this element (a condition without
   * its onset date); false: nothing of it was imported.
   */
  imported: boolean
  /**
   * Where the record keeps it although it is not recognised, e.g.
   * `unrecognised.medications[0]`: the criteria it could decide stay unknown
   * until a person reviews it.
   */
  kept?: string
}

/** A resource (or component) that was imported, and how. */
export interface MappedItem {
  resourceType: string
  id?: string
  path: string
  /** Where it went in the record, e.g. `measurements[0]`, `birth_date`. */
  target: string
  /**
   * `code`: a coding matched a dictionary code (LOINC, ATC, CVX, ICD-10, the
   * record code system); `name`: only a display or text matched a dictionary
   * name or synonym — check it; `field`: a plain FHIR field (birthDate, gender).
   */
  match: 'code' | 'name' | 'field'
  /** The coding or text that matched. */
  matched?: string
  /** Anything a reviewer should know (the converted value, a date taken from a period start...). */
  note?: string
}

export interface FhirImport {
  record: PatientRecord
  mapped: MappedItem[]
  unmapped: UnmappedItem[]
}
