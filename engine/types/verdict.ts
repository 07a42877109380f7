/**
 * What an evaluation answers: each criterion's truth with its explanation
 * and the data still needed, and the overall verdict.
 */
import type { CriterionKind } from './logic.ts'

export type Truth = 'met' | 'not_met' | 'unknown'
export type Overall = 'eligible' | 'ineligible' | 'undetermined'

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
