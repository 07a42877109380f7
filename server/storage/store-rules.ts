/**
 * What both stores (SQLite, PostgreSQL) write alike, in one place: the audit
 * entries of each kind of write (their action words and content hashes, which
 * the audit trail compares across stores and `npm run db -- export/import`
 * carries over), and the rules that are not SQL (a rotated token's expiry).
 */
import { sha256 } from './content-hash.ts'
import type { AuditEntry } from './audit-chain.ts'
import type { NewEvaluation, NewToken, ProtocolStatusChange, SubjectRow, TokenRow } from './store.ts'

const entry = (entity: string, entity_id: string, action: string, hash_before: string | null = null, hash_after: string | null = null): AuditEntry => ({
  entity,
  entity_id,
  action,
  hash_before,
  hash_after,
})

/** The hash an audit row keeps of a subject: status, arm and record together. */
export const subjectSnapshot = (s: Pick<SubjectRow, 'status' | 'arm' | 'record'>) => sha256(JSON.stringify([s.status, s.arm, s.record]))

/** The hash an audit row keeps of a protocol status change row (JSON of the row as read back): ties the row, as written, to the chain. */
export const statusChangeHash = (change: ProtocolStatusChange) => sha256(JSON.stringify(change))

/** What a subject's write is called in the audit and in its record's versions (other actions are named by the routes). */
export const subjectAction = {
  register: 'register',
  screeningRecord: 'screening: record updated',
  edited: (version: number) => `record edited (v${version})`,
}

export const audited = {
  tokenCreated: (id: string, input: NewToken, rotatedFrom: TokenRow | null) => {
    const expiry = input.expires_at ? ` expiring ${input.expires_at}` : ''
    const origin = rotatedFrom ? ` (rotated from ${rotatedFrom.id})` : ''
    const unblinded = input.unblinded ? ' unblinded' : ''
    return entry('token', id, `create${unblinded} ${input.role} token "${input.name}"${expiry}${origin}`)
  },
  tokenRevoked: (row: TokenRow) => entry('token', row.id, `revoke ${row.role} token "${row.name}"`),
  tokenRotated: (old: TokenRow, successorId: string) => entry('token', old.id, `rotate ${old.role} token "${old.name}": replaced by ${successorId}`),
  protocolVersion: (id: string, version: number, hashBefore: string | null, hashAfter: string) =>
    entry('protocol', id, `create v${version}`, hashBefore, hashAfter),
  protocolStatus: (id: string, change: ProtocolStatusChange) =>
    entry('protocol', id, `status ${change.from_status} → ${change.to_status}${change.reason ? `: ${change.reason}` : ''}`, null, statusChangeHash(change)),
  examples: (id: string, version: number, protocolVersion: number, hashBefore: string | null, hashAfter: string) =>
    entry('protocol_examples', id, `examples v${version} (protocol v${protocolVersion})`, hashBefore, hashAfter),
  evaluation: (id: number, e: NewEvaluation) =>
    entry('evaluation', String(id), `evaluate ${e.protocol_id} v${e.version}: ${e.overall}`, null, sha256(e.verdict)),
  subjectRegistered: (id: string, record: string) => entry('subject', id, subjectAction.register, null, sha256(record)),
  subjectChanged: (id: string, action: string, before: SubjectRow, after: Pick<SubjectRow, 'status' | 'arm' | 'record'>) =>
    entry('subject', id, action, subjectSnapshot(before), subjectSnapshot(after)),
  read: (entity: string, entityId: string, what: string) => entry(entity, entityId, `read ${what}`),
}

/**
 * A rotated token's expiry: the old one's lifetime from `at`, so a 90-day
 * token is replaced by a 90-day token (in whole seconds: the expiry of a new
 * token is computed a few milliseconds before the store dates it).
 */
export function rotatedExpiry(old: TokenRow, at: string): string | null {
  if (old.expires_at === null) return null
  const lifetime = Math.round((Date.parse(old.expires_at) - Date.parse(old.created_at)) / 1000) * 1000
  return new Date(Date.parse(at) + lifetime).toISOString()
}

/**
 * An idempotency key's running request older than this is taken to have been
 * abandoned (its release failed, e.g. on a full disk, or its instance
 * stopped) and the key may be claimed again: no request of this API runs
 * anywhere near an hour (the largest, a batch of records, takes seconds to
 * minutes).
 */
export const RUNNING_LEASE_MS = 60 * 60 * 1000

/**
 * Expired idempotency keys are pruned at most this often, at most
 * PRUNE_BATCH at a time, during a claim: lookups ignore expired rows anyway,
 * so pruning late costs only disk space, and pruning in small batches never
 * makes a request slow.
 */
export const PRUNE_EVERY_MS = 60 * 1000
export const PRUNE_BATCH = 500
