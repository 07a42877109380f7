/** Cross-trial matching over HTTP (POST /match). */
import type { MatchRow } from '../../engine/index.ts'
import { json } from '../api.ts'

export type MatchResultRow = MatchRow & { protocol_id: string; version: number }

export interface MatchResult {
  patient_id: string | null
  rows: MatchResultRow[]
}

/** Rank every stored protocol (latest versions) for one patient; nothing is logged. */
export const matchPatientAcrossProtocols = (patient: unknown, signal?: AbortSignal): Promise<MatchResult> =>
  json('/match', { method: 'POST', json: patient, signal })
