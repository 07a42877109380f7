/**
 * Baseline visits served by data already recorded. A protocol marks a visit
 * as a baseline by naming it as the reference of an endpoint (`baseline:` of
 * a change, shift or ratio; `from:` of a logic `change`), and the endpoints
 * read a baseline value as the measurement nearest the visit within its
 * window (facts/select-measurement): so a baseline visit left unrecorded as a
 * visit, but whose window holds measurements (typically the screening labs),
 * still has its baseline. Dates are ISO calendar dates compared as text.
 */
import type { ProtocolDocument } from '../types.ts'
import type { PlannedVisit, SubjectRecord } from '../types/study.ts'

/** Keys under which an endpoint names the visit its baseline value comes from. */
const BASELINE_KEYS = new Set(['baseline', 'from'])

/**
 * The ids of the visits the protocol's endpoints read as a baseline, in plan order.
 *
 * @example baselineVisitIds(doc) // ['baseline'] when an endpoint's baseline is the visit 'baseline'
 */
export function baselineVisitIds(doc: Pick<ProtocolDocument, 'visits' | 'endpoints'>): string[] {
  const named = new Set<string>()
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x)
      return
    }
    if (typeof v !== 'object' || v === null) return
    for (const [k, x] of Object.entries(v)) {
      if (BASELINE_KEYS.has(k) && typeof x === 'string') named.add(x)
      else walk(x)
    }
  }
  walk(doc.endpoints ?? [])
  return (doc.visits ?? []).map(v => v.id).filter(id => named.has(id))
}

/**
 * For each baseline visit not recorded as a visit, the date of the latest
 * measurement of the subject within its window (the data that serve as its
 * baseline); a baseline visit with no measurement in its window is absent.
 */
export function baselineFromData(
  planned: readonly PlannedVisit[],
  baselineIds: readonly string[],
  record: Pick<SubjectRecord, 'visits' | 'measurements'>,
): Record<string, string> {
  const recorded = new Set((record.visits ?? []).map(v => v.visit))
  const out: Record<string, string> = {}
  for (const p of planned) {
    if (!baselineIds.includes(p.visit) || recorded.has(p.visit)) continue
    const dates = (record.measurements ?? []).map(m => m.date).filter(d => d >= p.window_start && d <= p.window_end)
    const latest = dates.sort().at(-1)
    if (latest !== undefined) out[p.visit] = latest
  }
  return out
}
