/**
 * Schema migrations on PostgreSQL: the numbered .sql files of ./migrations,
 * applied in order, each once and in its own transaction, recorded in
 * schema_migrations, as server/storage/migrate.ts does on SQLite. A
 * database-wide advisory lock makes app instances starting together apply
 * each migration once.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MIGRATION_LOCK, type PgDatabase } from './pg-database.ts'

const DIR = join(import.meta.dirname, 'migrations')

export async function migratePostgres(db: PgDatabase): Promise<number[]> {
  const client = await db.pool.connect()
  const applied: number[] = []
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    try {
      // no DDL once every migration is done: the app's own role may create nothing (`npm run db -- grant`)
      const exists = (await client.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t")).rows[0]!.t
      if (exists === null) await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
      const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(r => r.version))
      for (const file of readdirSync(DIR)
        .filter(f => /^\d+_.+\.sql$/.test(f))
        .sort()) {
        const version = Number(file.split('_')[0])
        if (done.has(version)) continue
        await client.query('BEGIN')
        try {
          await client.query(readFileSync(join(DIR, file), 'utf8'))
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, new Date().toISOString()])
          await client.query('COMMIT')
        } catch (e) {
          await client.query('ROLLBACK')
          throw new Error(`PostgreSQL migration ${file} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
        }
        applied.push(version)
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK])
    }
  } finally {
    client.release()
  }
  return applied
}
