/**
 * Trial subjects under pseudonymous codes: registration, screening against
 * the latest protocol version, randomization, visit data, adverse events,
 * endpoints and the dosing calendar (study results: study-results.ts). Every
 * answer with one subject's data is audited as a read. Who sees a subject's
 * arm of a blinded protocol: blinding.ts.
 */
import { baselineFromData, baselineVisitIds, canRandomize, evaluateSubject } from '../../engine/study.ts'
import { applyMergePatch, type IsoDate, type SubjectRecord } from '../../engine/index.ts'
import { jsonBody, type Api } from '../http/route.ts'
import { anyObject, arrayOf, bool, engineSchema, int, isoDate, mapOf, merged, nullable, obj, str } from '../http/json-schema.ts'
import { badRequest, conflict, notFound } from '../errors.ts'
import { etagOf } from '../protocol-cache.ts'
import { isoDateOrThrow, subjectDosing, visitPlan, weightKgOf, weightQuery } from './schedule.ts'
import { subjectSeriesRoute } from './subject-series.ts'
import { subjectVisitRoutes } from './subject-visits.ts'
import { armHiddenProblem, armVisible, recordForBlindedReader } from './blinding.ts'
import { screenRecord } from './subject-screening.ts'
import { openOrThrow } from './protocol-status.ts'
import {
  codeOrThrow,
  CODE,
  latestLoadedOrThrow,
  recordOf,
  subjectOrThrow,
  subjectRowOrThrow,
  subjectSaver,
  subjectView,
  visitProgress,
  writtenOrThrow,
} from './subject-rows.ts'
import {
  backendOf,
  baselineFromDataSchema,
  diagnosticSchema,
  engineQuery,
  overallSchema,
  plannedVisitsSchema,
  subjectScreeningSchema,
  subjectViewSchema,
} from './schemas.ts'

const dateSchema = { type: 'string', format: 'date' }
const _objects = (description: string) => ({ type: 'array', items: { type: 'object' }, description })

const screeningsSchema = arrayOf(obj({ id: int(), created_at: str(), version: int(), overall: overallSchema, failing: arrayOf(str()), actor: str() }))
const subjectListSchema = arrayOf(
  obj({
    id: str(),
    code: str(),
    status: str(),
    arm: nullable(str()),
    arm_label: nullable(str()),
    screenings: nullable(int('screenings so far, while screened')),
    next_visit: nullable(anyObject('the first planned visit not yet recorded')),
    missed_visits: arrayOf(str()),
  }),
)

