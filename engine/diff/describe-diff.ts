/**
 * The structured protocol diff (diff-protocols.ts) in words: each changed
 * leaf placed back in its comparison, so a moved threshold reads "Urine
 * protein/creatinine ratio > 1 g/g → > 0.5 g/g" rather than
 * `logic.any[0].measurement.value: 1 → 0.5`. The engine words the diff; the
 * web's compare view (web/components/tp-protocol-compare.ts) renders it.
 *
 * Pure, importing only types and the other shared wording modules, so the
 * browser bundle may import it (test/web/boundaries.test.ts WEB_SHARED).
 */
import type { ProtocolDocument } from '../types.ts'
import type { ItemChange, LeafChange, ProtocolDiff } from './diff-protocols.ts'
import { humanUnit } from '../describe/unit-words.ts'
import { opWords } from '../words/phrases.ts'
import { formatValue, formatWindow, isParamRef, leafSubject, parsePath, valueAt, type Segment } from './diff-words.ts'

export type ChangeStatus = 'added' | 'removed' | 'changed'
export type SectionKey = 'criteria' | 'parameters' | 'arms' | 'visits' | 'endpoints'

/** One thing that moved inside an item, old → new. */
export interface ChangeLine {
  kind: LeafChange['kind']
  /** What changed, in words ("Urine protein/creatinine ratio", "Window of …"). */
  subject: string
  before: string
  after: string
  /** Paths inside the item of the leaves this line stands for. */
  paths: string[]
}

/** A criterion, parameter, arm, visit or endpoint that was added, removed or changed. */
export interface ItemLine {
  id: string
  /** Title or label, from the version it exists in. */
  name?: string
  status: ChangeStatus
  changes: ChangeLine[]
  /** Parameters only: the criteria, arms, visits and endpoints that read it (in the newer version, or the older one if removed). */
  usedBy?: string[]
}

export interface DiffSection {
  key: SectionKey
  title: string
  items: ItemLine[]
}

/** Both documents, and the names of lab concepts the engine's dictionary knows. */
export interface DescribeContext {
  before: ProtocolDocument
  after: ProtocolDocument
  /** Lab concept id -> name (the engine's dictionary); the documents' own `definitions.lab_concepts` are added. */
  conceptNames?: ReadonlyMap<string, string>
}

type Item = Record<string, unknown> & { id: string }

const COMPARISON_KINDS = new Set<LeafChange['kind']>(['threshold', 'operator', 'unit'])

function conceptNamer(ctx: DescribeContext): (id: string) => string {
  const names = new Map(ctx.conceptNames ?? [])
  for (const doc of [ctx.before, ctx.after]) for (const [id, c] of Object.entries(doc.definitions?.lab_concepts ?? {})) names.set(id, c.name)
  return id => names.get(id) ?? id.replace(/_/g, ' ')
}

/** The deepest proper prefix of `segs` at which a comparison body (an object with `op`) sits. */
function comparisonPrefix(item: unknown, segs: Segment[]): Segment[] | undefined {
  for (let n = segs.length - 1; n > 0; n--) {
    const v = valueAt(item, segs.slice(0, n))
    if (typeof v === 'object' && v !== null && 'op' in v) return segs.slice(0, n)
  }
  return undefined
}

/**
 * Group an item's leaf changes into readable lines: leaves of one comparison
 * (its operator, threshold and unit) become one line showing the whole
 * comparison before and after; a changed window is shown whole.
 */
