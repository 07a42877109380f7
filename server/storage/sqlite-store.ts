/**
 * The Store on SQLite (better-sqlite3): WAL journal, synchronous=FULL so an
 * acknowledged write survives a killed process, every write one transaction
 * with its audit row. The only module with SQL besides the migrations.
 * Write transactions start with BEGIN IMMEDIATE: a second connection (the
 * token CLI, another process) waits for the write lock up to busy_timeout
 * instead of failing with SQLITE_BUSY halfway through a transaction.
 * The database files are the service user's only (0600).
 */
import { randomUUID } from 'node:crypto'
import { sha256 } from './content-hash.ts'
import { dirname } from 'node:path'
import { isOnDisk, openDatabase, type SqliteStoreOptions } from './sqlite-open.ts'

export type { SqliteStoreOptions } from './sqlite-open.ts'
import { sqliteAuditLog, type AuditEntry } from './sqlite-audit.ts'
import { sqliteTokens } from './sqlite-tokens.ts'
import { sqliteIdempotency } from './sqlite-idempotency.ts'
import { sqliteProtocolStatus } from './sqlite-protocol-status.ts'
import { sqliteRecordVersions } from './sqlite-record-versions.ts'
import { sqliteVersionRows } from './sqlite-version-rows.ts'
import { GroupCommit } from './group-commit.ts'
import { audited, subjectAction, subjectSnapshot } from './store-rules.ts'
import { withStorageErrors } from './storage-errors.ts'
import type {
  Actor,
  AuditRow,
  EvaluationRow,
  NewEvaluation,
  ProtocolExamplesRow,
  ProtocolRow,
  ProtocolVersionRow,
  Store,
  SubjectRecordVersionSummary,
  SubjectRow,
  WriteResult,
} from './store.ts'

const now = () => new Date().toISOString()

/**
 * Open (or create) the database file and bring its schema up to date.
 * Its methods throw StorageFullError / StorageBusyError (storage-errors.ts)
 * when the disk is full or the database stays locked.
 *
 * @param file path of the database, or `:memory:` for tests, or (tests) a database image (a file's bytes) opened in memory
 * @example
 * const store = openSqliteStore('data/trial.db')
 */
