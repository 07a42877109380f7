/**
 * Bearer tokens and roles. Tokens are random, shown once, stored as SHA-256,
 * valid until revoked or expired. admin may do everything; designer edits
 * protocols; clinician evaluates and manages subjects; viewer reads.
 * Failed sign-ins are throttled per client address (http/sign-in-throttle.ts)
 * and refused requests (403) of a valid token are audited.
 */
import { randomBytes } from 'node:crypto'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context, MiddlewareHandler } from 'hono'
import { Problem } from './errors.ts'
import { SignInThrottle, describeFailedSignIns, type SignInThrottleOptions } from './http/sign-in-throttle.ts'
import { sha256 } from './storage/content-hash.ts'
import { SYSTEM_ACTOR, type Actor, type Role, type Store, type TokenRow } from './storage/store.ts'

/**
 * What each role may do. `read` covers protocols and, for viewer and up, subject data.
 * `unblinded`: see per-arm results of a protocol that is not open-label
 * (server/routes/blinding.ts); the admin's always, another role's only on a
 * token created with `unblinded: true`.
 */
export type Permission = 'read' | 'edit_protocols' | 'evaluate' | 'manage_subjects' | 'admin' | 'unblinded'

const GRANTS: Record<Role, Permission[]> = {
  admin: ['read', 'edit_protocols', 'evaluate', 'manage_subjects', 'admin', 'unblinded'],
  designer: ['read', 'edit_protocols'],
  clinician: ['read', 'evaluate', 'manage_subjects'],
  viewer: ['read'],
}

export const ROLES = Object.keys(GRANTS) as Role[]
export const PERMISSIONS: Permission[] = ['read', 'edit_protocols', 'evaluate', 'manage_subjects', 'admin', 'unblinded']

/** Whether a role may do something; `unblindedToken`: the token was created with `unblinded: true`. */
export function may(role: Role, permission: Permission, unblindedToken = false): boolean {
  return GRANTS[role].includes(permission) || (permission === 'unblinded' && unblindedToken)
}

/** Whether an authenticated actor may do something (its role, and its token's `unblinded` flag). */
export function actorMay(actor: Actor, permission: Permission): boolean {
  return may(actor.role, permission, actor.unblinded === true)
}

/** A new random token (shown once) and the hash to store. */
export function newToken(): { token: string; hash: string } {
  const token = `lnt_${randomBytes(24).toString('base64url')}`
  return { token, hash: sha256(token) }
}

/** Longest lifetime a new token may be given: ten years; longer than that, "never expires" is the honest setting. */
export const MAX_TOKEN_DAYS = 3650
const DAY_MS = 24 * 60 * 60 * 1000

/**
 * The expiry of a new token from a lifetime in days or an instant (at most
 * one; neither: it does not expire), or why it cannot be that.
 */
export function tokenExpiry(
  input: { expires_in_days?: number; expires_at?: string },
  now = Date.now(),
): { ok: true; expires_at: string | null } | { ok: false; reason: string } {
  const { expires_in_days: days, expires_at: at } = input
  if (days !== undefined && at !== undefined) return { ok: false, reason: 'give expires_in_days or expires_at, not both' }
  if (days !== undefined) {
    if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS)
      return { ok: false, reason: `expires_in_days must be a whole number of days from 1 to ${MAX_TOKEN_DAYS}, got ${days}` }
    return { ok: true, expires_at: new Date(now + days * DAY_MS).toISOString() }
  }
  if (at === undefined) return { ok: true, expires_at: null }
  const t = Date.parse(at)
  // a date-time with its offset (RFC 3339): a bare date or local time would depend on the server's time zone
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(at) || Number.isNaN(t)) {
    return { ok: false, reason: `expires_at must be a date-time with its time zone, e.g. 2027-01-31T23:59:59Z; got ${JSON.stringify(at)}` }
  }
  if (t <= now) return { ok: false, reason: `expires_at ${at} is not in the future` }
  if (t > now + MAX_TOKEN_DAYS * DAY_MS) return { ok: false, reason: `expires_at ${at} is more than ${MAX_TOKEN_DAYS} days away` }
  return { ok: true, expires_at: new Date(t).toISOString() }
}

/** A token's state at `now` (ISO instant). */
export function tokenStatus(row: TokenRow, now = new Date().toISOString()): 'active' | 'expired' | 'revoked' {
  if (row.revoked_at !== null) return 'revoked'
  return row.expires_at !== null && row.expires_at <= now ? 'expired' : 'active'
}

