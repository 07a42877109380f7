/**
 * The event facts (`medication`, `condition`, `procedure`, `vaccination`):
 * which record entries belong to a selection, fall in a window and pass the
 * filters. Each entry is judged three-valued; an entry that may match (an
 * unrecognised drug name, a missing date, an unknown severity) makes the leaf
 * unknown rather than silently false.
 */
import type {
  MedicationEvent,
  ConditionRecord,
  MedicationRecord,
  PatientRecord,
  ProcedureRecord,
  VaccinationRecord,
} from '../../types.ts'
import type { ResolvedSelection, ResolvedWindow } from '../../compile/ir.ts'
import { resolveEntry, type Dictionary } from '../../dictionary/index.ts'
import { intervalsOverlap, parseIsoDate } from '../../calculators/dates.ts'
import { and3 } from '../kleene.ts'
import type { Tri } from '../operators.ts'
import { known, unknown, type Evidence, type EventMatch } from '../evidence.ts'
import { placeWindow, type DayWindow, type FactContext } from './context.ts'

export type EventDomain = 'medication' | 'condition' | 'procedure' | 'vaccination'

export interface EventParams {
  selection: ResolvedSelection
  window: ResolvedWindow
  /** medication only: what counts as an event in the window (see MedicationEvent). */
  event?: MedicationEvent
  filters?: Record<string, unknown>
}

const SECTION = {
  medication: { key: 'medications', dict: 'drugs', noun: 'medication history (every medication, or none)' },
  condition: { key: 'conditions', dict: 'conditions', noun: 'medical history: conditions and infections (or none)' },
  procedure: { key: 'procedures', dict: 'procedures', noun: 'procedures and surgeries, done or planned (or none)' },
  vaccination: { key: 'vaccinations', dict: 'vaccines', noun: 'vaccinations, received or planned (or none)' },
} as const

type AnyEntry = MedicationRecord | ConditionRecord | ProcedureRecord | VaccinationRecord

/** A judged entry: a verdict and, when unsure, why. */
interface Judgement {
  truth: Tri
  doubt?: string
}

function entryText(domain: EventDomain, e: AnyEntry): string {
  if (domain === 'medication') return (e as MedicationRecord).drug
  if (domain === 'vaccination') return (e as VaccinationRecord).vaccine
  return (e as ConditionRecord | ProcedureRecord).concept
}

type Resolved = ReturnType<typeof resolveEntry<(typeof SECTION)[EventDomain]['dict']>>
const RESOLVED_CACHE_LIMIT = 50_000
const resolvedCache = new WeakMap<Dictionary, Map<string, Resolved | null>>()

/**
 * resolveEntry, remembered per dictionary: every event leaf looks up every
 * entry of its section, and name folding dominated screening profiles.
 * Bounded, since record text is open-ended.
 */
function resolveCached(domain: EventDomain, text: string, dictionary: Dictionary): Resolved {
  let cache = resolvedCache.get(dictionary)
  if (!cache) resolvedCache.set(dictionary, (cache = new Map()))
  const key = `${domain}\u0000${text}`
  const hit = cache.get(key)
  if (hit !== undefined) return hit ?? undefined
  const entry = resolveEntry(SECTION[domain].dict, text, dictionary)
  if (cache.size >= RESOLVED_CACHE_LIMIT) cache.clear()
  cache.set(key, entry ?? null)
  return entry
}

/** Is the entry one of the selected items or classes, and not excepted? */
function judgeMembership(domain: EventDomain, e: AnyEntry, sel: ResolvedSelection, ctx: FactContext): Judgement {
  const text = entryText(domain, e)
  const entry = resolveCached(domain, text, ctx.dictionary)
  if (!entry) return { truth: undefined, doubt: `"${text}" is not in the ${SECTION[domain].dict} dictionary, so it may belong to ${sel.label}` }
  const inSet = sel.items.includes(entry.id) || entry.classes.some((c) => sel.classes.includes(c))
  if (!inSet) return { truth: false }
  const outcome = (e as ConditionRecord).outcome
  for (const ex of sel.except) {
    const hit = ex.items.includes(entry.id) || entry.classes.some((c) => ex.classes.includes(c))
    if (!hit) continue
    if (!ex.outcome) return { truth: false }
    if (outcome === undefined) return { truth: undefined, doubt: `${entry.name}: outcome not recorded (the exception needs ${ex.outcome.join(' or ')})` }
    if (ex.outcome.includes(outcome)) return { truth: false }
  }
  return { truth: true }
}

/** The entry's active period as day numbers; an open end is +∞ when ongoing, unknown otherwise. */
function period(domain: EventDomain, e: AnyEntry): { start?: number; end?: number } {
  const day = (s: string | undefined) => (s === undefined ? undefined : parseIsoDate(s))
  if (domain === 'medication' || domain === 'condition') {
    const r = e as MedicationRecord & ConditionRecord
    const start = day(r.start ?? r.onset)
    const stop = day(r.stop ?? r.resolved)
    const end = stop ?? (r.ongoing ? Number.POSITIVE_INFINITY : undefined)
    return { ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) }
  }
  const d = day((e as ProcedureRecord).date)
  return d === undefined ? {} : { start: d, end: d }
}

