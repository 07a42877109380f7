/**
 * The event leaves (medication, condition, procedure, vaccination) -> intermediate
 * leaves: one shape, differing only in dictionary domain, filters and wording.
 */
import type { MedicationEvent } from '../types.ts'
import type { FactName, IrLeaf } from './ir.ts'
import { describeWindow } from './labels.ts'
import { resolveSelection, resolveString, resolveWindow } from './resolve.ts'
import type { NormalizeContext } from './normalize.ts'
import { conditionKind, EVENT_DOMAIN, eventSelector, type EventCondition, type EventKind } from '../logic/condition-model.ts'

const CONDITION_FILTERS = ['severity', 'recurrent', 'hospitalized', 'iv_antibiotics', 'treated', 'outcome'] as const

const MEDICATION_VERB: Record<MedicationEvent, string> = {
  exposure: 'taken',
  dose_change: 'changed in dose',
  start_stop_or_dose_change: 'started, stopped or changed in dose',
}

function describeFilters(filters: Record<string, unknown>): string {
  const text = Object.entries(filters)
    .map(([k, v]) => (Array.isArray(v) ? `${k} ${v.join('/')}` : v === true ? k : `not ${k}`))
    .join(', ')
  return text ? ` (${text})` : ''
}

/** Normalize one event leaf. */
export function normalizeEventLeaf(cond: EventCondition, path: string, ctx: NormalizeContext): IrLeaf {
  const key = conditionKind(cond) as EventKind
  const selector = eventSelector(cond)
  const selection = resolveSelection(selector, EVENT_DOMAIN[key], ctx.doc)
  const window = resolveWindow(selector.window, ctx.params)
  const params: Record<string, unknown> = { selection, window }
  let what = selection.label
  let verb = ''
  if (key === 'medication') {
    const raw = selector.event
    const event = (raw === undefined ? 'exposure' : resolveString(raw, ctx.params)) as MedicationEvent
    params.event = event
    verb = ` ${MEDICATION_VERB[event]}`
  } else {
    const names = key === 'condition' ? CONDITION_FILTERS : key === 'procedure' ? (['major'] as const) : []
    const filters = Object.fromEntries(names.filter(n => selector[n] !== undefined).map(n => [n, selector[n]]))
    params.filters = filters
    if (key === 'procedure' && filters.major === true) what = `major ${what}`
    else what += describeFilters(filters)
  }
  const label = cond.label ?? `${what}${verb} ${describeWindow(window, ctx.doc)}`
  return { kind: 'leaf', path, label, fact: key satisfies FactName, params, operator: 'exists', value: true }
}
