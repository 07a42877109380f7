/**
 * Bearer tokens and roles. Tokens are random, shown once, stored as SHA-256.
 * admin may do everything; designer edits protocols; clinician evaluates and
 * manages subjects; viewer reads.
 */
import { randomBytes } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { Problem } from './errors.ts'
import { sha256 } from './storage/sqlite-store.ts'
import type { Actor, Role, Store } from './storage/store.ts'

/** What each role may do. `read` covers protocols and, for viewer and up, subject data. */
export type Permission = 'read' | 'edit_protocols' | 'evaluate' | 'manage_subjects' | 'admin'

const GRANTS: Record<Role, Permission[]> = {
  admin: ['read', 'edit_protocols', 'evaluate', 'manage_subjects', 'admin'],
  designer: ['read', 'edit_protocols'],
  clinician: ['read', 'evaluate', 'manage_subjects'],
  viewer: ['read'],
}

export const ROLES = Object.keys(GRANTS) as Role[]
export const PERMISSIONS: Permission[] = ['read', 'edit_protocols', 'evaluate', 'manage_subjects', 'admin']

export function may(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission)
}

/** A new random token (shown once) and the hash to store. */
export function newToken(): { token: string; hash: string } {
  const token = `lnt_${randomBytes(24).toString('base64url')}`
  return { token, hash: sha256(token) }
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

/** Resolve the bearer token into `c.var.actor`, or answer 401. */
export function authenticate<E extends AuthEnv = AuthEnv>(store: Store): MiddlewareHandler<E> {
  return async (c, next) => {
    const header = c.req.header('Authorization') ?? ''
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    if (!match) throw unauthorized('send Authorization: Bearer <token>')
    const row = await store.tokenByHash(sha256(match[1]!))
    if (!row) throw unauthorized('the token is not known or was revoked', 'invalid_token')
    c.set('actor', { tokenId: row.id, name: row.name, role: row.role })
    await next()
  }
}

/** Require a permission of the authenticated actor, or answer 403. */
export function requirePermission<E extends AuthEnv = AuthEnv>(permission: Permission): MiddlewareHandler<E> {
  return async (c, next) => {
    const actor = c.get('actor')
    if (!may(actor.role, permission)) throw new Problem(403, 'forbidden', `a ${actor.role} token may not ${permission.replace('_', ' ')}`)
    await next()
  }
}
