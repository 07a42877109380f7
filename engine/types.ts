/**
 * The shapes of the protocol language, the patient record and the verdict.
 * This file holds the protocol document and example files; the logic of
 * criteria (types-logic.ts), the patient record (types-record.ts), the
 * diagnostics and verdict (types-results.ts) and the study part
 * (types-study.ts) have their own files, all re-exported here, so
 * `import ... from './types.ts'` reaches every shape.
 *
 * Together they are the contract between the YAML a trial designer writes, the
 * JSON Schemas in `engine/schema/` (which must accept exactly these shapes),
 * the compiler and the evaluator. Field names are snake_case because they are
 * what people type in YAML; TypeScript-only types are camelCase.
 */

import type { Arm, Endpoint, SubjectRecord, VisitDefinition } from './types-study.ts'
import type { PatientRecord } from './types-record.ts'
import type { Criterion } from './types-logic.ts'
export type * from './types-study.ts'
export { BILAG_SYSTEM_NAMES } from './types-study.ts'
export type * from './types-record.ts'
export { ACR_1997_ITEMS, HISTORY_SECTIONS, SLEDAI_2K_DESCRIPTORS } from './types-record.ts'
export type * from './types-results.ts'
export type * from './types-logic.ts'
export { ISN_RPS_CLASSES, ISN_RPS_ACTIVITIES, BIOPSY_FINDINGS } from './types-logic.ts'

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

/** An ISO 8601 calendar date, `YYYY-MM-DD`. Never a timestamp. */
export type IsoDate = string

// ---------------------------------------------------------------------------
// Protocol document (what `protocols/*.yaml` contains)
// ---------------------------------------------------------------------------

export interface ProtocolDocument {
  /** Points editors at the published schema; ignored by the engine. */
  $schema?: string
  protocol: ProtocolIdentity
  /** Named anchors that windows and ages are measured from. */
  reference_dates: Record<string, ReferenceDateDefinition>
  /** Named choices the protocol text leaves open; referenced as `{ param: name }`. */
  parameters?: Record<string, ParameterDefinition>
  /** Judgement calls an investigator answers yes/no; referenced by `attestation:` leaves. */
  attestations?: Record<string, AttestationDefinition>
  definitions?: Definitions
  criteria: Criterion[]
  arms?: Arm[]
  visits?: VisitDefinition[]
  endpoints?: Endpoint[]
}

export interface ProtocolIdentity {
  /** Registry identifier, e.g. a ClinicalTrials.gov NCT number. */
  registry_id: string
  title: string
  /** Version of this encoding (semver-like string), not of the registry record. */
  version: string
  sponsor: string
  phase: string
  target_enrollment: number
  /** Sexes eligible as stated by the registry: `all`, `female` or `male`. */
  sex?: 'all' | 'female' | 'male'
  /** Where the encoded text comes from (URL or registry record name). */
  source?: string
  /** Who is kept unaware of the allocation; absent is read as `not_stated`. */
  masking?: Masking
}

/**
 * The trial's masking as its registry record or publication states it.
 * `not_stated` (or no `masking` at all) is handled as blinded: showing
 * per-arm results of a blinded trial cannot be undone, hiding them from an
 * open-label trial's team only costs an unblinded token.
 */
export type MaskingValue = 'open_label' | 'single_blind' | 'double_blind' | 'not_stated'

export interface Masking {
  value: MaskingValue
  /** Where the masking is stated (publication, registry field), or why it is not. */
  source: string
}

export interface ReferenceDateDefinition {
  label: string
  description?: string
}

export type ParameterValue = number | string | boolean

export interface ParameterDefinition {
  value: ParameterValue
  /** Allowed values, when the choice is between named options. */
  options?: ParameterValue[]
  /** What the protocol text says and why this value was chosen. */
  rationale: string
  /**
   * The registry text does not settle this at all (an unstated cycle count, an
   * undefined "abnormal"): the linter reports it until the sponsor confirms.
   */
  open?: boolean
}

