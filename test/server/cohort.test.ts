/**
 * POST /protocols/{id}/cohort on a server configured with an OMOP source:
 * the seed protocol's example patients written as OMOP tables into a DuckDB
 * file, counted by the route into the funnel the engine gives over the same
 * patients (as their OMOP rows hold them), with the criteria SQL does not
 * express taken as unknown and listed with why. No source, a broken source,
 * no token, another protocol: each said as a problem.
 */
import { DuckDBInstance } from '@duckdb/node-api'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileProtocol, examplePatient } from '../../engine/index.ts'
import { compileSql } from '../../engine/sql/compile-sql.ts'
import { loadOmop } from '../../engine/sql/omop-load.ts'
import { omopTablesOf } from '../../engine/sql/omop-rows.ts'
import { shippedProtocol } from '../helpers/protocols.ts'
import { engineFunnelAsSql } from '../helpers/omop-funnel.ts'
import { caller, expectProblem, testApp } from './helpers.ts'

const P = 'nct05631717'
const seed = shippedProtocol('NCT05631717')
const compiled = compileProtocol(seed.doc)
const patients = seed.examples!.examples.map(e => examplePatient(seed.examples!, e.id))
const dir = mkdtempSync(join(tmpdir(), 'cohort-route-'))
const warehouse = join(dir, 'omop.duckdb')

async function writeDuckDb(file: string, tables: ReturnType<typeof omopTablesOf>): Promise<void> {
  const instance = await DuckDBInstance.create(file)
  const c = await instance.connect()
  await loadOmop(sql => c.run(sql), tables)
  c.closeSync()
  instance.closeSync()
}

beforeAll(async () => {
  await writeDuckDb(warehouse, omopTablesOf(patients, { dictionary: compiled.dictionary }))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('POST /protocols/{id}/cohort', () => {
  it("a viewer gets the warehouse's funnel: the engine's over the same patients, criteria SQL does not express unknown and named", async () => {
    const call = caller(await testApp({ omopSource: warehouse }), 'viewer')
    const res = await call('POST', `/protocols/${P}/cohort`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      persons: number
      funnel: unknown
      source: string
      unknown_in_sql: Array<{ criterion: string; reasons: string[] }>
      version: number
    }
    expect(body.persons).toBe(patients.length)
    expect(body.source).toContain(warehouse)
    expect(body.version).toBe(1)
    const sql = compileSql(compiled)
    const unsupported = sql.criteria.filter(c => c.unsupported.length > 0)
    expect(body.unknown_in_sql.map(u => u.criterion)).toEqual(unsupported.map(c => c.id))
    expect(body.unknown_in_sql.find(u => u.criterion === 'IN03')!.reasons).toEqual(['SLEDAI-2K score derived by the engine is not expressed in SQL yet'])
    expect(body.funnel).toEqual(engineFunnelAsSql(compiled, patients))
  })

  it('no source configured: 409; a source without a table: 502 naming it; no token: 401; no such protocol: 404', async () => {
    const none = caller(await testApp(), 'viewer')
    const unset = await expectProblem(await none('POST', `/protocols/${P}/cohort`), 409, 'no-omop-source')
    expect(unset.detail).toMatch(/OMOP_SOURCE/)

    const broken = join(dir, 'broken.duckdb')
    const tables = omopTablesOf(patients.slice(0, 2))
    await writeDuckDb(broken, tables)
    const instance = await DuckDBInstance.create(broken)
    const c = await instance.connect()
    await c.run('DROP TABLE measurement')
    c.closeSync()
    instance.closeSync()
    const call = caller(await testApp({ omopSource: broken }), 'viewer')
    const failed = await expectProblem(await call('POST', `/protocols/${P}/cohort`), 502, 'omop-source-failed')
    expect(failed.detail).toMatch(/has no measurement table/)

    await expectProblem(await call('POST', `/protocols/${P}/cohort`, { as: null }), 401, 'unauthorized')
    await expectProblem(await call('POST', '/protocols/no-such-protocol/cohort'), 404, 'not-found')
  })
})
