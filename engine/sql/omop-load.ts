/**
 * Writing OMOP rows (omop-rows.ts) into a database's OMOP tables through any
 * SQL connection (DuckDB, PostgreSQL): multi-row INSERTs of literal values,
 * a thousand rows each. For `to-omop` and the SQL backend's tests.
 */
import { OMOP_DDL, REFERENCE_DATE_TABLE } from './omop.ts'
import type { OmopRows } from './omop-rows.ts'

const sqlValue = (v: unknown): string => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`)

/** Create the OMOP tables the SQL backend reads, then insert these people's rows (observation ids numbered from 1). */
export async function loadOmop(run: (sql: string) => Promise<unknown>, people: readonly OmopRows[]): Promise<void> {
  for (const ddl of OMOP_DDL) await run(ddl)
  const insert = async (table: string, rows: readonly object[]) => {
    if (rows.length === 0) return
    const columns = Object.keys(rows[0]!)
    for (let i = 0; i < rows.length; i += 1000) {
      const values = rows.slice(i, i + 1000).map(r => `(${columns.map(k => sqlValue((r as Record<string, unknown>)[k])).join(', ')})`)
      await run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')}`)
    }
  }
  await insert(
    'person',
    people.map(p => p.person),
  )
  let observationId = 0
  await insert(
    'observation',
    people.flatMap(p => p.observation.map(o => ({ observation_id: ++observationId, ...o }))),
  )
  await insert(
    REFERENCE_DATE_TABLE,
    people.flatMap(p => p.referenceDates),
  )
}
