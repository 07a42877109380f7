/**
 * Import a FHIR R4 Bundle into a patient record: the record, what was mapped
 * and what was not. Nothing is stored or evaluated; the client evaluates the
 * record like any other (POST /protocols/:id/evaluate).
 *
 * The body is read here rather than by the generic body validator, which
 * accepts only application/json: FHIR's own media type is
 * application/fhir+json (http://hl7.org/fhir/R4/http.html#mime-type).
 * Its body limit (app.ts, from FHIR_MAX_BYTES) is its own: a whole patient
 * history is larger than any other request.
 */
import type { Api } from '../http/route.ts'
import { anyObject, arrayOf, engineSchema, obj } from '../http/json-schema.ts'
import { diagnosticSchema } from './schemas.ts'
import { Problem } from '../errors.ts'
import { DEFAULT_MAX_FHIR_BODY_BYTES } from '../config.ts'

export const FHIR_MEDIA_TYPES = ['application/fhir+json', 'application/json']

/**
 * The detail of POST /fhir/patient's 413: the limit, and how to raise it.
 *
 * @example
 * fhirTooLarge(32 * 1024 * 1024) // 'the FHIR bundle is larger than the limit of 32 MiB (33554432 bytes); …'
 */
export function fhirTooLarge(maxBytes: number): string {
  return `the FHIR bundle is larger than the limit of ${bytesInWords(maxBytes)}; to accept larger ones, start the server with FHIR_MAX_BYTES set higher (in bytes)`
}

function bytesInWords(n: number): string {
  const mib = n / (1024 * 1024)
  return mib >= 1 ? `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB (${n} bytes)` : `${n} bytes`
}

export function fhirRoutes(api: Api): void {
  api.route(
    {
      method: 'post',
      path: '/fhir/patient',
      summary: 'Import a FHIR R4 Bundle (body: application/fhir+json or application/json) into a patient record: { record, mapped, unmapped }',
      tag: 'evaluation',
      permission: 'evaluate',
      bodyLimit: 'fhir',
      body: {
        description: 'A FHIR R4 Bundle (http://hl7.org/fhir/R4/bundle.html), as application/fhir+json or application/json',
        checkedBy: 'handler',
        mediaTypes: FHIR_MEDIA_TYPES,
        schema: obj({ resourceType: { const: 'Bundle' }, entry: arrayOf(anyObject('a Bundle entry: { resource, ... }')) }, ['entry'], 'a FHIR R4 Bundle'),
      },
      responses: {
        200: {
          description: '{ record, mapped, unmapped }: the patient record, what went where, and what could not be mapped (with path and reason)',
          schema: obj({ record: engineSchema('patient'), mapped: arrayOf(anyObject()), unmapped: arrayOf(anyObject('{ path, reason, ... }')) }),
        },
        400: { description: 'The body is not JSON' },
        413: { description: `The body is larger than the server's FHIR_MAX_BYTES (default ${DEFAULT_MAX_FHIR_BODY_BYTES} bytes, 32 MiB)` },
        415: { description: 'Not a JSON media type' },
        422: { description: 'The body is not a FHIR Bundle (located diagnostics)', schema: diagnosticSchema },
      },
    },
    async c => {
      const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()
      if (!FHIR_MEDIA_TYPES.includes(type)) {
        throw new Problem(
          415,
          'unsupported-media-type',
          `Content-Type ${type || '(none)'} is not accepted here; send the Bundle as ${FHIR_MEDIA_TYPES.join(' or ')}`,
        )
      }
      // decoded, parsed and read on the worker pool (the bytes moved there, not copied): a bundle of tens of MB is hundreds of ms of CPU
      const bytes = await c.req.arrayBuffer()
      const json = await api.cpu.run('importFhir', { bytes }, { kind: 'bundle', what: 'importing this bundle', transfer: [bytes], signal: c.req.raw.signal })
      return c.body(json, 200, { 'Content-Type': 'application/json' })
    },
  )
}