/** Why a token change was refused, in words for the API and the CLI. */
export function tokenRefusalMessage(id: string, r: { refused: 'not_found' } | { refused: 'revoked' | 'last_admin'; token: TokenRow }): string {
  if (r.refused === 'not_found') return `token ${id} not found`
  if (r.refused === 'revoked') return `token ${id} ("${r.token.name}") was revoked at ${r.token.revoked_at}`
  return `token ${id} ("${r.token.name}") is the last valid admin token: create or rotate another admin token first, or nobody could manage tokens through the API`
}

export type AuthEnv = { Variables: { actor: Actor } }

/** The realm of the WWW-Authenticate challenge (RFC 6750). */
export const AUTH_REALM = 'ln-trial-rules'

/**
 * A 401 with its Bearer challenge (RFC 6750 section 3): no error code when no
 * token was sent, error="invalid_token" when the token sent is not known.
 */
export function unauthorized(detail: string, error?: 'invalid_token'): Problem {
  const challenge = `Bearer realm="${AUTH_REALM}"${error ? `, error="${error}", error_description="${detail.replace(/["\\]/g, '')}"` : ''}`
  return new Problem(401, 'unauthorized', detail, {}, { 'WWW-Authenticate': challenge })
}

/** Why a token that is not valid now is refused, for its holder. */
function refusal(row: TokenRow | undefined): string {
  if (!row) return 'the token is not known'
  if (row.revoked_at !== null) return `the token was revoked at ${row.revoked_at}`
  return `the token expired at ${row.expires_at}: ask an admin for a new one`
}

/** One throttle per store (the tokens it checks), shared by every route's authenticate(). */
const throttles = new WeakMap<Store, SignInThrottle>()

/**
 * Install a new throttle of failed sign-ins against `store`'s tokens (tests:
 * another clock or limit); each closed window with failures becomes one
 * audit row of `store`. Used with defaults on first sign-in otherwise.
 */
export function useSignInThrottle(store: Store, options: Omit<SignInThrottleOptions, 'report'> = {}): SignInThrottle {
  const report: SignInThrottleOptions['report'] = f => {
    store.recordEvent({ entity: 'sign-in', entity_id: f.address, action: describeFailedSignIns(f) }, SYSTEM_ACTOR).catch((e: unknown) => {
      console.error(`could not audit ${describeFailedSignIns(f)}: ${(e as Error).message}`)
    })
  }
  const throttle = new SignInThrottle({ ...options, report })
  throttles.set(store, throttle)
  return throttle
}

/** Audit the failed sign-ins of the windows still open (at shutdown: they would be lost otherwise). */
export function flushSignInThrottle(store: Store): void {
  throttles.get(store)?.flush()
}

/** The client's address (the socket's peer), 'unknown' without a socket (app.request in tests). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/**
 * Resolve the bearer token into `c.var.actor`, or answer 401 (429 while the
 * client's address has too many failed sign-ins). A 403 answered further
 * down the chain to a valid token is audited with the request's route.
 */
export function authenticate<E extends AuthEnv = AuthEnv>(store: Store): MiddlewareHandler<E> {
  return async (c, next) => {
    const throttle = throttles.get(store) ?? useSignInThrottle(store)
    const address = clientAddress(c)
    const wait = throttle.retryAfter(address)
    if (wait !== undefined) {
      throw new Problem(
        429,
        'too-many-requests',
        `too many failed sign-ins from this address: try again in ${wait} s`,
        { retry_after: wait },
        { 'Retry-After': String(wait) },
      )
    }
    const header = c.req.header('Authorization') ?? ''
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    // no token is no sign-in attempt (a first visit of the web UI): not counted
    if (!match) throw unauthorized('send Authorization: Bearer <token>')
    const hash = sha256(match[1]!)
    const row = await store.tokenByHash(hash)
    if (!row) {
      throttle.failed(address)
      throw unauthorized(refusal(await store.anyTokenByHash(hash)), 'invalid_token')
    }
    const actor: Actor = { tokenId: row.id, name: row.name, role: row.role, unblinded: row.unblinded }
    c.set('actor', actor)
    await next()
    // a Problem thrown further down is already an answer here (Hono's compose hands it to onError)
    if (c.res.status === 403) {
      const detail = c.error instanceof Problem ? c.error.detail : 'forbidden'
      await store.recordEvent({ entity: 'request', entity_id: `${c.req.method} ${c.req.path}`, action: `refused (403): ${detail}` }, actor)
    }
  }
}

/** Require a permission of the authenticated actor, or answer 403. */
export function requirePermission<E extends AuthEnv = AuthEnv>(permission: Permission): MiddlewareHandler<E> {
  return async (c, next) => {
    const actor = c.get('actor')
    if (!actorMay(actor, permission)) throw new Problem(403, 'forbidden', `a ${actor.role} token may not ${permission.replace('_', ' ')}`)
    await next()
  }
}