/** Use a protocol parameter where a literal would go. */
export interface ParamRef {
  param: string
}

export type NumberOrParam = number | ParamRef
export type StringOrParam = string | ParamRef

export interface AttestationDefinition {
  /** The yes/no question put to the investigator. */
  question: string
}

/**
 * Reusable named selections. Each refers to entries of the engine's
 * dictionaries (`engine/dictionary/*.json`) by id or class.
 */
export interface Definitions {
  drugs?: Record<string, SetDefinition>
  vaccines?: Record<string, SetDefinition>
  conditions?: Record<string, SetDefinition>
  procedures?: Record<string, SetDefinition>
  /** Lab concepts the engine's dictionary lacks, added for this protocol only. */
  lab_concepts?: Record<string, LabConceptDefinition>
}

/** A protocol-local lab concept (same fields as a dictionary lab concept, minus the id). */
export interface LabConceptDefinition {
  name: string
  loinc?: string[]
  /** Canonical UCUM unit. */
  unit: string
  kind?: 'quantity' | 'score'
  molar_mass_g_per_mol?: number
  denominator_molar_mass_g_per_mol?: number
  source: string
}

/** What counts as an unstable dose in a `medication` leaf with a dose event. */
export type MedicationEvent = 'exposure' | 'dose_change' | 'start_stop_or_dose_change'

/**
 * A selection of dictionary entries: everything in `classes` plus `items`,
 * minus `except`. Used both as a named definition and inline in a leaf.
 */
export interface SetDefinition {
  /** Plain-words name shown in explanations ("B cell depletion therapy"). */
  label?: string
  classes?: string[]
  items?: string[]
  except?: ExceptRule[]
}

/**
 * An exception. A string is a dictionary class or item id. The object form
 * narrows the exception to records with the given outcome, e.g. basal cell
 * carcinoma only when `excised` or `cured`.
 */
export type ExceptRule =
  | string
  | {
      classes?: string[]
      items?: string[]
      /** Exception applies only when the record's outcome is one of these. */
      outcome?: string[]
    }

// ---------------------------------------------------------------------------
// Example patients (the protocol's own tests), `protocols/<id>.examples.yaml`
// ---------------------------------------------------------------------------

export interface ExamplesDocument {
  $schema?: string
  /** `registry_id` of the protocol these examples test. */
  protocol: string
  /** Record every example starts from. */
  base_patient: PatientRecord
  examples: ExamplePatient[]
  /** Subject every follow-up example starts from (endpoints). */
  base_subject?: SubjectRecord
  subjects?: ExampleSubject[]
}

/** A subject with follow-up and the endpoint results worked out by hand; `null` means unknown / no event. */
export interface ExampleSubject {
  id: string
  description: string
  arm: string
  /** JSON Merge Patch applied to `base_subject`. */
  record: Record<string, unknown>
  expect: {
    responses?: Record<string, Record<string, Truth>>
    classifications?: Record<string, Record<string, string>>
    /** A number: exact days; `{ after, by }`: interval-censored (TimeToEventResult.interval); null: no event or unknown. */
    time_to_event?: Record<string, number | null | { after: number; by: number }>
    changes?: Record<string, Record<string, number | null>>
    responder_index?: Record<string, Record<string, boolean | null>>
    safety?: Record<string, boolean | null>
  }
}

export type Truth = 'met' | 'not_met' | 'unknown'
export type Overall = 'eligible' | 'ineligible' | 'undetermined'

export interface ExamplePatient {
  id: string
  description: string
  /** JSON Merge Patch (RFC 7386) applied to `base_patient`: objects merge, arrays replace, null deletes. */
  patch?: Record<string, unknown>
  expect: {
    overall: Overall
    /** Expected truth of the named criteria; criteria not named are not checked. */
    criteria?: Record<string, Truth>
  }
}
