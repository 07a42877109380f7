/**
 * The one place that tells the shapes of a window (engine/types/logic.ts
 * `Window`) and of a change leaf's earlier value apart, as the condition
 * model does for conditions: compile, semantic checks, the description, the
 * one wording (words/windows.ts) and the web's forms dispatch on `kind`
 * instead of testing which key a window has.
 *
 * Imports only types, so the browser bundle may import it
 * (test/web/boundaries.test.ts WEB_SHARED).
 */
import type { Window } from '../types.ts'

/** Every written window by its kind; the kinds are those of the resolved window (compile/ir.ts `ResolvedWindow`). */
export interface WindowByKind {
  /** `{ weeks: 4, before: screening }`: a span before a reference date, up to it. */
  range: Extract<Window, { before: string }>
  /** `{ ref: randomization, from_day: 309, to_day: 365 }`. */
  study_days: Extract<Window, { from_day: unknown }>
  /** `{ at: screening }`: current on that date. */
  at: Extract<Window, { at: string }>
  /** `{ planned: during_study }`. */
  planned: Extract<Window, { planned: unknown }>
  /** `{ visit: week_24 }` (endpoints). */
  visit: Extract<Window, { visit: string }>
}

/** A window's kind; `any` for no window (at any time, history). */
export type WindowKind = keyof WindowByKind | 'any'

/** A window with its kind, narrowed together: `if (k.kind === 'at') k.window.at`. */
export type KindedWindow = { [K in keyof WindowByKind]: { kind: K; window: WindowByKind[K] } }[keyof WindowByKind] | { kind: 'any'; window: undefined }

/** The window with its kind (the single dispatch point over window shapes). */
export function kindedWindow(w: Window | undefined): KindedWindow {
  if (w === undefined) return { kind: 'any', window: undefined }
  if ('planned' in w) return { kind: 'planned', window: w }
  if ('at' in w) return { kind: 'at', window: w }
  if ('visit' in w) return { kind: 'visit', window: w }
  if ('from_day' in w) return { kind: 'study_days', window: w }
  return { kind: 'range', window: w }
}

/** The kind of a window (`any` when there is none). */
export function windowKind(w: Window | undefined): WindowKind {
  return kindedWindow(w).kind
}

/**
 * What a change leaf's earlier value (`from`) may be, written or resolved:
 * a visit id, a value selected in a window, or one in a span counted back
 * from the later value's date.
 */
export type ChangeFromShape = string | { window: unknown } | { before_to: unknown }

/** A change's `from` with its kind: `visit`, `window` or `before_to`. */
export type KindedChangeFrom<F extends ChangeFromShape> =
  | { kind: 'visit'; visit: Extract<F, string> }
  | { kind: 'window'; from: Extract<F, { window: unknown }> }
  | { kind: 'before_to'; from: Extract<F, { before_to: unknown }> }

export type ChangeFromKind = KindedChangeFrom<ChangeFromShape>['kind']

/** The kind of a change's `from` (the single dispatch point over its shapes). */
export function kindedChangeFrom<F extends ChangeFromShape>(from: F): KindedChangeFrom<F> {
  const f: ChangeFromShape = from
  if (typeof f === 'string') return { kind: 'visit', visit: from as Extract<F, string> }
  if ('before_to' in f) return { kind: 'before_to', from: from as Extract<F, { before_to: unknown }> }
  return { kind: 'window', from: from as Extract<F, { window: unknown }> }
}

export function changeFromKind(from: ChangeFromShape): ChangeFromKind {
  return kindedChangeFrom(from).kind
}
