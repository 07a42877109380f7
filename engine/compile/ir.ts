/**
 * The compiler's intermediate form: a protocol's logic with parameters,
 * named sets and windows resolved, ready to become json-rules-engine rules.
 */
import type { ParameterValue } from '../types.ts'
import type { OperatorName } from '../evaluate/operators.ts'
import type { Span } from '../words/windows.ts'

/** A window with parameters resolved and weeks turned into days. */
export type ResolvedWindow =
  /**
   * `months` calendar months (years × 12 included) and then `days` days before the reference date, up to it;
   * `span` keeps the units as written, for the words only (engine/words/windows.ts: weeks stay weeks).
   */
  | { kind: 'range'; ref: string; days: number; months?: number; span?: Span<number> }
  /** Study days `from` to `to` counted from the reference date (day 1 = the reference date). */
  | { kind: 'study_days'; ref: string; from: number; to: number }
  | { kind: 'at'; ref: string }
  | { kind: 'planned' }
  | { kind: 'any' }
  /** A visit's window on the subject's calendar; `current` is the visit being evaluated. */
  | { kind: 'visit'; visit: string }

/** A dictionary selection with named sets expanded. */
export interface ResolvedSelection {
  label: string
  classes: string[]
  items: string[]
  except: Array<{ classes: string[]; items: string[]; outcome?: string[] }>
}

/** The facts the evaluator provides, by json-rules-engine fact id. */
export type FactName =
  | 'measurement'
  | 'age'
  | 'record'
  | 'attestation'
  | 'parameter'
  | 'medication'
  | 'condition'
  | 'procedure'
  | 'vaccination'
  | 'pregnancy_test'
  | 'change'
  | 'steroid_dose'
  | 'steroid_days'
  | 'biopsy'

export interface IrLeaf {
  kind: 'leaf'
  /** Position in the criterion, e.g. `logic.any[1]`; also the json-rules-engine condition name. */
  path: string
  label: string
  fact: FactName
  params: Record<string, unknown>
  operator: OperatorName
  value: unknown
}

export interface IrGroup {
  kind: 'all' | 'any'
  path: string
  label: string
  children: IrNode[]
}

export interface IrNot {
  kind: 'not'
  path: string
  label: string
  child: IrNode
}

export interface IrAtLeast {
  kind: 'at_least'
  path: string
  label: string
  n: number
  children: IrNode[]
}

/** Alternative data paths; children are leaves (see EitherNode). */
export interface IrEither {
  kind: 'either'
  path: string
  label: string
  children: IrLeaf[]
}

export type IrNode = IrLeaf | IrGroup | IrNot | IrAtLeast | IrEither

/** IrNode after negations are pushed to the leaves: no `not` remains. */
export type NnfNode = IrLeaf | IrEither | (Omit<IrGroup, 'children'> & { children: NnfNode[] }) | (Omit<IrAtLeast, 'children'> & { children: NnfNode[] })

export type ResolvedParameters = Record<string, ParameterValue>
