/**
 * Protocol statuses on SQLite (migration 006): the current status on the
 * protocol's row, every change in protocol_status_changes (append-only by
 * trigger) and in the audit hash chain, in one transaction.
 */
import type { Database } from 'better-sqlite3'
import { audited } from './store-rules.ts'
import type { AuditLog } from './sqlite-audit.ts'
import type { WriteTransaction } from './sqlite-tokens.ts'
import type { Actor, ProtocolRow, ProtocolStatus, ProtocolStatusChange, WriteResult } from './store.ts'

export interface ProtocolStatusStatements {
  /** Record the status a new protocol starts with; call inside the transaction that creates it. */
  recordInitial(id: string, status: ProtocolStatus, reason: string | null, actor: Actor, at: string): ProtocolStatusChange
  set(
    input: { id: string; from: ProtocolStatus; to: ProtocolStatus; reason: string | null },
    actor: Actor,
    at: string,
  ): WriteResult<{ protocol: ProtocolRow; change: ProtocolStatusChange }>
  changes(id: string): ProtocolStatusChange[]
}

export function sqliteProtocolStatus(db: Database, audit: AuditLog, transaction: WriteTransaction): ProtocolStatusStatements {
  const insert = db.prepare(
    'INSERT INTO protocol_status_changes (protocol_id, from_status, to_status, reason, actor, actor_token_id, actor_role, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  )
  const byId = db.prepare<[number], ProtocolStatusChange>('SELECT * FROM protocol_status_changes WHERE id = ?')
  const protocolById = db.prepare<[string], ProtocolRow>('SELECT * FROM protocols WHERE id = ?')

  const append = (id: string, from: ProtocolStatus | null, to: ProtocolStatus, reason: string | null, actor: Actor, at: string): ProtocolStatusChange => {
    const r = insert.run(id, from, to, reason, actor.name, actor.tokenId, actor.role, at)
    return byId.get(Number(r.lastInsertRowid))!
  }

  const set = transaction((input: { id: string; from: ProtocolStatus; to: ProtocolStatus; reason: string | null }, actor: Actor, at: string) => {
    if (!protocolById.get(input.id)) return { ok: false as const, conflict: { kind: 'not_found' as const } }
    // compare-and-set: two designers acting on one protocol cannot both pass the transition check
    const moved = db.prepare('UPDATE protocols SET status = ? WHERE id = ? AND status = ?').run(input.to, input.id, input.from)
    if (moved.changes !== 1) return { ok: false as const, conflict: { kind: 'changed' as const } }
    const change = append(input.id, input.from, input.to, input.reason, actor, at)
    audit.append(at, actor, audited.protocolStatus(input.id, change))
    return { ok: true as const, value: { protocol: protocolById.get(input.id)!, change } }
  })

  return {
    recordInitial: (id, status, reason, actor, at) => append(id, null, status, reason, actor, at),
    set: (input, actor, at) => set(input, actor, at),
    changes: id => db.prepare<[string], ProtocolStatusChange>('SELECT * FROM protocol_status_changes WHERE protocol_id = ? ORDER BY id').all(id),
  }
}
