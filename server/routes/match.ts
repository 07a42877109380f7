/**
 * Cross-trial matching: one patient record against the latest version of
 * every active protocol in the store (or the ones named, which must be
 * active: drafts and retired protocols are not recruiting, see
 * protocol-status.ts), ranked. A look across trials, not a screening:
 * nothing is written to any screening log.
 */
import { matchPatient } from '../../engine/match/index.ts'
import type { Api } from '../http/route.ts'
import { anyObject, arrayOf, int, nullable, obj, str } from '../http/json-schema.ts'
import { backendOf, diagnosticSchema, engineQuery, overallSchema, verdictSchema } from './schemas.ts'
import { notFound } from '../errors.ts'
import { loadedVersion } from '../protocol-cache.ts'
import { patientBody, patientOrThrow } from './evaluate.ts'
import { openOrThrow } from './protocol-status.ts'

export function matchRoutes(api: Api): void {
  const { store } = api
  api.route(
    {
      method: 'post',
      path: '/match',
      summary:
        'Match one patient against every active protocol (latest versions), ranked: eligible; undetermined, fewest missing facts first; ineligible, fewest failing criteria first (not logged)',
      tag: 'evaluation',
      permission: 'evaluate',
      query: {
        engine: engineQuery,
        protocols: {
          schema: { type: 'string', pattern: '^[a-z0-9._,-]+$' },
          description: 'comma-separated protocol ids to match against, each active (default: every active protocol)',
        },
      },
      body: patientBody,
      responses: {
        200: {
          description: '{ patient_id, rows: [{ rank, protocol_id, version, registry_id, title, overall, failing, undecided, missing, counts, verdict }] }',
          schema: obj({
            patient_id: nullable(str()),
            rows: arrayOf(
              obj({
                rank: int(),
                protocol_id: str(),
                version: int(),
                registry_id: str(),
                title: str(),
                overall: overallSchema,
                failing: arrayOf(anyObject('a criterion: { id, text, ... }')),
                undecided: arrayOf(anyObject()),
                verdict: verdictSchema,
              }),
            ),
          }),
        },
        404: { description: 'A named protocol does not exist' },
        409: { description: 'A named protocol is not active' },
        422: { description: 'The patient record has errors', schema: diagnosticSchema },
      },
    },
    async (c, { body }) => {
      const patient = patientOrThrow(body)
      const wanted = c.req.query('protocols')?.split(',').filter(Boolean)
      const all = await store.listProtocols()
      const unknown = wanted?.filter(id => !all.some(p => p.id === id)) ?? []
      if (unknown.length) throw notFound(`protocol ${unknown.join(', ')}`)
      for (const id of wanted ?? []) await openOrThrow(store, id, c.get('actor'), 'match')
      const chosen = wanted ? all.filter(p => wanted.includes(p.id)) : all.filter(p => p.status === 'active')
      const loaded = chosen.map(p => loadedVersion(p.latest))
      const rows = await matchPatient(
        loaded.map(l => ({ compiled: l.compiled, key: l.row.protocol_id })),
        patient,
        { backend: backendOf(c) },
      )
      const versionOf = new Map(loaded.map(l => [l.row.protocol_id, l.row.version]))
      return c.json({
        patient_id: patient.id ?? null,
        rows: rows.map(({ key, ...row }) => ({ protocol_id: key!, version: versionOf.get(key!)!, ...row })),
      })
    },
  )
}
