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
import { isPostgresUrl, OmopSourceError, runCohort } from '../sql/run-cohort.ts'
import { EXIT, readProtocol } from './files.ts'
import { inCwd, println, type CliIo } from './io.ts'
import { formatFunnel } from './screen.ts'

export const COHORT_USAGE = `  cohort <protocol.yaml> --omop <DuckDB file | folder of CSV/Parquet tables | postgres://…> [--out <verdicts.csv|.parquet>]
      the protocol's eligibility as SQL over the OMOP CDM, run in DuckDB (or on PostgreSQL, read-only): the attrition
      funnel, the criteria the SQL backend cannot express yet (unknown), and with --out each person's verdict`

export async function cohortCommand(protocolPath: string, flags: { omop?: string | undefined; out?: string | undefined }, io: CliIo): Promise<number> {
  if (!flags.omop) {
    println(io.stderr, `cohort needs --omop <DuckDB file or folder>\n${COHORT_USAGE}`)
    return EXIT.usage
  }
  const onPostgres = isPostgresUrl(flags.omop)
  const out = flags.out ? inCwd(io, flags.out) : undefined
  if (onPostgres && out?.toLowerCase().endsWith('.parquet')) {
    println(io.stderr, 'Parquet output needs DuckDB: give --out a .csv file with a PostgreSQL source')
    return EXIT.usage
  }
  const { doc } = readProtocol(protocolPath, io)
  const compiled = compileProtocol(doc)
  try {
    const result = await runCohort(compiled, onPostgres ? flags.omop : inCwd(io, flags.omop), out ? { out } : {})
    for (const c of result.criteria.filter(c => c.unsupported.length > 0))
      println(io.stderr, `${c.id}: unknown in SQL (${[...new Set(c.unsupported.map(u => u.reason))].join('; ')})`)
    println(io.stderr, `${result.persons} persons in ${result.source}`)
    println(io.stdout, formatFunnel(result.funnel))
    if (out) println(io.stderr, `verdicts written to ${out}`)
    return EXIT.ok
  } catch (e) {
    if (e instanceof OmopSourceError) {
      println(io.stderr, e.message)
      return EXIT.input
    }
    throw e
  }
}
