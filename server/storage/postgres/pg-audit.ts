/**
 * The audit table on PostgreSQL: appending a row with its place in the hash
 * chain (audit-chain.ts) inside the caller's write transaction (which holds
 * the write lock, so the last row read is the last row), and verifying the
 * chain over one snapshot, read in batches.
 */
import { AUDIT_COLUMNS, ChainVerifier, nextAuditRow, type AuditEntry, type ChainReport, type ChainRow, type VerifyOptions } from '../audit-chain.ts'
import type { Actor } from '../store.ts'
import type { PgDatabase, Query } from './pg-database.ts'

/** Rows read per batch when verifying. */
const VERIFY_BATCH = 5000

/** The audit columns, in ChainRow's order, as a list. */
const COLUMN_LIST = AUDIT_COLUMNS.split(', ') as Array<keyof ChainRow>
const PLACEHOLDERS = COLUMN_LIST.map((_, i) => `$${i + 1}`).join(', ')

/** Append one row; `q` is the write transaction of the change it records (which holds the write lock). */
export async function appendAudit(q: Query, at: string, actor: Actor, entry: AuditEntry): Promise<void> {
  const [last] = await q<{ id: number; row_hash: string }>('SELECT id, row_hash FROM audit ORDER BY id DESC LIMIT 1')
  const row = nextAuditRow(last, at, actor, entry)
  await q(
    `INSERT INTO audit (${AUDIT_COLUMNS}) VALUES (${PLACEHOLDERS})`,
    COLUMN_LIST.map(c => row[c]),
  )
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
