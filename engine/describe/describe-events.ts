/**
 * The event leaves (medication, condition, procedure, vaccination) in plain
 * words: what is selected (a named set, classes, items, exceptions), what
 * must have happened (taken, active, done, given; a dose change), and when.
 */
import type { ExceptRule, MedicationEvent, SetDefinition } from '../types.ts'
import type { DescribeContext, LeafWords } from './describe-logic.ts'
import { joinAnd, joinOr, stringOf, windowWords, type Usage } from './words.ts'
import { windowKind } from '../logic/window-model.ts'
import { conditionKind, EVENT_DOMAIN, eventSelector, type AnyEventSelector, type EventCondition, type EventKind } from '../logic/condition-model.ts'

/** What must have happened in the window, per kind (medication: per event). */
const VERB: Record<Exclude<EventKind, 'medication'>, string> = { condition: 'active', procedure: 'done', vaccination: 'given' }
const MEDICATION_VERB: Record<MedicationEvent, string> = {
  exposure: 'taken',
  dose_change: 'changed in dose while taken',
  start_stop_or_dose_change: 'started, stopped or changed in dose',
}
const MEDICATION_DETAIL: Record<MedicationEvent, string> = {
  exposure: 'Counts when any day of use falls in the window.',
  dose_change: 'Counts when the dose changed in the window while the drug was taken; a drug taken in the window without a recorded dose history is unknown.',
  start_stop_or_dose_change:
    'Counts when the drug was started or stopped in the window, or its dose changed in it; a drug taken in the window without a recorded dose history is unknown.',
}

/** Describe an event leaf. */
export function describeEventLeaf(cond: EventCondition, ctx: DescribeContext, u: Usage): LeafWords {
  const { doc } = ctx
  const kind = conditionKind(cond) as EventKind
  const selector = eventSelector(cond)
  const named: SetDefinition | undefined = selector.set ? doc.definitions?.[EVENT_DOMAIN[kind]]?.[selector.set] : undefined
  const classes = [...(named?.classes ?? []), ...(selector.classes ?? [])]
  const items = [...(named?.items ?? []), ...(selector.items ?? [])]
  const except = [...(named?.except ?? []), ...(selector.except ?? [])]
  let what = selector.label ?? named?.label ?? (joinOr([...items, ...classes.map(c => `any ${c.replace(/_/g, ' ')}`)]) || (selector.set ?? kind))
  const details = [selectionWords(selector.set, classes, items), ...except.map(exceptWords)]

  const filters: string[] = []
  let verb: string
  if (kind === 'medication') {
    const raw = selector.event
    const event = (raw === undefined ? 'exposure' : stringOf(raw, doc, u)) as MedicationEvent
    verb = MEDICATION_VERB[event] ?? event
    if (MEDICATION_DETAIL[event]) details.push(MEDICATION_DETAIL[event])
  } else {
    verb = VERB[kind]
    if (kind === 'condition') filters.push(...conditionFilters(selector))
    if (kind === 'procedure' && selector.major === true) what = `major ${what}`
    if (kind === 'procedure' && selector.major === false) filters.push('not major')
  }
  const w = selector.window
  const window = windowKind(w)
  const when = windowWords(w, doc, u)
  // a planned event has not happened: "planned during the study" says it all
  const happened =
    window === 'any'
      ? `${kind === 'condition' ? 'recorded' : verb} at any time (history)`
      : window === 'planned'
        ? when
        : window === 'at'
          ? `${verb}, ${when}`
          : `${verb} ${when}`
  if (kind === 'condition' && window === 'range') details.push('Counts when the active period (onset to resolution, or ongoing) overlaps the window.')
  const text = filters.length > 0 ? `${what} — ${filters.join(', ')} — ${happened}` : `${what} ${happened}`
  return { text, details }
}

function selectionWords(set: string | undefined, classes: string[], items: string[]): string {
  const parts = [
    ...(classes.length ? [`${classes.length === 1 ? 'class' : 'classes'} ${classes.join(', ')}`] : []),
    ...(items.length ? [`${items.length === 1 ? 'item' : 'items'} ${items.join(', ')}`] : []),
  ]
  const from = set ? ` (set ${set})` : ''
  return `Selects dictionary ${joinAnd(parts) || 'entries'}${from}.`
}

function exceptWords(rule: ExceptRule): string {
  if (typeof rule === 'string') return `Except ${rule}.`
  const names = [...(rule.classes ?? []), ...(rule.items ?? [])]
  const when = rule.outcome?.length ? ` when its outcome is ${joinOr(rule.outcome)}` : ''
  return `Except ${joinOr(names)}${when}.`
}

function conditionFilters(s: AnyEventSelector): string[] {
  const out: string[] = []
  if (s.severity?.length) out.push(`severity ${joinOr(s.severity)}`)
  const flag = (key: 'recurrent' | 'hospitalized' | 'iv_antibiotics' | 'treated', yes: string, no: string) => {
    if (s[key] === true) out.push(yes)
    else if (s[key] === false) out.push(no)
  }
  flag('recurrent', 'recurrent', 'not recurrent')
  flag('hospitalized', 'needing hospitalisation', 'without hospitalisation')
  flag('iv_antibiotics', 'treated with IV antibiotics', 'without IV antibiotics')
  flag('treated', 'needing treatment', 'untreated')
  if (s.outcome?.length) out.push(`outcome ${joinOr(s.outcome)}`)
  return out
}
