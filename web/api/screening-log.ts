/**
 * The screening log over HTTP (server/routes/screening-log.ts): every
 * evaluation filed, with the subject it was filed under, if any.
 */
import { json } from '../api.ts'
import type { Verdict } from '../../engine/index.ts'

/** A row of GET /protocols/:id/screening-log. */
export interface ScreeningLogEntry {
  id: number
  created_at: string
  protocol_id: string
  version: number
  /** The subject the evaluation was filed under; null for an anonymous evaluation. */
  subject_id: string | null
  subject_code: string | null
  overall: Verdict['overall']
  failing: string[]
  actor: string
}

export interface ScreeningLogPage {
  items: ScreeningLogEntry[]
  /** The `after` of the next page; null on the last. */
  next_after: number | null
}

export const getScreeningLogPage = (protocolId: string, after = 0, limit = 1000, signal?: AbortSignal): Promise<ScreeningLogPage> =>
  json(`/protocols/${encodeURIComponent(protocolId)}/screening-log?after=${after}&limit=${limit}`, { signal })

/** The latest `count` entries, newest first (the log pages oldest first: every page is read). */
export async function latestScreeningLog(protocolId: string, count: number, signal?: AbortSignal): Promise<{ entries: ScreeningLogEntry[]; total: number }> {
  let kept: ScreeningLogEntry[] = []
  let total = 0
  for (let after = 0; ; ) {
    const page = await getScreeningLogPage(protocolId, after, 1000, signal)
    total += page.items.length
    kept = [...kept, ...page.items].slice(-count)
    if (page.next_after === null) break
    after = page.next_after
  }
  return { entries: kept.reverse(), total }
}
