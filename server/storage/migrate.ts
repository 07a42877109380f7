/**
 * Schema migrations: the numbered .sql files next to this module, applied
 * in order, each once and in its own transaction, recorded in
 * schema_migrations. Each takes the write lock at BEGIN (IMMEDIATE) and looks
 * again whether it is done, so two processes opening one new database apply
 * each migration once.
 */
import type { Database } from 'better-sqlite3'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const DIR = join(import.meta.dirname, 'migrations')

export function migrate(db: Database): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map(r => r.version))
  const applied: number[] = []
  for (const file of readdirSync(DIR)
    .filter(f => /^\d+_.+\.sql$/.test(f))
    .sort()) {
    const version = Number(file.split('_')[0])
    if (done.has(version)) continue
    const ran = db
      .transaction(() => {
        if (db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(version)) return false
        db.exec(readFileSync(join(DIR, file), 'utf8'))
        db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString())
        return true
      })
      .immediate()
    if (ran) applied.push(version)
  }
  return applied
}
