/**
 * Request and response schemas shared by routes (and the OpenAPI document).
 */
import type { JsonSchema } from '../http/route.ts'

export const versionQuery = { schema: { type: 'integer', minimum: 1 }, description: 'version number (default: the latest)' }

/** A protocol sent as JSON: `{ yaml, change_note?, id? }` (or as application/yaml text). */
export const protocolTextBody = {
  description: 'Protocol YAML as application/yaml, or JSON { yaml, change_note?, id? }',
  yaml: true,
  schema: {
    type: 'object',
    required: ['yaml'],
    properties: {
      yaml: { type: 'string', minLength: 1, description: 'the protocol YAML text' },
      change_note: { type: 'string', description: 'what changed and why' },
      id: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'protocol id (create only)' },
    },
    additionalProperties: false,
  } as JsonSchema,
}

export const diagnosticSchema: JsonSchema = {
  type: 'object',
  properties: {
    diagnostics: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          severity: { enum: ['error', 'warning'] },
          message: { type: 'string' },
          line: { type: 'integer' },
          column: { type: 'integer' },
          path: { type: 'string' },
          expected: { type: 'string' },
          found: { type: 'string' },
        },
      },
    },
  },
}
