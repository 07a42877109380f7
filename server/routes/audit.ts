/**
 * The audit trail (append-only; triggers refuse updates and deletes): who
 * (name, token id, role) changed or read what, when, with content hashes
 * before and after; each row hash-chained to the one before it
 * (storage/audit-chain.ts), which GET /audit/verify checks.
 */
import type { Api } from '../http/route.ts'
import { arrayOf, int, nullable, obj, oneOfStrings, str } from '../http/json-schema.ts'
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
        entity: {
          schema: { type: 'string' },
          description: 'protocol, protocol_examples, subject, evaluation, screening_log, token, request (refused) or sign-in (failed)',
        },
        entity_id: { schema: { type: 'string' }, description: 'the id of one entity' },
        ...pageQuery,
      },
      responses: {
        200: {
          description:
            '{ items: [{ id, at, actor, actor_token_id, actor_role, entity, entity_id, action, hash_before, hash_after, prev_hash, row_hash }], next_after }',
          schema: obj({
            items: arrayOf(
              obj({
                id: int(),
                at: str(),
                actor: str(),
                actor_token_id: nullable(str()),
                actor_role: nullable(str()),
                entity: str(),
                entity_id: str(),
                action: str(),
                hash_before: nullable(str()),
                hash_after: nullable(str()),
                prev_hash: str(),
                row_hash: str(),
              }),
            ),
            next_after: nullable(int()),
          }),
        },
      },
    },
    async c => {
      const limit = Number(c.req.query('limit') ?? DEFAULT_PAGE)
      const { entity, entity_id: entityId, after } = c.req.query()
      const rows = await store.audit({
        limit,
        ...(entity ? { entity } : {}),
        ...(entityId ? { entityId } : {}),
        ...(after !== undefined ? { afterId: Number(after) } : {}),
      })
      return c.json({ items: rows, next_after: rows.length === limit ? rows.at(-1)!.id : null })
    },
  )

  api.route(
    {
      method: 'get',
      path: '/audit/verify',
      summary: "Check the audit trail's hash chain: the first row that does not fit, or the row count and head hash",
      tag: 'audit',
      permission: 'admin',
      query: {
        anchor: {
          schema: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
          description: 'a head hash recorded earlier: it must still be in the chain (shows rows cut off the end)',
        },
      },
      responses: {
        200: {
          description: '{ ok: true, rows, head } or { ok: false, rows, at, problem (edited|deleted|broken_link|unchained|anchor_missing), detail }',
          schema: {
            oneOf: [
              obj({ ok: { const: true }, rows: int(), head: str('the hash of the last row') }),
              obj({
                ok: { const: false },
                rows: int(),
                at: nullable(int()),
                problem: oneOfStrings(['edited', 'deleted', 'broken_link', 'unchained', 'anchor_missing']),
                detail: str(),
              }),
            ],
          },
        },
      },
    },
    async c => {
      const anchor = c.req.query('anchor')?.toLowerCase()
      return c.json(await store.verifyAudit(anchor === undefined ? {} : { anchor }))
    },
  )
}
