/**
 * The storage interface the routes use. SQLite implements it today
 * (sqlite-store.ts); a PostgreSQL implementation can follow for
 * multi-instance deployments, which is why every method returns a Promise
 * although SQLite answers synchronously. Every method that writes is one transaction:
 * it changes everything it says or nothing, and appends its audit row.
 */

import type { ChainReport, VerifyOptions } from './audit-chain.ts'

import type { Role } from '../../engine/index.ts'

// a token's role: one home shared with the web, the engine's API types (engine/types/api.ts)
export type { Role }

export interface Actor {
  tokenId: string
  name: string
  role: Role
  /** The token was created with `unblinded: true` (server/auth.ts: only then does a non-admin role see per-arm results). */
  unblinded?: boolean
}

/**
 * Who writes when no token does: the first start (bootstrap), the command
 * line tools, the server's own records (failed sign-ins). Audited as token
 * id 'system', which no token has (token ids are UUIDs).
 */
export const SYSTEM_ACTOR: Actor = { tokenId: 'system', name: 'system', role: 'admin' }

export interface TokenRow {
  id: string
  name: string
  role: Role
  created_at: string
  revoked_at: string | null
  /** ISO instant after which the token is refused; null: it does not expire. */
  expires_at: string | null
  /** The token this one replaced by rotation. */
  rotated_from: string | null
  /** Created with the `unblinded` permission (admin tokens have it whatever this says). */
  unblinded: boolean
}

/** A token to store: its SHA-256 only, never the token. */
export interface NewToken {
  name: string
  role: Role
  hash: string
  expires_at?: string | null
  /** Grant the `unblinded` permission to a non-admin role (default false). */
  unblinded?: boolean
}

/** Why a token change was refused; `token` is the row as it stands. */
export type TokenResult<T> = { ok: true; value: T } | { ok: false; refused: 'not_found' } | { ok: false; refused: 'revoked' | 'last_admin'; token: TokenRow }

export interface ProtocolVersionRow {
  protocol_id: string
  version: number
  yaml: string
  content_hash: string
  author: string
  created_at: string
  change_note: string
}

/** A saved version of a protocol's example patients (its examples YAML). */
export interface ProtocolExamplesRow {
  protocol_id: string
  /** Numbered per protocol from 1, independently of the protocol's versions. */
  version: number
  yaml: string
  content_hash: string
  /** The protocol version that was the latest when these were saved (and checked against). */
  protocol_version: number
  author: string
  created_at: string
  change_note: string
}

/** A protocol's lifecycle (server/routes/protocol-status.ts): which changes are allowed, and who screens against which. */
export type ProtocolStatus = 'draft' | 'active' | 'retired'

export interface ProtocolRow {
  id: string
  registry_id: string
  created_at: string
  latest_version: number
  status: ProtocolStatus
}

/** One change of a protocol's status (migration 006), append-only. */
export interface ProtocolStatusChange {
  id: number
  protocol_id: string
  /** Null for the status the protocol was created with. */
  from_status: ProtocolStatus | null
  to_status: ProtocolStatus
  reason: string | null
  actor: string
  actor_token_id: string | null
  actor_role: Role | null
  at: string
}

export interface SubjectRow {
  id: string
  protocol_id: string
  code: string
  status: 'screened' | 'randomized' | 'withdrawn'
  arm: string | null
  /** The subject record (SubjectRecord) as JSON: its latest version. */
  record: string
  /** The number of that version (subject_record_versions, migration 008). */
  record_version: number
  created_at: string
  updated_at: string
}

/** A saved version of a subject's record, without the record (the version list). */
export interface SubjectRecordVersionSummary {
  subject_id: string
  /** Numbered per subject from 1 (registration). */
  version: number
  /** Who saved it (a token's name at the time). */
  actor: string
  created_at: string
  /** What saved it: register, record edited, visit week_4, randomize to msc... */
  action: string
  /** The editor's note, if one was given. */
  note: string | null
}

export interface SubjectRecordVersionRow extends SubjectRecordVersionSummary {
  /** The record (SubjectRecord) as JSON. */
  record: string
}

export interface EvaluationRow {
  id: number
  protocol_id: string
  version: number
  subject_id: string | null
  overall: 'eligible' | 'ineligible' | 'undetermined'
  /** Failing criterion ids, JSON array. */
  failing: string
  /** The whole verdict, JSON. */
  verdict: string
  /** The patient record evaluated, JSON; null for evaluations logged before records were kept (migration 003). */
  patient: string | null
  actor: string
  created_at: string
}

