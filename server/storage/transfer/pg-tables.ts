/** The transferred tables on a PostgreSQL database (tables.ts says which, and how). */
import type { PgDatabase } from '../postgres/pg-database.ts'
import { WRITE_LOCK } from '../postgres/pg-database.ts'
import { sortRows, type Row, type TableAccess, type TableSpec } from './tables.ts'

const PAGE = 1000

export function pgTables(db: PgDatabase, label: string): TableAccess {
  return {
    label,
    read: fn =>
      // one REPEATABLE READ snapshot, read in pages
      db.snapshot(q =>
        fn(async function* (spec: TableSpec): AsyncIterable<Row> {
          const columns = spec.columns.join(', ')
          if (spec.order !== 'id') {
            yield* sortRows(spec, await q<Row>(`SELECT ${columns} FROM ${spec.name}`))
            return
          }
          for (let after = 0; ; ) {
            const batch = await q<Row & { id: number }>(`SELECT ${columns} FROM ${spec.name} WHERE id > $1 ORDER BY id LIMIT $2`, [after, PAGE])
            yield* batch
            if (batch.length < PAGE) return
            after = batch.at(-1)!.id
          }
        }),
      ),
    async count(table) {
      return (await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n
    },
    async transaction(fn) {
      const client = await db.pool.connect()
      try {
        await client.query('BEGIN')
        // the app's writers wait: nothing is written beside the import
        await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK])
        const identities = new Set<TableSpec>()
        await fn(async (spec, values) => {
          const placeholders = spec.columns.map((_, i) => `$${i + 1}`).join(', ')
          await client.query(`INSERT INTO ${spec.name} (${spec.columns.join(', ')}) VALUES (${placeholders})`, values)
          if (spec.identity) identities.add(spec)
        })
        // identity columns continue after the imported ids
        for (const spec of identities)
          await client.query(`SELECT setval(pg_get_serial_sequence('${spec.name}', '${spec.identity}'), (SELECT max(${spec.identity}) FROM ${spec.name}))`)
        await client.query('COMMIT')
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {})
        throw e
      } finally {
        client.release()
      }
    },
    close: () => db.close(),
  }
}
