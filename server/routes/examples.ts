/**
 * Example patients, a protocol's own tests (protocols/<id>.examples.yaml):
 * read and save them (versioned, If-Match), run them against a draft of the
 * protocol as it is being edited (nothing saved or logged), and the JSON
 * Schemas of protocols and examples that editors complete from.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  compileProtocol,
  loadExamples,
  loadProtocol,
  locate,
  parseYamlText,
  runExamples,
  runSubjectExamples,
  type SubjectExampleOutcome,
  type CompiledProtocol,
  type Diagnostic,
  type ExampleOutcome,
  type ExamplesDocument,
  type ProtocolDocument,
} from '../../engine/index.ts'
import type { Api, JsonSchema } from '../http/route.ts'
import { Problem, notFound } from '../errors.ts'
import { loadedVersion } from '../protocol-cache.ts'
import { sha256 } from '../storage/sqlite-store.ts'
import type { ProtocolExamplesRow } from '../storage/store.ts'
import { diagnosticSchema, versionQuery } from './schemas.ts'

/** The schemas published at /schemas/<name>: what protocol and examples files are checked against. */
const SCHEMA_NAMES = ['protocol.schema.json', 'examples.schema.json', 'patient.schema.json', 'subject.schema.json'] as const
const schemaTexts = new Map(SCHEMA_NAMES.map((name) => [name as string, readFileSync(join(import.meta.dirname, '..', '..', 'engine', 'schema', name), 'utf8')]))

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

const examplesTextBody = {
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
  } as JsonSchema,
}

const runBody = {
  description: 'JSON { yaml?, examples? }: a protocol draft and an examples draft; each defaults to the saved latest',
  optional: true,
  schema: {
    type: 'object',
    properties: {
      yaml: { type: 'string', minLength: 1, description: 'draft protocol YAML (default: the latest saved version)' },
      examples: { type: 'string', minLength: 1, description: 'draft examples YAML (default: the latest saved examples)' },
    },
    additionalProperties: false,
  } as JsonSchema,
}

const errorCount = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === 'error').length
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** One expectation of an example (its overall verdict or one criterion) beside what the engine answered. */
export interface ExampleCheck {
  /** `overall` or a criterion id. */
  subject: string
  /** The criterion's short title, for people. */
  title?: string
  expected: string
  actual: string
  ok: boolean
  /** The engine's one-line reason for a criterion's answer. */
  reason?: string
}

/** What POST /protocols/:id/examples/run answers for each example. */
export interface ExampleRunResult {
  id: string
  description: string
  /** 1-based line of the example in the examples text, when found. */
  line?: number
  passed: boolean
  checks: ExampleCheck[]
  /** The subjects (overall or criterion ids) whose answer differs from the expectation. */
  differ: string[]
}

function resultOf(outcome: ExampleOutcome, ex: ExamplesDocument['examples'][number], line: number | undefined): ExampleRunResult {
  const { verdict } = outcome
  const checks: ExampleCheck[] = [{ subject: 'overall', expected: ex.expect.overall, actual: verdict.overall, ok: verdict.overall === ex.expect.overall }]
  for (const [id, expected] of Object.entries(ex.expect.criteria ?? {})) {
    const c = verdict.criteria.find((r) => r.id === id)
    const actual = c?.truth ?? 'absent'
    checks.push({ subject: id, ...(c?.title ? { title: c.title } : {}), expected, actual, ok: actual === expected, ...(c ? { reason: c.reason } : {}) })
  }
  return {
    id: outcome.id,
    description: outcome.description,
    ...(line !== undefined ? { line } : {}),
    passed: outcome.passed,
    checks,
    differ: outcome.mismatches.map((m) => m.subject),
  }
}

/**
 * The example subjects' run (follow-up endpoints worked out by hand), shaped
 * as the patients' results; a subject's checks are the endpoint results that
 * differ (`endpoint@visit`, expected, actual).
 */
function subjectResults(outcomes: SubjectExampleOutcome[], parsed: ReturnType<typeof parseYamlText>) {
  const results: ExampleRunResult[] = outcomes.map((o, i) => {
    const line = locate(parsed.doc, parsed.lineCounter, ['subjects', i])?.line
    const checks: ExampleCheck[] = o.mismatches.map((m) => ({ subject: m.subject, expected: String(m.expected ?? 'none'), actual: String(m.actual ?? 'none'), ok: false }))
    return { id: o.id, description: o.description, ...(line !== undefined ? { line } : {}), passed: o.passed, checks, differ: o.mismatches.map((m) => m.subject) }
  })
  const passed = results.filter((r) => r.passed).length
  return { total: results.length, passed, failed: results.length - passed, results }
}

