/**
 * The event facts (`medication`, `condition`, `procedure`, `vaccination`):
 * which record entries belong to a selection, fall in a window and pass the
 * filters. Each entry is judged three-valued; an entry that may match (an
 * unrecognised drug name, a missing date, an unknown severity) makes the leaf
 * unknown rather than silently false.
 */
import type { MedicationEvent, ConditionRecord, MedicationRecord, PatientRecord, ProcedureRecord, UnrecognisedEntry, VaccinationRecord } from '../../types.ts'
import type { ResolvedSelection, ResolvedWindow } from '../../compile/ir.ts'
import { entryNames, hasClassOrItem, resolveEntry, type Dictionary, type EntryBase } from '../../dictionary/index.ts'
import { ambiguousCandidates } from '../../dictionary/ambiguous-names.ts'
import { isSystemicRoute } from '../../dictionary/routes.ts'
import { compareIsoDates, intervalsOverlap, parseIsoDate } from '../../calculators/dates.ts'
import type { Tri } from '../operators.ts'
import { known, unknown, type Evidence, type EventMatch } from '../evidence.ts'
import { memoized, type DayWindow, type FactContext } from './context.ts'
import { placeWindowCached } from './perf-window.ts'

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
/** What has dates and fields to judge: an entry, or an unrecognised item with the same dates. */
type Dated = AnyEntry | UnrecognisedEntry

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
const resolvedCache = new WeakMap<Dictionary, Record<EventDomain, Map<string, Resolved | null>>>()

/**
 * resolveEntry, remembered per dictionary and domain: every event leaf looks
 * up every entry of its section, and name folding dominated screening
 * profiles. Bounded, since record text is open-ended.
 */
function resolveCached(domain: EventDomain, text: string, dictionary: Dictionary): Resolved {
  let byDomain = resolvedCache.get(dictionary)
  if (!byDomain) {
    byDomain = { medication: new Map(), condition: new Map(), procedure: new Map(), vaccination: new Map() }
    resolvedCache.set(dictionary, byDomain)
  }
  const cache = byDomain[domain]
  const hit = cache.get(text)
  if (hit !== undefined) return hit ?? undefined
  const entry = resolveEntry(SECTION[domain].dict, text, dictionary)
  if (cache.size >= RESOLVED_CACHE_LIMIT) cache.clear()
  cache.set(text, entry ?? null)
  return entry
}

/** The shared verdicts without doubt (never modified). */
const YES: Judgement = { truth: true }
const NO: Judgement = { truth: false }

/** Whether a dictionary entry is one of `items` or in one of `classes`. */
function selects(entry: NonNullable<Resolved>, items: readonly string[], classes: readonly string[]): boolean {
  if (items.includes(entry.id)) return true
  for (const c of entry.classes) if (classes.includes(c)) return true
  return false
}

/** Is the entry one of the selected items or classes, and not excepted? */
function judgeMembership(domain: EventDomain, e: AnyEntry, sel: ResolvedSelection, ctx: FactContext): Judgement {
  // a drug given locally (an eye emulsion, an ointment) is not systemic exposure
  if (domain === 'medication' && !isSystemicRoute((e as MedicationRecord).route)) return NO
  const text = entryText(domain, e)
  const entry = resolveCached(domain, text, ctx.dictionary)
  if (!entry) {
    const candidates = ambiguousCandidates(SECTION[domain].dict, text)
    if (candidates)
      return judgePossibilities(
        domain,
        candidates,
        sel,
        ctx,
        `"${text}" is ambiguous (${entryNames(SECTION[domain].dict, candidates, ctx.dictionary).join(' or ')})`,
      )
    return { truth: undefined, doubt: `"${text}" is not in the ${SECTION[domain].dict} dictionary, so it may belong to ${sel.label}` }
  }
  if (!selects(entry, sel.items, sel.classes)) return NO
  const outcome = (e as ConditionRecord).outcome
  for (const ex of sel.except) {
    if (!selects(entry, ex.items, ex.classes)) continue
    if (!ex.outcome) return NO
    if (outcome === undefined) return { truth: undefined, doubt: `${entry.name}: outcome not recorded (the exception needs ${ex.outcome.join(' or ')})` }
    if (ex.outcome.includes(outcome)) return NO
  }
  return YES
}

