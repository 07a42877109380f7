/**
 * The SQL backend gives the engine's answers: for every shipped protocol,
 * random records (the fast-path equivalence's generator: example patients
 * with values on and around the thresholds, missing sections, dates and
 * items) are written as OMOP rows into DuckDB, and the query compileSql
 * writes gives, per person, each expressed criterion's truth as the engine
 * gives it, unknown included; each criterion it cannot express yet is NULL
 * and named with its reason; the overall verdict is the engine's with those
 * criteria taken as unknown. The PostgreSQL dialect gives the same answers
 * on the same rows where TEST_DATABASE_URL names a cluster (`.ci/run`).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileFast } from '../../../engine/fast/index.ts'
import { compileProtocol, validateAgainstSchema, type PatientRecord } from '../../../engine/index.ts'
import { heldByOmop } from '../../../engine/sql/omop-event-rows.ts'
import { overallOf } from '../../../engine/evaluate/kleene.ts'
import { compileSql } from '../../../engine/sql/compile-sql.ts'
import { omopTablesOf } from '../../../engine/sql/omop-rows.ts'
import { omopDuckDb } from '../../helpers/duckdb-omop.ts'
import { omopPostgres } from '../../helpers/postgres-omop.ts'
import { shippedProtocols } from '../../helpers/protocols.ts'
import { patientArb, perturbModel } from '../fast/perturb.ts'

const PATIENTS = Number(process.env.SQL_EQUIVALENCE_PATIENTS ?? 2000)
const pgUrl = process.env.TEST_DATABASE_URL
const truthOf = (t: string) => (t === 'met' ? true : t === 'not_met' ? false : null)

describe.each(shippedProtocols().map(p => ({ name: p.file, p })))('SQL on OMOP (DuckDB) = the engine on $name', ({ p }) => {
  const compiled = compileProtocol(p.doc)
  const fast = compileFast(compiled)
  const query = compileSql(compiled, 'duckdb')

  it('names every criterion it cannot express, with the leaf and the reason; expresses some', () => {
    for (const c of query.criteria) for (const u of c.unsupported) expect(u.reason.length, `${c.id} ${u.path}`).toBeGreaterThan(0)
    expect(query.criteria.map(c => c.id)).toEqual(compiled.criteria.map(c => c.id))
    expect(query.criteria.some(c => c.unsupported.length === 0)).toBe(true)
  })

  it(`${PATIENTS} random patients: each expressed criterion's truth, unknown included, and the verdict`, async () => {
    const records = fc
      .sample(patientArb(perturbModel(p.doc, p.examples, compiled)), { numRuns: PATIENTS * 2, seed: 20261203 })
      .map(r => heldByOmop(r, compiled.dictionary))
      .filter((r: PatientRecord) => !validateAgainstSchema('patient', r, undefined).some(d => d.severity === 'error'))
      .slice(0, PATIENTS)
    expect(records.length).toBe(PATIENTS)
    const tables = omopTablesOf(records, { dictionary: compiled.dictionary })
    const db = await omopDuckDb(tables)
    try {
      const rows = await db.query(query.sql)
      expect(rows).toHaveLength(PATIENTS)
      const outcomes = new Map<string, Set<unknown>>()
      for (const [i, record] of records.entries()) {
        const row = rows[i]!
        expect(Number(row.person_id)).toBe(i + 1)
        const engine = fast.screen(record)
        const taken = engine.criteria.map((c, k) => {
          const sql = query.criteria[k]!
          if (sql.unsupported.length > 0) {
            expect(row[sql.column], `${record.id} ${c.id} (not expressed)`).toBeNull()
            return { id: c.id, outcome: 'unknown' as const }
          }
          expect(row[sql.column], `${record.id} ${c.id}`).toBe(truthOf(c.truth))
          const seen = outcomes.get(c.id) ?? new Set()
          seen.add(c.truth)
          outcomes.set(c.id, seen)
          return c
        })
        expect(row.overall, record.id).toBe(overallOf(taken).overall)
      }
      // a weak generator would make this vacuous: most expressed criteria take more than one truth
      const varied = [...outcomes.values()].filter(s => s.size > 1).length
      expect(varied).toBeGreaterThanOrEqual(Math.ceil(outcomes.size / 2))
      if (pgUrl) {
        // the PostgreSQL dialect on the same rows: the same columns, row for row
        const onPostgres = await omopPostgres(pgUrl, tables)
        try {
          const pgRows = await onPostgres.query(compileSql(compiled, 'postgres').sql)
          const byPerson = (r: Record<string, unknown>) => ({ ...r, person_id: Number(r.person_id) })
          expect(pgRows.map(byPerson)).toEqual(rows.map(byPerson))
        } finally {
          await onPostgres.close()
        }
      }
    } finally {
      db.close()
    }
  }, 120_000)
})
