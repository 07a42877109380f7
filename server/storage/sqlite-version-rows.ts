/**
 * Stored protocol versions as the read path asks for them (every evaluation
 * names one), kept in memory once read: a version never changes once
 * written (the database refuses UPDATE and DELETE on protocol_versions,
 * migration 001), so a kept row is the row, and its 40 kB of YAML is not read
 * and decoded again per request. Which version is the latest is asked of the
 * database every time (one integer): another process may have added one.
 * Reads inside a write transaction do not come here (a rolled-back insert
 * must not be kept).
 */
import type { Database } from 'better-sqlite3'
import { KeptVersions } from './kept-versions.ts'
import type { ProtocolVersionRow } from './store.ts'

export interface VersionRows {
  /** Version `version` of protocol `id` (the latest when undefined), or undefined when there is no such version. */
  get(id: string, version?: number): ProtocolVersionRow | undefined
  /** The same read from the database, never kept: for reads inside a write transaction. */
  read(id: string, version: number): ProtocolVersionRow | undefined
}

export function sqliteVersionRows(db: Database): VersionRows {
  const versionOf = db.prepare<[string, number], ProtocolVersionRow>('SELECT * FROM protocol_versions WHERE protocol_id = ? AND version = ?')
  const latestNumber = db.prepare<[string], number>('SELECT latest_version FROM protocols WHERE id = ?').pluck()
  const kept = new KeptVersions<ProtocolVersionRow>()
  return {
    get(id, version) {
      const number = version ?? latestNumber.get(id)
      if (number === undefined) return undefined
      return kept.get(id, number, () => versionOf.get(id, number))
    },
    read: (id, version) => versionOf.get(id, version),
  }
}