/**
 * An item that is one of several possibilities (dictionary ids or classes):
 * unknown when any of them is selected and not plainly excepted, or is a
 * name the dictionary does not know; false when none is.
 */
function judgePossibilities(domain: EventDomain, possibly: readonly string[], sel: ResolvedSelection, ctx: FactContext, what: string): Judgement {
  const entries = ctx.dictionary[SECTION[domain].dict] as readonly EntryBase[]
  const could = possibly.some(p => {
    if (sel.items.includes(p) || sel.classes.includes(p)) return true
    // a name the dictionary does not know (a typo, another dictionary's class) says nothing: it could be anything
    if (!hasClassOrItem(SECTION[domain].dict, p, ctx.dictionary)) return true
    return entries.some(entry => (entry.id === p || entry.classes.includes(p)) && selects(entry, sel.items, sel.classes) && !plainlyExcepted(entry, sel))
  })
  return could ? { truth: undefined, doubt: `${what}, so it may be one of ${sel.label}` } : NO
}

/** Excepted whatever its outcome (an exception without an outcome condition). */
function plainlyExcepted(entry: EntryBase, sel: ResolvedSelection): boolean {
  return sel.except.some(ex => !ex.outcome && selects(entry, ex.items, ex.classes))
}

/**
 * Could an unrecognised item be one of the selection? Locally given drugs
 * never are; an item without `possibly` could be anything in its section.
 */
function judgeUnrecognised(domain: EventDomain, u: UnrecognisedEntry, sel: ResolvedSelection, ctx: FactContext): Judgement {
  if (domain === 'medication' && !isSystemicRoute(u.route)) return NO
  const what = `not recognised (${u.reason})`
  if (u.possibly === undefined) return { truth: undefined, doubt: `${what}, so it may be one of ${sel.label}` }
  return judgePossibilities(domain, u.possibly, sel, ctx, what)
}

/** The entry's active period as day numbers; an open end is +∞ when ongoing, unknown otherwise. */
function period(domain: EventDomain, e: Dated): { start: number | undefined; end: number | undefined } {
  if (domain === 'medication' || domain === 'condition') {
    const r = e as MedicationRecord & ConditionRecord
    const from = r.start ?? r.onset
    const to = r.stop ?? r.resolved
    const stop = to === undefined ? undefined : parseIsoDate(to)
    return { start: from === undefined ? undefined : parseIsoDate(from), end: stop ?? (r.ongoing ? Number.POSITIVE_INFINITY : undefined) }
  }
  const date = (e as ProcedureRecord).date
  const d = date === undefined ? undefined : parseIsoDate(date)
  return { start: d, end: d }
}

const WINDOW_DATES_INCOMPLETE: Judgement = { truth: undefined, doubt: 'dates incomplete, cannot tell whether it falls in the window' }

function judgeWindow(domain: EventDomain, e: Dated, w: DayWindow, event: EventParams['event'], ctx: FactContext): Judgement {
  const planned = 'planned' in e && e.planned === true
  if (w.kind === 'planned') return planned ? YES : NO
  if (planned) return NO // planned entries have not happened yet
  if (w.kind === 'any') return YES
  if (w.kind === 'missing') return { truth: undefined, doubt: `no ${w.missing.description}` }
  if (domain === 'medication' && event && event !== 'exposure') return judgeDoseChange(e as MedicationRecord, w, event, ctx)
  // an absent endpoint is undefined here, which intervalsOverlap reads as unknown, as it reads a missing one
  const t = intervalsOverlap(period(domain, e), w)
  return t === 'unknown' ? WINDOW_DATES_INCOMPLETE : t ? YES : NO
}

