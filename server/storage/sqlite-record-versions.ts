/**
 * The versions of subjects' records on SQLite (migration 008): each save of a
 * record appends an immutable row and moves subjects.record_version to it, in
 * the caller's transaction, so a record and its history cannot disagree.
 */
import type { Database } from 'better-sqlite3'
import type { Actor, SubjectRecordVersionRow, SubjectRecordVersionSummary } from './store.ts'

export interface RecordVersionStatements {
  /** Append version `version` of a subject's record (the caller checked it is the next one). */
  append(input: { subjectId: string; version: number; record: string; action: string; note: string | null }, actor: Actor, at: string): SubjectRecordVersionRow
  list(subjectId: string): SubjectRecordVersionSummary[]
  get(subjectId: string, version: number): SubjectRecordVersionRow | undefined
}

const SUMMARY = 'subject_id, version, actor, created_at, action, note'

export function sqliteRecordVersions(db: Database): RecordVersionStatements {
  const insert = db.prepare<[string, number, string, string, string, string, string | null]>(
    'INSERT INTO subject_record_versions (subject_id, version, record, actor, created_at, action, note) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  const one = db.prepare<[string, number], SubjectRecordVersionRow>('SELECT * FROM subject_record_versions WHERE subject_id = ? AND version = ?')
  const all = db.prepare<[string], SubjectRecordVersionSummary>(`SELECT ${SUMMARY} FROM subject_record_versions WHERE subject_id = ? ORDER BY version`)
  const move = db.prepare<[number, string]>('UPDATE subjects SET record_version = ? WHERE id = ?')
  return {
    append(input, actor, at) {
      insert.run(input.subjectId, input.version, input.record, actor.name, at, input.action, input.note)
      move.run(input.version, input.subjectId)
      return one.get(input.subjectId, input.version)!
    },
    list: subjectId => all.all(subjectId),
    get: (subjectId, version) => one.get(subjectId, version),
  }
}
