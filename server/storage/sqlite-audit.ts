/**
 * The audit table on SQLite: appending a row with its place in the hash
 * chain (audit-chain.ts), chaining the rows written before the chain
 * existed (once), and reading the rows back for verification.
 */
import type { Database } from 'better-sqlite3'
import {
  AUDIT_COLUMNS,
  GENESIS,
  auditRowHash,
  nextAuditRow,
  verifyAuditChain,
  type AuditEntry,
  type ChainReport,
  type ChainRow,
  type VerifyOptions,
} from './audit-chain.ts'

export type { AuditEntry } from './audit-chain.ts'
import type { Actor } from './store.ts'

/** Rows chained per statement when the legacy rows are chained: bounds memory on a large trail. */
const CHAIN_BATCH = 10_000

/** The trigger of migration 001, put back after the legacy rows are chained. */
const NO_UPDATE_TRIGGER = `CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;`

export interface AuditLog {
  /** Append one row; call inside the write transaction of the change it records. */
  append(at: string, actor: Actor, entry: AuditEntry): void
  /** Chain the rows that predate the chain, once per database; returns how many were chained now. */
  chainLegacyRows(): number
  verify(options?: VerifyOptions): ChainReport
}

export function sqliteAuditLog(db: Database): AuditLog {
  const head = db.prepare<[], { id: number; row_hash: string | null }>('SELECT id, row_hash FROM audit ORDER BY id DESC LIMIT 1')
  const insert = db.prepare(
    `INSERT INTO audit (${AUDIT_COLUMNS}) VALUES (@id, @at, @actor, @actor_token_id, @actor_role, @entity, @entity_id, @action, @hash_before, @hash_after, @prev_hash, @row_hash)`,
  )

  return {
    append(at, actor, entry) {
      insert.run(nextAuditRow(head.get(), at, actor, entry))
    },

    chainLegacyRows() {
      return db
        .transaction(() => {
          const state = db.prepare<[], { legacy_through: number; chained_at: string | null }>('SELECT legacy_through, chained_at FROM audit_chain_state').get()
          if (!state || state.chained_at !== null) return 0
          // the only UPDATE the audit ever sees: the trigger is dropped and put back in this one transaction
          db.exec('DROP TRIGGER IF EXISTS audit_no_update')
          const batch = db.prepare<[number, number, number], ChainRow>(`SELECT ${AUDIT_COLUMNS} FROM audit WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`)
          const update = db.prepare<[string, string, number]>('UPDATE audit SET prev_hash = ?, row_hash = ? WHERE id = ?')
          let previous = { id: 0, hash: GENESIS }
          let chained = 0
          for (;;) {
            const rows = batch.all(previous.id, state.legacy_through, CHAIN_BATCH)
            for (const row of rows) {
              const hash = auditRowHash({ ...row, prev_hash: previous.hash })
              update.run(previous.hash, hash, row.id)
              previous = { id: row.id, hash }
            }
            chained += rows.length
            if (rows.length < CHAIN_BATCH) break
          }
          db.exec(NO_UPDATE_TRIGGER)
          db.prepare('UPDATE audit_chain_state SET chained_at = ?').run(new Date().toISOString())
          return chained
        })
        .immediate()
    },

    verify(options = {}) {
      // one statement: one consistent snapshot of the trail (WAL), read a row at a time
      return verifyAuditChain(db.prepare<[], ChainRow>(`SELECT ${AUDIT_COLUMNS} FROM audit ORDER BY id`).iterate(), options)
    },
  }
}