/** Whether a date is recorded, valid and inside the window. */
function inWindow(s: string | undefined, w: { start: number; end: number }): boolean {
  const d = s === undefined ? undefined : parseIsoDate(s)
  return d !== undefined && d >= w.start && d <= w.end
}

/**
 * An unstable dose inside the window. With `start_stop_or_dose_change` a start
 * or a stop dated in the window counts; a dose change counts in both modes.
 * A drug taken during the window whose dose history is not recorded leaves the
 * question open: "no change recorded" is not "no change".
 */
function judgeDoseChange(m: MedicationRecord, w: { start: number; end: number }, event: MedicationEvent, ctx: FactContext): Judgement {
  const taken = intervalsOverlap(period('medication', m), w)
  if (taken === false) return NO // not taken during the window: nothing changed in it
  if (event === 'start_stop_or_dose_change' && (inWindow(m.start, w) || inWindow(m.stop, w))) return YES
  if (!m.doses) return { truth: undefined, doubt: 'dose history not recorded' }
  const doses = dosesInDateOrder(m.doses, ctx)
  const changed = doses.some((d, i) => {
    const prev = doses[i - 1]
    if (!prev) return false // the first dose is the start, not a change
    const differs = d.amount !== prev.amount || d.unit !== prev.unit || d.frequency !== prev.frequency
    return differs && inWindow(d.date, w)
  })
  if (changed) return YES
  return taken === 'unknown' ? { truth: undefined, doubt: 'dates incomplete, cannot tell whether it was taken in the window' } : NO
}

type Dose = NonNullable<MedicationRecord['doses']>[number]

/**
 * A medication's doses by date (ties keep the record's order), sorted once
 * per record however many dose-change leaves read them.
 */
function dosesInDateOrder(doses: readonly Dose[], ctx: FactContext): Dose[] {
  const sorted = memoized(ctx, 'doses-in-date-order', () => new WeakMap<readonly Dose[], Dose[]>())
  let ordered = sorted.get(doses)
  if (!ordered) sorted.set(doses, (ordered = [...doses].sort((a, b) => compareIsoDates(a.date, b.date))))
  return ordered
}

/** Field filters such as `severity: [severe]` or `hospitalized: true`; unrecorded fields are unknown. */
function judgeFilters(e: Dated, filters: Record<string, unknown> | undefined): Judgement {
  if (filters === undefined || filters === null) return YES
  let unsure = false
  let doubt = ''
  for (const field of Object.keys(filters)) {
    const want = filters[field]
    const got = (e as unknown as Record<string, unknown>)[field]
    if (got === undefined) {
      doubt = unsure ? `${doubt}; ${field} not recorded` : `${field} not recorded`
      unsure = true
      continue
    }
    if (!(Array.isArray(want) ? want.includes(got) : got === want)) return NO
  }
  return unsure ? { truth: undefined, doubt } : YES
}

/**
 * Kleene AND of an entry's three judgements; when unknown, the doubts of the
 * unknown ones in order, joined by "; " (an empty doubt is left out of the result).
 */
function combine(a: Judgement, b: Judgement, c: Judgement): Judgement {
  if (a.truth === false || b.truth === false || c.truth === false) return NO
  if (a.truth === true && b.truth === true && c.truth === true) return YES
  const doubts: string[] = []
  for (const j of [a, b, c]) if (j.truth === undefined) doubts.push(j.doubt ?? '')
  const doubt = doubts.join('; ')
  return doubt ? { truth: undefined, doubt } : { truth: undefined }
}

function summarise(domain: EventDomain, e: AnyEntry): string {
  return `${entryText(domain, e)} (${whenOf(e)})`
}