export function openSqliteStore(file: string | Buffer, options: SqliteStoreOptions = {}): Store {
  const db = openDatabase(file, options)

  /** A write transaction that takes the write lock at BEGIN (nested calls are savepoints as before). */
  const transaction = <F extends (...args: never[]) => unknown>(fn: F) => db.transaction(fn).immediate

  const auditLog = sqliteAuditLog(db)
  const audit = (at: string, actor: Actor, entry: AuditEntry) => auditLog.append(at, actor, entry)
  const auditEvent = transaction((entry: AuditEntry, actor: Actor) => auditLog.append(now(), actor, entry))
  const tokens = sqliteTokens(db, auditLog, transaction)
  const idempotency = sqliteIdempotency(db, transaction)
  const protocolStatus = sqliteProtocolStatus(db, auditLog, transaction)
  const recordVersions = sqliteRecordVersions(db)
  const versionRows = sqliteVersionRows(db)
  const protocolById = db.prepare<[string], ProtocolRow>('SELECT * FROM protocols WHERE id = ?')
  const latestOf = db.prepare<[string], ProtocolVersionRow>(
    'SELECT v.* FROM protocol_versions v JOIN protocols p ON p.id = v.protocol_id AND p.latest_version = v.version WHERE p.id = ?',
  )
  const subjectById = db.prepare<[string], SubjectRow>('SELECT * FROM subjects WHERE id = ?')
  const insertVersion = db.prepare<[string, number, string, string, string, string, string]>(
    'INSERT INTO protocol_versions (protocol_id, version, yaml, content_hash, author, created_at, change_note) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  const insertEvaluation = db.prepare<[string, number, string | null, string, string, string, string | null, string, string]>(
    'INSERT INTO evaluations (protocol_id, version, subject_id, overall, failing, verdict, patient, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  )

  const createProtocol = transaction((input: Parameters<Store['createProtocol']>[0], actor: Actor): WriteResult<ProtocolVersionRow> => {
    if (db.prepare('SELECT 1 FROM protocols WHERE id = ?').get(input.id)) return { ok: false, conflict: { kind: 'exists' } }
    const at = now()
    const hash = sha256(input.yaml)
    const status = input.status ?? 'draft'
    db.prepare('INSERT INTO protocols (id, registry_id, created_at, latest_version, status) VALUES (?, ?, ?, 1, ?)').run(
      input.id,
      input.registry_id,
      at,
      status,
    )
    insertVersion.run(input.id, 1, input.yaml, hash, actor.name, at, input.change_note)
    audit(at, actor, audited.protocolVersion(input.id, 1, null, hash))
    protocolStatus.recordInitial(input.id, status, input.change_note, actor, at)
    return { ok: true, value: versionRows.read(input.id, 1)! }
  })

  const addProtocolVersion = transaction(
    (input: { id: string; expectedVersion: number; yaml: string; change_note: string }, actor: Actor): WriteResult<ProtocolVersionRow> => {
      const current = latestOf.get(input.id)
      if (!current) return { ok: false, conflict: { kind: 'not_found' } }
      // optimistic concurrency: the update only applies to the version the client read
      const moved = db
        .prepare('UPDATE protocols SET latest_version = latest_version + 1 WHERE id = ? AND latest_version = ?')
        .run(input.id, input.expectedVersion)
      if (moved.changes !== 1) return { ok: false, conflict: { kind: 'stale', latest: current.version } }
      const at = now()
      const version = input.expectedVersion + 1
      const hash = sha256(input.yaml)
      insertVersion.run(input.id, version, input.yaml, hash, actor.name, at, input.change_note)
      audit(at, actor, audited.protocolVersion(input.id, version, current.content_hash, hash))
      return { ok: true, value: versionRows.read(input.id, version)! }
    },
  )

  const examplesOf = db.prepare<[string, number], ProtocolExamplesRow>('SELECT * FROM protocol_examples WHERE protocol_id = ? AND version = ?')
  const latestExamplesOf = db.prepare<[string], ProtocolExamplesRow>('SELECT * FROM protocol_examples WHERE protocol_id = ? ORDER BY version DESC LIMIT 1')

  const addProtocolExamples = transaction(
    (
      input: { id: string; expectedVersion: number; protocol_version: number; yaml: string; change_note: string },
      actor: Actor,
    ): WriteResult<ProtocolExamplesRow> => {
      if (!versionRows.read(input.id, input.protocol_version)) return { ok: false, conflict: { kind: 'not_found' } }
      const current = latestExamplesOf.get(input.id)
      // optimistic concurrency as for protocol versions; the primary key refuses a concurrent duplicate too
      if ((current?.version ?? 0) !== input.expectedVersion) return { ok: false, conflict: { kind: 'stale', latest: current?.version ?? 0 } }
      const at = now()
      const version = input.expectedVersion + 1
      const hash = sha256(input.yaml)
      db.prepare(
        'INSERT INTO protocol_examples (protocol_id, version, yaml, content_hash, protocol_version, author, created_at, change_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(input.id, version, input.yaml, hash, input.protocol_version, actor.name, at, input.change_note)
      audit(at, actor, audited.examples(input.id, version, input.protocol_version, current?.content_hash ?? null, hash))
      return { ok: true, value: examplesOf.get(input.id, version)! }
    },
  )

  /** Each evaluation with its row and audit entry, in the caller's transaction. */
  const insertEvaluations = (inputs: NewEvaluation[], actor: Actor, at: string): EvaluationRow[] =>
    inputs.map(e => {
      const patient = e.patient ?? null
      const r = insertEvaluation.run(e.protocol_id, e.version, e.subject_id, e.overall, e.failing, e.verdict, patient, actor.name, at)
      const id = Number(r.lastInsertRowid)
      audit(at, actor, audited.evaluation(id, e))
      return { ...e, patient, id, actor: actor.name, created_at: at }
    })
  const addEvaluations = transaction((inputs: NewEvaluation[], actor: Actor): EvaluationRow[] => insertEvaluations(inputs, actor, now()))
  // single evaluations (POST /protocols/{id}/evaluate, one per request) share their commit with those of the same turn
  const loggedEvaluations = new GroupCommit(
    transaction((writes: Array<{ input: NewEvaluation; actor: Actor }>): EvaluationRow[] => {
      const at = now()
      return writes.map(w => insertEvaluations([w.input], w.actor, at)[0]!)
    }),
  )

  const createSubject = transaction((input: { protocol_id: string; code: string; record: string }, actor: Actor): WriteResult<SubjectRow> => {
    if (!db.prepare('SELECT 1 FROM protocols WHERE id = ?').get(input.protocol_id)) return { ok: false, conflict: { kind: 'not_found' } }
    if (db.prepare('SELECT 1 FROM subjects WHERE protocol_id = ? AND code = ?').get(input.protocol_id, input.code))
      return { ok: false, conflict: { kind: 'exists' } }
    const at = now()
    const id = randomUUID()
    db.prepare("INSERT INTO subjects (id, protocol_id, code, status, arm, record, created_at, updated_at) VALUES (?, ?, ?, 'screened', NULL, ?, ?, ?)").run(
      id,
      input.protocol_id,
      input.code,
      input.record,
      at,
      at,
    )
    audit(at, actor, audited.subjectRegistered(id, input.record))
    recordVersions.append({ subjectId: id, version: 1, record: input.record, action: subjectAction.register, note: null }, actor, at)
    return { ok: true, value: subjectById.get(id)! }
  })

  type SubjectChange = { record?: string; status?: SubjectRow['status']; arm?: string | null }
  const changeSubject = (
    id: string,
    change: SubjectChange,
    action: string,
    actor: Actor,
    expected?: SubjectRow,
    note: string | null = null,
  ): WriteResult<SubjectRow> => {
    const before = subjectById.get(id)
    if (!before) return { ok: false, conflict: { kind: 'not_found' } }
    if (expected && subjectSnapshot(expected) !== subjectSnapshot(before)) return { ok: false, conflict: { kind: 'changed' } }
    const after = { ...before, ...change, updated_at: now() }
    db.prepare('UPDATE subjects SET record = ?, status = ?, arm = ?, updated_at = ? WHERE id = ?').run(
      after.record,
      after.status,
      after.arm,
      after.updated_at,
      id,
    )
    audit(after.updated_at, actor, audited.subjectChanged(id, action, before, after))
    // every write that gives a record keeps it as the next version
    if (change.record !== undefined)
      recordVersions.append({ subjectId: id, version: before.record_version + 1, record: change.record, action, note }, actor, after.updated_at)
    return { ok: true, value: subjectById.get(id)! }
  }
  const updateSubject = transaction(changeSubject)

  const screenSubject = transaction(
    (
      input: { subjectId: string; record?: string; expected?: SubjectRow; evaluation: Omit<NewEvaluation, 'subject_id'> },
      actor: Actor,
    ): WriteResult<{ subject: SubjectRow; evaluation: EvaluationRow }> => {
      let subject = subjectById.get(input.subjectId)
      if (!subject) return { ok: false, conflict: { kind: 'not_found' } }
      if (input.record !== undefined) {
        const r = changeSubject(input.subjectId, { record: input.record }, subjectAction.screeningRecord, actor, input.expected)
        if (!r.ok) return r
        subject = r.value
      }
      // nested transactions are savepoints in better-sqlite3: the record and the log entry commit together
      const [evaluation] = addEvaluations([{ ...input.evaluation, subject_id: input.subjectId }], actor)
      return { ok: true, value: { subject, evaluation: evaluation! } }
    },
  )

  const saveSubjectRecord = transaction(
    (
      input: { subjectId: string; record: string; baseVersion: number; note: string | null; evaluation?: Omit<NewEvaluation, 'subject_id'> },
      actor: Actor,
    ): WriteResult<{ subject: SubjectRow; version: SubjectRecordVersionSummary; evaluation: EvaluationRow | null }> => {
      const before = subjectById.get(input.subjectId)
      if (!before) return { ok: false, conflict: { kind: 'not_found' } }
      // optimistic concurrency: the edit applies only to the version the editor read
      if (before.record_version !== input.baseVersion) return { ok: false, conflict: { kind: 'stale', latest: before.record_version } }
      const version = before.record_version + 1
      const r = changeSubject(input.subjectId, { record: input.record }, subjectAction.edited(version), actor, undefined, input.note)
      if (!r.ok) return r
      const evaluation = input.evaluation ? addEvaluations([{ ...input.evaluation, subject_id: input.subjectId }], actor)[0]! : null
      const { record: _record, ...saved } = recordVersions.get(input.subjectId, version)!
      return { ok: true, value: { subject: r.value, version: saved, evaluation } }
    },
  )

  /** Rows of an append-mostly table in id order, filtered by the conditions whose value is given. */
  const page = (table: 'evaluations' | 'audit', conditions: Array<[string, string | number | undefined]>, limit = 1000): unknown[] => {
    const used = conditions.filter((c): c is [string, string | number] => c[1] !== undefined && c[1] !== '')
    const where = used.length ? `WHERE ${used.map(c => c[0]).join(' AND ')}` : ''
    return db.prepare(`SELECT * FROM ${table} ${where} ORDER BY id LIMIT ?`).all(...used.map(c => c[1]), limit)
  }

  const store: Store = {
    async tokenByHash(hash) {
      return tokens.byHash(hash, now())
    },
    async anyTokenByHash(hash) {
      return tokens.anyByHash(hash)
    },
    async listTokens() {
      return tokens.list()
    },
    async createToken(input, actor) {
      return tokens.create(input, actor, now())
    },
    async createFirstToken(input, actor) {
      return tokens.createFirst(input, actor, now())
    },
    async revokeToken(id, actor) {
      return tokens.revoke(id, actor, now())
    },
    async rotateToken(id, hash, actor) {
      return tokens.rotate(id, hash, actor, now())
    },
    async countTokens() {
      return (db.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n
    },
    async listProtocols() {
      const rows = db.prepare<[], ProtocolRow>('SELECT * FROM protocols ORDER BY id').all()
      return rows.map(p => ({ ...p, latest: versionRows.get(p.id, p.latest_version)! }))
    },
    async protocol(id) {
      return protocolById.get(id)
    },
    async protocolVersion(id, version) {
      return versionRows.get(id, version)
    },
    async protocolVersions(id) {
      return db.prepare<[string], ProtocolVersionRow>('SELECT * FROM protocol_versions WHERE protocol_id = ? ORDER BY version').all(id)
    },
    async createProtocol(input, actor) {
      return createProtocol(input, actor)
    },
    async addProtocolVersion(input, actor) {
      return addProtocolVersion(input, actor)
    },
    async setProtocolStatus(input, actor) {
      return protocolStatus.set(input, actor, now())
    },
    async protocolStatusChanges(id) {
      return protocolStatus.changes(id)
    },
    async protocolExamples(id, version) {
      return version === undefined ? latestExamplesOf.get(id) : examplesOf.get(id, version)
    },
    async addProtocolExamples(input, actor) {
      return addProtocolExamples(input, actor)
    },
    async addEvaluation(input, actor) {
      return loggedEvaluations.add({ input, actor })
    },
    async addEvaluations(inputs, actor) {
      return addEvaluations(inputs, actor).length
    },
    async evaluations(filter) {
      const rows = page(
        'evaluations',
        [
          ['protocol_id = ?', filter.protocolId],
          ['subject_id = ?', filter.subjectId],
          ['id > ?', filter.afterId],
        ],
        filter.limit,
      )
      return rows as EvaluationRow[]
    },
    async createSubject(input, actor) {
      return createSubject(input, actor)
    },
    async subject(id) {
      return subjectById.get(id)
    },
    async subjects(protocolId) {
      const sql = protocolId ? 'SELECT * FROM subjects WHERE protocol_id = ? ORDER BY created_at, code' : 'SELECT * FROM subjects ORDER BY created_at, code'
      return (protocolId ? db.prepare(sql).all(protocolId) : db.prepare(sql).all()) as SubjectRow[]
    },
    async updateSubject(id, change, action, actor, expected) {
      return updateSubject(id, change, action, actor, expected)
    },
    async screenSubject(input, actor) {
      return screenSubject(input, actor)
    },
    async saveSubjectRecord(input, actor) {
      return saveSubjectRecord(input, actor)
    },
    async subjectRecordVersions(subjectId) {
      return recordVersions.list(subjectId)
    },
    async subjectRecordVersion(subjectId, version) {
      return recordVersions.get(subjectId, version)
    },
    async audit(filter) {
      return page(
        'audit',
        [
          ['entity = ?', filter.entity],
          ['entity_id = ?', filter.entityId],
          ['id > ?', filter.afterId],
        ],
        filter.limit,
      ) as AuditRow[]
    },
    async recordRead(entity, entityId, actor, what) {
      auditEvent(audited.read(entity, entityId, what), actor)
    },
    async recordEvent(entry, actor) {
      auditEvent({ ...entry, hash_before: null, hash_after: null }, actor)
    },
    async verifyAudit(options) {
      return auditLog.verify(options)
    },
    async claimIdempotencyKey(input, ttlMs) {
      return idempotency.claim(input, ttlMs)
    },
    async completeIdempotencyKey(input, answer) {
      idempotency.complete(input, answer)
    },
    async releaseIdempotencyKey(input) {
      idempotency.release(input)
    },
    async integrityCheck() {
      return db.pragma('integrity_check', { simple: true }) as string
    },
    close() {
      loggedEvaluations.flush()
      db.close()
    },
  }
  // the driver's disk-full and busy errors as the store's own (answered 507 and 503)
  return withStorageErrors(store, isOnDisk(file) ? dirname(file) : undefined)
}
