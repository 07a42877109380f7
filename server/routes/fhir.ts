/**
 * Import a FHIR R4 Bundle into a patient record: the record, what was mapped
 * and what was not. Nothing is stored or evaluated; the client evaluates the
 * record like any other (POST /protocols/:id/evaluate).
 *
 * The body is read here rather than by the generic body validator, which
 * accepts only application/json: FHIR's own media type is
 * application/fhir+json (http://hl7.org/fhir/R4/http.html#mime-type).
 */
import { FhirBundleError, importFhirBundle } from '../../engine/index.ts'
import type { Api } from '../http/route.ts'
import { safeJsonParse } from '../http/safe-json.ts'
import { Problem, badRequest, invalid } from '../errors.ts'

export const FHIR_MEDIA_TYPES = ['application/fhir+json', 'application/json']

export function fhirRoutes(api: Api): void {
  api.route(
    {
      method: 'post',
      path: '/fhir/patient',
      summary: 'Import a FHIR R4 Bundle (body: application/fhir+json or application/json) into a patient record: { record, mapped, unmapped }',
      tag: 'evaluation',
      permission: 'evaluate',
      headers: { 'Content-Type': { description: 'application/fhir+json or application/json; the body is a FHIR R4 Bundle', required: true } },
      responses: {
        200: { description: '{ record, mapped, unmapped }: the patient record, what went where, and what could not be mapped (with path and reason)' },
        400: { description: 'The body is not JSON' },
        415: { description: 'Not a JSON media type' },
        422: { description: 'The body is not a FHIR Bundle (located diagnostics)' },
      },
    },
    async (c) => {
      const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()
      if (!FHIR_MEDIA_TYPES.includes(type)) {
        throw new Problem(415, 'unsupported-media-type', `Content-Type ${type || '(none)'} is not accepted here; send the Bundle as ${FHIR_MEDIA_TYPES.join(' or ')}`)
      }
      const text = await c.req.text()
      if (text.trim() === '') throw badRequest('the body is empty; send a FHIR Bundle')
      const parsed = safeJsonParse(text)
      if (!parsed.ok) throw badRequest(`the body is not valid JSON: ${parsed.error}`)
      try {
        return c.json(importFhirBundle(parsed.value))
      } catch (e) {
        if (e instanceof FhirBundleError) throw invalid('invalid-request', 'the body is not a FHIR Bundle', e.diagnostics)
        throw e
      }
    },
  )
}