export function subjectRoutes(api: Api): void {
  const { store } = api
  const save = subjectSaver(store)

  api.route(
    {
      method: 'post',
      path: '/protocols/:id/subjects',
      idempotent: true,
      summary: 'Register a subject under a pseudonymous code (never a name), with an optional initial record',
      tag: 'subjects',
      permission: 'manage_subjects',
      body: jsonBody<{ code: string; record?: Record<string, unknown> }>({
        description: '{ code, record? }',
        schema: {
          type: 'object',
          required: ['code'],
          properties: {
            code: { type: 'string', description: `pseudonymous code, ${CODE.source}` },
            record: engineSchema('subject', 'subject record (subject.schema.json)'),
          },
          additionalProperties: false,
        },
      }),
      responses: {
        201: { description: 'Registered (status screened); Location names it', schema: subjectViewSchema },
        400: { description: 'Bad code' },
        404: { description: 'No such protocol' },
        409: { description: 'The code exists in this protocol, or the protocol is not active' },
        422: { description: 'The record has errors', schema: diagnosticSchema },
      },
    },
    async (c, { body }) => {
      const protocolId = c.req.param('id')!
      const code = codeOrThrow(body.code)
      await latestLoadedOrThrow(store, protocolId)
      await openOrThrow(store, protocolId, c.get('actor'), 'registration')
      if (body.record?.arm !== undefined) throw badRequest('the arm is set by POST /subjects/{sid}/randomize, not at registration')
      const record = subjectOrThrow({ ...(body.record ?? {}), id: code })
      const r = await store.createSubject({ protocol_id: protocolId, code, record: JSON.stringify(record) }, c.get('actor'))
      if (!r.ok)
        throw r.conflict.kind === 'exists' ? conflict(`subject code ${code} already exists in protocol ${protocolId}`) : notFound(`protocol ${protocolId}`)
      c.header('Location', `/subjects/${r.value.id}`)
      return c.json(subjectView(r.value), 201)
    },
  )

  api.route(
    {
      method: 'get',
      path: '/protocols/:id/subjects',
      summary: "A protocol's subjects: code, status, arm and next visit due",
      tag: 'subjects',
      permission: 'read',
      responses: { 200: { description: 'Subjects', schema: subjectListSchema } },
    },
    async c => {
      const protocolId = c.req.param('id')!
      const loaded = await latestLoadedOrThrow(store, protocolId)
      const rows = await store.subjects(protocolId)
      // arm null for a reader blinded to this protocol's allocation (blinding.ts)
      const showArm = armVisible(c.get('actor'), loaded.doc)
      const armLabel = (arm: string | null) => (arm ? (loaded.doc.arms?.find(a => a.id === arm)?.label ?? arm) : null)
      const listed = []
      for (const row of rows) {
        // screenings: 0 for a subject registered and not screened yet (its status still reads "screened")
        const screenings = row.status === 'screened' ? (await store.evaluations({ subjectId: row.id, limit: 10_000 })).length : null
        listed.push({
          id: row.id,
          code: row.code,
          status: row.status,
          arm: showArm ? row.arm : null,
          arm_label: showArm ? armLabel(row.arm) : null,
          screenings,
          ...visitProgress(loaded, row),
        })
      }
      return c.json(listed)
    },
  )

  api.route(
    {
      method: 'get',
      path: '/subjects/:sid',
      summary: 'A subject: record, status, arm and its screening evaluations',
      tag: 'subjects',
      permission: 'read',
      responses: {
        200: { description: 'The subject', schema: merged(subjectViewSchema, obj({ screening: screeningsSchema })) },
        404: { description: 'No such subject' },
      },
    },
    async c => {
      const row = await subjectRowOrThrow(store, c.req.param('sid')!)
      const screening = (await store.evaluations({ subjectId: row.id })).map(e => ({
        id: e.id,
        created_at: e.created_at,
        version: e.version,
        overall: e.overall,
        failing: JSON.parse(e.failing) as string[],
        actor: e.actor,
      }))
      await store.recordRead('subject', row.id, c.get('actor'), 'record and screenings')
      const view = subjectView(row)
      if (!armVisible(c.get('actor'), (await latestLoadedOrThrow(store, row.protocol_id)).doc)) {
        // blinded reader (blinding.ts): neither the row's arm nor the record's arm or study drug
        return c.json({ ...view, arm: null, record: recordForBlindedReader(view.record), screening })
      }
      return c.json({ ...view, screening })
    },
  )

  api.route(
    {
      method: 'post',
      path: '/subjects/:sid/screening',
      idempotent: true,
      summary: 'Screen a subject against the latest protocol version; the body is a JSON Merge Patch of the record ({} for none), saved with the evaluation',
      tag: 'subjects',
      permission: 'evaluate',
      query: { engine: engineQuery },
      body: jsonBody<Record<string, unknown>>({
        description: 'JSON Merge Patch (RFC 7386) applied to the record before evaluation; empty or {} to evaluate the record as stored',
        schema: { type: 'object' },
        optional: true,
      }),
      responses: {
        200: { description: 'The verdict, with evaluation_id and version', schema: subjectScreeningSchema },
        409: { description: 'The subject changed meanwhile, or the protocol is not active' },
        422: { description: 'The patched record has errors; nothing saved', schema: diagnosticSchema },
      },
    },
    async (c, { body: patch }) => {
      const row = await subjectRowOrThrow(store, c.req.param('sid')!)
      if ('arm' in patch || 'id' in patch) throw badRequest('the patch may not change id or arm (the arm is set by randomization)')
      const loaded = await latestLoadedOrThrow(store, row.protocol_id)
      await openOrThrow(store, row.protocol_id, c.get('actor'), 'screening')
      const record = subjectOrThrow(applyMergePatch(recordOf(row), patch) as SubjectRecord)
      const { verdict, evaluation } = await screenRecord(loaded, record, backendOf(c))
      const text = JSON.stringify(record)
      const written = writtenOrThrow(
        await store.screenSubject(
          { subjectId: row.id, ...(text !== JSON.stringify(recordOf(row)) ? { record: text, expected: row } : {}), evaluation },
          c.get('actor'),
        ),
        row.id,
      )
      c.header('ETag', etagOf(loaded.row))
      return c.json({ evaluation_id: written.evaluation.id, version: loaded.row.version, subject_id: row.id, ...verdict })
    },
  )

  api.route(
    {
      method: 'post',
      path: '/subjects/:sid/randomize',
      idempotent: true,
      summary: 'Randomize a screened subject to an arm on a date (sets dates.randomization, arm, status randomized)',
      tag: 'subjects',
      permission: 'manage_subjects',
      body: jsonBody<{ arm: string; date: IsoDate }>({
        description: '{ arm, date }',
        schema: { type: 'object', required: ['arm', 'date'], properties: { arm: { type: 'string' }, date: dateSchema }, additionalProperties: false },
      }),
      responses: {
        200: { description: 'The randomized subject', schema: subjectViewSchema },
        400: { description: 'Unknown arm or bad date' },
        409: { description: 'The subject is not (or no longer) screened, or its latest screening is not eligible' },
      },
    },
    async (c, { body: { arm, date } }) => {
      const row = await subjectRowOrThrow(store, c.req.param('sid')!)
      isoDateOrThrow(date, 'date')
      // the engine's rule, which the web reads too: a screened subject whose latest screening found them eligible
      const latestScreening = row.status === 'screened' ? (await store.evaluations({ subjectId: row.id, limit: 10_000 })).at(-1) : undefined
      const check = canRandomize(row.status, latestScreening ? [{ ...latestScreening, failing: JSON.parse(latestScreening.failing) as string[] }] : [])
      if (!check.allowed) {
        throw conflict(
          `subject ${row.id} cannot be randomized: ${check.why}`,
          check.reason === 'status' ? { subject_status: row.status } : { screening: latestScreening?.overall ?? null },
        )
      }
      const { doc } = await latestLoadedOrThrow(store, row.protocol_id)
      const arms = (doc.arms ?? []).map(a => a.id)
      if (!arms.includes(arm)) throw badRequest(`arm ${JSON.stringify(arm)} is not an arm of protocol ${row.protocol_id}; arms: ${arms.join(', ') || 'none'}`)
      const record = recordOf(row)
      const saved = await save(
        row,
        { ...record, arm, dates: { ...record.dates, randomization: date } },
        { status: 'randomized', arm },
        `randomize to ${arm}`,
        c.get('actor'),
      )
      return c.json(subjectView(saved))
    },
  )

  api.route(
    {
      method: 'get',
      path: '/subjects/:sid/endpoints',
      summary: "A subject's endpoints on the latest protocol version",
      tag: 'subjects',
      permission: 'read',
      responses: {
        200: {
          description: 'Responses, grades, times, changes, SRI, safety; the planned visits and the recorded visit dates',
          schema: obj({
            version: int(),
            visits: plannedVisitsSchema,
            recorded_visits: arrayOf(obj({ visit: str(), date: isoDate() })),
            baseline_from_data: baselineFromDataSchema,
          }),
        },
      },
    },
    async c => {
      const row = await subjectRowOrThrow(store, c.req.param('sid')!)
      const loaded = await latestLoadedOrThrow(store, row.protocol_id)
      const record = recordOf(row)
      const endpoints = await evaluateSubject(loaded.compiled, record)
      // the planned windows and recorded dates, so each visit's row can say whether it is due yet
      const visits = visitPlan(loaded.doc, loaded.compiled.parameters, record.dates ?? {}).visits
      await store.recordRead('subject', row.id, c.get('actor'), 'endpoints')
      c.header('ETag', etagOf(loaded.row))
      const baseline_from_data = baselineFromData(visits, baselineVisitIds(loaded.doc), record)
      return c.json({
        version: loaded.row.version,
        ...endpoints,
        visits,
        recorded_visits: (record.visits ?? []).map(v => ({ visit: v.visit, date: v.date })),
        baseline_from_data,
      })
    },
  )

  subjectVisitRoutes(api)
  subjectSeriesRoute(api, async sid => {
    const row = await subjectRowOrThrow(store, sid)
    return { record: recordOf(row), loaded: await latestLoadedOrThrow(store, row.protocol_id) }
  })

  api.route(
    {
      method: 'get',
      path: '/subjects/:sid/calendar',
      summary: "A randomized subject's dosing calendar and planned visits",
      tag: 'subjects',
      permission: 'read',
      query: { weight: { ...weightQuery, description: `${weightQuery.description} (default: the latest body_weight measurement)` } },
      responses: {
        200: {
          description:
            '{ version, arm, arm_label, interventions (id -> product), dosing (null when none can be made), dosing_problems, needs_weight, visits, visit_problems, baseline_from_data (baseline visit -> date of the data serving as its baseline) }',
          schema: obj({
            version: int(),
            arm: str(),
            arm_label: str(),
            interventions: mapOf(str('the product')),
            dosing: nullable(anyObject('{ arm, start, administrations, totals }')),
            dosing_problems: arrayOf(str()),
            needs_weight: bool(),
            visits: plannedVisitsSchema,
            visit_problems: arrayOf(str()),
            baseline_from_data: baselineFromDataSchema,
          }),
        },
        409: { description: 'Not randomized' },
      },
    },
    async c => {
      const row = await subjectRowOrThrow(store, c.req.param('sid')!)
      if (row.status !== 'randomized' || !row.arm)
        throw conflict(`subject ${row.id} is ${row.status}; a calendar needs a randomized subject`, { subject_status: row.status })
      const loaded = await latestLoadedOrThrow(store, row.protocol_id)
      if (!armVisible(c.get('actor'), loaded.doc)) throw armHiddenProblem(loaded.doc, 'the dosing calendar')
      const record = recordOf(row)
      const ref = loaded.doc.arms?.find(a => a.id === row.arm)?.interventions[0]?.start.ref ?? 'randomization'
      const start = record.dates?.[ref]
      if (start === undefined) throw conflict(`subject ${row.id} has no ${ref} date, which the dosing counts from`)
      // no calendar (a per-kg dose without a weight...): the visits still come, with what the dosing needs
      const dosing = subjectDosing(loaded.doc, loaded.compiled.parameters, row.arm, start, weightKgOf(c.req.query('weight'), record))
      const plan = visitPlan(loaded.doc, loaded.compiled.parameters, record.dates ?? {})
      await store.recordRead('subject', row.id, c.get('actor'), 'calendar')
      c.header('ETag', etagOf(loaded.row))
      const arm = loaded.doc.arms?.find(a => a.id === row.arm)
      const interventions = Object.fromEntries((arm?.interventions ?? []).map(i => [i.id, i.product]))
      const baseline_from_data = baselineFromData(plan.visits, baselineVisitIds(loaded.doc), record)
      return c.json({
        version: loaded.row.version,
        arm: row.arm,
        arm_label: arm?.label ?? row.arm,
        interventions,
        ...dosing,
        visits: plan.visits,
        visit_problems: plan.problems,
        baseline_from_data,
      })
    },
  )
}