export function exampleRoutes(api: Api): void {
  const { store } = api

  const latestOrThrow = async (id: string) => {
    const row = await store.protocolVersion(id)
    if (!row) throw notFound(`protocol ${id}`)
    return row
  }

  /** Parse and check examples text against a protocol; errors are a 422 with every located diagnostic. */
  const examplesOrThrow = (text: string, protocol: ProtocolDocument, file: string) => {
    const loaded = loadExamples(text, protocol, { file })
    if (!loaded.value) {
      throw new Problem(422, 'invalid-request', `the examples have ${plural(errorCount(loaded.diagnostics), 'error')}`, { document: 'examples', diagnostics: loaded.diagnostics })
    }
    return { examples: loaded.value, warnings: loaded.diagnostics }
  }

  api.route(
    {
      method: 'get',
      path: '/schemas/:name',
      summary: `A JSON Schema (2020-12) the server checks documents against: ${SCHEMA_NAMES.join(', ')}`,
      tag: 'validation',
      permission: 'public',
      responses: { 200: { description: 'The schema', contentType: 'application/schema+json' }, 404: { description: 'No such schema' } },
    },
    (c) => {
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
      responses: { 200: { description: '{ protocol_id, version, yaml, protocol_version, author, created_at, change_note }; ETag identifies it' }, 404: { description: 'No such protocol, or no examples saved' } },
    },
    async (c) => {
      const id = c.req.param('id')!
      await latestOrThrow(id)
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
      summary: "Save a new version of a protocol's examples, checked against its latest version; If-Match carries the ETag of the examples edited (none when there are none yet)",
      tag: 'examples',
      permission: 'edit_protocols',
      body: examplesTextBody,
      headers: { 'If-Match': { description: 'ETag of the examples version this edit starts from; required once examples exist' }, 'X-Change-Note': { description: 'change note for a YAML body' } },
      responses: {
        200: { description: 'The new version of the examples' },
        412: { description: 'Stale: other examples were saved since; nothing written' },
        422: { description: 'The examples have errors', schema: diagnosticSchema },
        428: { description: 'If-Match missing while examples exist' },
      },
    },
    async (c) => {
      const id = c.req.param('id')!
      const latest = await latestOrThrow(id)
      const current = await store.protocolExamples(id)
      const ifMatch = c.req.header('If-Match')
      let expected = 0
      if (current) {
        if (!ifMatch) throw new Problem(428, 'precondition-required', `send If-Match: ${examplesEtag(current)} (the ETag of the examples you edited)`)
        const named = examplesVersionFromIfMatch(ifMatch, id)
        if (named === undefined) throw new Problem(412, 'precondition-failed', `If-Match ${ifMatch} is not an ETag of the examples of protocol ${id}`, { latest: examplesEtag(current), latest_version: current.version })
        expected = named
      } else if (ifMatch && ifMatch.trim() !== '*') {
        // RFC 9110: If-Match names a current representation, and there is none
        throw new Problem(412, 'precondition-failed', `protocol ${id} has no examples yet; send no If-Match to save the first version`)
      }
      const body = c.get('body') as { yaml: string; change_note?: string } | undefined
      const yaml = c.get('bodyText') ?? body!.yaml
      const note = body?.change_note ?? c.req.header('X-Change-Note') ?? ''
      const { examples: _examples, warnings } = examplesOrThrow(yaml, loadedVersion(latest).doc, 'request body')
      const r = await store.addProtocolExamples({ id, expectedVersion: expected, protocol_version: latest.version, yaml, change_note: note || `examples version ${expected + 1}` }, c.get('actor').name)
      if (!r.ok) {
        if (r.conflict.kind === 'stale') {
          const now = await store.protocolExamples(id)
          throw new Problem(412, 'precondition-failed', `the examples of protocol ${id} are at version ${r.conflict.latest}; your edit started from version ${expected}. Nothing was saved.`, {
            ...(now ? { latest: examplesEtag(now) } : {}),
            latest_version: r.conflict.latest,
          })
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
      summary: 'Run the example patients and example subjects against a protocol draft (nothing saved, nothing logged): per example expected vs actual, pass or fail',
      tag: 'examples',
      permission: 'read',
      body: runBody,
      responses: {
        200: { description: '{ total, passed, failed, examples_version, results: [{ id, description, line, passed, checks: [{ subject, expected, actual, ok, reason }], differ }], subjects: { total, passed, failed, results } (the example subjects\' endpoints; checks are the results that differ), warnings }' },
        404: { description: 'No such protocol, or no examples saved and none sent' },
        422: { description: 'The protocol draft (document: protocol) or the examples (document: examples) have errors', schema: diagnosticSchema },
      },
    },
    async (c) => {
      const id = c.req.param('id')!
      const latest = await latestOrThrow(id)
      const body = (c.get('body') ?? {}) as { yaml?: string; examples?: string }

      let protocol: ProtocolDocument
      let compiled: CompiledProtocol
      if (body.yaml === undefined) {
        ;({ doc: protocol, compiled } = loadedVersion(latest))
      } else {
        const loaded = loadProtocol(body.yaml, { file: `${id} draft` })
        if (!loaded.value) {
          throw new Problem(422, 'invalid-protocol', `the protocol draft has ${plural(errorCount(loaded.diagnostics), 'error')}; the examples run once it has none`, {
            document: 'protocol',
            diagnostics: loaded.diagnostics,
          })
        }
        protocol = loaded.value
        compiled = compileProtocol(protocol)
      }

      let text = body.examples
      let examplesVersion: number | null = null
      if (text === undefined) {
        const saved = await store.protocolExamples(id)
        if (!saved) throw notFound(`examples of protocol ${id} (none saved yet; send them as "examples")`)
        text = saved.yaml
        examplesVersion = saved.version
      }
      const { examples, warnings } = examplesOrThrow(text, protocol, 'examples')
      const outcomes = await runExamples(compiled, examples)
      // positions of each example in the text, so the editor can jump to it
      const parsed = parseYamlText(text)
      const results = outcomes.map((o, i) => resultOf(o, examples.examples[i]!, locate(parsed.doc, parsed.lineCounter, ['examples', i])?.line))
      const passed = results.filter((r) => r.passed).length
      const subjects = subjectResults(await runSubjectExamples(compiled, examples), parsed)
      return c.json({ total: results.length, passed, failed: results.length - passed, examples_version: examplesVersion, results, subjects, warnings })
    },
  )
}
