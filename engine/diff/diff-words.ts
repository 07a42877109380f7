/**
 * Pieces of a protocol document in words, for the version comparison:
 * values (parameter references with their value, multiples of the upper
 * limit of normal), windows (the one wording, engine/words/windows.ts), and
 * what a logic leaf is about ("Urine protein/creatinine ratio", "Age at
 * informed consent").
 *
 * Pure, importing only types and the other shared wording modules, so the
 * browser bundle may import it (test/web/boundaries.test.ts WEB_SHARED).
 */
import type { ProtocolDocument, Window } from '../types.ts'
import { referenceLabel, visitLabel, windowWords } from '../words/windows.ts'

export type Segment = string | number

/**
 * A diff path as segments.
 *
 * @example
 * parsePath('logic.any[0].measurement.value') // ['logic', 'any', 0, 'measurement', 'value']
 */
export function parsePath(path: string): Segment[] {
  const segs: Segment[] = []
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part)
    if (!m) {
      segs.push(part)
      continue
    }
    if (m[1]) segs.push(m[1])
    for (const i of m[2]!.matchAll(/\[(\d+)\]/g)) segs.push(Number(i[1]))
  }
  return segs
}

/** The value at `segs` inside `root`, or undefined when the path does not exist there. */
export function valueAt(root: unknown, segs: readonly Segment[]): unknown {
  let v = root
  for (const s of segs) {
    if (typeof v !== 'object' || v === null) return undefined
    v = (v as Record<string, unknown>)[s]
  }
  return v
}

/** Exactly `{ param: name }` (a diff's values are any JSON, so an object with more keys is not one). */
export const isParamRef = (v: unknown): v is { param: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { param?: unknown }).param === 'string' && Object.keys(v).length === 1

/**
 * A value as it reads: a parameter reference names the parameter and its
 * value in that version; a multiple of the upper limit of normal says so.
 *
 * @example
 * formatValue({ param: 'screening_lookback_days' }, doc) // 'screening_lookback_days (28)'
 * formatValue({ times_upper_limit: 2 }, doc) // '2 × ULN'
 */
export function formatValue(v: unknown, doc: ProtocolDocument): string {
  if (v === undefined) return '(none)'
  if (v === null) return 'null'
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (isParamRef(v)) {
    const value = doc.parameters?.[v.param]?.value
    return value === undefined ? `${v.param} (undefined parameter)` : `${v.param} (${String(value)})`
  }
  if (Array.isArray(v)) return `[${v.map(x => formatValue(x, doc)).join(', ')}]`
  const o = v as Record<string, unknown>
  if ('times_upper_limit' in o && Object.keys(o).length === 1) return `${formatValue(o.times_upper_limit, doc)} × ULN`
  return `{ ${Object.entries(o)
    .map(([k, x]) => `${k}: ${formatValue(x, doc)}`)
    .join(', ')} }`
}

/** A window's shape (what the schema allows); anything else in a diff reads as a plain value. */
function isWindow(o: Record<string, unknown>): boolean {
  return (
    typeof o.before === 'string' ||
    (typeof o.ref === 'string' && 'from_day' in o) ||
    typeof o.at === 'string' ||
    o.planned === 'during_study' ||
    typeof o.visit === 'string'
  )
}

/**
 * A window as it reads (the one wording), its parameters named with their
 * value in that version, as every value of the comparison.
 *
 * @example
 * formatWindow({ days: { param: 'screening_lookback_days' }, before: 'screening' }, doc)
 * // 'within screening_lookback_days (28) days before screening'
 */
export function formatWindow(w: unknown, doc: ProtocolDocument): string {
  if (w === undefined) return windowWords(undefined, { doc, number: String })
  if (typeof w !== 'object' || w === null || !isWindow(w as Record<string, unknown>)) return formatValue(w, doc)
  return windowWords(w as Window, { doc, number: x => formatValue(x, doc) })
}

/** The visit a leaf reads at: `current` is the visit being evaluated. */
const atVisit = (id: string, doc: ProtocolDocument) => (id === 'current' ? 'the visit' : visitLabel(doc, id))

const EVENT_LEAVES: Record<string, string> = { medication: 'Medication', condition: 'Condition', procedure: 'Procedure', vaccination: 'Vaccination' }

/**
 * What the logic leaf at `bodyPath` (ending in its key: `measurement`,
 * `change`, `age`...) is about.
 *
 * @example
 * leafSubject(['logic', 'any', 0, 'measurement'], criterion, conceptName, doc) // 'Urine protein/creatinine ratio'
 */
export function leafSubject(bodyPath: readonly Segment[], item: unknown, conceptName: (id: string) => string, doc: ProtocolDocument): string {
  const key = bodyPath.at(-1)
  const body = valueAt(item, bodyPath) as Record<string, unknown> | undefined
  const str = (k: string) => (typeof body?.[k] === 'string' ? (body[k] as string) : undefined)
  const fallback = bodyPath.join('.')
  if (!body) return fallback
  switch (key) {
    case 'measurement':
      return str('concept') ? conceptName(str('concept')!) : fallback
    case 'change':
      // `from` is a visit id, or a value selected in a window or span (an earlier value)
      return `${conceptName(str('concept') ?? '?')}, change from ${body.from !== undefined && typeof body.from === 'object' ? 'an earlier value' : atVisit(str('from') ?? 'baseline', doc)}`
    case 'steroid_dose':
      return `Glucocorticoid dose (prednisone equivalent) at ${atVisit(str('at') ?? 'current', doc)}`
    case 'age':
      return `Age at ${referenceLabel(doc, str('at') ?? '?')}`
    case 'pregnancy_test':
      return `${str('specimen') ?? ''} pregnancy test`.trim()
    default:
      if (typeof key === 'string' && key in EVENT_LEAVES) {
        const what = str('set') ?? (Array.isArray(body.items) ? body.items.join(', ') : Array.isArray(body.classes) ? body.classes.join(', ') : '')
        return `${EVENT_LEAVES[key]} ${what}`.trim()
      }
      return fallback
  }
}
