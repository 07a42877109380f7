/**
 * A subject as the API reads and shows it: its row (or a 404), its record
 * known by its code and arm, the record checked before it is saved, and the
 * latest version of its protocol. Shared by subjects.ts, subject-record.ts
 * and study-results.ts.
 */
import { baselineFromData, baselineVisitIds, evaluateSubject } from '../../engine/study.ts'
import { validateAgainstSchema, type PlannedVisit, type SubjectEndpointResults, type SubjectRecord } from '../../engine/index.ts'
import { badRequest, conflict, invalid, notFound } from '../errors.ts'
import { protocolVersionOrThrow } from '../http/protocol-version.ts'
import { loadedVersion, type LoadedVersion } from '../protocol-cache.ts'
import type { Actor, Store, SubjectRow, WriteResult } from '../storage/store.ts'
import { visitPlan } from './schedule.ts'

/** Pseudonymous: letters, digits and hyphens only, so a name ("Jane Doe") cannot be a code. */
export const CODE = /^[A-Za-z0-9][A-Za-z0-9-]{1,31}$/

export function codeOrThrow(code: string): string {
  // the code is not echoed back: if it is a name, it should not travel further
  if (/\s/.test(code)) throw badRequest('the subject code contains a space and looks like a name: codes are pseudonymous (e.g. S-001); never send names')
  if (!CODE.test(code)) throw badRequest(`the subject code must match ${CODE.source}: 2 to 32 letters, digits or hyphens, starting with a letter or digit`)
  return code
}

/** A subject record as stored; the record is always known by the subject's code and arm. */
export function recordOf(row: SubjectRow): SubjectRecord {
  const record = JSON.parse(row.record) as SubjectRecord
  return { ...record, id: row.code, ...(row.arm ? { arm: row.arm } : {}) }
}

export function subjectView(row: SubjectRow) {
  const { record: _record, ...rest } = row
  return { ...rest, record: recordOf(row) }
}

/** Validate a whole record with the subject schema: 422 with every diagnostic, nothing saved. */
export function subjectOrThrow(record: SubjectRecord): SubjectRecord {
  const diagnostics = validateAgainstSchema('subject', record, undefined)
  if (diagnostics.some(d => d.severity === 'error'))
    throw invalid('invalid-subject', `the subject record would have ${diagnostics.length} error(s); nothing was saved`, diagnostics)
  return record
}

export function writtenOrThrow<T>(r: WriteResult<T>, sid: string): T {
  if (r.ok) return r.value
  if (r.conflict.kind === 'not_found') throw notFound(`subject ${sid}`)
  throw conflict(`subject ${sid} changed while this request was handled; nothing was saved: reload it and try again`)
}

/**
 * The first planned visit not yet recorded, for a randomized subject.
 * The next visit is the first planned one after the last recorded visit: a
 * visit left unrecorded before a later one was recorded is missed (listed
 * apart), not the visit a coordinator is waiting for; a baseline visit whose
 * window holds the subject's measurements (engine/schedule/baseline.ts) is
 * not missed.
 */
export function visitProgress(loaded: LoadedVersion, row: SubjectRow): { next_visit: PlannedVisit | null; missed_visits: string[] } {
  if (row.status !== 'randomized') return { next_visit: null, missed_visits: [] }
  const record = recordOf(row)
  const plan = visitPlan(loaded.doc, loaded.compiled.parameters, record.dates ?? {}).visits
  const done = new Set([...(record.visits ?? []).map(v => v.visit), ...Object.keys(baselineFromData(plan, baselineVisitIds(loaded.doc), record))])
  const last = plan.reduce((at, v, i) => (done.has(v.visit) ? i : at), -1)
  return {
    next_visit: plan.slice(last + 1).find(v => !done.has(v.visit)) ?? null,
    missed_visits: plan
      .slice(0, Math.max(0, last))
      .filter(v => !done.has(v.visit))
      .map(v => v.label),
  }
}

export async function evaluateAll(loaded: LoadedVersion, rows: SubjectRow[]): Promise<SubjectEndpointResults[]> {
  const results: SubjectEndpointResults[] = []
  // one at a time: the engine pairs take turns anyway
  for (const row of rows) results.push(await evaluateSubject(loaded.compiled, recordOf(row)))
  return results
}

/** A subject's row, or a 404. */
export async function subjectRowOrThrow(store: Store, sid: string): Promise<SubjectRow> {
  const row = await store.subject(sid)
  if (!row) throw notFound(`subject ${sid}`)
  return row
}

/** The latest version of a protocol, compiled, or a 404. */
export async function latestLoadedOrThrow(store: Store, protocolId: string): Promise<LoadedVersion> {
  return loadedVersion(await protocolVersionOrThrow(store, protocolId))
}

/** Saves a subject's new record (validated) only if the subject is still as read. */
export function subjectSaver(store: Store) {
  return async (row: SubjectRow, record: SubjectRecord, change: Omit<Parameters<Store['updateSubject']>[1], 'record'>, action: string, actor: Actor) => {
    subjectOrThrow(record)
    return writtenOrThrow(await store.updateSubject(row.id, { ...change, record: JSON.stringify(record) }, action, actor, row), row.id)
  }
}