export interface AuditRow {
  id: number
  at: string
  /** The actor's name (a token's name at the time). */
  actor: string
  /** Null for rows written before tokens were recorded (migration 004). */
  actor_token_id: string | null
  actor_role: Role | null
  entity: string
  entity_id: string
  action: string
  hash_before: string | null
  hash_after: string | null
  /** The hash chain (audit-chain.ts). */
  prev_hash: string
  row_hash: string
}

/** Why a write was refused; routes turn these into problem responses. */
export type WriteConflict = { kind: 'not_found' } | { kind: 'stale'; latest: number } | { kind: 'exists' } | { kind: 'changed' }

/** A screening-log entry before the store numbers, dates and signs it. */
export type NewEvaluation = Omit<EvaluationRow, 'id' | 'created_at' | 'actor' | 'patient'> & { patient?: string | null }

export type WriteResult<T> = { ok: true; value: T } | { ok: false; conflict: WriteConflict }

/** The answer to a request made with an Idempotency-Key, kept to replay (server/http/idempotency.ts). */
export interface IdempotentAnswer {
  status: number
  /** Content-Type, ETag, Location...: the headers the handler set. */
  headers: Record<string, string>
  body: Uint8Array
}

/**
 * What claiming an Idempotency-Key found: `claimed` (run the request, then
 * complete or release the key), `running` (its first request is still being
 * handled), `mismatch` (it was used for another request), `done` (the answer
 * to replay).
 */
export type IdempotencyClaim = { state: 'claimed' | 'running' | 'mismatch' } | { state: 'done'; answer: IdempotentAnswer }

export interface Store {
  // tokens
  /** The token with this hash if it is valid now: neither revoked nor expired. */
  tokenByHash(hash: string): Promise<TokenRow | undefined>
  /** The token with this hash whatever its state (to say why it is refused). */
  anyTokenByHash(hash: string): Promise<TokenRow | undefined>
  listTokens(): Promise<TokenRow[]>
  createToken(input: NewToken, actor: Actor): Promise<TokenRow>
  /** The first token: created only while there is no token at all, so that app instances starting together create one (undefined otherwise). */
  createFirstToken(input: NewToken, actor: Actor): Promise<TokenRow | undefined>
  /** Revoke a token; refused for one revoked already, and for the last valid admin token (none could administer tokens after it). */
  revokeToken(id: string, actor: Actor): Promise<TokenResult<TokenRow>>
  /** A new token (hash given) with the old one's name, role and lifetime; the old one revoked in the same transaction. */
  rotateToken(id: string, hash: string, actor: Actor): Promise<TokenResult<{ token: TokenRow; replaced: TokenRow }>>
  countTokens(): Promise<number>

  // protocols
  listProtocols(): Promise<Array<ProtocolRow & { latest: ProtocolVersionRow }>>
  protocol(id: string): Promise<ProtocolRow | undefined>
  protocolVersion(id: string, version?: number): Promise<ProtocolVersionRow | undefined>
  protocolVersions(id: string): Promise<ProtocolVersionRow[]>
  /** Create a protocol at version 1, as a draft unless `status` says otherwise (the shipped protocols start active). */
  createProtocol(
    input: { id: string; registry_id: string; yaml: string; change_note: string; status?: ProtocolStatus },
    actor: Actor,
  ): Promise<WriteResult<ProtocolVersionRow>>
  /**
   * Change a protocol's status, only if it is still `from` (`changed`
   * otherwise; `not_found` without the protocol); the change row and its
   * audit row are written in the same transaction.
   */
  setProtocolStatus(
    input: { id: string; from: ProtocolStatus; to: ProtocolStatus; reason: string | null },
    actor: Actor,
  ): Promise<WriteResult<{ protocol: ProtocolRow; change: ProtocolStatusChange }>>
  /** A protocol's status changes, oldest first. */
  protocolStatusChanges(id: string): Promise<ProtocolStatusChange[]>
  /** A new version, only if `expectedVersion` is still the latest (optimistic concurrency). */
  addProtocolVersion(input: { id: string; expectedVersion: number; yaml: string; change_note: string }, actor: Actor): Promise<WriteResult<ProtocolVersionRow>>

