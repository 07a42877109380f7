/**
 * `npm run bench` (pre-screening where the data live): the same synthetic
 * patients as an NDJSON file and as OMOP tables in a DuckDB file, screened
 * by `cli screen` (the fast backend, one thread and --workers) and counted by
 * `cli cohort` (the protocol as one SQL query in DuckDB, which uses every
 * core), each in a fresh process; the ratio of their times, in this run.
 *
 * The cohort decides fewer criteria than the screen (those SQL does not
 * express yet are unknown there), so its funnel is not the screen's; the
 * ratio says what running in the warehouse costs against exporting the
 * records and screening them. BENCH_COHORT_PERSONS (default 1 000 000).
 */
import { spawnSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { compileProtocol, type PatientRecord } from '../../engine/index.ts'
import { csvCell } from '../../engine/sql/csv.ts'
import { OMOP_DDL } from '../../engine/sql/omop.ts'
import { OMOP_TABLES } from '../../engine/sql/omop-load.ts'
import { OmopWriter, type OmopTables } from '../../engine/sql/omop-rows.ts'
import { shippedProtocol } from '../helpers/protocols.ts'
import { syntheticPatientStream } from './synthetic-patients.ts'

const PERSONS = Number(process.env.BENCH_COHORT_PERSONS ?? 1_000_000)
const BATCH = 10_000
const PROTOCOL = 'protocols/nct05631717.yaml'
const root = join(import.meta.dirname, '..', '..')
const nct = shippedProtocol('NCT05631717')
const compiled = compileProtocol(nct.doc)
const dir = mkdtempSync(join(tmpdir(), 'cohort-bench-'))
const now = () => Number(process.hrtime.bigint()) / 1e6

/** One CSV file per table, appended a batch at a time. */
class CsvTables {
  readonly #fds = new Map<string, number>()
  /** Each file's columns, as its header says them. */
  readonly columns = new Map<string, string[]>()
  write(tables: Partial<OmopTables>): void {
    for (const [table, rows] of Object.entries(tables) as Array<[string, Array<Record<string, unknown>>]>) {
      if (rows.length === 0) continue
      let fd = this.#fds.get(table)
      if (fd === undefined) {
        this.#fds.set(table, (fd = openSync(join(dir, `${table}.csv`), 'w')))
        this.columns.set(table, Object.keys(rows[0]!))
        writeSync(fd, `${Object.keys(rows[0]!).join(',')}\n`)
      }
      writeSync(fd, rows.map(r => `${Object.values(r).map(csvCell).join(',')}\n`).join(''))
    }
  }
  close(): string[] {
    for (const fd of this.#fds.values()) closeSync(fd)
    return [...this.#fds.keys()]
  }
}

console.log(`cohort bench: ${PERSONS} synthetic NCT05631717 patients, node ${process.version}, ${availableParallelism()} cores`)
const g0 = now()
const ndjson = openSync(join(dir, 'records.ndjson'), 'w')
const csv = new CsvTables()
const writer = new OmopWriter({ dictionary: compiled.dictionary })
let batch: PatientRecord[] = []
const flush = () => {
  writeSync(ndjson, batch.map(p => `${JSON.stringify(p)}\n`).join(''))
  csv.write(writer.rows(batch))
  batch = []
}
for (const p of syntheticPatientStream(nct.examples!, PERSONS)) {
  batch.push(p)
  if (batch.length === BATCH) flush()
}
flush()
csv.write(writer.vocabulary())
closeSync(ndjson)
const written = csv.close()
console.log(
  `written in ${((now() - g0) / 1000).toFixed(1)} s: ${(statSync(join(dir, 'records.ndjson')).size / 1e6).toFixed(0)} MB of NDJSON; OMOP CSV: ${written.join(', ')}`,
)

// the warehouse: the CDM tables in a DuckDB file, loaded from the CSV files
const l0 = now()
const file = join(dir, 'omop.duckdb')
const instance = await DuckDBInstance.create(file)
const c = await instance.connect()
for (const ddl of OMOP_DDL) await c.run(ddl)
for (const table of OMOP_TABLES)
  if (written.includes(table)) await c.run(`COPY ${table} (${csv.columns.get(table)!.join(', ')}) FROM '${join(dir, `${table}.csv`)}' (HEADER)`)
c.closeSync()
instance.closeSync()
console.log(`DuckDB file loaded in ${((now() - l0) / 1000).toFixed(1)} s: ${(statSync(file).size / 1e6).toFixed(0)} MB`)

function child(script: string, args: string[]): { ms: number; maxRssMb: number; code: number } | undefined {
  const run = spawnSync(process.execPath, ['--import', 'tsx', `test/bench/${script}`, PROTOCOL, ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 20,
  })
  const m = /BENCH (.*)$/m.exec(run.stderr ?? '')
  if (!m) console.log(`  ${script} failed: ${run.stderr}`)
  return m ? JSON.parse(m[1]!) : undefined
}

const cohort = child('cohort-child.ts', [file])
const screens = [1, ...(availableParallelism() > 1 ? [availableParallelism()] : [])].map(workers => ({
  workers,
  r: child('screen-child.ts', [join(dir, 'records.ndjson'), String(workers)]),
}))
if (cohort) {
  console.log(
    `cohort (SQL in DuckDB)      ${(cohort.ms / 1000).toFixed(2)} s, ${((PERSONS / cohort.ms) * 1000).toFixed(0)} persons/s, peak RSS ${cohort.maxRssMb.toFixed(0)} MB`,
  )
  for (const { workers, r } of screens)
    if (r)
      console.log(
        `screen (NDJSON, ${workers === 1 ? 'one thread' : `--workers ${workers}`})${' '.repeat(workers === 1 ? 1 : 0)}   ${(r.ms / 1000).toFixed(2)} s, ${((PERSONS / r.ms) * 1000).toFixed(0)} records/s, peak RSS ${r.maxRssMb.toFixed(0)} MB: the cohort is ×${(r.ms / cohort.ms).toFixed(1)} as fast`,
      )
}
rmSync(dir, { recursive: true, force: true })
