/**
 * Idempotency keys on SQLite (migration 005): claiming a key for a request,
 * storing its answer, releasing it when the request failed. Each claim is
 * one write transaction (BEGIN IMMEDIATE), so two requests with one key
 * cannot both claim it.
 */
import type { Database } from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import type { WriteTransaction } from './sqlite-tokens.ts'
import type { IdempotencyClaim, IdempotentAnswer } from './store.ts'
import { PRUNE_BATCH, PRUNE_EVERY_MS, RUNNING_LEASE_MS } from './store-rules.ts'

interface KeyRow {
  token_id: string
  key: string
  fingerprint: string
  state: 'running' | 'done'
  owner: string
  created_at: string
  status: number | null
  headers: string | null
  body: Buffer | null
}

export interface SqliteIdempotency {
  claim(input: { tokenId: string; key: string; fingerprint: string }, ttlMs: number): IdempotencyClaim
  complete(input: { tokenId: string; key: string }, answer: IdempotentAnswer): void
  release(input: { tokenId: string; key: string }): void
}

/** @param transaction wraps a function into a write transaction (BEGIN IMMEDIATE) */
export function sqliteIdempotency(db: Database, transaction: WriteTransaction): SqliteIdempotency {
  // this store instance: a running row of another owner was left by a process that has stopped
  const owner = randomUUID()
  let prunedAt = 0
  const byKey = db.prepare<[string, string], KeyRow>('SELECT * FROM idempotency_keys WHERE token_id = ? AND key = ?')
  const prune = db.prepare<[string, number]>(
    'DELETE FROM idempotency_keys WHERE (token_id, key) IN (SELECT token_id, key FROM idempotency_keys WHERE created_at < ? ORDER BY created_at LIMIT ?)',
  )
  const put = db.prepare<[string, string, string, string, string]>(
    "INSERT OR REPLACE INTO idempotency_keys (token_id, key, fingerprint, state, owner, created_at) VALUES (?, ?, ?, 'running', ?, ?)",
  )
  const done = db.prepare<[number, string, Buffer, string, string, string]>(
    "UPDATE idempotency_keys SET state = 'done', status = ?, headers = ?, body = ? WHERE token_id = ? AND key = ? AND owner = ? AND state = 'running'",
  )
  const drop = db.prepare<[string, string, string]>("DELETE FROM idempotency_keys WHERE token_id = ? AND key = ? AND owner = ? AND state = 'running'")

  const claim = transaction((input: { tokenId: string; key: string; fingerprint: string }, ttlMs: number): IdempotencyClaim => {
    const nowMs = Date.now()
    const expiredBefore = new Date(nowMs - ttlMs).toISOString()
    if (nowMs - prunedAt >= PRUNE_EVERY_MS) {
      prune.run(expiredBefore, PRUNE_BATCH)
      prunedAt = nowMs
    }
    const row = byKey.get(input.tokenId, input.key)
    if (row && row.created_at >= expiredBefore) {
      if (row.fingerprint !== input.fingerprint) return { state: 'mismatch' }
      if (row.state === 'done') {
        return {
          state: 'done',
          answer: {
            status: row.status!,
            headers: JSON.parse(row.headers ?? '{}') as Record<string, string>,
            body: new Uint8Array(row.body ?? Buffer.alloc(0)),
          },
        }
      }
      const abandoned = row.owner !== owner || nowMs - Date.parse(row.created_at) > RUNNING_LEASE_MS
      if (!abandoned) return { state: 'running' }
    }
    // a new key, or one expired or abandoned: this request has it now
    put.run(input.tokenId, input.key, input.fingerprint, owner, new Date(nowMs).toISOString())
    return { state: 'claimed' }
  })

  return {
    claim,
    complete: transaction((input: { tokenId: string; key: string }, answer: IdempotentAnswer) => {
      done.run(answer.status, JSON.stringify(answer.headers), Buffer.from(answer.body), input.tokenId, input.key, owner)
    }),
    release: transaction((input: { tokenId: string; key: string }) => {
      drop.run(input.tokenId, input.key, owner)
    }),
  }
}
