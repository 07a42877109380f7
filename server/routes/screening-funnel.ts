/**
 * The screening funnel of a protocol, CONSORT-style: screened, excluded per
 * criterion in protocol order, undetermined, eligible, randomized per arm,
 * over the screening log. Registered by screeningLogRoutes.
 */
import type { Verdict } from '../../engine/index.ts'
import { funnelOf, screeningFlowOf } from '../../engine/study.ts'
import type { FunnelPopulation, ScreeningFunnelReport } from '../../engine/index.ts'
import type { Api } from '../http/route.ts'
import { anyObject, arrayOf, bool, int, obj, oneOfStrings, str } from '../http/json-schema.ts'
import { loadedVersion } from '../protocol-cache.ts'
import type { EvaluationRow, Store } from '../storage/store.ts'
import { blindingSchema, versionQuery } from './schemas.ts'
import { blindingFor } from './blinding.ts'

const PAGE = 1000

/** Every evaluation of a protocol, oldest first, read a page at a time. */
export async function allEvaluations(store: Store, protocolId: string): Promise<EvaluationRow[]> {
  const rows: EvaluationRow[] = []
  for (let afterId = 0; ; ) {
    const page = await store.evaluations({ protocolId, afterId, limit: PAGE })
    rows.push(...page)
    if (page.length < PAGE) return rows
    afterId = page.at(-1)!.id
  }
}

/**
 * The evaluations a funnel counts: the latest of each subject (a subject
 * screened again counts once, as they are now) and, for `all`, every
 * evaluation filed under no subject, once each, since nothing says whether
 * two of them are the same person.
 */
export function countedEvaluations(
  rows: EvaluationRow[],
  population: FunnelPopulation,
): { latestBySubject: Map<string, EvaluationRow>; anonymous: EvaluationRow[] } {
  const latestBySubject = new Map<string, EvaluationRow>()
  const anonymous: EvaluationRow[] = []
  for (const row of rows) {
    if (row.subject_id === null) {
      if (population === 'all') anonymous.push(row)
      continue
    }
    const seen = latestBySubject.get(row.subject_id)
    if (!seen || row.id > seen.id) latestBySubject.set(row.subject_id, row)
  }
  return { latestBySubject, anonymous }
}

function basisOf(population: FunnelPopulation, version: number, restricted: boolean): string {
  const which = restricted ? `screenings against version ${version}` : 'screenings'
  const who =
    population === 'subjects'
      ? `the latest of each registered subject's ${which}; evaluations filed under no subject are left out`
      : `the latest of each registered subject's ${which}, and every evaluation filed under no subject counted once each (they cannot be matched to a person)`
  return `${who[0]!.toUpperCase()}${who.slice(1)}. Criteria of version ${version}, in protocol order; a criterion the evaluated version lacked counts as not determined.`
}

export function screeningFunnelRoutes(api: Api): void {
  const { store } = api
  api.route(
    {
      method: 'get',
      path: '/protocols/:id/screening-funnel',
      summary:
        'CONSORT-style screening funnel over the screening log: the latest screening of each subject (population=subjects, the default) or also every evaluation filed under no subject, once each (population=all); screened → excluded by the first failing criterion in protocol order → undetermined → eligible → randomized per arm',
      tag: 'screening log',
      permission: 'read',
      query: {
        version: {
          ...versionQuery,
          description: 'count only evaluations against this version and follow its criteria (default: every version, criteria of the latest)',
        },
        population: {
          schema: { type: 'string', enum: ['subjects', 'all'] },
          description: "subjects (default): each subject's latest screening; all: also every evaluation filed under no subject, once each",
        },
      },
      responses: {
        200: {
          description:
            '{ protocol_id, version, population, basis, evaluated_versions, subjects, anonymous, flow: { screened, steps, excluded, undetermined, eligible }, randomized: { total, arms (empty when blinded), eligible_not_randomized }, funnel, blinded, blinding }',
          schema: obj({
            protocol_id: str(),
            version: int(),
            population: oneOfStrings(['subjects', 'all']),
            basis: str(),
            evaluated_versions: arrayOf(int()),
            subjects: obj({ registered: int(), screened: int(), not_screened: int(), withdrawn: int() }),
            anonymous: int(),
            flow: anyObject('{ screened, steps, excluded, undetermined, eligible }'),
            randomized: obj({ total: int(), arms: arrayOf(obj({ arm: str(), label: str(), subjects: int() })), eligible_not_randomized: int() }),
            funnel: anyObject(),
            blinded: bool(),
            blinding: blindingSchema,
          }),
        },
        404: { description: 'No such protocol or version' },
      },
      protocol: 'version',
    },
    async (c, { version: row }) => {
      const id = c.req.param('id')!
      const v = c.req.query('version')
      const population = (c.req.query('population') ?? 'subjects') as FunnelPopulation
      const { compiled, doc } = loadedVersion(row)

      const rows = (await allEvaluations(store, id)).filter(e => v === undefined || e.version === row.version)
      const { latestBySubject, anonymous } = countedEvaluations(rows, population)
      const counted = [...latestBySubject.values(), ...anonymous]
      const verdicts = counted.map(e => JSON.parse(e.verdict) as Verdict)

      const subjects = await store.subjects(id)
      // allocated is allocated: a subject withdrawn after randomization keeps their arm
      const allocated = subjects.filter(s => s.arm !== null && (s.status === 'randomized' || s.status === 'withdrawn'))
      // a reader blinded to the allocation (blinding.ts) gets the total randomized, no count per arm
      const blinding = blindingFor(c.get('actor'), doc)
      const report: ScreeningFunnelReport = {
        protocol_id: id,
        version: row.version,
        population,
        basis: basisOf(population, row.version, v !== undefined),
        evaluated_versions: [...new Set(counted.map(e => e.version))].sort((a, b) => a - b),
        subjects: {
          registered: subjects.length,
          screened: subjects.filter(s => latestBySubject.has(s.id)).length,
          not_screened: subjects.filter(s => !latestBySubject.has(s.id)).length,
          withdrawn: subjects.filter(s => s.status === 'withdrawn').length,
        },
        anonymous: anonymous.length,
        flow: screeningFlowOf(compiled.criteria, verdicts),
        randomized: {
          total: allocated.length,
          arms: blinding.blinded ? [] : (doc.arms ?? []).map(a => ({ arm: a.id, label: a.label, subjects: allocated.filter(s => s.arm === a.id).length })),
          eligible_not_randomized: subjects.filter(s => s.status === 'screened' && latestBySubject.get(s.id)?.overall === 'eligible').length,
        },
        funnel: funnelOf(compiled.criteria, verdicts, counted.length, 0),
      }
      c.header('Vary', 'Authorization') // the arms depend on who asks
      return c.json({ ...report, blinded: blinding.blinded, blinding })
    },
  )
}
