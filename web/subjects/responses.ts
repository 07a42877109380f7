/**
 * Response status at each visit from GET /subjects/:sid/endpoints: the
 * classification (CR / PR / NR, or unknown with what is missing) and each
 * response endpoint's truth, in words.
 */
import type { SubjectEndpoints } from '../api/subjects.ts'
import type { VisitStatus } from './visit-status.ts'

export interface ResponseRow {
  visit: string
  /** Classification per classification endpoint, in words ("PR", "unknown (at least PR)"). */
  status: Array<{ endpoint: string; words: string; level: string }>
  /** Truth per response endpoint, in words with a symbol. */
  truths: Record<string, string>
  /** What is still needed to decide, deduplicated. */
  missing: string[]
  /** The visit's status (visit-status.ts), when the plan placed it. */
  when?: VisitStatus
  /** Not recorded and its window not closed: nothing can be decided yet, and that is no alarm. */
  pending: boolean
}

const TRUTH_WORDS: Record<string, string> = { met: '✓ met', not_met: '✗ not met', unknown: '? unknown' }

/** snake_case id as words: complete_response -> "complete response". */
export const humanize = (id: string) => id.replace(/_/g, ' ')

/**
 * Rows in visit order (the order the endpoints list them).
 *
 * @param statuses each visit's status (visitStatuses): a visit not yet due, or due and not recorded, is `pending`
 */
export function responseTable(
  e: Pick<SubjectEndpoints, 'responses' | 'classifications'>,
  statuses: ReadonlyMap<string, VisitStatus> = new Map(),
): { endpoints: string[]; rows: ResponseRow[] } {
  const endpoints = [...new Set(e.responses.map(r => r.endpoint))]
  const visits = [...new Set([...e.classifications.map(c => c.visit), ...e.responses.map(r => r.visit)])]
  const rows = visits.map((visit): ResponseRow => {
    const cls = e.classifications.filter(c => c.visit === visit)
    const res = e.responses.filter(r => r.visit === visit)
    const missing = [...new Set([...cls.flatMap(c => c.missing), ...res.flatMap(r => r.missing)].map(m => m.description))]
    const when = statuses.get(visit)
    return {
      visit,
      ...(when ? { when } : {}),
      pending: when?.kind === 'not-yet-due' || when?.kind === 'due',
      status: cls.map(c => ({
        endpoint: c.endpoint,
        level: c.level,
        words: c.level === 'unknown' ? `? unknown${c.at_least ? ` (at least ${c.at_least})` : ''}` : c.level,
      })),
      truths: Object.fromEntries(res.map(r => [r.endpoint, TRUTH_WORDS[r.truth] ?? r.truth])),
      missing,
    }
  })
  return { endpoints, rows }
}
