/**
 * What the engine answers: located diagnostics for documents and records,
 * and the verdict of an evaluation with its explanations. Re-exported by
 * types.ts.
 */
import type { CriterionKind, Overall, Truth } from './types.ts'

// ---------------------------------------------------------------------------
// Diagnostics (located errors and warnings)
// ---------------------------------------------------------------------------

export type DiagnosticCode =
  | 'E_YAML_SYNTAX'
  | 'E_JSON_SYNTAX'
  | 'E_YAML_DUPLICATE_KEY'
  | 'E_YAML_LIMIT'
  | 'E_SCHEMA_TYPE'
  | 'E_SCHEMA_REQUIRED'
  | 'E_SCHEMA_ADDITIONAL'
  | 'E_SCHEMA_ENUM'
  | 'E_SCHEMA_FORMAT'
  | 'E_SCHEMA_RANGE'
  | 'E_SCHEMA_SHAPE'
  | 'E_IMPLAUSIBLE_VALUE'
  | 'E_FHIR_VERSION'
  | 'E_UNKNOWN_FACT'
  | 'E_UNKNOWN_OPERATOR'
  | 'E_UNKNOWN_CONCEPT'
  | 'E_UNKNOWN_DEFINITION'
  | 'E_UNKNOWN_DICTIONARY_ENTRY'
  | 'E_UNKNOWN_REFERENCE_DATE'
  | 'E_UNKNOWN_PARAMETER'
  | 'E_UNKNOWN_ATTESTATION'
  | 'E_UNIT_INCONVERTIBLE'
  | 'E_PARAMETER_VALUE'
  | 'E_DUPLICATE_ID'
  /** The server's: a new protocol (or version) whose title is already another stored protocol's. */
  | 'E_DUPLICATE_TITLE'
  | 'E_EXAMPLE_UNKNOWN_CRITERION'
  | 'E_EXAMPLE_PROTOCOL_MISMATCH'
  | 'W_UNRECOGNISED_ENTRY'
  | 'W_OPEN_PARAMETER'
  | 'W_VISIT_NOT_SCHEDULED'
  | 'W_SCHEDULE_GAP'
  | 'W_MIXED_REFERENCE_DATES'
  | 'W_THRESHOLD_WITHOUT_UNIT'
  | 'W_STALE_NUMBER'
  | 'E_UNKNOWN_VISIT'
  | 'E_UNKNOWN_ENDPOINT'
  | 'E_UNKNOWN_ARM'
  | 'E_DOSE_DATE'
  | 'E_DOSE_AMOUNT'
  | 'E_DOSE_FREQUENCY'
  | 'E_DOSE_AMBIGUOUS'
  | 'E_DOSE_NOTHING_TO_STOP'
  | 'E_DOSE_SAME_DAY'

export type Severity = 'error' | 'warning'

export interface Diagnostic {
  code: DiagnosticCode
  severity: Severity
  /** Human message: what was expected, what was found. */
  message: string
  /** File name as given by the caller (for `file:line:col`). */
  file?: string
  /** 1-based line and column of the offending node; absent when unknown. */
  line?: number
  column?: number
  /** End of the offending node's range (1-based), for editor squiggles. */
  endLine?: number
  endColumn?: number
  /** Path inside the document, e.g. `criteria[3].logic.any[0].measurement.unit`. */
  path: string
  expected?: string
  found?: string
}

// ---------------------------------------------------------------------------
// Evaluation results
// ---------------------------------------------------------------------------

/** A piece of data the evaluation needed but did not have. */
export interface MissingData {
  /** Stable key, e.g. `measurement:urine_protein_creatinine_ratio` or `dates.randomization`. */
  key: string
  /** What to enter, in plain words. */
  description: string
  /**
   * true: not data to enter but an item the record's source could not
   * recognise (`unrecognised.medications[0]`), which a person has to review.
   */
  review?: boolean
}

/** How one clause of a criterion came out, with the data it used. */
export interface Explanation {
  /** Path of the clause within the criterion's logic, e.g. `logic.any[1]`. */
  path: string
  kind: 'all' | 'any' | 'not' | 'at_least' | 'either' | 'leaf'
  truth: Truth
  /** Plain-words statement of the clause ("urine protein/creatinine ratio > 1.0 g/g"). */
  label: string
  /** For leaves: what was found ("1.4 g/g on 2026-01-10"), or why it is unknown. */
  detail?: string
  missing?: MissingData[]
  children?: Explanation[]
}

export interface CriterionResult {
  id: string
  kind: CriterionKind
  title?: string
  text: string
  /**
   * Whether the criterion holds as a whole, its "if" included: an inclusion
   * that does not apply is met, an exclusion that does not apply is not met.
   * The logic's own truth is `explanation.truth`.
   */
  truth: Truth
  /** Whether the criterion applies to this patient (`applies_if`). */
  applicable: Truth
  /** What it means for eligibility: inclusion must be met, exclusion must not be. */
  outcome: 'pass' | 'fail' | 'unknown'
  /** One-line reason for the table. */
  reason: string
  explanation: Explanation
  applicability?: Explanation
  missing: MissingData[]
}

export interface Verdict {
  protocol: { registry_id: string; version: string }
  patient_id?: string
  overall: Overall
  /** Criteria that make the patient ineligible. */
  failing: string[]
  /** Criteria still undecided. */
  undecided: string[]
  /** Data still needed to decide the undecided criteria (deduplicated). */
  missing: MissingData[]
  criteria: CriterionResult[]
  /** Problems with the patient record that did not stop evaluation (unrecognised drug names...). */
  warnings: string[]
}
