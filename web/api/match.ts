/** Cross-trial matching over HTTP (POST /match). */
import type { MatchRow } from '../../engine/index.ts'
import { json, listProtocols, type ProtocolSummary } from '../api.ts'
import { openToClinicians } from './protocol-status.ts'

export type MatchResultRow = MatchRow & { protocol_id: string; version: number }

export interface MatchResult {
  patient_id: string | null
  rows: MatchResultRow[]
}

/** Rank every stored protocol (latest versions) for one patient; nothing is logged. */
export const matchPatientAcrossProtocols = (patient: unknown, signal?: AbortSignal): Promise<MatchResult> =>
  json('/match', { method: 'POST', json: patient, signal })

/** The protocols a clinician may start a match from: active ones (web/api/protocol-status.ts); a server without statuses lists every protocol as active. */
export async function listActiveProtocols(signal?: AbortSignal): Promise<ProtocolSummary[]> {
  const all = await listProtocols(signal)
  return all.filter(p => openToClinicians({ status: p.status ?? 'active' }))
}
