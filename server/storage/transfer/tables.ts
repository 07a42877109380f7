/**
 * The tables `npm run db -- export/import` carries between the SQLite and
 * PostgreSQL stores, in an order that satisfies their foreign keys, each
 * with its columns in a fixed order and the order its rows are written in.
 * Left out: schema_migrations and audit_chain_state (each database's own)
 * and idempotency_keys (answers kept 24 hours for retries, not records).
 *
 * A table's content hash is SHA-256 over its rows in that order, each the
 * JSON array of its column values and a newline: the same rows give the same
 * hash in either database, which is how an import is checked.
 */
import { createHash, type Hash } from 'node:crypto'

export interface TableSpec {
  name: string
  columns: readonly string[]
  /** Rows in ascending integer `id` (read in pages), or sorted by these columns (small tables, read whole). */
  order: 'id' | readonly string[]
  /** Columns stored as 0/1 on SQLite and as booleans on PostgreSQL: booleans in the export. */
  booleans?: readonly string[]
  /** PostgreSQL identity columns to move past the imported ids. */
  identity?: string
}

export const TABLES: readonly TableSpec[] = [
  {
    name: 'tokens',
    columns: ['id', 'name', 'role', 'hash', 'created_at', 'revoked_at', 'expires_at', 'rotated_from', 'unblinded'],
    // a rotated token references an older one: creation order keeps the reference valid
    order: ['created_at', 'id'],
    booleans: ['unblinded'],
  },
  { name: 'protocols', columns: ['id', 'registry_id', 'created_at', 'latest_version', 'status'], order: ['id'] },
  {
    name: 'protocol_versions',
    columns: ['protocol_id', 'version', 'yaml', 'content_hash', 'author', 'created_at', 'change_note'],
    order: ['protocol_id', 'version'],
  },
  {
    name: 'protocol_examples',
    columns: ['protocol_id', 'version', 'yaml', 'content_hash', 'protocol_version', 'author', 'created_at', 'change_note'],
    order: ['protocol_id', 'version'],
  },
  {
    name: 'protocol_status_changes',
    columns: ['id', 'protocol_id', 'from_status', 'to_status', 'reason', 'actor', 'actor_token_id', 'actor_role', 'at'],
    order: 'id',
    identity: 'id',
  },
  {
    name: 'subjects',
    columns: ['id', 'protocol_id', 'code', 'status', 'arm', 'record', 'created_at', 'updated_at', 'record_version'],
    order: ['id'],
  },
  {
    name: 'subject_record_versions',
    columns: ['subject_id', 'version', 'record', 'actor', 'created_at', 'action', 'note'],
    order: ['subject_id', 'version'],
  },
  {
    name: 'evaluations',
    columns: ['id', 'protocol_id', 'version', 'subject_id', 'overall', 'failing', 'verdict', 'patient', 'actor', 'created_at'],
    order: 'id',
    identity: 'id',
  },
  {
    name: 'audit',
    columns: ['id', 'at', 'actor', 'actor_token_id', 'actor_role', 'entity', 'entity_id', 'action', 'hash_before', 'hash_after', 'prev_hash', 'row_hash'],
    order: 'id',
  },
]

export type Row = Record<string, unknown>

/** A row as the export writes it: its columns in order, booleans as booleans. */
export function canonicalRow(spec: TableSpec, row: Row): unknown[] {
  return spec.columns.map(c => (spec.booleans?.includes(c) ? row[c] === true || row[c] === 1 : (row[c] ?? null)))
}

/** Sort rows read whole by the table's order columns (code-point order: the same in both databases, whatever their collation). */
export function sortRows(spec: TableSpec, rows: Row[]): Row[] {
  if (spec.order === 'id') return rows
  const keys = spec.order
  const compare = (a: unknown, b: unknown) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0
  return [...rows].sort((x, y) => {
    for (const k of keys) {
      const c = compare(x[k], y[k])
      if (c !== 0) return c
    }
    return 0
  })
}

/** A table's row count and content hash, fed one canonical row at a time. */
export class TableDigest {
  rows = 0
  readonly #hash: Hash = createHash('sha256')

  add(values: unknown[]): void {
    this.#hash.update(`${JSON.stringify(values)}\n`)
    this.rows++
  }

  summary(): { rows: number; sha256: string } {
    return { rows: this.rows, sha256: this.#hash.copy().digest('hex') }
  }
}

/** Rows read from, and written to, one database's tables. */
export interface TableAccess {
  /** Which database, for messages: "SQLite <file>" or "PostgreSQL <url without password>". */
  readonly label: string
  /** `fn` over one consistent snapshot: `rows` gives every row of a table in its order, in pages. */
  read<T>(fn: (rows: (spec: TableSpec) => AsyncIterable<Row>) => Promise<T>): Promise<T>
  /** How many rows the table has. */
  count(table: string): Promise<number>
  /** `fn` in one write transaction: `insert` writes rows (canonical values, the table's columns in order). */
  transaction(fn: (insert: (spec: TableSpec, values: unknown[]) => Promise<void>) => Promise<void>): Promise<void>
  close(): Promise<void>
}
