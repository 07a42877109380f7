/**
 * Random patient records for the fast-path equivalence test and bench: a
 * protocol's example patients with random mutations, many of them aimed at
 * the protocol's own thresholds (read from its compiled rules): values
 * exactly at a threshold, a hair either side, in another unit; ages on the
 * birthday ±1 day; events just inside and outside windows; sections, dates,
 * items and fields deleted; dates shifted; booleans flipped. Not real patients.
 */
import fc from 'fast-check'
import { canConvert, convertQuantity } from '../../../engine/calculators/index.ts'
import {
  compileProtocol,
  examplePatient,
  resolveLabConcept,
  type CompiledProtocol,
  type ExamplesDocument,
  type PatientRecord,
  type ProtocolDocument,
} from '../../../engine/index.ts'

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
type Obj = { [k: string]: Json }

interface Leaf {
  fact: string
  operator: string
  value: unknown
  params?: Record<string, unknown>
}

interface Window {
  kind: string
  ref?: string
  days?: number
  months?: number
}

/** What the generator knows about a protocol: its example patients and the thresholds its rules compare with. */
export interface PerturbModel {
  bases: PatientRecord[]
  refs: string[]
  measurements: Array<{ concept: string; unit: string; value: number; window?: Window; units: string[] }>
  ages: Array<{ at: string; years: number }>
  events: Array<{ fact: string; item: string; window?: Window }>
  attestations: string[]
  records: string[]
}

const SECTIONS = [
  'birth_date',
  'sex',
  'dates',
  'reproductive',
  'measurements',
  'sledai_2k',
  'acr_1997',
  'medications',
  'conditions',
  'procedures',
  'vaccinations',
  'kidney_biopsies',
  'informed_consent',
  'attestations',
]
// units a record may arrive in; each threshold gets those convertible into its own
const UNIT_VARIANTS = [
  'g/g',
  'mg/g',
  'mg/mmol',
  'g/mmol',
  'g/(24.h)',
  'mg/(24.h)',
  'mg/dL',
  'umol/L',
  'mmol/L',
  'g/L',
  'mg/L',
  'g/dL',
  'mL/min/{1.73_m2}',
  '10*9/L',
  '10*3/uL',
  '%',
  '{score}',
]

function leavesOf(x: unknown, out: Leaf[] = []): Leaf[] {
  if (Array.isArray(x)) for (const v of x) leavesOf(v, out)
  else if (x && typeof x === 'object') {
    if ('fact' in x && 'operator' in x) out.push(x as Leaf)
    for (const v of Object.values(x)) leavesOf(v, out)
  }
  return out
}

/** Read the thresholds and event items from a compiled protocol's rules. */
export function perturbModel(doc: ProtocolDocument, examples: ExamplesDocument | undefined, compiled: CompiledProtocol = compileProtocol(doc)): PerturbModel {
  const leaves = leavesOf(compiled.rules)
  const bases = examples ? examples.examples.map(e => examplePatient(examples, e.id)) : [{ id: 'empty' }]
  const refs = Object.keys(doc.reference_dates ?? {})
  const m: PerturbModel = { bases, refs, measurements: [], ages: [], events: [], attestations: [], records: [] }
  const seen = new Set<string>()
  const once = (k: string) => {
    if (seen.has(k)) return false
    seen.add(k)
    return true
  }
  for (const l of leaves) {
    const p = l.params ?? {}
    // either's alternatives carry their threshold inside { op, value }
    const value = l.operator === 'definitely' || l.operator === 'undecided' ? (l.value as { value: unknown } | null)?.value : l.value
    if (l.fact === 'measurement' && typeof value === 'number' && typeof p.concept === 'string') {
      const unit = typeof p.unit === 'string' ? p.unit : (resolveLabConcept(p.concept, compiled.dictionary)?.unit ?? '')
      if (!once(`m:${p.concept}:${unit}:${value}`)) continue
      const concept = resolveLabConcept(p.concept, compiled.dictionary)
      const units = [unit, ...UNIT_VARIANTS.filter(u => u !== unit && unit !== '' && canConvert(unit, u, concept))]
      m.measurements.push({ concept: p.concept, unit, value, window: p.window as Window | undefined, units })
    } else if (l.fact === 'age' && value && typeof value === 'object' && 'years' in value && typeof p.at === 'string') {
      if (once(`a:${p.at}:${(value as { years: number }).years}`)) m.ages.push({ at: p.at, years: (value as { years: number }).years })
    } else if (['medication', 'condition', 'procedure', 'vaccination'].includes(l.fact)) {
      const items = ((p.selection as { items?: string[] } | undefined)?.items ?? []).slice(0, 4)
      for (const item of items)
        if (once(`e:${l.fact}:${item}:${JSON.stringify(p.window)}`)) m.events.push({ fact: l.fact, item, window: p.window as Window | undefined })
    } else if (l.fact === 'attestation' && typeof p.name === 'string') {
      if (once(`t:${p.name}`)) m.attestations.push(p.name)
    } else if (l.fact === 'record' && typeof p.name === 'string') {
      if (once(`r:${p.name}`)) m.records.push(p.name)
    }
  }
  return m
}

