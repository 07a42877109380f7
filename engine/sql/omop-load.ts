/**
 * Writing OMOP tables (omop-rows.ts) into a database through any SQL
 * connection (DuckDB, PostgreSQL): the tables created (omop.ts OMOP_DDL),
 * then multi-row INSERTs of literal values, a thousand rows each. For
 * `to-omop` and the SQL backend's tests.
 */
import { OMOP_DDL } from './omop.ts'
import type { OmopTables } from './omop-rows.ts'

const sqlValue = (v: unknown): string => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`)

/** Create the OMOP tables the SQL backend reads, then insert the rows of each. */
export async function loadOmop(run: (sql: string) => Promise<unknown>, tables: OmopTables): Promise<void> {
  for (const ddl of OMOP_DDL) await run(ddl)
  for (const [table, rows] of Object.entries(tables) as Array<[string, readonly object[]]>) {
    if (rows.length === 0) continue
    const columns = Object.keys(rows[0]!)
    for (let i = 0; i < rows.length; i += 1000) {
      const values = rows.slice(i, i + 1000).map(r => `(${columns.map(k => sqlValue((r as Record<string, unknown>)[k])).join(', ')})`)
      await run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')}`)
    }
  }
}

/** The tables omop-rows.ts writes, by name (to-omop writes a file each). */
export const OMOP_TABLES: ReadonlyArray<keyof OmopTables> = [
  'person',
  'observation_period',
  'observation',
  'measurement',
  'condition_occurrence',
  'procedure_occurrence',
  'drug_exposure',
  'ln_reference_date',
  'concept',
  'concept_ancestor',
]
