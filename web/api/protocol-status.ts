/**
 * A protocol's lifecycle over HTTP (server/routes/protocol-status.ts): its
 * status and the changes of it, and changing it. Who may use a protocol of
 * each status is the server's rule; `openToClinicians` is what the pickers
 * offer clinicians (active protocols only).
 */
import { json } from '../api.ts'

/** draft: being written; active: open for screening and registration; retired: closed to both, its subjects still followed. */
export type ProtocolStatus = 'draft' | 'active' | 'retired'

/** One change of a protocol's status (who, when, why); `from_status` null for the status it was created with. */
export interface StatusChange {
  id: number
  protocol_id: string
  from_status: ProtocolStatus | null
  to_status: ProtocolStatus
  reason: string | null
  actor: string
  actor_role: string | null
  /** ISO 8601 instant (UTC). */
  at: string
}

/** A change the protocol may make from its current status: who may make it, whether a reason is required. */
export interface StatusTransition {
  status: ProtocolStatus
  by: 'edit_protocols' | 'admin'
  reason_required: boolean
}

export interface ProtocolStatusInfo {
  id: string
  status: ProtocolStatus
  transitions: StatusTransition[]
  /** Oldest first. */
  changes: StatusChange[]
}

const path = (id: string) => `/protocols/${encodeURIComponent(id)}/status`

/** The status, the changes it may make next, and its history. */
export const getProtocolStatus = (id: string, signal?: AbortSignal): Promise<ProtocolStatusInfo> => json(path(id), { signal })

/**
 * Change the status. Rejects with a ProblemError: 409 for a change not
 * allowed from the current status, 403 (reactivating) for a non-admin, 400
 * when a required reason is missing.
 */
export const setProtocolStatus = (id: string, status: ProtocolStatus, reason?: string): Promise<{ id: string; status: ProtocolStatus; change: StatusChange }> =>
  json(path(id), { method: 'POST', json: reason?.trim() ? { status, reason: reason.trim() } : { status } })

/** Whether clinicians may screen, register and match against it (a clinician-facing picker offers only these). */
export const openToClinicians = (p: { status: ProtocolStatus }): boolean => p.status === 'active'

/** How a status reads to people. */
export const STATUS_LABELS: Record<ProtocolStatus, string> = { draft: 'Draft', active: 'Active', retired: 'Retired' }
