/**
 * A protocol's eligibility run where the data live: compileSql's query over
 * an OMOP source (a DuckDB file or folder of tables, or PostgreSQL by URL),
 * counted into the same attrition funnel as `screen`, and optionally each
 * person's verdict written to a file. For `cli cohort` and the server's
 * POST /protocols/{id}/cohort.
 */
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { FunnelCounter, type Funnel } from '../screening/funnel.ts'
import { compileSql, type SqlCriterion } from './compile-sql.ts'
import { OmopSourceError, openOmopSource, type OmopSource } from './duckdb-source.ts'
import { DEFAULT_SQL_UNITS, UNITS_IN_USE } from './measurement-sql.ts'
import { openPostgresOmop } from './postgres-source.ts'

export { OmopSourceError }

export interface CohortResult {
  /** Where the rows came from, without a password. */
  source: string
  persons: number
  funnel: Funnel
  /** Every criterion, with the leaves SQL does not express (such a criterion is unknown for everyone). */
  criteria: SqlCriterion[]
}

/** Whether a source is a PostgreSQL URL (else a DuckDB file or a folder). */
export const isPostgresUrl = (source: string): boolean => /^postgres(ql)?:\/\//.test(source)

const truth = (v: unknown) => (v === true ? "'met'" : v === false ? "'not_met'" : "'unknown'")

/**
 * @param source - a DuckDB file or folder (an absolute path), or a postgres:// URL
 * @param options.out - a file for each person's verdict (CSV, or Parquet from DuckDB): person_id, overall, each criterion met / not_met / unknown
 * @throws OmopSourceError when the source cannot be opened, lacks a table, or the query fails on it
 */
export async function runCohort(compiled: CompiledProtocol, source: string, options: { out?: string } = {}): Promise<CohortResult> {
  const dialect = isPostgresUrl(source) ? 'postgres' : 'duckdb'
  let query = compileSql(compiled, dialect)
  const omop: OmopSource = dialect === 'postgres' ? await openPostgresOmop(source) : await openOmopSource(source, query.tables)
  try {
    // the units the source's measurements are in, converted by the query as the engine would (a unit it has no factor for stays unknown)
    if (query.tables.includes('measurement')) query = compileSql(compiled, dialect, { units: [...DEFAULT_SQL_UNITS, ...(await unitsIn(omop))] })
    const persons = await omop.materialize('ln_verdicts', query.sql)
    const funnel = new FunnelCounter(compiled.criteria)
    const outcome = (kind: string, v: unknown) => (v === null || v === undefined ? 'unknown' : (kind === 'inclusion') === v ? 'pass' : 'fail')
    for await (const chunk of omop.rows('SELECT * FROM ln_verdicts ORDER BY person_id')) {
      for (const row of chunk) {
        funnel.add({
          overall: row.overall as 'eligible' | 'ineligible' | 'undetermined',
          criteria: query.criteria.map(c => ({ id: c.id, outcome: outcome(c.kind, row[c.column]) })),
        })
      }
    }
    if (options.out) {
      // the criteria as words, as the engine's verdicts say them
      const columns = query.criteria.map(
        c => `CASE WHEN "${c.column}" THEN ${truth(true)} WHEN NOT "${c.column}" THEN ${truth(false)} ELSE ${truth(null)} END AS "${c.id}"`,
      )
      await omop.materialize('ln_verdict_words', `SELECT person_id, overall, ${columns.join(', ')} FROM ln_verdicts ORDER BY person_id`)
      await omop.copyTo('ln_verdict_words', options.out)
    }
    return { source: omop.label, persons, funnel: funnel.result(), criteria: query.criteria }
  } catch (e) {
    if (e instanceof OmopSourceError) throw e
    // a warehouse whose tables lack a column the query reads, a file that is not what it says...: said, not a stack trace
    throw new OmopSourceError(`the query failed on ${omop.label}: ${e instanceof Error ? e.message : String(e)}`)
  } finally {
    omop.close()
  }
}

/** The UCUM codes of the units a source's measurements are recorded in. */
async function unitsIn(source: OmopSource): Promise<string[]> {
  const units: string[] = []
  for await (const chunk of source.rows(UNITS_IN_USE)) for (const row of chunk) if (typeof row.unit === 'string') units.push(row.unit)
  return units
}
