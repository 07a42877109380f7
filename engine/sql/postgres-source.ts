/**
 * An OMOP CDM source on PostgreSQL, by connection URL, used read-only: the
 * query runs in one transaction that is rolled back at the end, its results
 * in a temporary table dropped with it, so nothing stays in the warehouse
 * (PostgreSQL refuses CREATE TABLE AS, even temporary, in a READ ONLY
 * transaction; a warehouse role without write privileges is still advised):
 * the same SQL as on DuckDB, in the PostgreSQL dialect (dialect.ts).
 * Verdicts are written as CSV (Parquet needs DuckDB).
 */
import { createWriteStream } from 'node:fs'
import pg from 'pg'
import { OmopSourceError, type OmopSource } from './duckdb-source.ts'
import { csvCell } from './csv.ts'

const PAGE = 10_000

export async function openPostgresOmop(url: string): Promise<OmopSource> {
  const client = new pg.Client({ connectionString: url })
  try {
    await client.connect()
  } catch (e) {
    throw new OmopSourceError(`cannot connect to the OMOP database: ${(e as Error).message}`)
  }
  const safe = new URL(url)
  safe.password = ''
  // rolled back at close: the temporary tables go with it, nothing stays
  await client.query('BEGIN')
  let cursors = 0
  /** The rows of `sql` in its order, through a cursor (constant memory however many persons). */
  async function* rows(sql: string): AsyncIterable<Array<Record<string, unknown>>> {
    const cursor = `ln_rows_${++cursors}`
    await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`)
    try {
      for (;;) {
        const page = (await client.query(`FETCH ${PAGE} FROM ${cursor}`)).rows as Array<Record<string, unknown>>
        if (page.length > 0) yield page
        if (page.length < PAGE) return
      }
    } finally {
      await client.query(`CLOSE ${cursor}`)
    }
  }
  return {
    label: `the PostgreSQL database ${safe.toString()}`,
    async materialize(name, sql) {
      await client.query(`CREATE TEMP TABLE ${name} ON COMMIT DROP AS ${sql}`)
      return Number((await client.query(`SELECT count(*) AS n FROM ${name}`)).rows[0].n)
    },
    async copyTo(table, file) {
      if (file.toLowerCase().endsWith('.parquet')) throw new OmopSourceError('Parquet output needs DuckDB: write .csv from PostgreSQL')
      const out = createWriteStream(file, { flags: 'wx' })
      const write = (line: string) => (out.write(line) ? undefined : new Promise<void>(ok => out.once('drain', () => ok())))
      let header = false
      for await (const page of rows(`SELECT * FROM ${table}`)) {
        for (const row of page) {
          if (!header) {
            await write(`${Object.keys(row).join(',')}\n`)
            header = true
          }
          await write(`${Object.values(row).map(csvCell).join(',')}\n`)
        }
      }
      await new Promise<void>((ok, fail) => out.end((e?: Error | null) => (e ? fail(e) : ok())))
    },
    rows,
    close() {
      void client.query('ROLLBACK').finally(() => client.end())
    },
  }
}
