/**
 * A structured diff between two versions of a protocol: criteria added,
 * removed and changed, with the thresholds and windows that moved, and the
 * parameters, arms, visits and endpoints that changed.
 */
import type { ProtocolDocument } from '../types.ts'

export interface LeafChange {
  /** Path inside the criterion or endpoint, e.g. `logic.any[0].measurement.value`. */
  path: string
  kind: 'threshold' | 'window' | 'unit' | 'operator' | 'other'
  from: unknown
  to: unknown
}

export interface ItemChange {
  id: string
  fields: string[]
  changes: LeafChange[]
}

export interface ProtocolDiff {
  criteria: { added: string[]; removed: string[]; changed: ItemChange[] }
  parameters: Array<{ name: string; from: unknown; to: unknown }>
  arms: { added: string[]; removed: string[]; changed: string[] }
  visits: { added: string[]; removed: string[]; changed: string[] }
  endpoints: { added: string[]; removed: string[]; changed: ItemChange[] }
  /** True when nothing that evaluation reads differs. */
  identical: boolean
}

const THRESHOLD_KEYS = new Set(['value', 'years', 'n', 'times_upper_limit', 'by_at_least', 'reduction', 'pga_worsening_limit', 'min_grade_increase'])
const WINDOW_KEYS = new Set(['weeks', 'days', 'before', 'at', 'planned', 'visit', 'before_days', 'after_days'])

function kindOf(key: string): LeafChange['kind'] {
  if (THRESHOLD_KEYS.has(key)) return 'threshold'
  if (WINDOW_KEYS.has(key)) return 'window'
  if (key === 'unit') return 'unit'
  if (key === 'op') return 'operator'
  return 'other'
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** Every scalar that differs between two JSON values, by path. */
function leafChanges(a: unknown, b: unknown, path: string, out: LeafChange[]): void {
  if (same(a, b)) return
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) leafChanges(a[i], b[i], `${path}[${i}]`, out)
    return
  }
  if (isObj(a) && isObj(b) && !Array.isArray(a) && !Array.isArray(b) && !('param' in a && 'param' in b && Object.keys(a).length === 1)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) leafChanges(a[key], b[key], path ? `${path}.${key}` : key, out)
    return
  }
  const key = path
    .split('.')
    .at(-1)!
    .replace(/\[\d+\]$/, '')
  out.push({ path, kind: kindOf(key), from: a, to: b })
}

function byId<T extends { id: string }>(a: T[] = [], b: T[] = []) {
  const before = new Map(a.map(x => [x.id, x]))
  const after = new Map(b.map(x => [x.id, x]))
  return {
    added: [...after.keys()].filter(id => !before.has(id)),
    removed: [...before.keys()].filter(id => !after.has(id)),
    both: [...after.keys()].filter(id => before.has(id)).map(id => [before.get(id)!, after.get(id)!] as const),
  }
}

function itemChanges<T extends { id: string }>(pairs: ReadonlyArray<readonly [T, T]>): ItemChange[] {
  return pairs.flatMap(([x, y]) => {
    const fields = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter(k => !same((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]))
    if (fields.length === 0) return []
    const changes: LeafChange[] = []
    for (const f of fields) leafChanges((x as Record<string, unknown>)[f], (y as Record<string, unknown>)[f], f, changes)
    return [{ id: x.id, fields, changes }]
  })
}

/**
 * Compare two protocol documents.
 *
 * @example
 * diffProtocols(v1, v2).criteria.changed
 * // [{ id: 'IN04', fields: ['logic'], changes: [{ path: 'logic.any[0].measurement.value', kind: 'threshold', from: 1, to: 1.5 }] }]
 */
export function diffProtocols(a: ProtocolDocument, b: ProtocolDocument): ProtocolDiff {
  const criteria = byId(a.criteria, b.criteria)
  const arms = byId(a.arms, b.arms)
  const visits = byId(a.visits, b.visits)
  const endpoints = byId(a.endpoints, b.endpoints)
  const paramNames = new Set([...Object.keys(a.parameters ?? {}), ...Object.keys(b.parameters ?? {})])
  const parameters = [...paramNames]
    .map(name => ({ name, from: a.parameters?.[name]?.value, to: b.parameters?.[name]?.value }))
    .filter(p => !same(p.from, p.to))
  const diff: ProtocolDiff = {
    criteria: { added: criteria.added, removed: criteria.removed, changed: itemChanges(criteria.both) },
    parameters,
    arms: { added: arms.added, removed: arms.removed, changed: arms.both.filter(([x, y]) => !same(x, y)).map(([x]) => x.id) },
    visits: { added: visits.added, removed: visits.removed, changed: visits.both.filter(([x, y]) => !same(x, y)).map(([x]) => x.id) },
    endpoints: { added: endpoints.added, removed: endpoints.removed, changed: itemChanges(endpoints.both) },
    identical: false,
  }
  diff.identical =
    !diff.criteria.added.length &&
    !diff.criteria.removed.length &&
    !diff.criteria.changed.length &&
    !parameters.length &&
    !diff.arms.added.length &&
    !diff.arms.removed.length &&
    !diff.arms.changed.length &&
    !diff.visits.added.length &&
    !diff.visits.removed.length &&
    !diff.visits.changed.length &&
    !diff.endpoints.added.length &&
    !diff.endpoints.removed.length &&
    !diff.endpoints.changed.length &&
    same(a.definitions, b.definitions) &&
    same(a.reference_dates, b.reference_dates) &&
    same(a.attestations, b.attestations)
  return diff
}
