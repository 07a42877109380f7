/**
 * API tokens on SQLite: created, listed, revoked, rotated (a rotated token
 * keeps its `unblinded` flag); valid while not revoked and not expired. Every change is one transaction with its audit
 * row. Only the SHA-256 of a token is stored, and never read back out.
 */
import type { Database, Transaction } from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import type { AuditEntry, AuditLog } from './sqlite-audit.ts'
import { audited, rotatedExpiry } from './store-rules.ts'
import type { Actor, NewToken, TokenResult, TokenRow } from './store.ts'

const FIELDS = 'id, name, role, created_at, revoked_at, expires_at, rotated_from, unblinded'
/** A row as SQLite gives it: the flag is an integer 0 or 1. */
type StoredToken = Omit<TokenRow, 'unblinded'> & { unblinded: number }
const tokenOf = (row: StoredToken): TokenRow => ({ ...row, unblinded: row.unblinded === 1 })
const tokenOrUndefined = (row: StoredToken | undefined): TokenRow | undefined => (row ? tokenOf(row) : undefined)

/** Valid at ?: not revoked, not expired (ISO instants of one format compare as text). */
const VALID = 'revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)'

export interface TokenStatements {
  byHash(hash: string, now: string): TokenRow | undefined
  anyByHash(hash: string): TokenRow | undefined
  list(): TokenRow[]
  create(input: NewToken, actor: Actor, now: string): TokenRow
  createFirst(input: NewToken, actor: Actor, now: string): TokenRow | undefined
  revoke(id: string, actor: Actor, now: string): TokenResult<TokenRow>
  rotate(id: string, hash: string, actor: Actor, now: string): TokenResult<{ token: TokenRow; replaced: TokenRow }>
}

export type WriteTransaction = <F extends (...args: never[]) => unknown>(fn: F) => Transaction<F>['immediate']

/**
 * @param transaction wraps a function into a write transaction (BEGIN IMMEDIATE)
 */
export function sqliteTokens(db: Database, audit: AuditLog, transaction: WriteTransaction): TokenStatements {
  const byIdStatement = db.prepare<[string], StoredToken>(`SELECT ${FIELDS} FROM tokens WHERE id = ?`)
  const byId = { get: (id: string) => tokenOrUndefined(byIdStatement.get(id)) }
  const validByHash = db.prepare<[string, string], StoredToken>(`SELECT ${FIELDS} FROM tokens WHERE hash = ? AND ${VALID}`)
  const validAdminsBesides = db.prepare<[string, string], { n: number }>(`SELECT count(*) AS n FROM tokens WHERE role = 'admin' AND id != ? AND ${VALID}`)

  const insert = (input: NewToken, actor: Actor, at: string, rotatedFrom: TokenRow | null): TokenRow => {
    const id = randomUUID()
    db.prepare('INSERT INTO tokens (id, name, role, hash, created_at, expires_at, rotated_from, unblinded) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      id,
      input.name,
      input.role,
      input.hash,
      at,
      input.expires_at ?? null,
      rotatedFrom?.id ?? null,
      input.unblinded ? 1 : 0,
    )
    audit.append(at, actor, audited.tokenCreated(id, input, rotatedFrom))
    return byId.get(id)!
  }

  /** Revoke `row` at `at`, unless it is revoked already or the last valid admin token (unless `keepsAdmin`: a successor replaces it). */
  const revokeRow = (row: TokenRow, actor: Actor, at: string, entry: AuditEntry, keepsAdmin: boolean): TokenResult<TokenRow> => {
    if (row.revoked_at !== null) return { ok: false, refused: 'revoked', token: row }
    const valid = row.expires_at === null || row.expires_at > at
    if (row.role === 'admin' && valid && !keepsAdmin && validAdminsBesides.get(row.id, at)!.n === 0) return { ok: false, refused: 'last_admin', token: row }
    db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ?').run(at, row.id)
    audit.append(at, actor, entry)
    return { ok: true, value: byId.get(row.id)! }
  }

  const create = transaction((input: NewToken, actor: Actor, at: string) => insert(input, actor, at, null))
  const createFirst = transaction((input: NewToken, actor: Actor, at: string) =>
    db.prepare('SELECT 1 FROM tokens LIMIT 1').get() ? undefined : insert(input, actor, at, null),
  )

  const revoke = transaction((id: string, actor: Actor, at: string): TokenResult<TokenRow> => {
    const row = byId.get(id)
    if (!row) return { ok: false, refused: 'not_found' }
    return revokeRow(row, actor, at, audited.tokenRevoked(row), false)
  })

  const rotate = transaction((id: string, hash: string, actor: Actor, at: string): TokenResult<{ token: TokenRow; replaced: TokenRow }> => {
    const old = byId.get(id)
    if (!old) return { ok: false, refused: 'not_found' }
    if (old.revoked_at !== null) return { ok: false, refused: 'revoked', token: old }
    const expires_at = rotatedExpiry(old, at)
    const token = insert({ name: old.name, role: old.role, hash, expires_at, unblinded: old.unblinded }, actor, at, old)
    const replaced = revokeRow(old, actor, at, audited.tokenRotated(old, token.id), true)
    if (!replaced.ok) throw new Error(`rotating token ${id}: ${replaced.refused}`) // checked above; cannot happen
    return { ok: true, value: { token, replaced: replaced.value } }
  })

  return {
    byHash: (hash, now) => tokenOrUndefined(validByHash.get(hash, now)),
    anyByHash: hash => tokenOrUndefined(db.prepare<[string], StoredToken>(`SELECT ${FIELDS} FROM tokens WHERE hash = ?`).get(hash)),
    list: () => db.prepare<[], StoredToken>(`SELECT ${FIELDS} FROM tokens ORDER BY created_at, rowid`).all().map(tokenOf),
    create,
    createFirst,
    revoke,
    rotate,
  }
}
