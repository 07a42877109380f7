/**
 * OMOP CDM rows (engine/sql/omop.ts's tables) in a schema of their own on
 * the PostgreSQL cluster TEST_DATABASE_URL names, for the SQL backend's
 * PostgreSQL dialect: load rows, run a query, drop the schema.
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { OMOP_DDL, REFERENCE_DATE_TABLE } from '../../engine/sql/omop.ts'
import type { OmopRows } from '../../engine/sql/omop-rows.ts'

const sqlValue = (v: unknown): string =>
  v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`

export interface OmopPostgres {
  query(sql: string): Promise<Array<Record<string, unknown>>>
  close(): Promise<void>
}

export async function omopPostgres(url: string, people: readonly OmopRows[]): Promise<OmopPostgres> {
  const schema = `omop_${randomUUID().replaceAll('-', '')}`
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query(`CREATE SCHEMA ${schema}`)
  await client.query(`SET search_path = ${schema}`)
  for (const ddl of OMOP_DDL) await client.query(ddl)
  const insert = async (table: string, rows: readonly object[]) => {
    if (rows.length === 0) return
    const columns = Object.keys(rows[0]!)
    for (let i = 0; i < rows.length; i += 1000) {
      const values = rows.slice(i, i + 1000).map(r => `(${columns.map(k => sqlValue((r as Record<string, unknown>)[k])).join(', ')})`)
      await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')}`)
    }
  }
  await insert('person', people.map(p => p.person))
  let observationId = 0
  await insert(
    'observation',
    people.flatMap(p => p.observation.map(o => ({ observation_id: ++observationId, ...o }))),
  )
  await insert(REFERENCE_DATE_TABLE, people.flatMap(p => p.referenceDates))
  return {
    async query(sql) {
      return (await client.query(sql)).rows as Array<Record<string, unknown>>
    },
    async close() {
      await client.query(`DROP SCHEMA ${schema} CASCADE`)
      await client.end()
    },
  }
}
