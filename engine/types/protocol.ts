/**
 * The protocol document (what `protocols/*.yaml` contains) and the parts of
 * it that are neither logic (logic.ts) nor study design (study.ts).
 */
import type { Criterion, SetDefinition } from './logic.ts'
import type { Arm, Endpoint, VisitDefinition } from './study.ts'
import type { ParameterValue } from './values.ts'

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
