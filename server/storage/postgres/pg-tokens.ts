/**
 * API tokens on PostgreSQL, with the rules of sqlite-tokens.ts: valid while
 * neither revoked nor expired; never the last valid admin token revoked; a
 * rotated token keeps name, role, lifetime and `unblinded`. Each change is
 * one write transaction with its audit row.
 */
import { randomUUID } from 'node:crypto'
import { appendAudit } from './pg-audit.ts'
import type { AuditEntry } from '../audit-chain.ts'
import { audited, rotatedExpiry } from '../store-rules.ts'
import type { PgDatabase, Query } from './pg-database.ts'
import type { Actor, NewToken, TokenResult, TokenRow } from '../store.ts'

const FIELDS = 'id, name, role, created_at, revoked_at, expires_at, rotated_from, unblinded'
/** Valid at $n: not revoked, not expired (ISO instants of one format compare as text). */
const valid = (n: number) => `revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $${n})`

export interface PgTokens {
  byHash(hash: string, now: string): Promise<TokenRow | undefined>
  anyByHash(hash: string): Promise<TokenRow | undefined>
  list(): Promise<TokenRow[]>
  count(): Promise<number>
  create(input: NewToken, actor: Actor, now: string): Promise<TokenRow>
  createFirst(input: NewToken, actor: Actor, now: string): Promise<TokenRow | undefined>
  revoke(id: string, actor: Actor, now: string): Promise<TokenResult<TokenRow>>
  rotate(id: string, hash: string, actor: Actor, now: string): Promise<TokenResult<{ token: TokenRow; replaced: TokenRow }>>
}

export function pgTokens(db: PgDatabase): PgTokens {
  const byId = async (q: Query, id: string) => (await q<TokenRow>(`SELECT ${FIELDS} FROM tokens WHERE id = $1`, [id]))[0]

  const insert = async (q: Query, input: NewToken, actor: Actor, at: string, rotatedFrom: TokenRow | null): Promise<TokenRow> => {
    const id = randomUUID()
    await q('INSERT INTO tokens (id, name, role, hash, created_at, expires_at, rotated_from, unblinded) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      id,
      input.name,
      input.role,
      input.hash,
      at,
      input.expires_at ?? null,
      rotatedFrom?.id ?? null,
      input.unblinded === true,
    ])
    await appendAudit(q, at, actor, audited.tokenCreated(id, input, rotatedFrom))
    return (await byId(q, id))!
  }

  /** Revoke `row` at `at`, unless revoked already or the last valid admin token (unless `keepsAdmin`: a successor replaces it). */
  const revokeRow = async (q: Query, row: TokenRow, actor: Actor, at: string, entry: AuditEntry, keepsAdmin: boolean): Promise<TokenResult<TokenRow>> => {
    if (row.revoked_at !== null) return { ok: false, refused: 'revoked', token: row }
    const isValid = row.expires_at === null || row.expires_at > at
    if (row.role === 'admin' && isValid && !keepsAdmin) {
      const [others] = await q<{ n: number }>(`SELECT count(*) AS n FROM tokens WHERE role = 'admin' AND id != $1 AND ${valid(2)}`, [row.id, at])
      if (others!.n === 0) return { ok: false, refused: 'last_admin', token: row }
    }
    await q('UPDATE tokens SET revoked_at = $1 WHERE id = $2', [at, row.id])
    await appendAudit(q, at, actor, entry)
    return { ok: true, value: (await byId(q, row.id))! }
  }

  return {
    byHash: (hash, now) => db.one<TokenRow>(`SELECT ${FIELDS} FROM tokens WHERE hash = $1 AND ${valid(2)}`, [hash, now]),
    anyByHash: hash => db.one<TokenRow>(`SELECT ${FIELDS} FROM tokens WHERE hash = $1`, [hash]),
    list: () => db.query<TokenRow>(`SELECT ${FIELDS} FROM tokens ORDER BY created_at, seq`),
    count: async () => (await db.one<{ n: number }>('SELECT count(*) AS n FROM tokens'))!.n,
    create: (input, actor, at) => db.write(q => insert(q, input, actor, at, null)),
    // under the write lock: of instances starting together, the first creates it and the others find it
    createFirst: (input, actor, at) =>
      db.write(async q => ((await q('SELECT 1 FROM tokens LIMIT 1')).length > 0 ? undefined : insert(q, input, actor, at, null))),
    revoke: (id, actor, at) =>
      db.write(async q => {
        const row = await byId(q, id)
        if (!row) return { ok: false, refused: 'not_found' }
        return revokeRow(q, row, actor, at, audited.tokenRevoked(row), false)
      }),
    rotate: (id, hash, actor, at) =>
      db.write(async (q): Promise<TokenResult<{ token: TokenRow; replaced: TokenRow }>> => {
        const old = await byId(q, id)
        if (!old) return { ok: false, refused: 'not_found' }
        if (old.revoked_at !== null) return { ok: false, refused: 'revoked', token: old }
        const expires_at = rotatedExpiry(old, at)
        const token = await insert(q, { name: old.name, role: old.role, hash, expires_at, unblinded: old.unblinded }, actor, at, old)
        const replaced = await revokeRow(q, old, actor, at, audited.tokenRotated(old, token.id), true)
        if (!replaced.ok) throw new Error(`rotating token ${id}: ${replaced.refused}`) // checked above; cannot happen
        return { ok: true, value: { token, replaced: replaced.value } }
      }),
  }
}