function judgeWindow(domain: EventDomain, e: AnyEntry, w: DayWindow, event: EventParams['event']): Judgement {
  const planned = 'planned' in e && e.planned === true
  if (w.kind === 'planned') return { truth: planned }
  if (planned) return { truth: false } // planned entries have not happened yet
  if (w.kind === 'any') return { truth: true }
  if (w.kind === 'missing') return { truth: undefined, doubt: `no ${w.missing.description}` }
  if (domain === 'medication' && event && event !== 'exposure') return judgeDoseChange(e as MedicationRecord, w, event)
  const t = intervalsOverlap(period(domain, e), { start: w.start, end: w.end })
  return t === 'unknown' ? { truth: undefined, doubt: 'dates incomplete, cannot tell whether it falls in the window' } : { truth: t }
}

/**
 * An unstable dose inside the window. With `start_stop_or_dose_change` a start
 * or a stop dated in the window counts; a dose change counts in both modes.
 * A drug taken during the window whose dose history is not recorded leaves the
 * question open: "no change recorded" is not "no change".
 */
function judgeDoseChange(m: MedicationRecord, w: { start: number; end: number }, event: MedicationEvent): Judgement {
  const taken = intervalsOverlap(period('medication', m), w)
  if (taken === false) return { truth: false } // not taken during the window: nothing changed in it
  const inWindow = (s: string | undefined) => {
    const d = s === undefined ? undefined : parseIsoDate(s)
    return d !== undefined && d >= w.start && d <= w.end
  }
  if (event === 'start_stop_or_dose_change' && (inWindow(m.start) || inWindow(m.stop))) return { truth: true }
  if (!m.doses) return { truth: undefined, doubt: 'dose history not recorded' }
  const doses = [...m.doses].sort((a, b) => a.date.localeCompare(b.date))
  const changed = doses.some((d, i) => {
    const prev = doses[i - 1]
    if (!prev) return false // the first dose is the start, not a change
    const differs = d.amount !== prev.amount || d.unit !== prev.unit || d.frequency !== prev.frequency
    return differs && inWindow(d.date)
  })
  if (changed) return { truth: true }
  return taken === 'unknown' ? { truth: undefined, doubt: 'dates incomplete, cannot tell whether it was taken in the window' } : { truth: false }
}

/** Field filters such as `severity: [severe]` or `hospitalized: true`; unrecorded fields are unknown. */
function judgeFilters(e: AnyEntry, filters: Record<string, unknown> | undefined): Judgement {
  const results: Judgement[] = Object.entries(filters ?? {}).map(([field, want]) => {
    const got = (e as unknown as Record<string, unknown>)[field]
    if (got === undefined) return { truth: undefined, doubt: `${field} not recorded` }
    const ok = Array.isArray(want) ? want.includes(got) : got === want
    return { truth: ok }
  })
  return combine(results)
}

function combine(js: Judgement[]): Judgement {
  const truth = and3(...js.map((j) => j.truth))
  const doubt = truth === undefined ? js.filter((j) => j.truth === undefined).map((j) => j.doubt).join('; ') : undefined
  return doubt ? { truth, doubt } : { truth }
}

function summarise(domain: EventDomain, e: AnyEntry): string {
  const text = entryText(domain, e)
  const r = e as Partial<MedicationRecord & ConditionRecord & ProcedureRecord>
  const from = r.start ?? r.onset ?? r.date
  const to = r.stop ?? r.resolved ?? (r.ongoing ? 'ongoing' : undefined)
  const when = r.planned ? 'planned' : from && to && to !== from ? `${from} to ${to}` : from ?? (to ? `until ${to}` : 'date not recorded')
  return `${text} (${when})`
}

/**
 * Judge every entry of a record section against an event leaf.
 *
 * @example
 * eventEvidence('medication', patient, { selection, window, event: 'exposure' }, ctx)
 * // { known: true, value: { definite: [{ source: 'medications[0]', summary: 'rituximab (2025-09-01)' }], possible: [] } }
 */
export function eventEvidence(domain: EventDomain, patient: PatientRecord, params: EventParams, ctx: FactContext): Evidence {
  const section = SECTION[domain]
  const entries = patient[section.key] as AnyEntry[] | undefined
  const window = placeWindow(params.window, patient, ctx)
  if (entries === undefined) return unknown(`${section.noun} not recorded`, [{ key: section.key, description: section.noun }])
  const definite: EventMatch[] = []
  const possible: EventMatch[] = []
  entries.forEach((e, i) => {
    const member = judgeMembership(domain, e, params.selection, ctx)
    // most entries are not in the selection: false AND anything is false, so skip the rest (screening hot path)
    if (member.truth === false) return
    const j = combine([member, judgeWindow(domain, e, window, params.event), judgeFilters(e, params.filters)])
    if (j.truth === false) return
    const match = { source: `${section.key}[${i}]`, summary: summarise(domain, e) }
    if (j.truth === true) definite.push(match)
    else if (j.truth === undefined) possible.push({ ...match, doubt: j.doubt ?? 'unknown' })
  })
  if (window.kind === 'missing' && definite.length === 0 && possible.length > 0) {
    return unknown(`no ${window.missing.description}, so ${window.text} cannot be placed`, [window.missing])
  }
  const detail =
    definite.length > 0
      ? `found: ${definite.map((m) => m.summary).join('; ')}`
      : possible.length > 0
        ? `possibly: ${possible.map((m) => `${m.summary}: ${m.doubt}`).join('; ')}`
        : `none ${window.text} among ${entries.length} recorded`
  return known({ definite, possible }, detail)
}