function isoAddDays(iso: string, days: number): string {
  const [y, mo, d] = iso.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, mo - 1, d) + days * 86_400_000).toISOString().slice(0, 10)
}
function isoAddYears(iso: string, years: number): string {
  const [y, mo, d] = iso.split('-').map(Number) as [number, number, number]
  // 29 February in a common year falls on 1 March, as Date.UTC rolls it
  return new Date(Date.UTC(y + years, mo - 1, d)).toISOString().slice(0, 10)
}

/** One mutation, as plain data so fast-check can shrink it. */
export type Mutation =
  | { k: 'drop-section'; section: number }
  | { k: 'drop-date'; ref: number }
  | { k: 'drop-leaf'; pick: number }
  | { k: 'shift-date'; pick: number; days: number }
  | { k: 'nudge-number'; pick: number; delta: number }
  | { k: 'flip-bool'; pick: number }
  | { k: 'duplicate-item'; pick: number; days: number }
  | { k: 'threshold'; leaf: number; delta: number; unit: number; day: number }
  | { k: 'age'; leaf: number; days: number }
  | { k: 'event'; leaf: number; edge: number; ongoing: boolean }
  | { k: 'attest'; leaf: number; value: boolean | null }

// offsets that sit on and around a threshold: exact, a hair, a rounding step, a whole unit
const DELTAS = [0, 0, 0, 1e-9, -1e-9, 1e-6, -1e-6, 0.001, -0.001, 0.01, -0.01, 0.05, -0.05, 0.5, -0.5, 1, -1, 5, -5]

export function mutationArb(): fc.Arbitrary<Mutation> {
  const nat = fc.nat({ max: 1000 })
  return fc.oneof(
    fc.record({ k: fc.constant('drop-section' as const), section: nat }),
    fc.record({ k: fc.constant('drop-date' as const), ref: nat }),
    fc.record({ k: fc.constant('drop-leaf' as const), pick: nat }),
    fc.record({ k: fc.constant('shift-date' as const), pick: nat, days: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -400, max: 400 })) }),
    fc.record({ k: fc.constant('nudge-number' as const), pick: nat, delta: fc.constantFrom(...DELTAS, 0.1, -0.1, 2, -2, 10, -10) }),
    fc.record({ k: fc.constant('flip-bool' as const), pick: nat }),
    fc.record({ k: fc.constant('duplicate-item' as const), pick: nat, days: fc.integer({ min: -60, max: 60 }) }),
    fc.record({ k: fc.constant('threshold' as const), leaf: nat, delta: fc.constantFrom(...DELTAS), unit: nat, day: fc.integer({ min: -2, max: 40 }) }),
    fc.record({ k: fc.constant('age' as const), leaf: nat, days: fc.integer({ min: -2, max: 2 }) }),
    fc.record({ k: fc.constant('event' as const), leaf: nat, edge: fc.integer({ min: -2, max: 2 }), ongoing: fc.boolean() }),
    fc.record({ k: fc.constant('attest' as const), leaf: nat, value: fc.constantFrom(true, false, null) }),
  )
}

type Where = { parent: Obj | Json[]; key: string | number; value: Json }
const DATE = /^\d{4}-\d{2}-\d{2}$/

function walk(x: Json, out: Where[], parent?: Obj | Json[], key?: string | number): Where[] {
  if (parent !== undefined && key !== undefined) out.push({ parent, key, value: x })
  if (Array.isArray(x)) for (const [i, v] of x.entries()) walk(v, out, x, i)
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) walk(v, out, x, k)
  return out
}

function refDate(p: Obj, ref: string | undefined): string {
  const dates = (p.dates ?? {}) as Record<string, Json>
  const d = (ref && dates[ref]) || dates.screening || Object.values(dates).find(v => typeof v === 'string')
  return typeof d === 'string' && DATE.test(d) ? d : '2026-01-05'
}

function remove(w: Where): void {
  if (Array.isArray(w.parent)) w.parent.splice(w.key as number, 1)
  else delete w.parent[w.key as string]
}

function section(p: Obj, name: string): Json[] {
  const s = p[name]
  if (Array.isArray(s)) return s
  const fresh: Json[] = []
  p[name] = fresh
  return fresh
}

