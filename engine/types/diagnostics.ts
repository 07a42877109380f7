/**
 * Located diagnostics: what the engine reports about a document or a
 * record, with the file, line, column and path it concerns.
 */

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
