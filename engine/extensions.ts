/**
 * Extension points: what a developer adds for another trial without
 * touching the engine. Passed to `loadProtocol` (so validation knows the
 * names) and `compileProtocol` (so evaluation uses them); dictionaries are
 * extended through the `dictionary` option of both (see dictionary/).
 *
 * Missing data stays unknown: a custom fact that reads `undefined`, or a
 * calculator that returns nothing in the window, leaves the clause unknown
 * before any operator runs.
 */
import type { IsoDate, PatientRecord } from './types.ts'

/** A value read from the record for `fact:` leaves; `undefined` when the record does not say. */
export type FactValue = boolean | number | string

/** A named record fact beside the built-in catalogue (`FACT_CATALOGUE`). */
export interface CustomFact {
  /** Plain words, used in explanations and "still needed" lists. */
  description: string
  read: (patient: PatientRecord) => FactValue | undefined
}

/**
 * A comparison for `fact:` leaves (`{ fact: site, op: one_of, value: [BJ, SH] }`),
 * run only on a known value: it answers true or false.
 */
export interface CustomOperator {
  /** Plain words between the fact and the value, e.g. "is one of". */
  words: string
  test: (value: FactValue, compareTo: unknown) => boolean
}

/** A value a calculator derived for a lab concept, in a UCUM unit the concept converts from. */
export interface CalculatedValue {
  date: IsoDate
  value: number
  unit: string
  /** How it was obtained, shown in explanations ("computed from …"). */
  entered: string
}

/** Values of a lab concept computed from other record data, used beside (never instead of) reported ones. */
export interface LabCalculator {
  description: string
  compute: (patient: PatientRecord) => CalculatedValue[]
}

export interface EngineExtensions {
  /** Record facts by name, for `fact:` leaves; a built-in fact of the same name (FACT_CATALOGUE) takes precedence. */
  facts?: Record<string, CustomFact>
  /** Comparison operators by name, for `fact:` leaves with `op`. */
  operators?: Record<string, CustomOperator>
  /** Calculators by lab-concept id (a shipped concept or one the protocol defines). */
  calculators?: Record<string, LabCalculator>
}
