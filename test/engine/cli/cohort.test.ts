/**
 * `cohort` and `to-omop` on the command line: the seed protocol's example
 * patients written as OMOP tables (CSV), then screened in DuckDB from that
 * folder and from a DuckDB file: the funnel is the engine's funnel over the
 * same patients (as their OMOP rows hold them: omop-event-rows.ts heldByOmop) with the criteria SQL does not express taken as unknown
 * (each named with why), and the per-person verdicts (CSV or Parquet) are
 * the engine's truths for the expressed criteria. Wrong input says what and
 * where.
 */
import { DuckDBInstance } from '@duckdb/node-api'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { compileFast } from '../../../engine/fast/index.ts'
import { compileProtocol, examplePatient } from '../../../engine/index.ts'
import { formatFunnel } from '../../../engine/cli/screen.ts'
import { compileSql } from '../../../engine/sql/compile-sql.ts'
import { loadOmop } from '../../../engine/sql/omop-load.ts'
import { omopTablesOf } from '../../../engine/sql/omop-rows.ts'
import { heldByOmop } from '../../../engine/sql/omop-event-rows.ts'
import { cli } from '../../helpers/cli.ts'
import { engineFunnelAsSql } from '../../helpers/omop-funnel.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const PROTOCOL = 'protocols/nct05631717.yaml'
const seed = shippedProtocol('NCT05631717')
const compiled = compileProtocol(seed.doc)
const patients = seed.examples!.examples.map(e => examplePatient(seed.examples!, e.id))
const dir = mkdtempSync(join(tmpdir(), 'cohort-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The engine's funnel over the example patients, criteria SQL does not express taken as unknown. */
const expectedFunnel = () => formatFunnel(engineFunnelAsSql(compiled, patients))

describe('to-omop, then cohort', () => {
  const folder = join(dir, 'omop')

  it('to-omop writes every table as CSV: a person per example patient, their measurements with LOINC and UCUM concepts', async () => {
    const run = await cli('to-omop', PROTOCOL, folder)
    expect(run.code, run.err).toBe(0)
    expect(run.err).toContain(`${patients.length} patients written`)
    const persons = readFileSync(join(folder, 'person.csv'), 'utf8').trim().split('\n')
    expect(persons).toHaveLength(patients.length + 1)
    expect(persons[1]).toMatch(new RegExp(`^1,8532,.*,${patients[0]!.id}$`))
    const measurements = readFileSync(join(folder, 'measurement.csv'), 'utf8').trim().split('\n')
    expect(measurements.length - 1).toBe(patients.reduce((n, p) => n + (p.measurements?.length ?? 0), 0))
    const concepts = readFileSync(join(folder, 'concept.csv'), 'utf8')
    expect(concepts).toMatch(/,LOINC,Lab Test,S,2890-2,/)
    expect(concepts).toMatch(/,UCUM,Unit,S,g\/g,/)
  })

  it('cohort over the folder: the engine funnel, the criteria left unknown named, each person verdict as the engine gives it', async () => {
    const csv = join(dir, 'verdicts.csv')
    const run = await cli('cohort', PROTOCOL, '--omop', folder, '--out', csv)
    expect(run.code, run.err).toBe(0)
    expect(run.out.trim()).toBe(expectedFunnel())
    expect(run.err).toMatch(/IN03: unknown in SQL \(SLEDAI-2K score derived by the engine is not expressed in SQL yet\)/)
    expect(run.err).not.toMatch(/IN04/)
    const [header, ...rows] = readFileSync(csv, 'utf8').trim().split('\n')
    expect(header).toBe(['person_id', 'overall', ...compiled.criteria.map(c => c.id)].join(','))
    const query = compileSql(compiled)
    const fast = compileFast(compiled)
    for (const [i, line] of rows.entries()) {
      const cells = line.split(',')
      const v = fast.screen(heldByOmop(patients[i]!, compiled.dictionary))
      for (const [k, c] of v.criteria.entries())
        expect(cells[k + 2], `${patients[i]!.id} ${c.id}`).toBe(query.criteria[k]!.unsupported.length ? 'unknown' : c.truth)
    }
  })

  it('cohort over a DuckDB file, verdicts as Parquet: the same', async () => {
    const file = join(dir, 'omop.duckdb')
    const instance = await DuckDBInstance.create(file)
    const c = await instance.connect()
    await loadOmop(sql => c.run(sql), omopTablesOf(patients))
    c.closeSync()
    instance.closeSync()
    const parquet = join(dir, 'verdicts.parquet')
    const run = await cli('cohort', PROTOCOL, '--omop', file, '--out', parquet)
    expect(run.code, run.err).toBe(0)
    expect(run.out.trim()).toBe(expectedFunnel())
    const check = await DuckDBInstance.create(':memory:')
    const q = await check.connect()
    const back = (await q.runAndReadAll(`SELECT * FROM read_parquet('${parquet}') ORDER BY person_id`)).getRowObjectsJS()
    expect(back).toHaveLength(patients.length)
    expect(Object.keys(back[0]!)).toEqual(['person_id', 'overall', ...compiled.criteria.map(c => c.id)])
    q.closeSync()
    check.closeSync()
  })

  it.skipIf(!process.env.TEST_DATABASE_URL)('cohort over PostgreSQL by URL: the same funnel and verdicts, nothing written there', async () => {
    const { omopPostgres } = await import('../../helpers/postgres-omop.ts')
    const url = new URL(process.env.TEST_DATABASE_URL!)
    const db = await omopPostgres(url.toString(), omopTablesOf(patients))
    try {
      // the helper's schema first on the search path, as a warehouse user's would be
      url.searchParams.set('options', `-c search_path=${db.schema}`)
      const csv = join(dir, 'from-postgres.csv')
      const run = await cli('cohort', PROTOCOL, '--omop', url.toString(), '--out', csv)
      expect(run.code, run.err).toBe(0)
      expect(run.out.trim()).toBe(expectedFunnel())
      expect(readFileSync(csv, 'utf8')).toBe(readFileSync(join(dir, 'verdicts.csv'), 'utf8'))
      expect(run.err).toMatch(/in the PostgreSQL database postgres:\/\/[^:@]+@/)
      // the results lived in a temporary table of a rolled-back transaction: the warehouse holds its own tables only
      const tables = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = '${db.schema}' ORDER BY table_name`)
      expect(tables.map(t => t.table_name)).toEqual([
        'concept',
        'concept_ancestor',
        'condition_occurrence',
        'drug_exposure',
        'ln_reference_date',
        'measurement',
        'observation',
        'observation_period',
        'person',
        'procedure_occurrence',
      ])
      const parquet = await cli('cohort', PROTOCOL, '--omop', url.toString(), '--out', join(dir, 'x.parquet'))
      expect(parquet.code).toBe(2)
      expect(parquet.err).toMatch(/Parquet output needs DuckDB/)
    } finally {
      await db.close()
    }
  })

  it('wrong input: no --omop (usage), a folder without a table, a records line that is not a patient record', async () => {
    const usage = await cli('cohort', PROTOCOL)
    expect(usage.code).toBe(2)
    expect(usage.err).toMatch(/cohort needs --omop/)
    const empty = mkdtempSync(join(dir, 'empty-'))
    const missing = await cli('cohort', PROTOCOL, '--omop', empty)
    expect(missing.code).toBe(1)
    expect(missing.err).toContain(`${empty} has no person.parquet or person.csv`)
    const nowhere = await cli('cohort', PROTOCOL, '--omop', join(dir, 'nowhere'))
    expect(nowhere.code).toBe(1)
    expect(nowhere.err).toMatch(/no OMOP source at/)
    const records = join(dir, 'records.ndjson')
    writeFileSync(records, `${JSON.stringify(patients[0])}\n{"birth_date": "yesterday"}\n`)
    const bad = await cli('to-omop', PROTOCOL, join(dir, 'bad'), '--records', records)
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/records.ndjson: line 2 is not a patient record: birth_date/)
  })
})
