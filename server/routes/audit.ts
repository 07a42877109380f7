/**
 * The audit trail (append-only; triggers refuse updates and deletes): who
 * changed what, when, with content hashes before and after.
 */
import type { Api } from '../http/route.ts'
import { DEFAULT_PAGE, pageQuery } from './screening-log.ts'

export function auditRoutes(api: Api): void {
  const { store } = api
  api.route(
    {
      method: 'get',
      path: '/audit',
      summary: 'Audit rows, oldest first, filtered by entity and entity id',
      tag: 'audit',
      permission: 'admin',
      query: {
        entity: { schema: { type: 'string' }, description: 'protocol, subject, evaluation or token' },
        entity_id: { schema: { type: 'string' }, description: 'the id of one entity' },
        ...pageQuery,
      },
      responses: { 200: { description: '{ items: [{ id, at, actor, entity, entity_id, action, hash_before, hash_after }], next_after }' } },
    },
    async (c) => {
      const limit = Number(c.req.query('limit') ?? DEFAULT_PAGE)
      const { entity, entity_id: entityId, after } = c.req.query()
      const rows = await store.audit({ limit, ...(entity ? { entity } : {}), ...(entityId ? { entityId } : {}), ...(after !== undefined ? { afterId: Number(after) } : {}) })
      return c.json({ items: rows, next_after: rows.length === limit ? rows.at(-1)!.id : null })
    },
  )
}