export function describeItemChanges(change: ItemChange, before: Item | undefined, after: Item | undefined, ctx: DescribeContext): ChangeLine[] {
  const conceptName = conceptNamer(ctx)
  const lines = new Map<string, ChangeLine>()
  const add = (key: string, make: () => Omit<ChangeLine, 'paths'>, path: string) => {
    const line = lines.get(key)
    if (line) line.paths.push(path)
    else lines.set(key, { ...make(), paths: [path] })
  }
  for (const leaf of change.changes) {
    const segs = parsePath(leaf.path)
    const w = segs.lastIndexOf('window')
    if (leaf.kind === 'window' && w > 0) {
      const windowPath = segs.slice(0, w + 1)
      const body = segs.slice(0, w)
      add(
        `window:${windowPath.join('.')}`,
        () => ({
          kind: 'window',
          subject: `Window of ${leafSubject(body, after ?? before, conceptName, ctx.after)}`,
          before: formatWindow(valueAt(before, windowPath), ctx.before),
          after: formatWindow(valueAt(after, windowPath), ctx.after),
        }),
        leaf.path,
      )
      continue
    }
    const prefix = COMPARISON_KINDS.has(leaf.kind) ? (comparisonPrefix(after, segs) ?? comparisonPrefix(before, segs)) : undefined
    if (prefix) {
      add(
        `cmp:${prefix.join('.')}`,
        () => ({
          kind: leaf.kind,
          subject: leafSubject(prefix, after ?? before, conceptName, ctx.after),
          before: formatComparison(prefix, before, ctx.before),
          after: formatComparison(prefix, after, ctx.after),
        }),
        leaf.path,
      )
      // the line's kind names the most telling change of the comparison: a threshold over a unit or an operator
      const line = lines.get(`cmp:${prefix.join('.')}`)!
      if (leaf.kind === 'threshold') line.kind = 'threshold'
      continue
    }
    add(
      leaf.path,
      () => ({ kind: leaf.kind, subject: leaf.path, before: formatValue(leaf.from, ctx.before), after: formatValue(leaf.to, ctx.after) }),
      leaf.path,
    )
  }
  return [...lines.values()]
}

/** A comparison body as it reads: `> 1 g/g`, `≤ 125 % of baseline`, `≤ 10 mg/day`, `> 18 years`. */
function formatComparison(prefix: Segment[], item: unknown, doc: ProtocolDocument): string {
  const body = valueAt(item, prefix) as Record<string, unknown> | undefined
  if (!body) return '(none)'
  const leafKey = prefix.at(-1)
  const op = typeof body.op === 'string' ? opWords(body.op) : '?'
  let unit = typeof body.unit === 'string' ? body.unit : ''
  let value = formatValue(leafKey === 'age' ? body.years : body.value, doc)
  if (leafKey === 'age') unit = 'years'
  else if (leafKey === 'steroid_dose')
    unit = 'mg/day' // prednisone-equivalent daily dose (engine/types.ts SteroidDoseLeaf)
  else if (leafKey === 'change' && !unit && typeof body.measure === 'string' && body.measure.startsWith('percent')) unit = '%'
  if (leafKey === 'change' && body.measure === 'ratio') value = `${value} × the earlier value`
  else if (leafKey === 'change' && body.measure === 'percent_of_baseline') value += ' % of baseline'
  else if (leafKey === 'change' && body.measure === 'percent_decrease') value += ' % decrease'
  else if (unit) value += ` ${humanUnit(unit)}`
  return `${op} ${value}`
}

function pairById<T extends { id: string }>(list: T[] | undefined, id: string): Item | undefined {
  return list?.find(x => x.id === id) as Item | undefined
}

function nameOf(item: Item | undefined): string | undefined {
  if (!item) return undefined
  for (const key of ['title', 'label'] as const) if (typeof item[key] === 'string') return item[key] as string
  return undefined
}

/** Every scalar that differs between two plain values, by path (for arms and visits, whose diff names only ids). */
export function scalarChanges(a: unknown, b: unknown, path = ''): Array<{ path: string; from: unknown; to: unknown }> {
  if (JSON.stringify(a) === JSON.stringify(b)) return []
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x) && !isParamRef(x)
  if (Array.isArray(a) && Array.isArray(b))
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => scalarChanges(a[i], b[i], `${path}[${i}]`)).flat()
  if (isObj(a) && isObj(b)) return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap(k => scalarChanges(a[k], b[k], path ? `${path}.${k}` : k))
  return [{ path, from: a, to: b }]
}

