/**
 * An online backup of the database: SQLite's backup API copies a consistent
 * snapshot page by page while the server goes on reading and writing (WAL),
 * so backing up needs no downtime. The copy is private (0600) like the
 * original, and checked (`PRAGMA integrity_check`) before it is reported good.
 */
import Database from 'better-sqlite3'
import { chmodSync, closeSync, existsSync, openSync, renameSync, rmSync } from 'node:fs'
import { FILE_MODE } from './data-dir.ts'

export interface BackupReport {
  target: string
  bytes: number
  pages: number
  /** `ok`, or what integrity_check found. */
  integrity: string
}

/**
 * Copy the database `file` to `target` (which must not exist). Written to
 * `<target>.partial` first and renamed once checked: a failed backup leaves
 * no file that looks like a good one.
 */
export async function backupDatabase(file: string, target: string): Promise<BackupReport> {
  if (existsSync(target)) throw new Error(`${target} exists: choose a new file name (a backup never overwrites)`)
  const partial = `${target}.partial`
  // created private before SQLite writes a byte of patient data into it
  closeSync(openSync(partial, 'w', FILE_MODE))
  const source = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const { totalPages } = await source.backup(partial)
    const copy = new Database(partial, { readonly: true })
    let integrity: string
    try {
      integrity = copy.pragma('integrity_check', { simple: true }) as string
    } finally {
      copy.close()
    }
    if (integrity !== 'ok') throw new Error(`the copy failed its integrity check: ${integrity}`)
    chmodSync(partial, FILE_MODE)
    renameSync(partial, target)
    const bytes = totalPages * (source.pragma('page_size', { simple: true }) as number)
    return { target, bytes, pages: totalPages, integrity }
  } catch (e) {
    rmSync(partial, { force: true })
    throw e
  } finally {
    source.close()
  }
}
