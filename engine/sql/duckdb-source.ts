/**
 * An OMOP CDM source in DuckDB, the SQL backend's embedded engine: a DuckDB
 * database file (opened read-only), or a folder of one CSV or Parquet file
 * per table (`person.csv`, `observation.parquet`, `ln_reference_date.csv`...),
 * each read once into a temporary table. Runs compileSql's query into a temporary
 * table, writes it out, and streams it.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * DuckDB's memory for one cohort: by default it takes 80 % of the machine's,
 * which a server sharing the machine cannot give; a million persons' query
 * peaked at 4.7 GB unbounded. Beyond the limit it spills to disk.
 */
export const DUCKDB_MEMORY_LIMIT = '2GB'

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`

export interface OmopSource {
  /** Where the rows come from, for messages. */
  label: string
  /** Run `sql` into the temporary table `name`; its row count. */
  materialize(name: string, sql: string): Promise<number>
  /** Write a table to a CSV or Parquet file (by its extension). */
  copyTo(table: string, file: string): Promise<void>
  /** The rows of a table, in order, a chunk at a time. */
  rows(sql: string): AsyncIterable<Array<Record<string, unknown>>>
  close(): void
}

/** A problem with the source the user can fix (a missing table, a folder without files), said in one sentence. */
export class OmopSourceError extends Error {}

async function tablesFromFolder(c: DuckDBConnection, dir: string, tables: readonly string[]): Promise<void> {
  const files = readdirSync(dir)
  for (const table of tables) {
    const file = ['parquet', 'csv'].map(ext => `${table}.${ext}`).find(f => files.includes(f))
    if (!file) throw new OmopSourceError(`${dir} has no ${table}.parquet or ${table}.csv`)
    const reader = file.endsWith('.parquet')
      ? `read_parquet(${quote(join(dir, file))})`
      : `read_csv(${quote(join(dir, file))}, header = true, auto_detect = true)`
    // read once into a table (spilled beyond the memory limit): the query reads most tables many times, and every
    // scan of a CSV view re-reads the file and holds its own buffers (79 persons' folder exhausted 2 GB that way)
    await c.run(`CREATE TEMP TABLE ${table} AS SELECT * FROM ${reader}`)
  }
}

/**
 * @param tables - the tables the query reads (compileSql's `tables`): each must be in the database, or a file in the folder
 */
export async function openOmopSource(path: string, tables: readonly string[]): Promise<OmopSource> {
  if (!existsSync(path)) throw new OmopSourceError(`no OMOP source at ${path}: give a DuckDB file or a folder of CSV or Parquet tables`)
  const folder = statSync(path).isDirectory()
  // what does not fit in memory spills to a folder of its own (beside a read-only database there may be no room to write)
  const spill = mkdtempSync(join(tmpdir(), 'ln-cohort-'))
  const settings = { memory_limit: DUCKDB_MEMORY_LIMIT, temp_directory: spill }
  const instance = await DuckDBInstance.create(folder ? ':memory:' : path, folder ? settings : { ...settings, access_mode: 'READ_ONLY' })
  const c = await instance.connect()
  try {
    if (folder) await tablesFromFolder(c, path, tables)
    else {
      const present = new Set((await c.runAndReadAll('SELECT table_name FROM information_schema.tables')).getRowObjectsJS().map(r => String(r.table_name)))
      const missing = tables.filter(t => !present.has(t))
      if (missing.length) throw new OmopSourceError(`${path} has no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''}`)
    }
  } catch (e) {
    c.closeSync()
    instance.closeSync()
    rmSync(spill, { recursive: true, force: true })
    throw e
  }
  return {
    label: folder ? `the tables in ${path}` : `the DuckDB database ${path}`,
    async materialize(name, sql) {
      await c.run(`CREATE TEMP TABLE ${name} AS ${sql}`)
      return Number((await c.runAndReadAll(`SELECT count(*) AS n FROM ${name}`)).getRowObjectsJS()[0]!.n)
    },
    async copyTo(table, file) {
      const format = file.toLowerCase().endsWith('.parquet') ? 'parquet' : 'csv'
      await c.run(`COPY ${table} TO ${quote(file)} (FORMAT ${format}${format === 'csv' ? ', HEADER' : ''})`)
    },
    async *rows(sql) {
      const result = await c.stream(sql)
      for await (const chunk of result.yieldRowObjectJs()) yield chunk as Array<Record<string, unknown>>
    },
    close() {
      c.closeSync()
      instance.closeSync()
      rmSync(spill, { recursive: true, force: true })
    },
  }
}
