/**
 * The storage interface the routes use. SQLite implements it today
 * (sqlite-store.ts); a PostgreSQL implementation can follow for
 * multi-instance deployments, which is why every method returns a Promise
 * although SQLite answers synchronously. Every method that writes is one transaction:
 * it changes everything it says or nothing, and appends its audit row.
 */

export type Role = 'admin' | 'designer' | 'clinician' | 'viewer'

export interface Actor {
  tokenId: string
  name: string
  role: Role
}

export interface TokenRow {
  id: string
  name: string
  role: Role
  created_at: string
  revoked_at: string | null
}

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

export interface ProtocolRow {
  id: string
  registry_id: string
  created_at: string
  latest_version: number
}

export interface SubjectRow {
  id: string
  protocol_id: string
  code: string
  status: 'screened' | 'randomized' | 'withdrawn'
  arm: string | null
  /** The subject record (SubjectRecord) as JSON. */
  record: string
  created_at: string
  updated_at: string
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
  actor: string
  entity: string
  entity_id: string
  action: string
  hash_before: string | null
  hash_after: string | null
}

/** Why a write was refused; routes turn these into problem responses. */
export type WriteConflict = { kind: 'not_found' } | { kind: 'stale'; latest: number } | { kind: 'exists' } | { kind: 'changed' }

/** A screening-log entry before the store numbers, dates and signs it. */
export type NewEvaluation = Omit<EvaluationRow, 'id' | 'created_at' | 'actor' | 'patient'> & { patient?: string | null }

export type WriteResult<T> = { ok: true; value: T } | { ok: false; conflict: WriteConflict }

export interface Store {
  // tokens
  tokenByHash(hash: string): Promise<TokenRow | undefined>
  createToken(input: { name: string; role: Role; hash: string }, actor: string): Promise<TokenRow>
  countTokens(): Promise<number>

  // protocols
  listProtocols(): Promise<Array<ProtocolRow & { latest: ProtocolVersionRow }>>
  protocol(id: string): Promise<ProtocolRow | undefined>
  protocolVersion(id: string, version?: number): Promise<ProtocolVersionRow | undefined>
  protocolVersions(id: string): Promise<ProtocolVersionRow[]>
  createProtocol(input: { id: string; registry_id: string; yaml: string; change_note: string }, actor: string): Promise<WriteResult<ProtocolVersionRow>>
  /** A new version, only if `expectedVersion` is still the latest (optimistic concurrency). */
  addProtocolVersion(input: { id: string; expectedVersion: number; yaml: string; change_note: string }, actor: string): Promise<WriteResult<ProtocolVersionRow>>

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
    actor: string,
  ): Promise<WriteResult<ProtocolExamplesRow>>

  // screening log
  addEvaluation(input: NewEvaluation, actor: string): Promise<EvaluationRow>
  addEvaluations(inputs: NewEvaluation[], actor: string): Promise<number>
  evaluations(filter: { protocolId?: string; subjectId?: string; limit?: number; afterId?: number }): Promise<EvaluationRow[]>

  // subjects
  createSubject(input: { protocol_id: string; code: string; record: string }, actor: string): Promise<WriteResult<SubjectRow>>
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
    actor: string,
    expected?: SubjectRow,
  ): Promise<WriteResult<SubjectRow>>
  /**
   * A subject's screening in one transaction: the record (when it changed,
   * compare-and-set against `expected` as in updateSubject) and the
   * evaluation filed under the subject.
   */
  screenSubject(
    input: { subjectId: string; record?: string; expected?: SubjectRow; evaluation: Omit<NewEvaluation, 'subject_id'> },
    actor: string,
  ): Promise<WriteResult<{ subject: SubjectRow; evaluation: EvaluationRow }>>

  // audit
  audit(filter: { entity?: string; entityId?: string; limit?: number; afterId?: number }): Promise<AuditRow[]>

  /** Database self-check (`PRAGMA integrity_check`). */
  integrityCheck(): Promise<string>
  close(): void
}
