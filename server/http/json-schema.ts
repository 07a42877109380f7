/**
 * Small builders for the JSON Schemas of requests and answers (OpenAPI 3.1
 * is JSON Schema 2020-12), and the two markers openapi.ts turns into
 * components: a named shape (`named`) and an engine schema (`engineSchema`,
 * engine/schema/*.schema.json, published once, never copied).
 */
import type { JsonSchema } from './route.ts'

const described = (s: JsonSchema, description?: string): JsonSchema => (description ? { ...s, description } : s)

export const str = (description?: string): JsonSchema => described({ type: 'string' }, description)
export const int = (description?: string): JsonSchema => described({ type: 'integer' }, description)
export const num = (description?: string): JsonSchema => described({ type: 'number' }, description)
export const bool = (description?: string): JsonSchema => described({ type: 'boolean' }, description)
export const isoDate = (description?: string): JsonSchema => described({ type: 'string', format: 'date' }, description)
export const oneOfStrings = (values: readonly string[], description?: string): JsonSchema => described({ type: 'string', enum: [...values] }, description)
export const arrayOf = (items: JsonSchema, description?: string): JsonSchema => described({ type: 'array', items }, description)
/** An object whose members are not described further here (the engine's own structures: diffs, explanations...). */
export const anyObject = (description?: string): JsonSchema => described({ type: 'object' }, description)
/** A map from ids to values. */
export const mapOf = (values: JsonSchema, description?: string): JsonSchema => described({ type: 'object', additionalProperties: values }, description)
export const nullable = (s: JsonSchema): JsonSchema => ({ anyOf: [s, { type: 'null' }] })

/** An object with these members, all required but those listed in `optional` (other members allowed). */
export function obj(properties: Record<string, JsonSchema>, optional: readonly string[] = [], description?: string): JsonSchema {
  const required = Object.keys(properties).filter(k => !optional.includes(k))
  return described({ type: 'object', properties, ...(required.length ? { required } : {}) }, description)
}

/** `a` and `b`'s members together (both required as declared). */
export function merged(a: JsonSchema, b: JsonSchema): JsonSchema {
  const props = (s: JsonSchema) => (s.properties ?? {}) as Record<string, JsonSchema>
  const req = (s: JsonSchema) => (s.required ?? []) as string[]
  return { type: 'object', properties: { ...props(a), ...props(b) }, required: [...new Set([...req(a), ...req(b)])] }
}

export const COMPONENT = 'x-component'
export const ENGINE_SCHEMA = 'x-engine-schema'

/** A shape published once under `components/schemas/<name>` and referenced wherever it is used. */
export function named(name: string, schema: JsonSchema): JsonSchema {
  return { ...schema, [COMPONENT]: name }
}

/** The engine schemas the API publishes, by the name of their component. */
export const ENGINE_SCHEMAS = { patient: 'PatientRecord', subject: 'SubjectRecord', protocol: 'Protocol' } as const
export type EngineSchemaName = keyof typeof ENGINE_SCHEMAS

/**
 * A value checked by an engine schema (engine/schema/<name>.schema.json).
 * The request validator only checks it is an object: the handler checks it
 * with the engine (422 with located diagnostics); the document references
 * the engine schema as a component.
 */
export function engineSchema(name: EngineSchemaName, description?: string): JsonSchema {
  return described({ type: 'object', [ENGINE_SCHEMA]: name }, description)
}
