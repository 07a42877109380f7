/** The transferred tables on an SQLite database (tables.ts says which, and how). */
import type { Database, Statement } from 'better-sqlite3'
import { sortRows, type Row, type TableAccess, type TableSpec } from './tables.ts'

const PAGE = 1000

export function sqliteTables(db: Database, label: string): TableAccess {
  async function* rows(spec: TableSpec): AsyncIterable<Row> {
    const columns = spec.columns.join(', ')
    if (spec.order !== 'id') {
      yield* sortRows(spec, db.prepare<[], Row>(`SELECT ${columns} FROM ${spec.name}`).all())
      return
    }
    const page = db.prepare<[number, number], Row & { id: number }>(`SELECT ${columns} FROM ${spec.name} WHERE id > ? ORDER BY id LIMIT ?`)
    for (let after = 0; ; ) {
      const batch = page.all(after, PAGE)
      yield* batch
      if (batch.length < PAGE) return
      after = batch.at(-1)!.id
    }
  }
  return {
    label,
    async read(fn) {
      // a read transaction: one snapshot of the whole database (WAL), whatever the server writes meanwhile
      db.exec('BEGIN')
      try {
        return await fn(rows)
      } finally {
        db.exec('COMMIT')
      }
    },
    async count(table) {
      return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    },
    async transaction(fn) {
      db.exec('BEGIN IMMEDIATE')
      try {
        const statements = new Map<string, Statement<unknown[]>>()
        await fn(async (spec: TableSpec, values: unknown[]) => {
          let insert = statements.get(spec.name)
          if (!insert) {
            insert = db.prepare(`INSERT INTO ${spec.name} (${spec.columns.join(', ')}) VALUES (${spec.columns.map(() => '?').join(', ')})`)
            statements.set(spec.name, insert)
          }
          insert.run(...values.map(v => (typeof v === 'boolean' ? (v ? 1 : 0) : v)))
        })
        db.exec('COMMIT')
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK')
        throw e
      }
    },
    async close() {
      db.close()
    },
  }
}
