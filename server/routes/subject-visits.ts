/**
 * A subject's follow-up: visit data (with dose changes) and adverse events,
 * each validated as part of the whole subject record before it is saved.
 */
import { applyDoseChanges } from '../../engine/study.ts'
import type { AdverseEvent, Diagnostic, DoseChange, IsoDate, SubjectRecord } from '../../engine/index.ts'
import { jsonBody, type Api } from '../http/route.ts'
import { arrayOf, merged, obj, str } from '../http/json-schema.ts'
import { conflict, invalid } from '../errors.ts'
import { isoDateOrThrow, visitPlan } from './schedule.ts'
import { latestLoadedOrThrow, recordOf, subjectRowOrThrow, subjectSaver, subjectView } from './subject-rows.ts'
import { diagnosticSchema, subjectViewSchema } from './schemas.ts'

const dateSchema = { type: 'string', format: 'date' }
const objects = (description: string) => ({ type: 'array', items: { type: 'object' }, description })

type VisitBody = Pick<SubjectRecord, 'measurements' | 'medications' | 'sledai_2k' | 'bilag_2004' | 'administrations'> & {
  visit: string
  date: IsoDate
  attestations?: Record<string, boolean>
  dose_changes?: DoseChange[]
}

export function subjectVisitRoutes(api: Api): void {
  const { store } = api
  const save = subjectSaver(store)

  api.route(
    {
      method: 'post',
      path: '/subjects/:sid/visits',
      idempotent: true,
      summary: "Record a visit and its data (appended to the subject's record)",
      tag: 'subjects',
      permission: 'manage_subjects',
      body: jsonBody<VisitBody>({
        description: '{ visit, date, measurements?, medications?, dose_changes?, sledai_2k?, bilag_2004?, attestations?, administrations? }',
        schema: {
          type: 'object',
          required: ['visit', 'date'],
          properties: {
            visit: { type: 'string', description: "visit id from the protocol's visits" },
            date: dateSchema,
            measurements: objects('measurements taken at the visit'),
            medications: objects('medication records to add'),
            dose_changes: {
              type: 'array',
              description:
                "doses taken from the visit date on: each joins the dose history of the subject's current course of that drug, or starts one; amount 0 stops the course",
              items: {
                type: 'object',
                required: ['drug', 'amount', 'unit'],
                properties: {
                  drug: { type: 'string', minLength: 1, description: 'drug name as recorded (dictionary names and brand names are matched)' },
                  amount: { type: 'number', minimum: 0, description: 'dose per administration; 0 = stopped' },
                  unit: { type: 'string', minLength: 1, description: 'UCUM unit of the amount, e.g. mg' },
                  frequency: { type: 'string', description: 'e.g. daily, twice daily, every other day' },
                },
                additionalProperties: false,
              },
            },
            sledai_2k: objects('SLEDAI-2K assessments'),
            bilag_2004: objects('BILAG-2004 assessments'),
            attestations: { type: 'object', description: 'investigator answers given at this visit' },
            administrations: objects('doses given'),
          },
          additionalProperties: false,
        },
      }),
      responses: {
        201: {
          description: 'The subject, with warnings (a date outside the visit window)',
          schema: merged(subjectViewSchema, obj({ warnings: arrayOf(str()) })),
        },
        409: { description: 'The visit is already recorded' },
        422: { description: 'Unknown visit or invalid data; nothing saved', schema: diagnosticSchema },
      },
    },
    async (c, { body }) => {
      const row = await subjectRowOrThrow(store, c.req.param('sid')!)
      isoDateOrThrow(body.date, 'date')
      const loaded = await latestLoadedOrThrow(store, row.protocol_id)
      const visitIds = (loaded.doc.visits ?? []).map(v => v.id)
      if (!visitIds.includes(body.visit)) {
        const d: Diagnostic = {
          code: 'E_UNKNOWN_VISIT',
          severity: 'error',
          message: `visit ${JSON.stringify(body.visit)} is not a visit of protocol ${row.protocol_id}`,
          path: 'visit',
          expected: visitIds.join(', '),
          found: body.visit,
        }
        throw invalid('invalid-subject', d.message, [d])
      }
      const record = recordOf(row)
      const already = record.visits?.find(v => v.visit === body.visit)
      if (already) throw conflict(`visit ${body.visit} is already recorded for subject ${row.id} (on ${already.date})`)
      const next: SubjectRecord = {
        ...record,
        visits: [...(record.visits ?? []), { visit: body.visit, date: body.date, ...(body.attestations ? { attestations: body.attestations } : {}) }],
      }
      for (const key of ['measurements', 'medications', 'sledai_2k', 'bilag_2004', 'administrations'] as const) {
        const added = body[key]
        if (added) Object.assign(next, { [key]: [...(record[key] ?? []), ...added] })
      }
      if (body.dose_changes?.length) {
        const changed = applyDoseChanges(next.medications, body.date, body.dose_changes, loaded.compiled.dictionary)
        if (!changed.ok) throw invalid('invalid-subject', `${changed.problems.map(p => p.message).join('; ')}; nothing was saved`, changed.problems)
        next.medications = changed.medications
      }
      const planned = visitPlan(loaded.doc, loaded.compiled.parameters, record.dates ?? {}).visits.find(v => v.visit === body.visit)
      const warnings =
        planned && (body.date < planned.window_start || body.date > planned.window_end)
          ? [`${body.date} is outside the window of ${body.visit} (${planned.window_start} to ${planned.window_end})`]
          : []
      // the version's action in the protocol's words ("visit week 4"), as a coordinator reads it
      const label = loaded.doc.visits?.find(v => v.id === body.visit)?.label ?? body.visit
      const saved = await save(row, next, {}, `visit ${label}`, c.get('actor'))
      return c.json({ ...subjectView(saved), warnings }, 201)
    },
  )

  api.route(
    {
      method: 'post',
      path: '/subjects/:sid/adverse-events',
      idempotent: true,
      summary: 'Record an adverse event (validated as part of the whole subject record)',
      tag: 'subjects',
      permission: 'manage_subjects',
      body: jsonBody<AdverseEvent>({
        description:
          'An adverse event (subject.schema.json $defs/adverseEvent): { term, onset, end?, ongoing?, seriousness, relatedness, ctcae_grade?, worsened_after_first_dose? }',
        schema: { type: 'object' },
      }),
      responses: {
        201: { description: 'The subject', schema: subjectViewSchema },
        422: { description: 'The event is invalid; nothing saved', schema: diagnosticSchema },
      },
    },
    async (c, { body: event }) => {
      const row = await subjectRowOrThrow(store, c.req.param('sid')!)
      const record = recordOf(row)
      const saved = await save(row, { ...record, adverse_events: [...(record.adverse_events ?? []), event] }, {}, `adverse event ${event.term}`, c.get('actor'))
      return c.json(subjectView(saved), 201)
    },
  )
}
