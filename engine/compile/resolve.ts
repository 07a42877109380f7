/**
 * Resolve the indirections of the protocol language: `{ param: name }`
 * references, named sets from `definitions`, and windows in weeks/days.
 * Semantic checks (engine/semantic) have already reported anything unknown;
 * here an unknown reference is a bug and throws.
 */
import type { Definitions, EventSelector, ExceptRule, NumberOrParam, ParameterValue, ProtocolDocument, SetDefinition, StringOrParam, Window } from '../types.ts'
import type { ResolvedParameters, ResolvedSelection, ResolvedWindow } from './ir.ts'
import { kindedWindow, type WindowByKind } from '../logic/window-model.ts'
import { isParamRef } from '../logic/param-ref.ts'

/** Parameter values by name. */
export function resolveParameters(doc: ProtocolDocument): ResolvedParameters {
  const out: ResolvedParameters = {}
  for (const [name, def] of Object.entries(doc.parameters ?? {})) out[name] = def.value
  return out
}

export { isParamRef }

function paramValue(params: ResolvedParameters, name: string): ParameterValue {
  const v = params[name]
  if (v === undefined) throw new Error(`unknown parameter ${name}`)
  return v
}

export function resolveNumber(x: NumberOrParam, params: ResolvedParameters): number {
  if (!isParamRef(x)) return x
  const v = paramValue(params, x.param)
  if (typeof v !== 'number') throw new Error(`parameter ${x.param} is not a number`)
  return v
}

export function resolveString(x: StringOrParam, params: ResolvedParameters): string {
  if (!isParamRef(x)) return x
  const v = paramValue(params, x.param)
  if (typeof v !== 'string') throw new Error(`parameter ${x.param} is not a string`)
  return v
}

export function resolveWindow(written: Window | undefined, params: ResolvedParameters): ResolvedWindow {
  const k = kindedWindow(written)
  switch (k.kind) {
    case 'any':
    case 'planned':
      return { kind: k.kind }
    case 'at':
      return { kind: 'at', ref: k.window.at }
    case 'visit':
      return { kind: 'visit', visit: k.window.visit }
    case 'study_days':
      return { kind: 'study_days', ref: k.window.ref, from: resolveNumber(k.window.from_day, params), to: resolveNumber(k.window.to_day, params) }
    case 'range':
      return resolveRange(k.window, params)
  }
}

/** A span before a reference date: calendar months, then days; the span as written kept for the words. */
function resolveRange(w: WindowByKind['range'], params: ResolvedParameters): ResolvedWindow {
  const weeks = w.weeks === undefined ? 0 : resolveNumber(w.weeks, params)
  const days = w.days === undefined ? 0 : resolveNumber(w.days, params)
  const months = (w.years === undefined ? 0 : resolveNumber(w.years, params) * 12) + (w.months === undefined ? 0 : resolveNumber(w.months, params))
  // the span as written (resolved), so the window reads in the designer's units
  const span = Object.fromEntries((['years', 'months', 'weeks', 'days'] as const).flatMap(k => (w[k] === undefined ? [] : [[k, resolveNumber(w[k], params)]])))
  return { kind: 'range', ref: w.before, days: weeks * 7 + days, ...(months > 0 ? { months } : {}), span }
}

type Domain = Exclude<keyof Definitions, 'lab_concepts'>

function normaliseExcept(rule: ExceptRule): ResolvedSelection['except'][number] {
  if (typeof rule === 'string') return { classes: [rule], items: [rule] }
  return { classes: rule.classes ?? [], items: rule.items ?? [], ...(rule.outcome ? { outcome: rule.outcome } : {}) }
}

/**
 * Merge a leaf's selector with the named set it refers to.
 * A bare string in `except` may name a class or an item; both are tried.
 */
export function resolveSelection(selector: EventSelector, domain: Domain, doc: ProtocolDocument): ResolvedSelection {
  let base: SetDefinition = {}
  if (selector.set) {
    const named = doc.definitions?.[domain]?.[selector.set]
    if (!named) throw new Error(`unknown ${domain} set ${selector.set}`)
    base = named
  }
  const classes = [...(base.classes ?? []), ...(selector.classes ?? [])]
  const items = [...(base.items ?? []), ...(selector.items ?? [])]
  const except = [...(base.except ?? []), ...(selector.except ?? [])].map(normaliseExcept)
  const label = selector.label ?? base.label ?? [...items, ...classes].join(', ')
  return { label, classes, items, except }
}
