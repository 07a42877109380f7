/**
 * What a fact hands to an operator: the data found, or why there is none.
 *
 * json-rules-engine would pass `undefined` for a missing value and `notEqual`
 * would then pass. We never let that happen: every fact returns Evidence, and
 * every operator first asks whether the evidence is known (see operators.ts).
 */
import type { MissingData } from '../types.ts'

/** A numeric value, or bounds on it when part of it is unknown (a SLEDAI-2K score with unrecorded descriptors). */
export type NumericValue = number | { min: number; max: number }

/** Age at a reference date: completed years and days since the last birthday. */
export interface AgeValue {
  years: number
  days: number
}

/** One patient-record entry that matched (or may match) an event leaf. */
export interface EventMatch {
  /** Index in the record section, e.g. `medications[2]`. */
  source: string
  /** Plain-words description ("rituximab 2026-01-03 to 2026-01-17"). */
  summary: string
  /** Why the match is only possible, when it is. */
  doubt?: string
  /** The entry is an unrecognised item to review, not a recorded one (see MissingData.review). */
  review?: boolean
}

export interface EventValue {
  definite: EventMatch[]
  possible: EventMatch[]
}

export type EvidenceValue = NumericValue | AgeValue | EventValue | boolean | string

export interface KnownEvidence<T extends EvidenceValue = EvidenceValue> {
  known: true
  value: T
  /** What was found, for the explanation ("1.4 g/g on 2026-01-10, entered as 158 mg/mmol"). */
  detail: string
  /**
   * What would narrow a value known only as bounds to one value (whether the
   * patient is Black, for an eGFR by an equation with a race coefficient):
   * listed as missing data when a comparison on the bounds stays undecided.
   */
  missing?: MissingData[]
}

export interface UnknownEvidence {
  known: false
  /** Why the value is unknown. */
  detail: string
  missing: MissingData[]
}

export type Evidence<T extends EvidenceValue = EvidenceValue> = KnownEvidence<T> | UnknownEvidence

export function known<T extends EvidenceValue>(value: T, detail: string, missing?: MissingData[]): KnownEvidence<T> {
  return missing && missing.length > 0 ? { known: true, value, detail, missing } : { known: true, value, detail }
}

export function unknown(detail: string, missing: MissingData[]): UnknownEvidence {
  return { known: false, detail, missing }
}

export function isEvidence(x: unknown): x is Evidence {
  return typeof x === 'object' && x !== null && 'known' in x && 'detail' in x
}
