/**
 * POST /protocols/{id}/what-if: a designer's what-if on the latest version,
 * saved nowhere. Criteria switched off and thresholds, windows and numeric
 * parameters moved (engine/whatif/what-if.ts) give an edited protocol; the
 * screened patients (each subject's latest screening, or an uploaded
 * extract of records) are re-evaluated under both, and the answer has the
 * screening flow before and after, whose verdict changes, and the edited
 * document (what "save as draft amendment" stores).
 */
import type { FunnelPopulation } from '../../engine/index.ts'
import { WHAT_IF_MAX_RECORDS, type WhatIfEdits } from '../../engine/whatif/index.ts'
import { anyObject, arrayOf, int, mapOf, nullable, num, obj, oneOfStrings, str } from '../http/json-schema.ts'
import { jsonBody, type Api } from '../http/route.ts'
import type { EvaluationRow } from '../storage/store.ts'
import { patientOrThrow } from './evaluate.ts'
import { allEvaluations, countedEvaluations } from './screening-funnel.ts'

interface WhatIfBody extends WhatIfEdits {
  population?: FunnelPopulation
  records?: unknown[]
}

const pathSchema = arrayOf({ oneOf: [{ type: 'string' }, { type: 'integer', minimum: 0 }] }, 'keys and indexes from the document root')

const changeRow = obj(
  {
    who: anyObject('{ evaluation_id, subject_code } for a screened patient, { index, id } for a record of the extract'),
    before: anyObject(),
    after: anyObject(),
  },
  [],
  'a patient whose verdict changes, with the criteria that moved',
)

export function whatIfRoutes(api: Api): void {
  const { store, cpu } = api
  api.route(
    {
      method: 'post',
      path: '/protocols/:id/what-if',
      summary:
        "What-if on the latest version, saved nowhere: criteria switched off and thresholds, windows or numeric parameters moved; the screening flow before and after over the screened patients (each subject's latest screening; population=all adds evaluations filed under no subject) or over the records sent, whose verdict changes, and the edited protocol",
      tag: 'protocols',
      permission: 'read',
      body: jsonBody<WhatIfBody>({
        description: '{ disabled: [criterion ids], values: [{ path, value }], population, records: [patient records] }',
        schema: obj(
          {
            disabled: arrayOf(str()),
            values: arrayOf(obj({ path: pathSchema, value: num() })),
            population: oneOfStrings(['subjects', 'all']),
            records: { type: 'array', maxItems: WHAT_IF_MAX_RECORDS, items: { type: 'object' } },
          },
          ['disabled', 'values', 'population', 'records'],
        ),
      }),
      protocol: 'latest',
      responses: {
        200: {
          description: '{ protocol_id, version, over, evaluated, flows: { before, after }, transitions, changed, shifted, document, yaml }',
          schema: obj({
            protocol_id: str(),
            version: int(),
            over: oneOfStrings(['screened', 'records']),
            evaluated: int(),
            not_reevaluable: int('screened without a kept record'),
            flows: obj({ before: anyObject(), after: anyObject() }),
            transitions: mapOf(mapOf(int())),
            changed: arrayOf(changeRow),
            shifted: arrayOf(changeRow),
            document: anyObject('the edited protocol document'),
            yaml: str("the version's YAML with only the edits changed (comments and layout kept)"),
            diff: nullable(anyObject()),
          }),
        },
        400: { description: 'An edit names no criterion or knob of the protocol, or the edited protocol does not validate' },
        404: { description: 'No such protocol' },
        422: { description: 'A record of the extract is not a valid patient record' },
      },
    },
    async (c, { version: latest, body }) => {
      const id = c.req.param('id')!
      const edits: WhatIfEdits = { disabled: body.disabled ?? [], values: body.values ?? [] }
      let screened: Array<{ key: number; patient: string }>
      let who: (key: number) => Record<string, unknown>
      let notReevaluable = 0
      if (body.records) {
        const records = body.records.map(r => patientOrThrow(r))
        screened = records.map((r, i) => ({ key: i, patient: JSON.stringify(r) }))
        who = i => ({ index: i, id: records[i]!.id ?? null })
      } else {
        const { latestBySubject, anonymous } = countedEvaluations(await allEvaluations(store, id), body.population ?? 'subjects')
        const rows = [...latestBySubject.values(), ...anonymous].sort((a, b) => a.id - b.id)
        const kept = rows.filter((e): e is EvaluationRow & { patient: string } => e.patient !== null)
        notReevaluable = rows.length - kept.length
        screened = kept.map(e => ({ key: e.id, patient: e.patient }))
        const codes = new Map((await store.subjects(id)).map(s => [s.id, s.code]))
        const byId = new Map(kept.map(e => [e.id, e]))
        who = key => {
          const e = byId.get(key)!
          return { evaluation_id: e.id, subject_code: e.subject_id === null ? null : (codes.get(e.subject_id) ?? null) }
        }
      }
      const { document, yaml, impact } = await cpu.run(
        'whatIf',
        { version: latest, edits, screened },
        { kind: 'records', what: 're-evaluating the screened records', signal: c.req.raw.signal },
      )
      return c.json({
        protocol_id: id,
        version: latest.version,
        over: body.records ? 'records' : 'screened',
        evaluated: impact.evaluated,
        not_reevaluable: notReevaluable,
        flows: impact.flows,
        transitions: impact.transitions,
        changed: impact.changed.map(({ key, ...rest }) => ({ who: who(key), ...rest })),
        shifted: impact.shifted.map(({ key, ...rest }) => ({ who: who(key), ...rest })),
        document,
        yaml,
        diff: impact.diff,
      })
    },
  )
}
