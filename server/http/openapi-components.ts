/**
 * The components of the OpenAPI document: the engine's schemas (patient,
 * subject and protocol, from engine/schema, their `$defs` hoisted and their
 * references rewritten to point inside the document), the shapes routes
 * publish by name (json-schema.ts `named`), and RFC 9457 problem details.
 */
import { COMPONENT, ENGINE_SCHEMA, ENGINE_SCHEMAS, type EngineSchemaName } from './json-schema.ts'
import { engineSchemaJson, type SchemaFileName } from './engine-schemas.ts'
import type { JsonSchema } from './route.ts'

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` })

const FILES: Record<string, EngineSchemaName> = { 'patient.schema.json': 'patient', 'subject.schema.json': 'subject', 'protocol.schema.json': 'protocol' }

/** `#/$defs/x` in a schema file, `other.schema.json#/…` across files, as references inside the document. */
function rewriteRef(ref: string, inFile: EngineSchemaName): string {
  const [file, pointer = ''] = ref.split('#')
  const target = file ? FILES[file] : inFile
  if (!target) throw new Error(`an engine schema references ${ref}, which the API does not publish`)
  const name = ENGINE_SCHEMAS[target]
  const def = /^\/\$defs\/([^/]+)$/.exec(pointer)
  return def ? `#/components/schemas/${name}_${def[1]}` : `#/components/schemas/${name}${pointer}`
}

function rewriteRefs(node: unknown, inFile: EngineSchemaName): unknown {
  if (Array.isArray(node)) return node.map(n => rewriteRefs(n, inFile))
  if (node === null || typeof node !== 'object') return node
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? rewriteRef(v, inFile) : rewriteRefs(v, inFile)]))
}

/** An engine schema as components: the root under its name, each `$defs` entry beside it. */
function engineComponents(kind: EngineSchemaName): Record<string, JsonSchema> {
  const { $id: _id, $schema: _schema, $defs, ...root } = rewriteRefs(engineSchemaJson(`${kind}.schema.json` as SchemaFileName), kind) as JsonSchema
  const out: Record<string, JsonSchema> = { [ENGINE_SCHEMAS[kind]]: root }
  for (const [def, schema] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) out[`${ENGINE_SCHEMAS[kind]}_${def}`] = schema
  return out
}

const PROBLEM: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details; some problems add members (diagnostics, latest, retry_after...)',
  properties: {
    type: { type: 'string', format: 'uri', description: 'the problem type, https://ln-trial-rules.dev/problems/<name>' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'what went wrong, and where' },
    instance: { type: 'string', description: 'the request path' },
  },
  required: ['type', 'title', 'status', 'detail'],
}

/**
 * Replace the markers of json-schema.ts by references, collecting what they
 * name into `components` (the engine schemas are added whole on first use).
 */
export class Components {
  readonly schemas: Record<string, JsonSchema> = { Problem: PROBLEM }

  resolve(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(n => this.resolve(n))
    if (node === null || typeof node !== 'object') return node
    const { [COMPONENT]: name, [ENGINE_SCHEMA]: engine, ...rest } = node as Record<string, unknown>
    if (typeof engine === 'string') {
      const kind = engine as EngineSchemaName
      if (!this.schemas[ENGINE_SCHEMAS[kind]]) Object.assign(this.schemas, engineComponents(kind))
      // the engine schema's own subjects (subject records reference the patient's sections)
      if (kind === 'subject' && !this.schemas[ENGINE_SCHEMAS.patient]) Object.assign(this.schemas, engineComponents('patient'))
      return { ...ref(ENGINE_SCHEMAS[kind]), ...(typeof rest.description === 'string' ? { description: rest.description } : {}) }
    }
    const resolved = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, this.resolve(v)]))
    if (typeof name !== 'string') return resolved
    this.schemas[name] ??= resolved
    return ref(name)
  }
}
