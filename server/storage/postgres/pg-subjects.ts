/**
 * Subjects on PostgreSQL: registration, compare-and-set changes, record
 * versions (each record saved is a new immutable row), in the caller's
 * write transaction, with the rules of sqlite-store.ts.
 */
import { randomUUID } from 'node:crypto'
import { audited, subjectAction, subjectSnapshot } from '../store-rules.ts'
import { appendAudit } from './pg-audit.ts'
import type { Query } from './pg-database.ts'
import type { Actor, SubjectRecordVersionRow, SubjectRow, WriteResult } from '../store.ts'

export type SubjectChange = { record?: string; status?: SubjectRow['status']; arm?: string | null }

export const subjectById = async (q: Query, id: string) => (await q<SubjectRow>('SELECT * FROM subjects WHERE id = $1', [id]))[0]

export const recordVersion = async (q: Query, subjectId: string, version: number) =>
  (await q<SubjectRecordVersionRow>('SELECT * FROM subject_record_versions WHERE subject_id = $1 AND version = $2', [subjectId, version]))[0]

async function appendRecordVersion(
  q: Query,
  input: { subjectId: string; version: number; record: string; action: string; note: string | null },
  actor: Actor,
  at: string,
): Promise<void> {
  await q('INSERT INTO subject_record_versions (subject_id, version, record, actor, created_at, action, note) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    input.subjectId,
    input.version,
    input.record,
    actor.name,
    at,
    input.action,
    input.note,
  ])
  await q('UPDATE subjects SET record_version = $1 WHERE id = $2', [input.version, input.subjectId])
}

export async function createSubject(
  q: Query,
  input: { protocol_id: string; code: string; record: string },
  actor: Actor,
  at: string,
): Promise<WriteResult<SubjectRow>> {
  if ((await q('SELECT 1 FROM protocols WHERE id = $1', [input.protocol_id])).length === 0) return { ok: false, conflict: { kind: 'not_found' } }
  if ((await q('SELECT 1 FROM subjects WHERE protocol_id = $1 AND code = $2', [input.protocol_id, input.code])).length > 0)
    return { ok: false, conflict: { kind: 'exists' } }
  const id = randomUUID()
  await q("INSERT INTO subjects (id, protocol_id, code, status, arm, record, created_at, updated_at) VALUES ($1, $2, $3, 'screened', NULL, $4, $5, $5)", [
    id,
    input.protocol_id,
    input.code,
    input.record,
    at,
  ])
  await appendAudit(q, at, actor, audited.subjectRegistered(id, input.record))
  await appendRecordVersion(q, { subjectId: id, version: 1, record: input.record, action: subjectAction.register, note: null }, actor, at)
  return { ok: true, value: (await subjectById(q, id))! }
}

/** Change a subject's record, status and arm; with `expected`, only if they are still as read. */
export async function changeSubject(
  q: Query,
  id: string,
  change: SubjectChange,
  action: string,
  actor: Actor,
  at: string,
  expected?: SubjectRow,
  note: string | null = null,
): Promise<WriteResult<SubjectRow>> {
  const before = await subjectById(q, id)
  if (!before) return { ok: false, conflict: { kind: 'not_found' } }
  if (expected && subjectSnapshot(expected) !== subjectSnapshot(before)) return { ok: false, conflict: { kind: 'changed' } }
  const after = { ...before, ...change, updated_at: at }
  await q('UPDATE subjects SET record = $1, status = $2, arm = $3, updated_at = $4 WHERE id = $5', [after.record, after.status, after.arm, at, id])
  await appendAudit(q, at, actor, audited.subjectChanged(id, action, before, after))
  // every write that gives a record keeps it as the next version
  if (change.record !== undefined)
    await appendRecordVersion(q, { subjectId: id, version: before.record_version + 1, record: change.record, action, note }, actor, at)
  return { ok: true, value: (await subjectById(q, id))! }
}
