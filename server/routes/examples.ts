/**
 * Example patients, a protocol's own tests (protocols/<id>.examples.yaml):
 * read and save them (versioned, If-Match), run them against a draft of the
 * protocol as it is being edited (nothing saved or logged), and the JSON
 * Schemas of protocols and examples that editors complete from.
 */
import { jsonBody, type Api } from '../http/route.ts'
import { anyObject, arrayOf, int, merged, obj, str } from '../http/json-schema.ts'
import { SCHEMA_NAMES, schemaTexts } from '../http/engine-schemas.ts'
import { Problem, notFound } from '../errors.ts'
import { sha256 } from '../storage/content-hash.ts'
import type { ProtocolExamplesRow } from '../storage/store.ts'
import { diagnosticSchema, versionQuery } from './schemas.ts'

/** The strong ETag of a saved examples version. */
export function examplesEtag(row: ProtocolExamplesRow): string {
  return `"${row.protocol_id}-examples-v${row.version}-${row.content_hash.slice(0, 16)}"`
}

/** The examples version an If-Match header names, if it names one of this protocol's examples ETags. */
function examplesVersionFromIfMatch(header: string, protocolId: string): number | undefined {
  const id = protocolId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const m = new RegExp(`^(?:W/)?"${id}-examples-v(\\d+)-[0-9a-f]{16}"$`).exec(header.trim())
  return m ? Number(m[1]) : undefined
}

const examplesTextBody = jsonBody<{ yaml: string; change_note?: string } | undefined>({
  description: 'Examples YAML as application/yaml (change note in X-Change-Note), or JSON { yaml, change_note? }',
  yaml: true,
  schema: {
    type: 'object',
    required: ['yaml'],
    properties: {
      yaml: { type: 'string', minLength: 1, description: 'the examples YAML text (engine/schema/examples.schema.json)' },
      change_note: { type: 'string', description: 'what changed and why' },
    },
    additionalProperties: false,
  },
})

const runBody = jsonBody<{ yaml?: string; examples?: string }>({
  description: 'JSON { yaml?, examples? }: a protocol draft and an examples draft; each defaults to the saved latest',
  optional: true,
  schema: {
    type: 'object',
    properties: {
      yaml: { type: 'string', minLength: 1, description: 'draft protocol YAML (default: the latest saved version)' },
      examples: { type: 'string', minLength: 1, description: 'draft examples YAML (default: the latest saved examples)' },
    },
    additionalProperties: false,
  },
})

const examplesVersionSchema = obj({
  protocol_id: str(),
  version: int(),
  content_hash: str(),
  protocol_version: int('the protocol version they were checked against'),
  author: str(),
  created_at: str(),
  change_note: str(),
})

export type { ExampleCheck, ExampleRunResult } from '../workers/protocol-tasks.ts'

