/**
 * The engine's JSON Schemas as the server publishes them: their text at
 * GET /schemas/<name> (routes/examples.ts) and, parsed, as components of the
 * OpenAPI document (openapi.ts). Read from engine/schema once: one source.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The schemas published at /schemas/<name>: what protocol, examples and records are checked against. */
export const SCHEMA_NAMES = ['protocol.schema.json', 'examples.schema.json', 'patient.schema.json', 'subject.schema.json'] as const
export type SchemaFileName = (typeof SCHEMA_NAMES)[number]

export const schemaTexts: ReadonlyMap<string, string> = new Map(
  SCHEMA_NAMES.map(name => [name as string, readFileSync(join(import.meta.dirname, '..', '..', 'engine', 'schema', name), 'utf8')]),
)

/** One schema, parsed (a fresh copy: callers may rewrite it). */
export function engineSchemaJson(name: SchemaFileName): Record<string, unknown> {
  return JSON.parse(schemaTexts.get(name)!) as Record<string, unknown>
}