/** Apply one mutation in place. */
export function mutate(model: PerturbModel, p: Obj, m: Mutation): void {
  const at = <T>(xs: readonly T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length])
  switch (m.k) {
    case 'drop-section':
      delete p[SECTIONS[m.section % SECTIONS.length]!]
      return
    case 'drop-date': {
      const dates = p.dates as Obj | undefined
      const ref = at(model.refs, m.ref)
      if (dates && ref) delete dates[ref]
      return
    }
    case 'drop-leaf': {
      const w = at(walk(p, []), m.pick)
      if (w) remove(w)
      return
    }
    case 'shift-date': {
      const w = at(
        walk(p, []).filter(x => typeof x.value === 'string' && DATE.test(x.value)),
        m.pick,
      )
      if (w) (w.parent as Obj)[w.key as string] = isoAddDays(w.value as string, m.days)
      return
    }
    case 'nudge-number': {
      const w = at(
        walk(p, []).filter(x => typeof x.value === 'number'),
        m.pick,
      )
      if (w) (w.parent as Obj)[w.key as string] = Math.max(0, (w.value as number) + m.delta)
      return
    }
    case 'flip-bool': {
      const w = at(
        walk(p, []).filter(x => typeof x.value === 'boolean'),
        m.pick,
      )
      if (w) (w.parent as Obj)[w.key as string] = !w.value
      return
    }
    case 'duplicate-item': {
      const w = at(
        walk(p, []).filter(x => Array.isArray(x.parent) && x.value !== null && typeof x.value === 'object' && !Array.isArray(x.value)),
        m.pick,
      )
      if (!w) return
      const copy = structuredClone(w.value) as Obj
      for (const [k, v] of Object.entries(copy)) if (typeof v === 'string' && DATE.test(v)) copy[k] = isoAddDays(v, m.days)
      ;(w.parent as Json[]).push(copy)
      return
    }
    case 'threshold': {
      const t = at(model.measurements, m.leaf)
      if (!t) return
      const unit = t.units[m.unit % t.units.length]!
      const concept = resolveLabConcept(t.concept)
      let value = t.value + m.delta
      if (unit !== t.unit) {
        const c = convertQuantity(value, t.unit, unit, concept)
        if (!c.ok) return
        value = c.value
      }
      const date = isoAddDays(refDate(p, t.window?.ref), -(m.day === 40 ? (t.window?.days ?? 0) : m.day === 39 ? (t.window?.days ?? 0) + 1 : m.day))
      if (t.concept === 'sledai_2k_score') {
        p.sledai_2k = [{ date, score: Math.max(0, Math.round(value)) }]
        return
      }
      const list = section(p, 'measurements').filter(x => (x as Obj | null)?.concept !== t.concept)
      list.push({ concept: t.concept, value: Math.max(0, value), unit, date })
      p.measurements = list
      return
    }
    case 'age': {
      const a = at(model.ages, m.leaf)
      if (!a) return
      p.birth_date = isoAddDays(isoAddYears(refDate(p, a.at), -a.years), m.days)
      return
    }
    case 'event': {
      const e = at(model.events, m.leaf)
      if (!e) return
      const ref = refDate(p, e.window?.ref)
      const back = e.window?.kind === 'range' ? (e.window.days ?? 0) + (e.window.months ?? 0) * 30 : 30
      const date = e.window?.kind === 'planned' ? isoAddDays(ref, 30) : isoAddDays(ref, -back + m.edge)
      const planned = e.window?.kind === 'planned'
      if (e.fact === 'medication')
        section(p, 'medications').push({ drug: e.item, start: isoAddDays(date, -30), ...(m.ongoing ? { ongoing: true } : { stop: date }) })
      else if (e.fact === 'condition')
        section(p, 'conditions').push({ concept: e.item, onset: isoAddDays(date, -10), ...(m.ongoing ? { ongoing: true } : { resolved: date }) })
      else if (e.fact === 'procedure')
        section(p, 'procedures').push({ concept: e.item, date, ...(planned ? { planned: true } : {}), ...(m.ongoing ? { major: true } : {}) })
      else section(p, 'vaccinations').push({ vaccine: e.item, date, ...(planned ? { planned: true } : {}) })
      return
    }
    case 'attest': {
      const name = at(model.attestations, m.leaf)
      if (!name) return
      const attestations = (p.attestations && typeof p.attestations === 'object' ? p.attestations : (p.attestations = {})) as Obj
      if (m.value === null) delete attestations[name]
      else attestations[name] = m.value
      return
    }
  }
}

/** An arbitrary patient record: an example patient with 0–8 mutations. */
export function patientArb(model: PerturbModel): fc.Arbitrary<PatientRecord> {
  return fc.record({ base: fc.nat({ max: model.bases.length - 1 }), mutations: fc.array(mutationArb(), { maxLength: 8 }) }).map(({ base, mutations }) => {
    const p = structuredClone(model.bases[base]!) as unknown as Obj
    for (const m of mutations) mutate(model, p, m)
    return p as unknown as PatientRecord
  })
}
