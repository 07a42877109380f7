/**
 * The SQL backend's entry: a protocol's eligibility as one SQL query over
 * the OMOP CDM (DuckDB, PostgreSQL), run where the data live, and records
 * written as OMOP rows.
 */
export { compileSql, type CompiledSql, type CompileSqlOptions, type SqlCriterion, type UnsupportedLeaf } from './compile-sql.ts'
export { isPostgresUrl, OmopSourceError, runCohort, type CohortResult } from './run-cohort.ts'
export { OmopWriter, omopTablesOf, type OmopTables, type OmopWriterOptions } from './omop-rows.ts'
export { heldByOmop } from './omop-event-rows.ts'
export { loadOmop, OMOP_TABLES } from './omop-load.ts'
