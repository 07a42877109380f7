/**
 * An in-memory DuckDB holding OMOP CDM rows (engine/sql/omop.ts's tables),
 * for the tests of the SQL backend: load rows, run a query, read objects.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { OMOP_DDL, REFERENCE_DATE_TABLE } from '../../engine/sql/omop.ts'
import type { OmopRows } from '../../engine/sql/omop-rows.ts'

const sqlValue = (v: unknown): string => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`)

/** INSERT the rows in batches of multi-row VALUES (the columns of the first row). */
async function insert(c: DuckDBConnection, table: string, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return
  const columns = Object.keys(rows[0]!)
  for (let i = 0; i < rows.length; i += 1000) {
    const values = rows.slice(i, i + 1000).map(r => `(${columns.map(k => sqlValue((r as Record<string, unknown>)[k])).join(', ')})`)
    await c.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')}`)
  }
}

export interface OmopDuckDb {
  query(sql: string): Promise<Array<Record<string, unknown>>>
  close(): void
}

/** A new in-memory database with the OMOP tables and these people's rows. */
export async function omopDuckDb(people: readonly OmopRows[]): Promise<OmopDuckDb> {
  const instance = await DuckDBInstance.create(':memory:')
  const c = await instance.connect()
  for (const ddl of OMOP_DDL) await c.run(ddl)
  await insert(
    c,
    'person',
    people.map(p => p.person),
  )
  let observationId = 0
  await insert(
    c,
    'observation',
    people.flatMap(p => p.observation.map(o => ({ observation_id: ++observationId, ...o }))),
  )
  await insert(
    c,
    REFERENCE_DATE_TABLE,
    people.flatMap(p => p.referenceDates),
  )
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
