/**
 * An in-memory DuckDB holding OMOP CDM rows (engine/sql/omop.ts's tables),
 * for the tests of the SQL backend: load rows, run a query, read objects.
 */
import { DuckDBInstance } from '@duckdb/node-api'
import { loadOmop } from '../../engine/sql/omop-load.ts'
import type { OmopTables } from '../../engine/sql/omop-rows.ts'

export interface OmopDuckDb {
  query(sql: string): Promise<Array<Record<string, unknown>>>
  close(): void
}

/** A new in-memory database with the OMOP tables and these tables. */
export async function omopDuckDb(tables: OmopTables): Promise<OmopDuckDb> {
  const instance = await DuckDBInstance.create(':memory:')
  const c = await instance.connect()
  await loadOmop(sql => c.run(sql), tables)
  return {
    async query(sql) {
      return (await c.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>
    },
    close() {
      c.closeSync()
      instance.closeSync()
    },
  }
}
