/**
 * Amendment impact: between two versions of a protocol, the structured diff
 * and the patients already screened whose verdict changes. Each screened
 * record (as it was evaluated, kept with its screening-log entry) is
 * re-evaluated under both versions; nothing is written.
 */
import { badRequest } from '../errors.ts'
import { protocolVersionOrThrow } from '../http/protocol-version.ts'
import type { FunnelPopulation } from '../../engine/index.ts'
import type { Api } from '../http/route.ts'
import { anyObject, arrayOf, int, mapOf, nullable, obj, oneOfStrings, str } from '../http/json-schema.ts'
import type { EvaluationRow } from '../storage/store.ts'
import { allEvaluations, countedEvaluations } from './screening-funnel.ts'

const impactRow = obj(
  { evaluation_id: int(), subject_id: nullable(str()), subject_code: nullable(str()), screened_at: str(), screened_version: int() },
  [],
  'a screened patient, with their verdicts before and after',
)

const versionParam = (description: string) => ({ schema: { type: 'string', pattern: '^[1-9][0-9]*$' }, description })

export function impactRoutes(api: Api): void {
  const { store, cpu } = api
  api.route(
    {
      method: 'get',
      path: '/protocols/:id/impact',
      summary:
        "Amendment impact: the structured diff between two versions and the screened patients whose verdict changes (each subject's latest screening; population=all adds evaluations filed under no subject), re-evaluated under both versions; nothing is written",
      tag: 'protocols',
      permission: 'read',
      query: {
        from: versionParam('the version amended (default: the one before `to`)'),
        to: versionParam('the amended version (default: the latest)'),
        population: {
          schema: { type: 'string', enum: ['subjects', 'all'] },
          description: "subjects (default): each subject's latest screening; all: also every evaluation filed under no subject",
        },
      },
      protocol: 'latest',
      responses: {
        200: {
          description:
            '{ from, to, population, diff, screened, evaluated, not_reevaluable, unchanged, changed: [{ evaluation_id, subject_id, subject_code, screened_at, screened_version, before, after, criteria }], shifted, transitions }',
          schema: obj({
            protocol_id: str(),
            from: int(),
            to: int(),
            population: oneOfStrings(['subjects', 'all']),
            diff: anyObject('the structured diff, as GET /protocols/{id}/diff'),
            screened: int(),
            evaluated: int(),
            not_reevaluable: int('screened without a kept record'),
            unchanged: int(),
            changed: arrayOf(impactRow),
            shifted: arrayOf(impactRow),
            transitions: mapOf(mapOf(int()), 'counts from each verdict before to each after'),
          }),
        },
        400: { description: 'from is not before to, or only one version exists' },
        404: { description: 'No such protocol or version' },
      },
    },
    async (c, { version: latest }) => {
      const id = c.req.param('id')!
      const q = c.req.query()
      const to = q.to === undefined ? latest.version : Number(q.to)
      const from = q.from === undefined ? to - 1 : Number(q.from)
      if (from < 1) throw badRequest(`protocol ${id} has only version ${to}: there is no earlier version to compare with`)
      if (from === to) throw badRequest(`from and to are both version ${to}: choose two different versions`)
      const fromRow = await protocolVersionOrThrow(store, id, from)
      const toRow = await protocolVersionOrThrow(store, id, to)

      const population = (q.population ?? 'subjects') as FunnelPopulation
      const { latestBySubject, anonymous } = countedEvaluations(await allEvaluations(store, id), population)
      const screened = [...latestBySubject.values(), ...anonymous].sort((a, b) => a.id - b.id)
      const withRecord = screened.filter((e): e is EvaluationRow & { patient: string } => e.patient !== null)
      const byId = new Map(withRecord.map(e => [e.id, e]))
      const screenedRecords = withRecord.map(e => ({ key: e.id, patient: e.patient }))
      const impact = await cpu.run(
        'impact',
        { from: fromRow, to: toRow, screened: screenedRecords },
        { kind: 'records', what: 're-evaluating the screened records', signal: c.req.raw.signal },
      )
      const codes = new Map((await store.subjects(id)).map(s => [s.id, s.code]))
      const who = (id: number) => {
        const e = byId.get(id)!
        return {
          evaluation_id: e.id,
          subject_id: e.subject_id,
          subject_code: e.subject_id === null ? null : (codes.get(e.subject_id) ?? null),
          screened_at: e.created_at,
          screened_version: e.version,
        }
      }
      return c.json({
        protocol_id: id,
        from,
        to,
        population,
        diff: impact.diff,
        screened: screened.length,
        evaluated: impact.evaluated,
        not_reevaluable: screened.length - withRecord.length,
        unchanged: impact.unchanged,
        changed: impact.changed.map(({ key, ...rest }) => ({ ...who(key), ...rest })),
        shifted: impact.shifted.map(({ key, ...rest }) => ({ ...who(key), ...rest })),
        transitions: impact.transitions,
      })
    },
  )
}