export function exampleRoutes(api: Api): void {
  const { store, cpu } = api

  api.route(
    {
      method: 'get',
      path: '/schemas/:name',
      summary: `A JSON Schema (2020-12) the server checks documents against: ${SCHEMA_NAMES.join(', ')}`,
      tag: 'validation',
      permission: 'public',
      responses: {
        200: { description: 'The schema', contentType: 'application/schema+json', schema: anyObject('a JSON Schema (2020-12)') },
        304: { description: 'Not modified (If-None-Match names the current ETag)' },
        404: { description: 'No such schema' },
      },
    },
    c => {
      const name = c.req.param('name')!
      const text = schemaTexts.get(name)
      if (text === undefined) throw notFound(`schema ${name} (there are ${SCHEMA_NAMES.join(', ')})`)
      const etag = `"${sha256(text).slice(0, 16)}"`
      if (c.req.header('If-None-Match') === etag) return c.body(null, 304, { ETag: etag })
      return c.body(text, 200, { 'Content-Type': 'application/schema+json; charset=utf-8', ETag: etag, 'Cache-Control': 'no-cache' })
    },
  )

  api.route(
    {
      method: 'get',
      path: '/protocols/:id/examples',
      summary: "A protocol's example patients (latest saved version by default): YAML with Accept: application/yaml, else JSON",
      tag: 'examples',
      permission: 'read',
      query: { version: versionQuery },
      protocol: 'latest',
      responses: {
        200: {
          description: '{ protocol_id, version, yaml, protocol_version, author, created_at, change_note }; ETag identifies it',
          schema: merged(examplesVersionSchema, obj({ yaml: str() })),
        },
        404: { description: 'No such protocol, or no examples saved' },
      },
    },
    async c => {
      const id = c.req.param('id')!
      const v = c.req.query('version')
      const row = await store.protocolExamples(id, v === undefined ? undefined : Number(v))
      if (!row) throw notFound(v === undefined ? `examples of protocol ${id} (none saved yet)` : `examples version ${v} of protocol ${id}`)
      c.header('ETag', examplesEtag(row))
      if ((c.req.header('Accept') ?? '').includes('yaml')) return c.body(row.yaml, 200, { 'Content-Type': 'application/yaml; charset=utf-8' })
      return c.json(row)
    },
  )

  api.route(
    {
      method: 'put',
      path: '/protocols/:id/examples',
      idempotent: true,
      summary:
        "Save a new version of a protocol's examples, checked against its latest version; If-Match carries the ETag of the examples edited (none when there are none yet)",
      tag: 'examples',
      permission: 'edit_protocols',
      body: examplesTextBody,
      headers: {
        'If-Match': { description: 'ETag of the examples version this edit starts from; required once examples exist' },
        'X-Change-Note': { description: 'change note for a YAML body' },
      },
      protocol: 'latest',
      responses: {
        200: {
          description: 'The new version of the examples',
          schema: merged(examplesVersionSchema, obj({ warnings: arrayOf(anyObject('a diagnostic of severity warning')) })),
        },
        412: { description: 'Stale: other examples were saved since; nothing written' },
        422: { description: 'The examples have errors', schema: diagnosticSchema },
        428: { description: 'If-Match missing while examples exist' },
      },
    },
    async (c, { body, bodyText, version: latest }) => {
      const id = c.req.param('id')!
      const current = await store.protocolExamples(id)
      const ifMatch = c.req.header('If-Match')
      let expected = 0
      if (current) {
        if (!ifMatch) throw new Problem(428, 'precondition-required', `send If-Match: ${examplesEtag(current)} (the ETag of the examples you edited)`)
        const named = examplesVersionFromIfMatch(ifMatch, id)
        if (named === undefined)
          throw new Problem(412, 'precondition-failed', `If-Match ${ifMatch} is not an ETag of the examples of protocol ${id}`, {
            latest: examplesEtag(current),
            latest_version: current.version,
          })
        expected = named
      } else if (ifMatch && ifMatch.trim() !== '*') {
        // RFC 9110: If-Match names a current representation, and there is none
        throw new Problem(412, 'precondition-failed', `protocol ${id} has no examples yet; send no If-Match to save the first version`)
      }
      const yaml = bodyText ?? body?.yaml ?? ''
      const note = body?.change_note ?? c.req.header('X-Change-Note') ?? ''
      const { warnings } = await cpu.run('checkExamples', { protocol: latest, text: yaml, file: 'request body' }, { what: 'checking these examples' })
      const r = await store.addProtocolExamples(
        { id, expectedVersion: expected, protocol_version: latest.version, yaml, change_note: note || `examples version ${expected + 1}` },
        c.get('actor'),
      )
      if (!r.ok) {
        if (r.conflict.kind === 'stale') {
          const now = await store.protocolExamples(id)
          throw new Problem(
            412,
            'precondition-failed',
            `the examples of protocol ${id} are at version ${r.conflict.latest}; your edit started from version ${expected}. Nothing was saved.`,
            {
              ...(now ? { latest: examplesEtag(now) } : {}),
              latest_version: r.conflict.latest,
            },
          )
        }
        throw notFound(`protocol ${id}`)
      }
      const { yaml: _yaml, ...saved } = r.value
      c.header('ETag', examplesEtag(r.value))
      return c.json({ ...saved, warnings })
    },
  )

  api.route(
    {
      method: 'post',
      path: '/protocols/:id/examples/run',
      summary:
        'Run the example patients and example subjects against a protocol draft, or a saved version (?version=, the latest by default) when no draft is sent (nothing saved, nothing logged): per example expected vs actual, pass or fail',
      tag: 'examples',
      permission: 'read',
      body: runBody,
      query: { version: versionQuery },
      protocol: 'version',
      responses: {
        200: {
          schema: obj({
            total: int(),
            passed: int(),
            failed: int(),
            examples_version: { anyOf: [int(), { type: 'null' }] },
            results: arrayOf(anyObject('{ id, description, line, passed, checks, differ }')),
          }),
          description:
            "{ total, passed, failed, examples_version, results: [{ id, description, line, passed, checks: [{ subject, expected, actual, ok, reason }], differ }], subjects: { total, passed, failed, results } (the example subjects' endpoints; checks are the results that differ), warnings }",
        },
        404: { description: 'No such protocol, or no examples saved and none sent' },
        422: { description: 'The protocol draft (document: protocol) or the examples (document: examples) have errors', schema: diagnosticSchema },
      },
    },
    async (c, { body, version: latest }) => {
      const id = c.req.param('id')!

      // a draft is checked first, on a document's budget: hostile text is cut as quickly as on POST /validate
      const draft = body.yaml === undefined ? undefined : { yaml: body.yaml, file: `${id} draft` }
      if (draft) {
        const loaded = await cpu.run('checkProtocolDraft', draft, { what: 'checking this protocol draft', signal: c.req.raw.signal })
        if (!loaded.valid) {
          const errors = loaded.diagnostics.filter(d => d.severity === 'error').length
          throw new Problem(422, 'invalid-protocol', `the protocol draft has ${errors} error${errors === 1 ? '' : 's'}; the examples run once it has none`, {
            document: 'protocol',
            diagnostics: loaded.diagnostics,
          })
        }
      }
      let text = body.examples
      let examplesVersion: number | null = null
      if (text === undefined) {
        const saved = await store.protocolExamples(id)
        if (!saved) throw notFound(`examples of protocol ${id} (none saved yet; send them as "examples")`)
        text = saved.yaml
        examplesVersion = saved.version
      }
      const examples = { text, file: 'examples', version: examplesVersion }
      return c.json(
        await cpu.run(
          'runExamples',
          { protocol: latest, ...(draft ? { draft } : {}), examples },
          { kind: 'examples', what: 'running the examples', signal: c.req.raw.signal },
        ),
      )
    },
  )
}
