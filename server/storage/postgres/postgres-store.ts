/**
 * The Store on PostgreSQL, for a service of several app instances over one
 * database (DATABASE_URL). The same guarantees as the SQLite store: every
 * write one transaction with its audit row in one hash chain; protocol
 * versions, examples, record versions, status changes and the audit refused
 * UPDATE, DELETE and TRUNCATE by the database (migration 001); compare-and-set
 * writes; idempotency keys shared by every instance; group commit of logged
 * evaluations. Writes take one advisory lock (pg-database.ts), so they run one
 * at a time across instances, as on SQLite; reads run in parallel.
 */
import { sha256 } from '../content-hash.ts'
import { audited, subjectAction } from '../store-rules.ts'
import { GroupCommit } from '../group-commit.ts'
import { withStorageErrors } from '../storage-errors.ts'
import { KeptVersions } from '../kept-versions.ts'
import { appendAudit, verifyPostgresAudit } from './pg-audit.ts'
import { connect, type PgConnectOptions, type Query } from './pg-database.ts'
import { pgIdempotency } from './pg-idempotency.ts'
import { migratePostgres } from './pg-migrate.ts'
import { changeSubject, createSubject, recordVersion, subjectById } from './pg-subjects.ts'
import { pgTokens } from './pg-tokens.ts'
import type {
  Actor,
  AuditRow,
  EvaluationRow,
  NewEvaluation,
  ProtocolExamplesRow,
  ProtocolRow,
  ProtocolStatusChange,
  ProtocolVersionRow,
  Store,
  SubjectRecordVersionSummary,
  SubjectRow,
  WriteResult,
} from '../store.ts'

export type PostgresStoreOptions = PgConnectOptions

// Text is ordered COLLATE "C" (code points) where SQLite orders by its binary collation: the same lists on both stores,
// whatever the database's locale.

const now = () => new Date().toISOString()
const RECORD_VERSION_SUMMARY = 'subject_id, version, actor, created_at, action, note'

