/**
 * The service itself: liveness, and who a token belongs to.
 */
import { PERMISSIONS, actorMay } from '../auth.ts'
import type { Api } from '../http/route.ts'
import { arrayOf, bool, obj, oneOfStrings, str } from '../http/json-schema.ts'

export function serviceRoutes(api: Api): void {
  api.route(
    {
      method: 'get',
      path: '/health',
      summary: 'Liveness',
      tag: 'service',
      permission: 'public',
      responses: { 200: { description: 'ok', schema: obj({ ok: bool() }) } },
    },
    c => c.json({ ok: true }),
  )
  api.route(
    {
      method: 'get',
      path: '/me',
      summary: 'Who the token belongs to: name, role and what it may do',
      tag: 'service',
      permission: 'read',
      responses: {
        200: { description: '{ name, role, permissions }', schema: obj({ name: str(), role: str(), permissions: arrayOf(oneOfStrings(PERMISSIONS)) }) },
      },
    },
    c => {
      const actor = c.get('actor')
      return c.json({ name: actor.name, role: actor.role, permissions: PERMISSIONS.filter(p => actorMay(actor, p)) })
    },
  )
}
