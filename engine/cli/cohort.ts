/**
 * `cohort <protocol.yaml> --omop <DuckDB file | folder of CSV/Parquet> [--out <file.csv|.parquet>]`:
 * pre-screen where the data live. The protocol's eligibility as one SQL
 * query over the OMOP CDM (engine/sql), run in DuckDB, or on PostgreSQL
 * given a postgres:// URL (in a read-only transaction): the attrition funnel
 * on stdout (the same funnel as `screen`), each criterion the SQL backend
 * does not express yet named on stderr with why (it stays unknown), and with
 * --out one row per person: person_id, overall, each criterion met / not_met
 * / unknown.
 */
import { compileProtocol } from '../index.ts'
import { FunnelCounter } from '../screening/funnel.ts'
import { compileSql } from '../sql/compile-sql.ts'
import { OmopSourceError, openOmopSource, type OmopSource } from '../sql/duckdb-source.ts'
import { openPostgresOmop } from '../sql/postgres-source.ts'
import { DEFAULT_SQL_UNITS, UNITS_IN_USE } from '../sql/measurement-sql.ts'
import { EXIT, readProtocol } from './files.ts'
import { inCwd, println, type CliIo } from './io.ts'
import { formatFunnel } from './screen.ts'

export const COHORT_USAGE = `  cohort <protocol.yaml> --omop <DuckDB file | folder of CSV/Parquet tables | postgres://…> [--out <verdicts.csv|.parquet>]
      the protocol's eligibility as SQL over the OMOP CDM, run in DuckDB (or on PostgreSQL, read-only): the attrition
      funnel, the criteria the SQL backend cannot express yet (unknown), and with --out each person's verdict`

const truth = (v: unknown) => (v === true ? "'met'" : v === false ? "'not_met'" : "'unknown'")

export async function cohortCommand(protocolPath: string, flags: { omop?: string | undefined; out?: string | undefined }, io: CliIo): Promise<number> {
  if (!flags.omop) {
    println(io.stderr, `cohort needs --omop <DuckDB file or folder>\n${COHORT_USAGE}`)
    return EXIT.usage
  }
  const { doc } = readProtocol(protocolPath, io)
  const compiled = compileProtocol(doc)
  const onPostgres = /^postgres(ql)?:\/\//.test(flags.omop)
  const dialect = onPostgres ? 'postgres' : 'duckdb'
  let query = compileSql(compiled, dialect)
  for (const c of query.criteria.filter(c => c.unsupported.length > 0))
    println(io.stderr, `${c.id}: unknown in SQL (${[...new Set(c.unsupported.map(u => u.reason))].join('; ')})`)
  let source: OmopSource
  try {
    source = onPostgres ? await openPostgresOmop(flags.omop) : await openOmopSource(inCwd(io, flags.omop), query.tables)
  } catch (e) {
    if (e instanceof OmopSourceError) {
      println(io.stderr, e.message)
      return EXIT.input
    }
    throw e
  }
  try {
    // the units the source's measurements are in, converted by the query as the engine would (a unit it has no factor for stays unknown)
    if (query.tables.includes('measurement')) query = compileSql(compiled, dialect, { units: [...DEFAULT_SQL_UNITS, ...(await unitsIn(source))] })
    const persons = await source.materialize('ln_verdicts', query.sql)
    println(io.stderr, `${persons} persons in ${source.label}`)
    const funnel = new FunnelCounter(compiled.criteria)
    const outcome = (kind: string, v: unknown) => (v === null || v === undefined ? 'unknown' : (kind === 'inclusion') === v ? 'pass' : 'fail')
    for await (const chunk of source.rows('SELECT * FROM ln_verdicts ORDER BY person_id')) {
      for (const row of chunk) {
        funnel.add({
          overall: row.overall as 'eligible' | 'ineligible' | 'undetermined',
          criteria: query.criteria.map(c => ({ id: c.id, outcome: outcome(c.kind, row[c.column]) })),
        })
      }
    }
    println(io.stdout, formatFunnel(funnel.result()))
    if (flags.out) {
      const file = inCwd(io, flags.out)
      if (onPostgres && file.toLowerCase().endsWith('.parquet')) {
        println(io.stderr, 'Parquet output needs DuckDB: give --out a .csv file with a PostgreSQL source')
        return EXIT.usage
      }
      // the criteria as words, as the engine's verdicts say them
      const columns = query.criteria.map(
        c => `CASE WHEN "${c.column}" THEN ${truth(true)} WHEN NOT "${c.column}" THEN ${truth(false)} ELSE ${truth(null)} END AS "${c.id}"`,
      )
      await source.materialize('ln_verdict_words', `SELECT person_id, overall, ${columns.join(', ')} FROM ln_verdicts ORDER BY person_id`)
      await source.copyTo('ln_verdict_words', file)
      println(io.stderr, `verdicts written to ${file}`)
    }
    return EXIT.ok
  } finally {
    source.close()
  }
}

/** The UCUM codes of the units a source's measurements are recorded in. */
async function unitsIn(source: OmopSource): Promise<string[]> {
  const units: string[] = []
  for await (const chunk of source.rows(UNITS_IN_USE)) for (const row of chunk) if (typeof row.unit === 'string') units.push(row.unit)
  return units
}