/**
 * Connect, bring the schema up to date, and answer as a Store.
 *
 * @example
 * const store = await openPostgresStore({ url: process.env.DATABASE_URL! })
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const db = connect(options)
  try {
    await migratePostgres(db)
  } catch (e) {
    await db.close()
    throw e
  }
  const tokens = pgTokens(db)
  const idempotency = pgIdempotency(db)
  const versions = new KeptVersions<ProtocolVersionRow>()

  const versionOf = async (q: Query, id: string, version: number) =>
    (await q<ProtocolVersionRow>('SELECT * FROM protocol_versions WHERE protocol_id = $1 AND version = $2', [id, version]))[0]
  const insertVersion = (q: Query, id: string, version: number, yaml: string, hash: string, actor: Actor, at: string, note: string) =>
    q('INSERT INTO protocol_versions (protocol_id, version, yaml, content_hash, author, created_at, change_note) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      id,
      version,
      yaml,
      hash,
      actor.name,
      at,
      note,
    ])
  const appendStatusChange = async (q: Query, id: string, from: string | null, to: string, reason: string | null, actor: Actor, at: string) =>
    (
      await q<ProtocolStatusChange>(
        'INSERT INTO protocol_status_changes (protocol_id, from_status, to_status, reason, actor, actor_token_id, actor_role, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *',
        [id, from, to, reason, actor.name, actor.tokenId, actor.role, at],
      )
    )[0]!
  const latestExamples = async (q: Query, id: string) =>
    (await q<ProtocolExamplesRow>('SELECT * FROM protocol_examples WHERE protocol_id = $1 ORDER BY version DESC LIMIT 1', [id]))[0]

  /** Each evaluation with its row and audit entry, in the caller's transaction. */
  const insertEvaluations = async (q: Query, inputs: NewEvaluation[], actor: Actor, at: string): Promise<EvaluationRow[]> => {
    const rows: EvaluationRow[] = []
    for (const e of inputs) {
      const patient = e.patient ?? null
      const [{ id }] = (await q<{ id: number }>(
        'INSERT INTO evaluations (protocol_id, version, subject_id, overall, failing, verdict, patient, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id',
        [e.protocol_id, e.version, e.subject_id, e.overall, e.failing, e.verdict, patient, actor.name, at],
      )) as [{ id: number }]
      await appendAudit(q, at, actor, audited.evaluation(id, e))
      rows.push({ ...e, patient, id, actor: actor.name, created_at: at })
    }
    return rows
  }
  // single evaluations share their commit with those asked for while the previous one was committing
  const loggedEvaluations = new GroupCommit((writes: Array<{ input: NewEvaluation; actor: Actor }>) =>
    db.write(async q => {
      const at = now()
      const out: EvaluationRow[] = []
      for (const w of writes) out.push(...(await insertEvaluations(q, [w.input], w.actor, at)))
      return out
    }),
  )

  /** Rows of an append-mostly table in id order, filtered by the conditions whose value is given. */
  const page = <R extends object>(table: 'evaluations' | 'audit', conditions: Array<[string, string | number | undefined]>, limit = 1000) => {
    const used = conditions.filter((c): c is [string, string | number] => c[1] !== undefined && c[1] !== '')
    const where = used.length ? `WHERE ${used.map((c, i) => `${c[0]} $${i + 1}`).join(' AND ')}` : ''
    return db.query<R>(`SELECT * FROM ${table} ${where} ORDER BY id LIMIT $${used.length + 1}`, [...used.map(c => c[1]), limit])
  }

  const store: Store = {
    tokenByHash: hash => tokens.byHash(hash, now()),
    anyTokenByHash: hash => tokens.anyByHash(hash),
    listTokens: () => tokens.list(),
    createToken: (input, actor) => tokens.create(input, actor, now()),
    createFirstToken: (input, actor) => tokens.createFirst(input, actor, now()),
    revokeToken: (id, actor) => tokens.revoke(id, actor, now()),
    rotateToken: (id, hash, actor) => tokens.rotate(id, hash, actor, now()),
    countTokens: () => tokens.count(),

    async listProtocols() {
      const rows = await db.query<ProtocolRow>('SELECT * FROM protocols ORDER BY id COLLATE "C"')
      return Promise.all(rows.map(async p => ({ ...p, latest: (await store.protocolVersion(p.id, p.latest_version))! })))
    },
    protocol: id => db.one<ProtocolRow>('SELECT * FROM protocols WHERE id = $1', [id]),
    async protocolVersion(id, version) {
      const number = version ?? (await db.one<{ latest_version: number }>('SELECT latest_version FROM protocols WHERE id = $1', [id]))?.latest_version
      if (number === undefined) return undefined
      // a version never changes once written: kept in memory once read
      return versions.get(id, number, () => versionOf(db.query, id, number))
    },
    protocolVersions: id => db.query<ProtocolVersionRow>('SELECT * FROM protocol_versions WHERE protocol_id = $1 ORDER BY version', [id]),
    createProtocol: (input, actor) =>
      db.write(async (q): Promise<WriteResult<ProtocolVersionRow>> => {
        if ((await q('SELECT 1 FROM protocols WHERE id = $1', [input.id])).length > 0) return { ok: false, conflict: { kind: 'exists' } }
        const at = now()
        const hash = sha256(input.yaml)
        const status = input.status ?? 'draft'
        await q('INSERT INTO protocols (id, registry_id, created_at, latest_version, status) VALUES ($1, $2, $3, 1, $4)', [
          input.id,
          input.registry_id,
          at,
          status,
        ])
        await insertVersion(q, input.id, 1, input.yaml, hash, actor, at, input.change_note)
        await appendAudit(q, at, actor, audited.protocolVersion(input.id, 1, null, hash))
        await appendStatusChange(q, input.id, null, status, input.change_note, actor, at)
        return { ok: true, value: (await versionOf(q, input.id, 1))! }
      }),
    addProtocolVersion: (input, actor) =>
      db.write(async (q): Promise<WriteResult<ProtocolVersionRow>> => {
        const [current] = await q<ProtocolVersionRow>(
          'SELECT v.* FROM protocol_versions v JOIN protocols p ON p.id = v.protocol_id AND p.latest_version = v.version WHERE p.id = $1',
          [input.id],
        )
        if (!current) return { ok: false, conflict: { kind: 'not_found' } }
        // optimistic concurrency: the update only applies to the version the client read
        const moved = await q('UPDATE protocols SET latest_version = latest_version + 1 WHERE id = $1 AND latest_version = $2 RETURNING id', [
          input.id,
          input.expectedVersion,
        ])
        if (moved.length !== 1) return { ok: false, conflict: { kind: 'stale', latest: current.version } }
        const at = now()
        const version = input.expectedVersion + 1
        const hash = sha256(input.yaml)
        await insertVersion(q, input.id, version, input.yaml, hash, actor, at, input.change_note)
        await appendAudit(q, at, actor, audited.protocolVersion(input.id, version, current.content_hash, hash))
        return { ok: true, value: (await versionOf(q, input.id, version))! }
      }),
    setProtocolStatus: (input, actor) =>
      db.write(async q => {
        if ((await q('SELECT 1 FROM protocols WHERE id = $1', [input.id])).length === 0) return { ok: false as const, conflict: { kind: 'not_found' as const } }
        // compare-and-set: two designers acting on one protocol cannot both pass the transition check
        const moved = await q('UPDATE protocols SET status = $1 WHERE id = $2 AND status = $3 RETURNING id', [input.to, input.id, input.from])
        if (moved.length !== 1) return { ok: false as const, conflict: { kind: 'changed' as const } }
        const at = now()
        const change = await appendStatusChange(q, input.id, input.from, input.to, input.reason, actor, at)
        await appendAudit(q, at, actor, audited.protocolStatus(input.id, change))
        const [protocol] = await q<ProtocolRow>('SELECT * FROM protocols WHERE id = $1', [input.id])
        return { ok: true as const, value: { protocol: protocol!, change } }
      }),
    protocolStatusChanges: id => db.query<ProtocolStatusChange>('SELECT * FROM protocol_status_changes WHERE protocol_id = $1 ORDER BY id', [id]),

    protocolExamples: (id, version) =>
      version === undefined
        ? latestExamples(db.query, id)
        : db.one<ProtocolExamplesRow>('SELECT * FROM protocol_examples WHERE protocol_id = $1 AND version = $2', [id, version]),
    addProtocolExamples: (input, actor) =>
      db.write(async (q): Promise<WriteResult<ProtocolExamplesRow>> => {
        if (!(await versionOf(q, input.id, input.protocol_version))) return { ok: false, conflict: { kind: 'not_found' } }
        const current = await latestExamples(q, input.id)
        if ((current?.version ?? 0) !== input.expectedVersion) return { ok: false, conflict: { kind: 'stale', latest: current?.version ?? 0 } }
        const at = now()
        const version = input.expectedVersion + 1
        const hash = sha256(input.yaml)
        const [row] = await q<ProtocolExamplesRow>(
          'INSERT INTO protocol_examples (protocol_id, version, yaml, content_hash, protocol_version, author, created_at, change_note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *',
          [input.id, version, input.yaml, hash, input.protocol_version, actor.name, at, input.change_note],
        )
        await appendAudit(q, at, actor, audited.examples(input.id, version, input.protocol_version, current?.content_hash ?? null, hash))
        return { ok: true, value: row! }
      }),

    addEvaluation: (input, actor) => loggedEvaluations.add({ input, actor }),
    addEvaluations: async (inputs, actor) => (await db.write(q => insertEvaluations(q, inputs, actor, now()))).length,
    evaluations: filter =>
      page<EvaluationRow>(
        'evaluations',
        [
          ['protocol_id =', filter.protocolId],
          ['subject_id =', filter.subjectId],
          ['id >', filter.afterId],
        ],
        filter.limit,
      ),

    createSubject: (input, actor) => db.write(q => createSubject(q, input, actor, now())),
    subject: id => subjectById(db.query, id),
    subjects: protocolId =>
      protocolId
        ? db.query<SubjectRow>('SELECT * FROM subjects WHERE protocol_id = $1 ORDER BY created_at, code COLLATE "C"', [protocolId])
        : db.query<SubjectRow>('SELECT * FROM subjects ORDER BY created_at, code COLLATE "C"'),
    updateSubject: (id, change, action, actor, expected) => db.write(q => changeSubject(q, id, change, action, actor, now(), expected)),
    screenSubject: (input, actor) =>
      db.write(async (q): Promise<WriteResult<{ subject: SubjectRow; evaluation: EvaluationRow }>> => {
        let subject = await subjectById(q, input.subjectId)
        if (!subject) return { ok: false, conflict: { kind: 'not_found' } }
        const at = now()
        if (input.record !== undefined) {
          const r = await changeSubject(q, input.subjectId, { record: input.record }, subjectAction.screeningRecord, actor, at, input.expected)
          if (!r.ok) return r
          subject = r.value
        }
        const [evaluation] = await insertEvaluations(q, [{ ...input.evaluation, subject_id: input.subjectId }], actor, at)
        return { ok: true, value: { subject, evaluation: evaluation! } }
      }),
    saveSubjectRecord: (input, actor) =>
      db.write(async (q): Promise<WriteResult<{ subject: SubjectRow; version: SubjectRecordVersionSummary; evaluation: EvaluationRow | null }>> => {
        const before = await subjectById(q, input.subjectId)
        if (!before) return { ok: false, conflict: { kind: 'not_found' } }
        // optimistic concurrency: the edit applies only to the version the editor read
        if (before.record_version !== input.baseVersion) return { ok: false, conflict: { kind: 'stale', latest: before.record_version } }
        const version = before.record_version + 1
        const at = now()
        const r = await changeSubject(q, input.subjectId, { record: input.record }, subjectAction.edited(version), actor, at, undefined, input.note)
        if (!r.ok) return r
        const evaluation = input.evaluation ? (await insertEvaluations(q, [{ ...input.evaluation, subject_id: input.subjectId }], actor, at))[0]! : null
        const { record: _record, ...saved } = (await recordVersion(q, input.subjectId, version))!
        return { ok: true, value: { subject: r.value, version: saved, evaluation } }
      }),
    subjectRecordVersions: subjectId =>
      db.query<SubjectRecordVersionSummary>(`SELECT ${RECORD_VERSION_SUMMARY} FROM subject_record_versions WHERE subject_id = $1 ORDER BY version`, [
        subjectId,
      ]),
    subjectRecordVersion: (subjectId, version) => recordVersion(db.query, subjectId, version),

    audit: filter =>
      page<AuditRow>(
        'audit',
        [
          ['entity =', filter.entity],
          ['entity_id =', filter.entityId],
          ['id >', filter.afterId],
        ],
        filter.limit,
      ),
    recordRead: (entity, entityId, actor, what) => db.write(q => appendAudit(q, now(), actor, audited.read(entity, entityId, what))),
    recordEvent: (entry, actor) => db.write(q => appendAudit(q, now(), actor, { ...entry, hash_before: null, hash_after: null })),
    verifyAudit: options => verifyPostgresAudit(db, options),

    claimIdempotencyKey: (input, ttlMs) => idempotency.claim(input, ttlMs),
    completeIdempotencyKey: (input, answer) => idempotency.complete(input, answer),
    releaseIdempotencyKey: input => idempotency.release(input),

    integrityCheck: () => integrityOf(db.query),
    async close() {
      try {
        await loggedEvaluations.flush()
      } finally {
        await db.close()
      }
    },
  }
  return withStorageErrors(store, undefined)
}

/** The tables whose rows the database itself keeps from change (migration 001), each with its triggers. */
const GUARDED_TABLES = ['protocol_versions', 'protocol_examples', 'subject_record_versions', 'audit', 'protocol_status_changes']

/**
 * The database's self-check: reachable, and every append-only table still
 * guarded by its enabled triggers (a trigger dropped or disabled would let
 * history be rewritten). 'ok', or what is wrong.
 */
async function integrityOf(q: Query): Promise<string> {
  const rows = await q<{ table: string; guards: number }>(
    `SELECT c.relname AS table, count(t.oid) FILTER (WHERE t.tgenabled <> 'D') AS guards
     FROM pg_class c LEFT JOIN pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal
     WHERE c.relname = ANY($1) AND c.relnamespace = to_regnamespace(current_schema())::oid GROUP BY c.relname`,
    [GUARDED_TABLES],
  )
  const guarded = new Map(rows.map(r => [r.table, r.guards]))
  const unguarded = GUARDED_TABLES.filter(t => (guarded.get(t) ?? 0) < 2)
  return unguarded.length === 0 ? 'ok' : `append-only tables without their enabled triggers: ${unguarded.join(', ')}`
}