/** An entry's dates in words: `2026-01-03 to 2026-01-17`, `planned`, `date not recorded`. */
function whenOf(e: AnyEntry | UnrecognisedEntry): string {
  const r = e as Partial<MedicationRecord & ConditionRecord & ProcedureRecord>
  const from = r.start ?? r.onset ?? r.date
  const to = r.stop ?? r.resolved ?? (r.ongoing ? 'ongoing' : undefined)
  return r.planned ? 'planned' : from && to && to !== from ? `${from} to ${to}` : (from ?? (to ? `until ${to}` : 'date not recorded'))
}

interface Found {
  definite: EventMatch[]
  possible: EventMatch[]
}

/** Judge one unrecognised item the record's source held (see PatientRecord.unrecognised). */
function judgeUnrecognisedEntry(
  domain: EventDomain,
  u: UnrecognisedEntry,
  i: number,
  params: EventParams,
  window: DayWindow,
  ctx: FactContext,
  found: Found,
): void {
  const member = judgeUnrecognised(domain, u, params.selection, ctx)
  if (member.truth === false) return
  const j = combine(member, judgeWindow(domain, u, window, params.event, ctx), judgeFilters(u, params.filters))
  if (j.truth === false) return
  const codes = u.codes?.length ? `${u.codes.join(', ')}; ` : ''
  const summary = `unrecognised "${u.text}" (${codes}${whenOf(u)})`
  // never definite: what it is was not recognised
  found.possible.push({
    source: `unrecognised.${SECTION[domain].key}[${i}]`,
    summary,
    doubt: `${j.doubt ?? member.doubt ?? 'not recognised'} — review it`,
    review: true,
  })
}

/** Judge one entry (a top-level function: no closure per leaf on the screening hot path). */
function judgeEntry(domain: EventDomain, e: AnyEntry, i: number, params: EventParams, window: DayWindow, ctx: FactContext, found: Found): void {
  const member = judgeMembership(domain, e, params.selection, ctx)
  // most entries are not in the selection: false AND anything is false, so skip the rest (screening hot path)
  if (member.truth === false) return
  const j = combine(member, judgeWindow(domain, e, window, params.event, ctx), judgeFilters(e, params.filters))
  if (j.truth === false) return
  const match = { source: `${SECTION[domain].key}[${i}]`, summary: summarise(domain, e) }
  if (j.truth === true) found.definite.push(match)
  else if (j.truth === undefined) found.possible.push({ ...match, doubt: j.doubt ?? 'unknown' })
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
  const window = placeWindowCached(params.window, patient, ctx)
  if (entries === undefined) return unknown(`${section.noun} not recorded`, [{ key: section.key, description: section.noun }])
  const found: Found = { definite: [], possible: [] }
  if (Array.isArray(entries)) {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]
      if (e === undefined && !(i in entries)) continue // as forEach, skip holes
      judgeEntry(domain, e as AnyEntry, i, params, window, ctx, found)
    }
  } else {
    // a schema-invalid section fails (or not) as it always has
    for (const [i, e] of (entries as AnyEntry[]).entries()) judgeEntry(domain, e, i, params, window, ctx, found)
  }
  const unrecognised = patient.unrecognised?.[section.key]
  if (Array.isArray(unrecognised)) {
    for (let i = 0; i < unrecognised.length; i++) {
      const u = unrecognised[i]
      if (u !== undefined && u !== null) judgeUnrecognisedEntry(domain, u, i, params, window, ctx, found)
    }
  }
  const { definite, possible } = found
  if (window.kind === 'missing' && definite.length === 0 && possible.length > 0) {
    return unknown(`no ${window.missing.description}, so ${window.text} cannot be placed`, [window.missing])
  }
  const detail =
    definite.length > 0
      ? `found: ${definite.map(m => m.summary).join('; ')}`
      : possible.length > 0
        ? `possibly: ${possible.map(m => `${m.summary}: ${m.doubt}`).join('; ')}`
        : `none ${window.text} among ${entries.length} recorded`
  return known({ definite, possible }, detail)
}
