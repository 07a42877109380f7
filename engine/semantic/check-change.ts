/**
 * Semantic checks of a `change` leaf: what a schema cannot see about the two
 * values it compares (visits only in endpoints, known windows and parameters,
 * a confirmed change only against a visit's later values).
 */
import type { ChangeLeaf, NumberOrParam, Window } from '../types.ts'
import { CHANGE_SELECTS } from '../compile/normalize-change.ts'
import type { PathSegment } from '../parse/path.ts'
import type { SemanticIssue } from './issue.ts'
import { issue } from './issue.ts'
import { kindedChangeFrom } from '../logic/window-model.ts'

/** The checks of the protocol checker a change leaf uses. */
export interface ChangeChecks {
  readonly issues: SemanticIssue[]
  concept(id: string, at: PathSegment[]): void
  visitRef(name: string, at: PathSegment[]): void
  window(w: Window, at: PathSegment[], allowPlanned: boolean): void
  paramOr(value: unknown, at: PathSegment[], want: 'number' | 'string', allowed?: string[]): void
  consecutive(v: unknown, at: PathSegment[]): void
  numberOf(v: unknown): number | undefined
  /** false (and an issue) outside endpoint logic. */
  endpointOnly(at: PathSegment[], what: string): boolean
}

export function checkChange(c: ChangeLeaf['change'], at: PathSegment[], x: ChangeChecks): void {
  x.concept(c.concept, [...at, 'concept'])
  const select = (s: unknown, where: PathSegment[]) => s !== undefined && x.paramOr(s, where, 'string', [...CHANGE_SELECTS])
  const from = kindedChangeFrom(c.from)
  if (from.kind === 'visit') {
    if (x.endpointOnly([...at, 'from'], 'a change from a visit')) x.visitRef(from.visit, [...at, 'from'])
  } else if (from.kind === 'before_to') {
    const span = from.from.before_to
    for (const key of ['years', 'months', 'weeks', 'days'] as const) {
      const v: NumberOrParam | undefined = span[key]
      if (v === undefined) continue
      x.paramOr(v, [...at, 'from', 'before_to', key], 'number')
      const n = x.numberOf(v)
      // calendar arithmetic steps whole months: "6.5 months" has no calendar date
      if ((key === 'years' || key === 'months') && n !== undefined && !Number.isInteger(n)) {
        x.issues.push(issue('E_SCHEMA_TYPE', [...at, 'from', 'before_to', key], `${key} must be a whole number`, 'a whole number', String(n)))
      }
    }
    select(from.from.select, [...at, 'from', 'select'])
  } else {
    x.window(from.from.window, [...at, 'from', 'window'], false)
    select(from.from.select, [...at, 'from', 'select'])
  }
  if (c.to === undefined || typeof c.to === 'string') {
    // `to` defaults to `current`, the visit being evaluated
    if (x.endpointOnly([...at, 'to'], 'a change to a visit (give `to: { window }` in a criterion)') && c.to !== undefined) x.visitRef(c.to, [...at, 'to'])
  } else {
    x.window(c.to.window, [...at, 'to', 'window'], false)
    select(c.to.select, [...at, 'to', 'select'])
  }
  if (c.consecutive !== undefined) {
    x.consecutive(c.consecutive, [...at, 'consecutive'])
    // the confirmed values are the last ones in a visit's window, each against one earlier value chosen on its own
    if (c.to !== undefined && typeof c.to !== 'string') {
      x.issues.push(
        issue(
          'E_SCHEMA_SHAPE',
          [...at, 'consecutive'],
          'a confirmed change compares the last values at a visit: `to` must be a visit',
          'a visit id in `to`',
          'a window',
        ),
      )
    }
    if (from.kind === 'before_to') {
      x.issues.push(
        issue(
          'E_SCHEMA_SHAPE',
          [...at, 'consecutive'],
          'a confirmed change takes its earlier value from a visit or a window, not a span before each later value',
          'from a visit or `{ window }`',
          'before_to',
        ),
      )
    }
  }
  x.paramOr(c.value, [...at, 'value'], 'number')
}
