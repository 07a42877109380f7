/**
 * Opening the database: a private file (0600 in a 0700 directory), WAL with
 * a sync at every commit, foreign keys, and the schema brought up to date.
 */
import Database from 'better-sqlite3'
import { closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { DIR_MODE, FILE_MODE, restrictDatabaseFiles } from './data-dir.ts'
import { migrate } from './migrate.ts'
import { sqliteAuditLog } from './sqlite-audit.ts'

/** Options of openSqliteStore; the defaults are what the server uses. */
export interface SqliteStoreOptions {
  /** How long a write waits for another connection's lock before SQLITE_BUSY (503), in ms (default 5000). */
  busyTimeoutMs?: number
  /**
   * For tests only: `PRAGMA max_page_count`, to make the database "full" at
   * this many pages (never below its current size) and exercise the disk-full
   * path (SQLITE_FULL, answered 507) without filling a disk.
   */
  maxPageCount?: number
}

/** A path of a file on disk (not `:memory:`, a temporary database or an image in memory). */
export function isOnDisk(file: string | Buffer): file is string {
  return typeof file === 'string' && file !== ':memory:' && file !== ''
}

/** Open (or create) the database and migrate it; the connection is closed again if that fails. */
export function openDatabase(file: string | Buffer, options: SqliteStoreOptions): Database.Database {
  const onDisk = isOnDisk(file)
  if (onDisk) {
    mkdirSync(dirname(file), { recursive: true, mode: DIR_MODE })
    // create a new database 0600 before SQLite does (its -wal and -shm files take the database's mode)
    closeSync(openSync(file, 'a', FILE_MODE))
    restrictDatabaseFiles(file)
  }
  const db = new Database(file)
  try {
    // first: setting WAL on a database another connection uses waits for it too
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`)
    db.pragma('journal_mode = WAL')
    // FULL: the WAL is synced at every commit, so what the API acknowledged is on disk
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    migrate(db)
    // rows written before the audit was a hash chain join it, once (migration 004)
    sqliteAuditLog(db).chainLegacyRows()
    if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.trunc(options.maxPageCount)}`)
  } catch (e) {
    db.close()
    throw e
  }
  if (onDisk) restrictDatabaseFiles(file)
  return db
}
