/**
 * What differs between the SQL dialects the backend writes (DuckDB, the
 * embedded default, and PostgreSQL), in one place. Both have Kleene's
 * three-valued AND, OR and NOT on booleans (NULL = unknown), `date - date`
 * in whole days, `date ± integer` in days, `make_date`, `extract`, window
 * functions and `FILTER`; the rest is here.
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
  /**
   * A double literal that is exactly the JavaScript number: parsed from its shortest text, as both parse it
   * correctly rounded (a bare `0.3` would be a DECIMAL in DuckDB).
   */
  double(value: number): string
  /** `n` calendar months before a date, on that month's last day when it is shorter (both clamp, as dates.ts addMonths). */
  monthsBefore(date: string, n: number): string
  /** A double rounded to `digits` significant digits, as units.ts roundSignificant (JavaScript's toPrecision). */
  roundSignificant(value: string, digits: number): string
}

const quoteText = (value: string) => `'${value.replaceAll("'", "''")}'`
const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`
const part = (p: 'year' | 'month' | 'day', date: string) => `CAST(extract(${p} FROM ${date}) AS INTEGER)`
const double = (value: number) => (Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? `${value}` : `CAST('${value}' AS DOUBLE PRECISION)`)
const monthsBefore = (date: string, n: number) => (n === 0 ? date : `CAST(${date} - INTERVAL '${n} months' AS DATE)`)
/** The decimal places that keep `digits` significant digits of a non-zero value. */
const places = (value: string, digits: number) => `${digits - 1} - CAST(floor(log10(abs(${value}))) AS INTEGER)`

export const DIALECTS: Record<DialectName, Dialect> = {
  duckdb: {
    name: 'duckdb',
    text: quoteText,
    ident: quoteIdent,
    part,
    double,
    monthsBefore,
    roundSignificant: (value, digits) => `(CASE WHEN ${value} = 0 THEN ${value} ELSE round(${value}, ${places(value, digits)}) END)`,
  },
  // extract returns numeric on PostgreSQL 14+: cast, as DuckDB's is cast, so both compare integers
  postgres: {
    name: 'postgres',
    text: quoteText,
    ident: quoteIdent,
    part,
    double,
    monthsBefore,
    // round(double precision) takes no places: through numeric, rounding half away from zero as toPrecision does
    roundSignificant: (value, digits) =>
      `(CASE WHEN ${value} = 0 THEN ${value} ELSE CAST(round(CAST(${value} AS numeric), ${places(value, digits)}) AS DOUBLE PRECISION) END)`,
  },
}
