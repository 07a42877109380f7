/**
 * OMOP CDM rows (engine/sql/omop.ts's tables) in a schema of their own on
 * the PostgreSQL cluster TEST_DATABASE_URL names, for the SQL backend's
 * PostgreSQL dialect: load rows, run a query, drop the schema.
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { loadOmop } from '../../engine/sql/omop-load.ts'
import type { OmopTables } from '../../engine/sql/omop-rows.ts'

export interface OmopPostgres {
  /** The schema holding the tables. */
  schema: string
  query(sql: string): Promise<Array<Record<string, unknown>>>
  close(): Promise<void>
}

export async function omopPostgres(url: string, tables: OmopTables): Promise<OmopPostgres> {
  const schema = `omop_${randomUUID().replaceAll('-', '')}`
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query(`CREATE SCHEMA ${schema}`)
  await client.query(`SET search_path = ${schema}`)
  await loadOmop(sql => client.query(sql), tables)
  return {
    schema,
    async query(sql) {
      return (await client.query(sql)).rows as Array<Record<string, unknown>>
    },
    async close() {
      await client.query(`DROP SCHEMA ${schema} CASCADE`)
      await client.end()
    },
  }
}
