/**
 * The one place that knows the shape of the protocol language's Condition
 * union (engine/types/logic.ts): which kind a node is, which children it has
 * and under which path segments, and a dispatch by kind. Normalisation,
 * description, semantic checks and lint all walk conditions through it, so a
 * new kind fails to compile until it is handled here (and by every visitor).
 *
 * Imports only types and the pure path formatter.
 */
import type {
  AgeLeaf,
  AllNode,
  AnyNode,
  AtLeastNode,
  AttestationLeaf,
  BiopsyLeaf,
  ChangeLeaf,
  Condition,
  ConditionLeaf,
  EitherNode,
  EventSelector,
  FactLeaf,
  MeasurementLeaf,
  MedicationLeaf,
  NotNode,
  ParameterLeaf,
  PregnancyTestLeaf,
  ProcedureLeaf,
  SteroidDaysLeaf,
  SteroidDoseLeaf,
  VaccinationLeaf,
} from '../types/logic.ts'
import type { NumberOrParam } from '../types.ts'
import { formatPath, type PathSegment } from '../parse/path.ts'

/** Every node of the language by its kind; the kind is the node's own key (`all:`, `measurement:`...). */
export interface ConditionByKind {
  all: AllNode
  any: AnyNode
  not: NotNode
  at_least: AtLeastNode
  either: EitherNode
  measurement: MeasurementLeaf
  age: AgeLeaf
  fact: FactLeaf
  attestation: AttestationLeaf
  parameter: ParameterLeaf
  medication: MedicationLeaf
  condition: ConditionLeaf
  procedure: ProcedureLeaf
  vaccination: VaccinationLeaf
  pregnancy_test: PregnancyTestLeaf
  change: ChangeLeaf
  steroid_dose: SteroidDoseLeaf
  steroid_days: SteroidDaysLeaf
  biopsy: BiopsyLeaf
}
export type ConditionKind = keyof ConditionByKind

/** Every kind, in the order of the schema (engine/schema/protocol.schema.json `condition`). */
export const CONDITION_KINDS = [
  'all',
  'any',
  'not',
  'at_least',
  'either',
  'measurement',
  'age',
  'fact',
  'attestation',
  'parameter',
  'medication',
  'condition',
  'procedure',
  'vaccination',
  'pregnancy_test',
  'change',
  'steroid_dose',
  'steroid_days',
  'biopsy',
] as const satisfies readonly ConditionKind[]

// compile-time: the list names every kind, and the map holds exactly the union's members
type Unlisted = Exclude<ConditionKind, (typeof CONDITION_KINDS)[number]>
type Unmapped = Exclude<Condition, ConditionByKind[ConditionKind]>
const complete: [Unlisted, Unmapped] extends [never, never] ? true : false = true
void complete

/** Kinds that combine other conditions. */
export const GROUP_KINDS = ['all', 'any', 'not', 'at_least', 'either'] as const satisfies readonly ConditionKind[]
export type GroupKind = (typeof GROUP_KINDS)[number]
export type LeafKind = Exclude<ConditionKind, GroupKind>

/** The leaves that select dictionary entries from a section of the record, and the dictionary each reads. */
export const EVENT_DOMAIN = { medication: 'drugs', condition: 'conditions', procedure: 'procedures', vaccination: 'vaccines' } as const satisfies Partial<
  Record<LeafKind, string>
>
export type EventKind = keyof typeof EVENT_DOMAIN
export const EVENT_KINDS = Object.keys(EVENT_DOMAIN) as EventKind[]
export type EventCondition = ConditionByKind[EventKind]

export function isGroupKind(kind: ConditionKind | undefined): kind is GroupKind {
  return (GROUP_KINDS as readonly string[]).includes(kind as string)
}

export function isEventKind(kind: ConditionKind | undefined): kind is EventKind {
  return kind !== undefined && kind in EVENT_DOMAIN
}

/**
 * The kind of a node; `undefined` for a shape the language does not have
 * (possible at run time only, in input that failed the schema).
 */
export function conditionKind(c: Condition): ConditionKind | undefined {
  if ('all' in c) return 'all'
  if ('any' in c) return 'any'
  if ('not' in c) return 'not'
  if ('at_least' in c) return 'at_least'
  if ('either' in c) return 'either'
  if ('measurement' in c) return 'measurement'
  if ('age' in c) return 'age'
  if ('fact' in c) return 'fact'
  if ('attestation' in c) return 'attestation'
  if ('parameter' in c) return 'parameter'
  if ('medication' in c) return 'medication'
  if ('condition' in c) return 'condition'
  if ('procedure' in c) return 'procedure'
  if ('vaccination' in c) return 'vaccination'
  if ('pregnancy_test' in c) return 'pregnancy_test'
  if ('change' in c) return 'change'
  if ('steroid_dose' in c) return 'steroid_dose'
  if ('steroid_days' in c) return 'steroid_days'
  if ('biopsy' in c) return 'biopsy'
  // a member added to the union and not handled above stops the build here
  const unhandled: never = c
  void unhandled
  return undefined
}

