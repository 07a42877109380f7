/**
 * Rows of versions kept in memory once read, least recently used dropped
 * first: a version never changes once written (the database refuses UPDATE
 * and DELETE on it), so a kept row is the row, and its 40 kB of YAML is not
 * read and decoded again per request. Used by both stores.
 */

/** Versions kept: a few per protocol a server serves, each some 40 kB. */
export const KEPT_VERSIONS = 64

export class KeptVersions<Row extends object> {
  readonly #kept = new Map<string, Row>()

  constructor(private readonly max = KEPT_VERSIONS) {}

  /** Version `version` of `id`: kept, or read by `read` (synchronous or not) and kept when it exists. */
  get<R extends Row | undefined | Promise<Row | undefined>>(id: string, version: number, read: () => R): R | Row {
    const key = `${id}\n${version}`
    const hit = this.#kept.get(key)
    if (hit) {
      // a Map iterates in insertion order: re-inserting marks the row as the most recently used
      this.#kept.delete(key)
      this.#kept.set(key, hit)
      return hit
    }
    const row = read()
    if (row instanceof Promise) return row.then(r => this.#keep(key, r)) as R
    return this.#keep(key, row as Row | undefined) as R
  }

  #keep(key: string, row: Row | undefined): Row | undefined {
    if (!row) return undefined
    this.#kept.set(key, Object.freeze(row))
    if (this.#kept.size > this.max) this.#kept.delete(this.#kept.keys().next().value!)
    return row
  }
}
