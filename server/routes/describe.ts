/**
 * A protocol version in plain words (engine/describe): what the rule
 * inspector shows. Described on the server so the web UI does not bundle
 * the engine's dictionaries.
 */
import { describeProtocol } from '../../engine/describe/index.ts'
import type { Api } from '../http/route.ts'
import { anyObject, int, obj } from '../http/json-schema.ts'
import { etagOf, loadedVersion, perDocument } from '../protocol-cache.ts'
import { versionQuery } from './schemas.ts'

/** Each parsed document described once. */
const descriptionOf = perDocument(describeProtocol)

export function describeRoutes(api: Api): void {
  api.route(
    {
      method: 'get',
      path: '/protocols/:id/description',
      summary: 'A version in plain words: reference dates, parameters, each criterion as a tree, arms, visits, endpoints',
      tag: 'protocols',
      permission: 'read',
      query: { version: versionQuery },
      protocol: 'version',
      responses: {
        200: {
          description: '{ version, description }',
          schema: obj({ version: int(), description: anyObject('reference dates, parameters, criteria as trees, arms, visits, endpoints in plain words') }),
        },
        404: { description: 'No such protocol or version' },
      },
    },
    (c, { version: row }) => {
      const { doc } = loadedVersion(row)
      c.header('ETag', etagOf(row))
      return c.json({ version: row.version, description: descriptionOf(doc) })
    },
  )
}
