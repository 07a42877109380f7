/**
 * Idempotency keys on PostgreSQL (shared by every app instance on the
 * database). A claim is one write transaction, so two requests with one key
 * cannot both claim it, whichever instances they reach. Unlike SQLite's
 * single server, another owner's running key is another live instance's
 * request: it is taken to be abandoned only after RUNNING_LEASE_MS (its
 * instance stopped before completing or releasing it).
 */
import { randomUUID } from 'node:crypto'
import { PRUNE_BATCH, PRUNE_EVERY_MS, RUNNING_LEASE_MS } from '../store-rules.ts'
import type { IdempotencyClaim, IdempotentAnswer } from '../store.ts'
import type { PgDatabase } from './pg-database.ts'

interface KeyRow {
  fingerprint: string
  state: 'running' | 'done'
  owner: string
  created_at: string
  status: number | null
  headers: string | null
  body: Buffer | null
}

type KeyOf = { tokenId: string; key: string }

export interface PgIdempotency {
  claim(input: KeyOf & { fingerprint: string }, ttlMs: number): Promise<IdempotencyClaim>
  complete(input: KeyOf, answer: IdempotentAnswer): Promise<void>
  release(input: KeyOf): Promise<void>
}

export function pgIdempotency(db: PgDatabase): PgIdempotency {
  // this app instance: it alone completes or releases the keys it claimed
  const owner = randomUUID()
  let prunedAt = 0
  return {
    claim: (input, ttlMs) =>
      db.write(async (q): Promise<IdempotencyClaim> => {
        const nowMs = Date.now()
        const expiredBefore = new Date(nowMs - ttlMs).toISOString()
        if (nowMs - prunedAt >= PRUNE_EVERY_MS) {
          await q(
            'DELETE FROM idempotency_keys WHERE (token_id, key) IN (SELECT token_id, key FROM idempotency_keys WHERE created_at < $1 ORDER BY created_at LIMIT $2)',
            [expiredBefore, PRUNE_BATCH],
          )
          prunedAt = nowMs
        }
        const [row] = await q<KeyRow>('SELECT * FROM idempotency_keys WHERE token_id = $1 AND key = $2', [input.tokenId, input.key])
        if (row && row.created_at >= expiredBefore) {
          if (row.fingerprint !== input.fingerprint) return { state: 'mismatch' }
          if (row.state === 'done') {
            const answer = { status: row.status!, headers: JSON.parse(row.headers ?? '{}') as Record<string, string>, body: new Uint8Array(row.body ?? []) }
            return { state: 'done', answer }
          }
          if (nowMs - Date.parse(row.created_at) <= RUNNING_LEASE_MS) return { state: 'running' }
        }
        // a new key, or one expired or abandoned: this request has it now
        await q(
          `INSERT INTO idempotency_keys (token_id, key, fingerprint, state, owner, created_at) VALUES ($1, $2, $3, 'running', $4, $5)
           ON CONFLICT (token_id, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, state = 'running', owner = EXCLUDED.owner,
             created_at = EXCLUDED.created_at, status = NULL, headers = NULL, body = NULL`,
          [input.tokenId, input.key, input.fingerprint, owner, new Date(nowMs).toISOString()],
        )
        return { state: 'claimed' }
      }),
    async complete(input, answer) {
      await db.query(
        "UPDATE idempotency_keys SET state = 'done', status = $1, headers = $2, body = $3 WHERE token_id = $4 AND key = $5 AND owner = $6 AND state = 'running'",
        [answer.status, JSON.stringify(answer.headers), Buffer.from(answer.body), input.tokenId, input.key, owner],
      )
    },
    async release(input) {
      await db.query("DELETE FROM idempotency_keys WHERE token_id = $1 AND key = $2 AND owner = $3 AND state = 'running'", [input.tokenId, input.key, owner])
    },
  }
}
