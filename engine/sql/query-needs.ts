/**
 * What one compileSql query must compute besides the person row, collected
 * while its leaves are written: the reference dates ages are taken at, the
 * yes/no items read, and per-person values that need a query of their own
 * (a measurement chosen in a window), each computed once however many
 * leaves use it. Also the tables the query reads, so a source can say which
 * one it lacks.
 */
import { REFERENCE_DATE_TABLE } from './omop.ts'

/** A leaf as SQL, or why the SQL backend cannot express it. */
export type Expressed = { sql: string } | { unsupported: string }

export const UNKNOWN_SQL = 'CAST(NULL AS BOOLEAN)'

export class QueryNeeds {
  readonly ageAt = new Set<string>()
  readonly items = new Map<string, string>()
  /** Per-person values by what they compute: the CTE's name and its query (`person_id`, `value`, and `high` for bounds). */
  readonly joined = new Map<string, { name: string; sql: string; bounds?: boolean }>()
  /** Sets of concept ids and the like that per-person values read, by what they hold: the CTE's name and its query. */
  readonly shared = new Map<string, { name: string; sql: string }>()
  readonly tables = new Set<string>(['person'])

  /** The column holding a yes/no item's latest answer (1 yes, 0 no, NULL not answered). */
  item(key: string): string {
    this.tables.add('observation')
    let column = this.items.get(key)
    if (!column) {
      column = `item_${this.items.size}`
      this.items.set(key, column)
    }
    return column
  }

  /** The completed years and the days since the last birthday at a reference date are needed. */
  age(at: string): void {
    this.tables.add(REFERENCE_DATE_TABLE)
    this.ageAt.add(at)
  }

  /** The name of a CTE that is not per person (the concept ids a selection matches...), written once per `key`. */
  set(key: string, tables: readonly string[], query: () => string): string {
    return this.#cte(this.shared, 's', key, tables, query)
  }

  /**
   * The column of a per-person value: the first leaf asking for `key` writes its query (from `person_id`, `value`
   * rows, at most one per person; a person without one has NULL), later ones share it.
   */
  value(key: string, tables: readonly string[], query: () => string): string {
    return this.#cte(this.joined, 'v', key, tables, query)
  }

  /**
   * As {@link value}, for a value known as bounds (`value` the lower, `high` the upper; equal when known exactly):
   * the columns `<name>` and `<name>_high`.
   */
  bounds(key: string, tables: readonly string[], query: () => string): string {
    const name = this.#cte(this.joined, 'v', key, tables, query)
    this.joined.get(key)!.bounds = true
    return name
  }

  #cte(
    ctes: Map<string, { name: string; sql: string; bounds?: boolean }>,
    prefix: string,
    key: string,
    tables: readonly string[],
    query: () => string,
  ): string {
    let cte = ctes.get(key)
    if (!cte) {
      for (const t of tables) this.tables.add(t)
      cte = { name: `${prefix}_${ctes.size}`, sql: query() }
      ctes.set(key, cte)
    }
    return cte.name
  }
}