/** A node with its kind, narrowed together: `if (k.kind === 'age') k.node.age.at`. */
export type KindedCondition = { [K in ConditionKind]: { kind: K; node: ConditionByKind[K] } }[ConditionKind]

export function kinded(c: Condition): KindedCondition | undefined {
  const kind = conditionKind(c)
  return kind === undefined ? undefined : ({ kind, node: c } as KindedCondition)
}

/** One child of a group, with the segments leading to it from its parent (`['at_least', 'of', 2]`). */
export interface ConditionChild {
  node: Condition
  at: PathSegment[]
}

/** The children of a node, in order; none for a leaf. */
export function childrenOf(c: Condition): ConditionChild[] {
  const k = kinded(c)
  switch (k?.kind) {
    case 'all':
      return k.node.all.map((node, i) => ({ node, at: ['all', i] }))
    case 'any':
      return k.node.any.map((node, i) => ({ node, at: ['any', i] }))
    case 'not':
      return [{ node: k.node.not, at: ['not'] }]
    case 'at_least':
      return k.node.at_least.of.map((node, i) => ({ node, at: ['at_least', 'of', i] }))
    case 'either':
      return k.node.either.map((node, i) => ({ node, at: ['either', i] }))
    default:
      return []
  }
}

/** A child's readable path from its parent's: `logic` + `['all', 0]` -> `logic.all[0]`. */
export function childPath(parent: string, at: readonly PathSegment[]): string {
  return `${parent}.${formatPath(at)}`
}

/** What any event leaf may select by: the shared selector and, optional, each kind's own filters. */
export type AnyEventSelector = EventSelector &
  Partial<Omit<MedicationLeaf['medication'] & ConditionLeaf['condition'] & ProcedureLeaf['procedure'], keyof EventSelector>>

/** The selector of an event leaf (its set, classes, items, window and kind-specific filters). */
export function eventSelector(c: EventCondition): AnyEventSelector {
  const k = kinded(c)
  switch (k?.kind) {
    case 'medication':
      return k.node.medication
    case 'condition':
      return k.node.condition
    case 'procedure':
      return k.node.procedure
    case 'vaccination':
      return k.node.vaccination
    default:
      throw new Error(`not an event leaf: ${Object.keys(c).join(', ')}`)
  }
}

/** What a measurement leaf compares with: a number (or parameter), a category, or a multiple of the upper limit of normal. */
export type MeasurementThreshold =
  | { kind: 'number'; value: NumberOrParam }
  | { kind: 'category'; value: string }
  | { kind: 'times_upper_limit'; factor: NumberOrParam }

export function measurementThreshold(value: MeasurementLeaf['measurement']['value']): MeasurementThreshold {
  if (typeof value === 'string') return { kind: 'category', value }
  if (typeof value === 'object' && 'times_upper_limit' in value) return { kind: 'times_upper_limit', factor: value.times_upper_limit }
  return { kind: 'number', value }
}

/** A handler per kind; `A` are the extra arguments passed through (a path, a context). */
export type ConditionVisitor<R, A extends unknown[] = []> = { [K in ConditionKind]: (node: ConditionByKind[K], ...args: A) => R }

/**
 * Dispatch `c` to the handler of its kind (the single dispatch point).
 * A shape the language does not have goes to `unknown`, which by default
 * throws naming the node's keys.
 */
export function visitCondition<R, A extends unknown[]>(
  c: Condition,
  visitor: ConditionVisitor<R, A>,
  args: A,
  unknown: (c: Condition) => R = x => {
    throw new Error(`not a condition of the protocol language: keys ${Object.keys(x).join(', ')}`)
  },
): R {
  const kind = conditionKind(c)
  if (kind === undefined) return unknown(c)
  return (visitor[kind] as (node: Condition, ...args: A) => R)(c, ...args)
}

/** A node met by {@link walkCondition}, with its segments from the root. */
export type ConditionVisit = KindedCondition & { at: PathSegment[] }

/**
 * Every node of a tree, parents before children, every kind's children
 * included (either alternatives too). Returning `'skip'` from `fn` skips the
 * node's children; nodes of a shape the language does not have are skipped.
 *
 * @example
 * walkCondition(logic, (v) => { if (v.kind === 'measurement') found.push(v.at) }, ['criteria', 0, 'logic'])
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a visitor returns nothing or 'skip'; `undefined` would make every block-bodied visitor end in `return undefined`
export function walkCondition(c: Condition, fn: (v: ConditionVisit) => void | 'skip', at: PathSegment[] = []): void {
  const k = kinded(c)
  if (!k) return
  if (fn({ ...k, at }) === 'skip') return
  for (const child of childrenOf(c)) walkCondition(child.node, fn, [...at, ...child.at])
}

/** Whether any node of the tree (the root included) satisfies `test`. */
export function someCondition(c: Condition, test: (v: ConditionVisit) => boolean): boolean {
  let found = false
  walkCondition(c, v => {
    if (found) return 'skip'
    found = test(v)
    return found ? 'skip' : undefined
  })
  return found
}
