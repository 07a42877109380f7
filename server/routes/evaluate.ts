/**
 * Evaluate one patient against a protocol version: the verdict with
 * per-criterion explanations and the data still needed; logged in the
 * screening log with the exact version used, unless `log=false` asks for a
 * preview (a form evaluated while it is being typed is not a screening).
 * `explain=false` answers the brief verdict (no explanations: a tenth of the
 * size) for callers that only act on the outcome; the screening log keeps the
 * full verdict either way, as the record of why.
 */
import { briefVerdictOf, evaluateBriefly, evaluateEligibility, validateAgainstSchema, type PatientRecord } from '../../engine/index.ts'
import { jsonBody, type Api } from '../http/route.ts'
import { engineSchema } from '../http/json-schema.ts'
import { badRequest, invalid, notFound } from '../errors.ts'
import { etagOf, loadedVersion } from '../protocol-cache.ts'
import { openOrThrow } from './protocol-status.ts'
import { backendOf, briefEvaluationSchema, diagnosticSchema, engineQuery, evaluationSchema, explainQuery, versionQuery } from './schemas.ts'

/** A patient record: checked with located messages by the engine's own schema (patientOrThrow), not by the generic validator. */
export const patientBody = jsonBody<Record<string, unknown>>({
  description: 'A patient record (engine/schema/patient.schema.json)',
  schema: engineSchema('patient'),
})

/** Validate a patient record with the engine's schema; errors become a 422 listing each one with its path. */
export function patientOrThrow(value: unknown, kind: 'patient' | 'subject' = 'patient'): PatientRecord {
  const diagnostics = validateAgainstSchema(kind, value, undefined)
  if (diagnostics.some(d => d.severity === 'error')) {
    throw invalid(kind === 'patient' ? 'invalid-patient' : 'invalid-subject', `the ${kind} record has ${diagnostics.length} error(s)`, diagnostics)
  }
  return value as PatientRecord
}

export function evaluateRoutes(api: Api): void {
  const { store } = api
  api.route(
    {
      method: 'post',
      path: '/protocols/:id/evaluate',
      idempotent: true,
      summary: 'Evaluate one patient: verdict, per-criterion explanations, data still needed (logged in the screening log unless log=false)',
      tag: 'evaluation',
      permission: 'evaluate',
      query: {
        version: versionQuery,
        subject: { schema: { type: 'string' }, description: 'subject id to file the evaluation under' },
        engine: engineQuery,
        log: {
          schema: { type: 'string', enum: ['true', 'false'] },
          description: 'false: a preview, not written to the screening log (evaluation_id is null); default true',
        },
        explain: explainQuery,
      },
      body: patientBody,
      protocol: 'version',
      responses: {
        200: { description: 'The verdict (brief with explain=false)', schema: { anyOf: [evaluationSchema, briefEvaluationSchema] } },
        409: { description: 'The protocol is not active (a draft may be previewed by designers and admins)' },
        422: { description: 'The patient record has errors', schema: diagnosticSchema },
      },
    },
    async (c, { body, version: row }) => {
      const id = c.req.param('id')!
      await openOrThrow(store, id, c.get('actor'), c.req.query('log') === 'false' ? 'preview' : 'screening', c.get('protocolRow'))
      const subjectId = c.req.query('subject')
      if (subjectId !== undefined && (await store.subject(subjectId))?.protocol_id !== id) throw notFound(`subject ${subjectId} of protocol ${id}`)
      const patient = patientOrThrow(body)
      const compiled = loadedVersion(row).compiled
      const brief = c.req.query('explain') === 'false'
      c.header('ETag', etagOf(row))
      if (c.req.query('log') === 'false') {
        if (subjectId !== undefined) throw badRequest('a preview (log=false) is not filed under a subject; leave out either subject or log=false')
        const verdict = brief
          ? await evaluateBriefly(compiled, patient, { backend: backendOf(c) })
          : await evaluateEligibility(compiled, patient, { backend: backendOf(c) })
        return c.json({ evaluation_id: null, version: row.version, ...verdict })
      }
      const verdict = await evaluateEligibility(compiled, patient, { backend: backendOf(c) })
      // stringified once: the log's copy is the answer's body (23 kB for the seed's eligible example)
      const verdictJson = JSON.stringify(verdict)
      const logged = await store.addEvaluation(
        {
          protocol_id: id,
          version: row.version,
          subject_id: subjectId ?? null,
          overall: verdict.overall,
          failing: JSON.stringify(verdict.failing),
          verdict: verdictJson,
          patient: JSON.stringify(patient),
        },
        c.get('actor'),
      )
      if (brief) return c.json({ evaluation_id: logged.id, version: row.version, ...briefVerdictOf(verdict) })
      return c.body(`{"evaluation_id":${logged.id},"version":${row.version},${verdictJson.slice(1)}`, 200, { 'Content-Type': 'application/json' })
    },
  )
}