  // example patients
  /** The latest saved examples of a protocol, or a given version of them. */
  protocolExamples(id: string, version?: number): Promise<ProtocolExamplesRow | undefined>
  /**
   * Save a new version of a protocol's examples, only if `expectedVersion`
   * (0: none saved yet) is still the latest; `stale` otherwise, `not_found`
   * when the protocol or its `protocol_version` does not exist.
   */
  addProtocolExamples(
    input: { id: string; expectedVersion: number; protocol_version: number; yaml: string; change_note: string },
    actor: Actor,
  ): Promise<WriteResult<ProtocolExamplesRow>>

  // screening log
  addEvaluation(input: NewEvaluation, actor: Actor): Promise<EvaluationRow>
  addEvaluations(inputs: NewEvaluation[], actor: Actor): Promise<number>
  evaluations(filter: { protocolId?: string; subjectId?: string; limit?: number; afterId?: number }): Promise<EvaluationRow[]>

  // subjects
  createSubject(input: { protocol_id: string; code: string; record: string }, actor: Actor): Promise<WriteResult<SubjectRow>>
  subject(id: string): Promise<SubjectRow | undefined>
  subjects(protocolId?: string): Promise<SubjectRow[]>
  /**
   * Replace a subject's record, status and arm together. With `expected` (the
   * row as the caller read it) the change applies only if status, arm and
   * record are still those (`changed` otherwise), so concurrent edits of one
   * record cannot lose each other's data.
   */
  updateSubject(
    id: string,
    change: { record?: string; status?: SubjectRow['status']; arm?: string | null },
    action: string,
    actor: Actor,
    expected?: SubjectRow,
  ): Promise<WriteResult<SubjectRow>>
  /**
   * A subject's screening in one transaction: the record (when it changed,
   * compare-and-set against `expected` as in updateSubject) and the
   * evaluation filed under the subject.
   */
  screenSubject(
    input: { subjectId: string; record?: string; expected?: SubjectRow; evaluation: Omit<NewEvaluation, 'subject_id'> },
    actor: Actor,
  ): Promise<WriteResult<{ subject: SubjectRow; evaluation: EvaluationRow }>>
  /**
   * Save a subject's record as a new version, only if `baseVersion` is still
   * the latest (`stale` otherwise), and file `evaluation` (its re-screening)
   * under the subject in the same transaction when given. Every other write
   * of a record (registration, visits, randomization...) adds a version too.
   */
  saveSubjectRecord(
    input: { subjectId: string; record: string; baseVersion: number; note: string | null; evaluation?: Omit<NewEvaluation, 'subject_id'> },
    actor: Actor,
  ): Promise<WriteResult<{ subject: SubjectRow; version: SubjectRecordVersionSummary; evaluation: EvaluationRow | null }>>
  /** A subject's record versions, oldest first, without the records. */
  subjectRecordVersions(subjectId: string): Promise<SubjectRecordVersionSummary[]>
  subjectRecordVersion(subjectId: string, version: number): Promise<SubjectRecordVersionRow | undefined>

  // audit
  audit(filter: { entity?: string; entityId?: string; limit?: number; afterId?: number }): Promise<AuditRow[]>
  /** Audit a read of patient-level data: action `read <what>`. */
  recordRead(entity: string, entityId: string, actor: Actor, what: string): Promise<void>
  /** Audit an event that changes no data (a refused request, failed sign-ins). */
  recordEvent(entry: { entity: string; entity_id: string; action: string }, actor: Actor): Promise<void>
  /** Walk the audit hash chain (audit-chain.ts): the first row that does not fit, or the row count and head hash. */
  verifyAudit(options?: VerifyOptions): Promise<ChainReport>

  // idempotency keys (not clinical data, so not audited: the request's own writes are)
  /** Claim a token's key for a request (its fingerprint); a key older than `ttlMs` counts as unused. */
  claimIdempotencyKey(input: { tokenId: string; key: string; fingerprint: string }, ttlMs: number): Promise<IdempotencyClaim>
  /** Keep the answer of the request that claimed the key, to replay. */
  completeIdempotencyKey(input: { tokenId: string; key: string }, answer: IdempotentAnswer): Promise<void>
  /** Free a claimed key whose request failed, so that it can be retried. */
  releaseIdempotencyKey(input: { tokenId: string; key: string }): Promise<void>

  /** Database self-check (`PRAGMA integrity_check`). */
  integrityCheck(): Promise<string>
  /** Stop; a PostgreSQL store resolves once its pending writes are committed and its connections closed. */
  close(): void | Promise<void>
}