const VISIT_FIELDS: Record<string, string> = {
  day: 'Nominal study day',
  'window.before_days': 'Days allowed before the nominal day',
  'window.after_days': 'Days allowed after the nominal day',
  ref: 'Counted from',
  label: 'Label',
}

function listSection<T extends { id: string }>(
  key: SectionKey,
  title: string,
  ids: { added: string[]; removed: string[]; changed: Array<string | ItemChange> },
  pick: (doc: ProtocolDocument) => T[] | undefined,
  ctx: DescribeContext,
  words: Record<string, string> = {},
): DiffSection {
  const before = (id: string) => pairById(pick(ctx.before), id)
  const after = (id: string) => pairById(pick(ctx.after), id)
  const items: ItemLine[] = [
    ...ids.added.map((id): ItemLine => ({ id, name: nameOf(after(id)), status: 'added', changes: [] })),
    ...ids.removed.map((id): ItemLine => ({ id, name: nameOf(before(id)), status: 'removed', changes: [] })),
    ...ids.changed.map((c): ItemLine => {
      const id = typeof c === 'string' ? c : c.id
      const changes =
        typeof c === 'string'
          ? scalarChanges(before(id), after(id)).map(s => ({
              kind: /window|day/.test(s.path) ? ('window' as const) : ('other' as const),
              subject: words[s.path] ?? s.path,
              before: formatValue(s.from, ctx.before),
              after: formatValue(s.to, ctx.after),
              paths: [s.path],
            }))
          : describeItemChanges(c, before(id), after(id), ctx)
      return { id, name: nameOf(after(id) ?? before(id)), status: 'changed', changes }
    }),
  ]
  return { key, title, items }
}

/**
 * Ids of the criteria, arms, visits and endpoints of `doc` that read
 * parameter `name` (as `{ param: name }` or a `parameter: name` leaf).
 *
 * @example
 * parameterUsers(doc, 'screening_lookback_days') // ['IN03', 'IN04', 'IN06']
 */
export function parameterUsers(doc: ProtocolDocument, name: string): string[] {
  const needles = [`"param":${JSON.stringify(name)}`, `"parameter":${JSON.stringify(name)}`]
  const items: Array<{ id: string }> = [...doc.criteria, ...(doc.arms ?? []), ...(doc.visits ?? []), ...(doc.endpoints ?? [])]
  return items
    .filter(item => {
      const text = JSON.stringify(item)
      return needles.some(n => text.includes(n))
    })
    .map(item => item.id)
}

/**
 * Describe a protocol diff section by section: criteria, parameters, arms,
 * visits, endpoints (every section, empty ones too, so that "no change" is
 * said rather than left out).
 *
 * @example
 * describeDiff(diff, { before: v1, after: v2, conceptNames })[0]!.items[0]
 * // { id: 'IN04', status: 'changed', changes: [{ kind: 'threshold', subject: 'Urine protein/creatinine ratio', before: '> 1 g/g', after: '> 0.5 g/g', ... }] }
 */
export function describeDiff(diff: ProtocolDiff, ctx: DescribeContext): DiffSection[] {
  const parameters: DiffSection = {
    key: 'parameters',
    title: 'Parameters',
    items: diff.parameters.map(p => ({
      id: p.name,
      status: p.from === undefined ? 'added' : p.to === undefined ? 'removed' : 'changed',
      changes: [
        { kind: 'other', subject: p.name, before: formatValue(p.from, ctx.before), after: formatValue(p.to, ctx.after), paths: [`parameters.${p.name}.value`] },
      ],
      usedBy: parameterUsers(p.to === undefined ? ctx.before : ctx.after, p.name),
    })),
  }
  return [
    listSection('criteria', 'Eligibility criteria', diff.criteria, d => d.criteria, ctx),
    parameters,
    listSection('arms', 'Arms', diff.arms, d => d.arms, ctx),
    listSection('visits', 'Visits', diff.visits, d => d.visits, ctx, VISIT_FIELDS),
    listSection('endpoints', 'Endpoints', diff.endpoints, d => d.endpoints, ctx),
  ]
}
