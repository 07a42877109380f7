/**
 * A protocol's study results over every randomized subject (latest
 * version): per arm for readers who may see allocation (routes/blinding.ts),
 * else pooled as one group — the same rates with exact CIs, Kaplan–Meier
 * time to event, safety counts and changes from baseline, with no arm, no
 * count per arm and no difference between arms. The answer says which
 * (`blinded`, `blinding`).
 */
import { summarizeStudy } from '../../engine/study.ts'
import type { Api } from '../http/route.ts'
import { bool, int, obj } from '../http/json-schema.ts'
import { blindingSchema } from './schemas.ts'
import { etagOf, loadedVersion } from '../protocol-cache.ts'
import { blindingFor } from './blinding.ts'
import { evaluateAll } from './subject-rows.ts'

export function studyResultsRoutes(api: Api): void {
  const { store } = api
  api.route(
    {
      method: 'get',
      path: '/protocols/:id/results',
      summary: 'Study results over every randomized subject (latest version): per arm when the reader may see allocation, else pooled',
      tag: 'subjects',
      permission: 'read',
      protocol: 'latest',
      responses: {
        200: {
          schema: obj({ version: int(), subjects: int('randomized subjects'), blinded: bool(), blinding: blindingSchema }),
          description:
            '{ version, subjects, blinded, blinding: { blinded, masking, reason }, protocol, arms, responses, time_to_event, safety, changes, responder_index }: rates with 95 % CIs, time to response, safety, changes; blinded: one group "all" and no differences',
        },
        404: { description: 'No such protocol' },
      },
    },
    async (c, { version: row }) => {
      const protocolId = c.req.param('id')!
      const loaded = loadedVersion(row)
      const blinding = blindingFor(c.get('actor'), loaded.doc)
      const randomized = (await store.subjects(protocolId)).filter(s => s.status === 'randomized')
      const summary = summarizeStudy(loaded.compiled, await evaluateAll(loaded, randomized), { pooled: blinding.blinded })
      c.header('ETag', etagOf(loaded.row))
      // the answer depends on who asks: no shared cache may give one reader's answer to another
      c.header('Vary', 'Authorization')
      return c.json({ version: loaded.row.version, subjects: randomized.length, blinded: blinding.blinded, blinding, ...summary })
    },
  )
}
