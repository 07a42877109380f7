/**
 * The audit trail as a hash chain. Each row stores `prev_hash`, the
 * `row_hash` of the row before it (GENESIS for the first), and its own
 * `row_hash`: SHA-256 of a canonical serialisation of its fields and
 * `prev_hash`. The store computes both inside the transaction that appends
 * the row; `verifyAuditChain` walks the rows in id order and reports the
 * first one that does not fit:
 *
 * - edited: a row's fields no longer give its row_hash;
 * - deleted: an id is missing (ids are consecutive: the store assigns
 *   id = previous id + 1), or a row's prev_hash is not its predecessor's
 *   row_hash (a row was taken out, put in, or a hash rewritten);
 * - inserted: the same two checks, and a row without hashes (the store
 *   never writes one) is reported as such.
 *
 * What the chain cannot show on its own: a tail cut off (the remaining rows
 * still form a valid chain), and rows rewritten or appended by someone who
 * recomputes every hash from that point on (the algorithm is no secret).
 * Both are caught only by comparing with a head hash kept elsewhere: record
 * the head printed by `npm run audit -- verify` outside the server (a ticket,
 * a signed e-mail, the trial master file) and later pass it as `anchor`
 * (`--anchor <hash>`): the chain must still contain that row unchanged.
 *
 * Pure: no I/O; the store feeds it rows.
 */
import { createHash } from 'node:crypto'

/** prev_hash of the first row: no predecessor. */
export const GENESIS = '0'.repeat(64)

/** What a write says about itself; who and when are added by the store's `append`. */
export interface AuditEntry {
  entity: string
  entity_id: string
  action: string
  hash_before: string | null
  hash_after: string | null
}

/** The audit table's columns, in the order of ChainRow. */
export const AUDIT_COLUMNS = 'id, at, actor, actor_token_id, actor_role, entity, entity_id, action, hash_before, hash_after, prev_hash, row_hash'

/** The fields a row's hash covers, in this order. */
export interface ChainRow {
  id: number
  at: string
  actor: string
  actor_token_id: string | null
  actor_role: string | null
  entity: string
  entity_id: string
  action: string
  hash_before: string | null
  hash_after: string | null
  prev_hash: string | null
  row_hash: string | null
}

/**
 * The row to append after `last` (the newest row, read under the write lock):
 * the id is part of the hash, so the store assigns it, the next after the
 * last row; a last row without hash was not written by the store (the
 * verifier reports it), and writing goes on regardless.
 */
export function nextAuditRow(
  last: { id: number; row_hash: string | null } | undefined,
  at: string,
  actor: { name: string; tokenId: string; role: string },
  entry: AuditEntry,
): ChainRow {
  const row = {
    id: (last?.id ?? 0) + 1,
    at,
    actor: actor.name,
    actor_token_id: actor.tokenId,
    actor_role: actor.role,
    ...entry,
    prev_hash: last?.row_hash ?? GENESIS,
  }
  return { ...row, row_hash: auditRowHash(row) }
}

/**
 * The canonical serialisation: a JSON array of the fields in a fixed order.
 * JSON.stringify of strings, an integer and nulls has one output per input,
 * and an array keeps no key order to disagree about.
 */
export function canonicalAuditRow(row: Omit<ChainRow, 'row_hash'>): string {
  return JSON.stringify([
    row.id,
    row.at,
    row.actor,
    row.actor_token_id,
    row.actor_role,
    row.entity,
    row.entity_id,
    row.action,
    row.hash_before,
    row.hash_after,
    row.prev_hash,
  ])
}

export function auditRowHash(row: Omit<ChainRow, 'row_hash'>): string {
  return createHash('sha256').update(canonicalAuditRow(row)).digest('hex')
}

export type ChainProblem = 'edited' | 'deleted' | 'broken_link' | 'unchained' | 'anchor_missing'

export type ChainReport =
  | { ok: true; rows: number; head: string }
  | {
      ok: false
      /** Rows read before the problem was found. */
      rows: number
      /** The id of the first row that does not fit (null: the anchor was not found). */
      at: number | null
      problem: ChainProblem
      detail: string
    }

export interface VerifyOptions {
  /** A row_hash recorded earlier (a previous head): the chain must still contain it. */
  anchor?: string
}

/**
 * The chain checked a row at a time, for rows read in batches (a trail too
 * large to hold at once, from a driver that reads asynchronously): `add`
 * each row in ascending id order until it reports a problem, then `end`.
 */
export class ChainVerifier {
  #previous: { id: number; hash: string } = { id: 0, hash: GENESIS }
  #count = 0
  #anchorSeen: boolean

  constructor(private readonly options: VerifyOptions = {}) {
    this.#anchorSeen = options.anchor === undefined
  }

  /** The problem `row` shows, or undefined when it fits (stop at the first problem: what follows cannot be trusted either). */
  add(row: ChainRow): ChainReport | undefined {
    const previous = this.#previous
    const fail = (problem: ChainProblem, detail: string): ChainReport => ({ ok: false, rows: this.#count, at: row.id, problem, detail })
    if (row.id !== previous.id + 1) {
      const missing = row.id - previous.id - 1
      if (missing > 0)
        return fail(
          'deleted',
          `row ${row.id} follows row ${previous.id || '(none)'}: ${missing === 1 ? `row ${previous.id + 1} is` : `rows ${previous.id + 1} to ${row.id - 1} are`} missing`,
        )
      return fail('broken_link', `row ${row.id} is out of order after row ${previous.id}`)
    }
    if (row.prev_hash === null || row.row_hash === null)
      return fail('unchained', `row ${row.id} has no hash: it was not written by the store (inserted, or its hashes removed)`)
    if (row.prev_hash !== previous.hash) {
      const before = previous.id === 0 ? 'the genesis value' : `row ${previous.id}'s row_hash`
      return fail('broken_link', `row ${row.id}'s prev_hash is not ${before}: a row was deleted or inserted before it, or row ${previous.id}'s hash rewritten`)
    }
    if (auditRowHash(row) !== row.row_hash)
      return fail('edited', `row ${row.id}'s fields do not give its row_hash: the row was edited (or inserted with a made-up hash)`)
    if (row.row_hash === this.options.anchor) this.#anchorSeen = true
    this.#previous = { id: row.id, hash: row.row_hash }
    this.#count++
    return undefined
  }

  /** The report once every row was added without a problem. */
  end(): ChainReport {
    if (!this.#anchorSeen) {
      return {
        ok: false,
        rows: this.#count,
        at: null,
        problem: 'anchor_missing',
        detail: `no row has the anchor hash ${this.options.anchor}: rows were cut off the end, or the chain was rewritten after it`,
      }
    }
    return { ok: true, rows: this.#count, head: this.#previous.hash }
  }
}

/**
 * Check the chain of `rows`, which must come in ascending id order. Stops at
 * the first problem: what follows a broken row cannot be trusted either.
 *
 * @example
 * verifyAuditChain(db.prepare('SELECT * FROM audit ORDER BY id').iterate() as Iterable<ChainRow>)
 */
export function verifyAuditChain(rows: Iterable<ChainRow>, options: VerifyOptions = {}): ChainReport {
  const verifier = new ChainVerifier(options)
  for (const row of rows) {
    const problem = verifier.add(row)
    if (problem) return problem
  }
  return verifier.end()
}
