/**
 * POST /protocols/{id}/cohort: the protocol's eligibility as SQL over the
 * OMOP warehouse the server is configured with (OMOP_SOURCE), read-only:
 * how many persons, the attrition funnel, and the criteria SQL does not
 * express yet (unknown for everyone). Counts only: no person's data leaves
 * the warehouse. One cohort runs at a time per instance; a warehouse query
 * can take minutes on millions of persons.
 */
import type { Api } from '../http/route.ts'
import { anyObject, arrayOf, int, obj, str } from '../http/json-schema.ts'
import { Problem } from '../errors.ts'
import { loadedVersion } from '../protocol-cache.ts'
import { OmopSourceError, runCohort } from '../../engine/sql/index.ts'
import { versionQuery } from './schemas.ts'

export function cohortRoutes(api: Api, omopSource: string | undefined): void {
  let running = false
  api.route(
    {
      method: 'post',
      path: '/protocols/:id/cohort',
      summary:
        "Pre-screen the configured OMOP warehouse (OMOP_SOURCE): the protocol's eligibility as one SQL query, read-only; the number of persons, the attrition funnel, and each criterion SQL does not express yet (unknown for everyone) with why",
      tag: 'screening log',
      permission: 'read',
      query: { version: { ...versionQuery, description: 'the version whose criteria are run (default: the latest)' } },
      responses: {
        200: {
          description: '{ protocol_id, version, source, persons, funnel, unknown_in_sql: [{ criterion, reasons }] }',
          schema: obj({
            protocol_id: str(),
            version: int(),
            source: str(),
            persons: int(),
            funnel: anyObject('the attrition funnel, as the batch and streamed screenings count it'),
            unknown_in_sql: arrayOf(obj({ criterion: str(), reasons: arrayOf(str()) })),
          }),
        },
        404: { description: 'No such protocol or version' },
        409: { description: 'No OMOP source is configured (OMOP_SOURCE)' },
        429: { description: 'A cohort is already running on this instance' },
        502: { description: 'The OMOP source could not be opened or queried (a missing table, an unreachable database)' },
      },
      protocol: 'version',
    },
    async (c, { version: row }) => {
      if (!omopSource)
        throw new Problem(
          409,
          'no-omop-source',
          'no OMOP source is configured: start the server with OMOP_SOURCE set to a DuckDB file, a folder of OMOP tables or a postgres:// URL',
        )
      if (running)
        throw new Problem(429, 'too-many-requests', 'a cohort is already running on this instance: try again when it has finished', {}, { 'Retry-After': '10' })
      running = true
      try {
        const { compiled } = loadedVersion(row)
        const result = await runCohort(compiled, omopSource)
        return c.json({
          protocol_id: c.req.param('id')!,
          version: row.version,
          source: result.source,
          persons: result.persons,
          funnel: result.funnel,
          unknown_in_sql: result.criteria
            .filter(k => k.unsupported.length > 0)
            .map(k => ({ criterion: k.id, reasons: [...new Set(k.unsupported.map(u => u.reason))] })),
        })
      } catch (e) {
        if (e instanceof OmopSourceError) throw new Problem(502, 'omop-source-failed', e.message)
        throw e
      } finally {
        running = false
      }
    },
  )
}
