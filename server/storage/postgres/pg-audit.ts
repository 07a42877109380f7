/**
 * The audit table on PostgreSQL: appending a row with its place in the hash
 * chain (audit-chain.ts) inside the caller's write transaction (which holds
 * the write lock, so the last row read is the last row), and verifying the
 * chain over one snapshot, read in batches.
 */
import { AUDIT_COLUMNS, ChainVerifier, GENESIS, type AuditEntry, auditRowHash, type ChainReport, type ChainRow, type VerifyOptions } from '../audit-chain.ts'
import type { Actor } from '../store.ts'
import type { PgDatabase, Query } from './pg-database.ts'

/** Rows read per batch when verifying. */
const VERIFY_BATCH = 5000

/** Append one row; `q` is the write transaction of the change it records. */
export async function appendAudit(q: Query, at: string, actor: Actor, entry: AuditEntry): Promise<void> {
  const [last] = await q<{ id: number; row_hash: string }>('SELECT id, row_hash FROM audit ORDER BY id DESC LIMIT 1')
  // the id is part of the hash, so the store assigns it: the next after the last row
  const row = {
    id: (last?.id ?? 0) + 1,
    at,
    actor: actor.name,
    actor_token_id: actor.tokenId,
    actor_role: actor.role,
    ...entry,
    prev_hash: last?.row_hash ?? GENESIS,
  }
  await q(`INSERT INTO audit (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, [
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
    auditRowHash(row),
  ])
}

/** Walk the whole chain in one snapshot: rows written meanwhile are not half seen. */
export function verifyPostgresAudit(db: PgDatabase, options: VerifyOptions = {}): Promise<ChainReport> {
  return db.snapshot(async q => {
    const verifier = new ChainVerifier(options)
    for (let after = 0; ; ) {
      const rows = await q<ChainRow>(`SELECT ${AUDIT_COLUMNS} FROM audit WHERE id > $1 ORDER BY id LIMIT $2`, [after, VERIFY_BATCH])
      for (const row of rows) {
        const problem = verifier.add(row)
        if (problem) return problem
      }
      if (rows.length < VERIFY_BATCH) return verifier.end()
      after = rows.at(-1)!.id
    }
  })
}
