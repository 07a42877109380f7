/**
 * API tokens, for admins: list (never a token or its hash), create, revoke,
 * rotate. A new token is in the answer once and nowhere else. The last valid
 * admin token cannot be revoked (409): nobody could manage tokens through the
 * API after it; `npm run token` on the server's machine remains the way back.
 * `unblinded: true` gives a non-admin token the `unblinded` permission
 * (per-arm results of a blinded protocol, routes/blinding.ts); rotation keeps it.
 */
import type { Context } from 'hono'
import { MAX_TOKEN_DAYS, ROLES, newToken, tokenExpiry, tokenRefusalMessage, tokenStatus } from '../auth.ts'
import { Problem, badRequest, conflict } from '../errors.ts'
import { jsonBody, type Api, type Env } from '../http/route.ts'
import { arrayOf, bool, merged, named, nullable, obj, oneOfStrings, str } from '../http/json-schema.ts'
import type { Role, TokenResult, TokenRow } from '../storage/store.ts'

/** Longest token name: a person and a site fit; the name is shown in lists and the audit. */
const MAX_NAME_LENGTH = 200

const view = (row: TokenRow) => ({ ...row, status: tokenStatus(row) })

/** A token in an answer is shown once: no cache may keep it. */
function shownOnce(c: Context<Env>, body: unknown, status: 200 | 201) {
  return c.json(body, status, { 'Cache-Control': 'no-store' })
}

function refusedOrThrow<T>(id: string, r: TokenResult<T>): T {
  if (r.ok) return r.value
  if (r.refused === 'not_found') throw new Problem(404, 'not-found', tokenRefusalMessage(id, r))
  throw conflict(tokenRefusalMessage(id, r), { reason: r.refused })
}

const TOKEN_VIEW = '{ id, name, role, unblinded, status (active|expired|revoked), created_at, expires_at, revoked_at, rotated_from }'

const tokenView = named(
  'Token',
  obj({
    id: str(),
    name: str(),
    role: oneOfStrings(ROLES),
    unblinded: bool(),
    status: oneOfStrings(['active', 'expired', 'revoked']),
    created_at: str(),
    expires_at: nullable(str()),
    revoked_at: nullable(str()),
    rotated_from: nullable(str()),
  }),
)
const newTokenView = merged(tokenView, obj({ token: str('the bearer token, shown this once') }))

interface NewTokenBody {
  name: string
  role: Role
  unblinded?: boolean
  expires_in_days?: number
  expires_at?: string
}

export function tokenRoutes(api: Api): void {
  const { store } = api

  api.route(
    {
      method: 'get',
      path: '/tokens',
      summary: 'Every API token, oldest first (never the token or its hash)',
      tag: 'tokens',
      permission: 'admin',
      responses: { 200: { description: `{ items: [${TOKEN_VIEW}] }`, schema: obj({ items: arrayOf(tokenView) }) } },
    },
    async c => c.json({ items: (await store.listTokens()).map(view) }),
  )

  api.route(
    {
      method: 'post',
      path: '/tokens',
      summary: 'Create a token; the answer shows it once',
      tag: 'tokens',
      permission: 'admin',
      body: jsonBody<NewTokenBody>({
        description: '{ name, role, unblinded?, expires_in_days? | expires_at? } (neither: the token does not expire)',
        schema: {
          type: 'object',
          required: ['name', 'role'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH, description: 'whose token it is' },
            role: { type: 'string', enum: ROLES },
            unblinded: {
              type: 'boolean',
              description: 'may see per-arm results of protocols that are not open-label (default false; admin tokens may always)',
            },
            expires_in_days: { type: 'integer', minimum: 1, maximum: MAX_TOKEN_DAYS },
            expires_at: { type: 'string', format: 'date-time', description: 'an instant with its time zone, e.g. 2027-01-31T23:59:59Z' },
          },
          additionalProperties: false,
        },
      }),
      responses: { 201: { description: `${TOKEN_VIEW} and token (shown once)`, schema: newTokenView }, 400: { description: 'Bad name, role or expiry' } },
    },
    async (c, { body }) => {
      const name = body.name.trim()
      if (!name) throw badRequest('name must not be blank')
      const expiry = tokenExpiry(body)
      if (!expiry.ok) throw badRequest(expiry.reason)
      const { token, hash } = newToken()
      const row = await store.createToken({ name, role: body.role, hash, expires_at: expiry.expires_at, unblinded: body.unblinded === true }, c.get('actor'))
      return shownOnce(c, { ...view(row), token }, 201)
    },
  )

  api.route(
    {
      method: 'post',
      path: '/tokens/:id/revoke',
      summary: 'Revoke a token at once (not the last valid admin token)',
      tag: 'tokens',
      permission: 'admin',
      responses: {
        200: { description: TOKEN_VIEW, schema: tokenView },
        404: { description: 'No such token' },
        409: { description: 'Revoked already, or the last valid admin token' },
      },
    },
    async c => {
      const id = c.req.param('id')!
      return c.json(view(refusedOrThrow(id, await store.revokeToken(id, c.get('actor')))))
    },
  )

  api.route(
    {
      method: 'post',
      path: '/tokens/:id/rotate',
      summary: 'Replace a token by a new one with the same name, role and lifetime; the old one is revoked; the answer shows the new one once',
      tag: 'tokens',
      permission: 'admin',
      responses: {
        201: {
          description: `the new token's ${TOKEN_VIEW}, token (shown once) and replaced (the old one)`,
          schema: merged(newTokenView, obj({ replaced: tokenView })),
        },
        404: { description: 'No such token' },
        409: { description: 'Revoked already' },
      },
    },
    async c => {
      const id = c.req.param('id')!
      const { token, hash } = newToken()
      const r = refusedOrThrow(id, await store.rotateToken(id, hash, c.get('actor')))
      return shownOnce(c, { ...view(r.token), token, replaced: view(r.replaced) }, 201)
    },
  )
}
