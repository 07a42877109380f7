/**
 * Calendars of a protocol version: an arm's dosing schedule from a start
 * date, and the planned visits with their windows (and which visit a date
 * falls in). The helpers are shared with the subject calendar.
 */
import { assignVisit, generateSchedule, planVisits } from '../../engine/study.ts'
import { convertQuantity, parseIsoDate } from '../../engine/calculators/index.ts'
import {
  resolveLabConcept,
  type DosingSchedule,
  type IsoDate,
  type ParameterValue,
  type ProtocolDocument,
  type SubjectRecord,
  type VisitPlanResult,
} from '../../engine/index.ts'
import type { Api } from '../http/route.ts'
import { anyObject, arrayOf, int, nullable, obj, str } from '../http/json-schema.ts'
import { Problem, badRequest } from '../errors.ts'
import { etagOf, loadedVersion } from '../protocol-cache.ts'
import { plannedVisitsSchema, versionQuery } from './schemas.ts'

export const dateQuery = (description: string) => ({ schema: { type: 'string' }, description: `${description} (YYYY-MM-DD)` })
export const weightQuery = { schema: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$' }, description: 'body weight in kg, for doses per kg' }

/** A calendar date from a request, or a 400 naming the parameter. */
export function isoDateOrThrow(value: string, name: string): IsoDate {
  if (parseIsoDate(value) === undefined) throw badRequest(`${name} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`)
  return value
}

/** Weight (kg) from the query, else the subject's latest recorded body weight. */
export function weightKgOf(query: string | undefined, record?: SubjectRecord): number | undefined {
  if (query !== undefined) {
    const kg = Number(query)
    if (!(kg > 0)) throw badRequest(`weight must be a positive number of kg, got ${JSON.stringify(query)}`)
    return kg
  }
  const latest = (record?.measurements ?? [])
    .filter(m => m.concept === 'body_weight')
    .sort((a, b) => a.date.localeCompare(b.date))
    .at(-1)
  if (!latest) return undefined
  const kg = convertQuantity(latest.value, latest.unit, 'kg', resolveLabConcept('body_weight'))
  return kg.ok ? kg.value : undefined
}

/**
 * An arm's dosing calendar; 400 for an arm the protocol lacks, 422 with the
 * engine's problems when no calendar can be made (a per-kg dose without weight...).
 */
export function dosingOrThrow(
  doc: ProtocolDocument,
  params: Record<string, ParameterValue>,
  armId: string,
  start: IsoDate,
  weightKg: number | undefined,
): DosingSchedule {
  const result = generateSchedule(armOrThrow(doc, armId), { start, params, ...(weightKg !== undefined ? { weightKg } : {}) })
  if (!result.schedule)
    throw new Problem(422, 'invalid-request', `no dosing calendar for arm ${armId}: ${result.problems.join('; ')}`, { problems: result.problems })
  return result.schedule
}

function armOrThrow(doc: ProtocolDocument, armId: string) {
  const arm = (doc.arms ?? []).find(a => a.id === armId)
  if (!arm) throw badRequest(`arm ${JSON.stringify(armId)} is not an arm of this protocol; arms: ${(doc.arms ?? []).map(a => a.id).join(', ') || 'none'}`)
  return arm
}

/**
 * A subject's dosing calendar, or why there is none: the engine's problems,
 * and whether a body weight would make one (an arm dosed per kg with no
 * weight recorded), so the subject's calendar can ask for the weight and
 * still show the visits. 400 for an arm the protocol lacks.
 */
export function subjectDosing(
  doc: ProtocolDocument,
  params: Record<string, ParameterValue>,
  armId: string,
  start: IsoDate,
  weightKg: number | undefined,
): { dosing: DosingSchedule | null; dosing_problems: string[]; needs_weight: boolean } {
  const arm = armOrThrow(doc, armId)
  const result = generateSchedule(arm, { start, params, ...(weightKg !== undefined ? { weightKg } : {}) })
  if (result.schedule) return { dosing: result.schedule, dosing_problems: [], needs_weight: false }
  return { dosing: null, dosing_problems: result.problems, needs_weight: weightKg === undefined && arm.interventions.some(i => i.dose.per === 'kg') }
}

/** Planned visits counted from the reference dates given (visits whose date is missing are reported in `problems`). */
export function visitPlan(doc: ProtocolDocument, params: Record<string, ParameterValue>, refDates: Record<string, IsoDate>): VisitPlanResult {
  return planVisits(doc.visits ?? [], refDates, params)
}

export function scheduleRoutes(api: Api): void {
  api.route(
    {
      method: 'get',
      path: '/protocols/:id/schedule',
      summary: "An arm's dosing calendar from a start date (study day 1)",
      tag: 'calendars',
      permission: 'read',
      query: {
        arm: { schema: { type: 'string' }, description: 'arm id', required: true },
        start: { ...dateQuery("date of the arm's reference date, study day 1"), required: true },
        weight: weightQuery,
        version: versionQuery,
      },
      protocol: 'version',
      responses: {
        200: {
          description: '{ version, schedule: { arm, start, administrations, totals } }',
          schema: obj({ version: int(), schedule: anyObject('{ arm, start, administrations, totals }') }),
        },
        400: { description: 'Bad date, weight or arm' },
        422: { description: 'No calendar can be made: { problems }', schema: obj({ problems: arrayOf(str()) }) },
      },
    },
    (c, { version }) => {
      const { row, doc, compiled } = loadedVersion(version)
      const start = isoDateOrThrow(c.req.query('start')!, 'start')
      const schedule = dosingOrThrow(doc, compiled.parameters, c.req.query('arm')!, start, weightKgOf(c.req.query('weight')))
      c.header('ETag', etagOf(row))
      return c.json({ version: row.version, schedule })
    },
  )

  api.route(
    {
      method: 'get',
      path: '/protocols/:id/visits',
      summary: 'Planned visits with their windows from a reference date; with `date`, the visit that date belongs to',
      tag: 'calendars',
      permission: 'read',
      query: {
        start: { ...dateQuery('date of the reference date the visits count from (randomization)'), required: true },
        date: dateQuery('an observation date to place in a visit window'),
        version: versionQuery,
      },
      protocol: 'version',
      responses: {
        200: {
          description: '{ version, visits, problems, assignment? }',
          schema: obj(
            {
              version: int(),
              visits: plannedVisitsSchema,
              problems: arrayOf(str()),
              assignment: obj({ date: str(), visit: nullable(str()), reason: str() }, ['reason']),
            },
            ['assignment'],
          ),
        },
        400: { description: 'Bad date' },
      },
    },
    (c, { version }) => {
      const { row, doc, compiled } = loadedVersion(version)
      const start = isoDateOrThrow(c.req.query('start')!, 'start')
      const date = c.req.query('date')
      if (date !== undefined) isoDateOrThrow(date, 'date')
      // one start date stands for every reference date the visits count from
      const refs = Object.fromEntries((doc.visits ?? []).map(v => [v.ref, start]))
      const plan = visitPlan(doc, compiled.parameters, refs)
      const placed = date === undefined ? undefined : assignVisit(plan.visits, date)
      // JSON has no undefined: a date outside every window says `visit: null` and why
      const assignment = placed === undefined ? undefined : placed.visit === undefined ? { date, visit: null, reason: placed.reason } : { date, ...placed }
      c.header('ETag', etagOf(row))
      return c.json({ version: row.version, visits: plan.visits, problems: plan.problems, ...(assignment ? { assignment } : {}) })
    },
  )
}
