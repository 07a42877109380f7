/**
 * What differs between the SQL dialects the backend writes (DuckDB, the
 * embedded default, and PostgreSQL), in one place. Both have Kleene's
 * three-valued AND, OR and NOT on booleans (NULL = unknown), `date - date`
 * in whole days, `make_date` and `extract`; the rest is here.
 */
export type DialectName = 'duckdb' | 'postgres'

export interface Dialect {
  name: DialectName
  /** A string literal. */
  text(value: string): string
  /** An identifier (a column named after a criterion id). */
  ident(name: string): string
  /** The integer year, month or day of a date expression. */
  part(part: 'year' | 'month' | 'day', date: string): string
}

const quoteText = (value: string) => `'${value.replaceAll("'", "''")}'`
const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`

export const DIALECTS: Record<DialectName, Dialect> = {
  duckdb: { name: 'duckdb', text: quoteText, ident: quoteIdent, part: (part, date) => `CAST(extract(${part} FROM ${date}) AS INTEGER)` },
  // extract returns numeric on PostgreSQL 14+: cast, as DuckDB's is cast, so both compare integers
  postgres: { name: 'postgres', text: quoteText, ident: quoteIdent, part: (part, date) => `CAST(extract(${part} FROM ${date}) AS INTEGER)` },
}
