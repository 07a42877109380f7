/**
 * Protocols: list, read (parsed and YAML), create, new immutable versions
 * with If-Match, versions, diff, compiled rules, validation.
 */
import { diffProtocols } from '../../engine/diff/index.ts'
import type { Diagnostic, ProtocolDocument } from '../../engine/index.ts'
import type { Api, Handler, JsonSchema } from '../http/route.ts'
import { anyObject, arrayOf, int, merged, obj, str } from '../http/json-schema.ts'
import { protocolVersionOrThrow } from '../http/protocol-version.ts'
import { Problem, invalid, notFound } from '../errors.ts'
import { etagOf, loadedVersion, versionFromIfMatch } from '../protocol-cache.ts'
import { titleFreeOrThrow } from '../protocol-title.ts'
import { transitionsFrom } from './protocol-status.ts'
import type { ProtocolVersionRow } from '../storage/store.ts'
import type { CpuPool } from '../workers/cpu-pool.ts'
import {
  diagnosticSchema,
  protocolStatusSchema,
  protocolTextBody,
  transitionSchema,
  validationSchema,
  versionQuery,
  versionSummarySchema,
  type ProtocolTextJson,
} from './schemas.ts'

const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/

function versionSummary(row: ProtocolVersionRow) {
  const { yaml: _yaml, ...rest } = row
  return rest
}

/** Protocol text from a YAML body or a JSON `{ yaml, change_note }`. */
function protocolText(body: ProtocolTextJson | undefined, bodyText: string | undefined, noteHeader: string | undefined): { yaml: string; note: string } {
  if (bodyText !== undefined || body === undefined) return { yaml: bodyText ?? '', note: noteHeader ?? '' }
  return { yaml: body.yaml, note: body.change_note ?? noteHeader ?? '' }
}

const withWarnings = (extra: Record<string, JsonSchema> = {}) =>
  merged(versionSummarySchema, obj({ ...extra, warnings: arrayOf(anyObject('a diagnostic of severity warning')) }))

/** Validate protocol text (on the worker pool); a protocol with errors is a 422 with every located diagnostic. */
async function validOrThrow(cpu: CpuPool, yaml: string, file: string): Promise<{ doc: ProtocolDocument; diagnostics: Diagnostic[] }> {
  const loaded = await cpu.run('validateProtocol', { yaml, file }, { what: 'checking this protocol' })
  if (!loaded.value)
    throw invalid('invalid-protocol', `the protocol has ${loaded.diagnostics.filter(d => d.severity === 'error').length} error(s)`, loaded.diagnostics)
  return { doc: loaded.value, diagnostics: loaded.diagnostics }
}

export function protocolRoutes(api: Api): void {
  const { store, cpu } = api

  api.route(
    {
      method: 'get',
      path: '/protocols',
      summary: 'List protocols with their latest version',
      tag: 'protocols',
      permission: 'read',
      responses: {
        200: {
          description: 'Protocols',
          schema: arrayOf(
            obj({
              id: str(),
              registry_id: str(),
              title: str(),
              status: protocolStatusSchema,
              status_transitions: arrayOf(transitionSchema),
              version: int(),
              encoding_version: str(),
              content_hash: str(),
              updated_at: str(),
              counts: obj({ criteria: int(), arms: int(), visits: int(), endpoints: int() }),
              warnings: int('how many warnings the latest version has'),
            }),
          ),
        },
      },
    },
    async c => {
      const rows = await store.listProtocols()
      return c.json(
        rows.map(p => {
          const { doc, warnings } = loadedVersion(p.latest)
          return {
            id: p.id,
            registry_id: p.registry_id,
            title: doc.protocol.title,
            status: p.status,
            // what the library offers designers next (protocol-status.ts decides)
            status_transitions: transitionsFrom(p.status),
            version: p.latest_version,
            encoding_version: doc.protocol.version,
            content_hash: p.latest.content_hash,
            updated_at: p.latest.created_at,
            counts: { criteria: doc.criteria.length, arms: doc.arms?.length ?? 0, visits: doc.visits?.length ?? 0, endpoints: doc.endpoints?.length ?? 0 },
            warnings: warnings.length,
          }
        }),
      )
    },
  )

  api.route(
    {
      method: 'get',
      path: '/protocols/:id',
      summary: 'Read a protocol version (latest by default): YAML with Accept: application/yaml, else JSON with the parsed document',
      tag: 'protocols',
      permission: 'read',
      query: { version: versionQuery },
      protocol: 'version',
      responses: {
        200: {
          description: 'The version; ETag identifies it',
          schema: merged(
            versionSummarySchema,
            obj({
              yaml: str(),
              status: protocolStatusSchema,
              document: anyObject('the parsed protocol (engine/schema/protocol.schema.json)'),
              warnings: arrayOf(anyObject()),
            }),
          ),
        },
        404: { description: 'No such protocol or version' },
      },
    },
    async (c, { version: row }) => {
      c.header('ETag', etagOf(row))
      if ((c.req.header('Accept') ?? '').includes('yaml')) return c.body(row.yaml, 200, { 'Content-Type': 'application/yaml; charset=utf-8' })
      const { doc, warnings } = loadedVersion(row)
      // the protocol's status now (server/routes/protocol-status.ts), whichever version is read
      const status = (await store.protocol(row.protocol_id))!.status
      return c.json({ ...row, status, document: doc, warnings })
    },
  )

  api.route(
    {
      method: 'post',
      path: '/protocols',
      idempotent: true,
      summary:
        "Create a protocol, as a draft, from YAML (application/yaml, change note in X-Change-Note) or JSON { yaml, change_note, id }; its title must not be another protocol's",
      tag: 'protocols',
      permission: 'edit_protocols',
      body: protocolTextBody,
      headers: {
        'X-Change-Note': { description: 'change note for a YAML body' },
        'X-Protocol-Id': { description: 'id for a YAML body (default: the registry id, lower case)' },
      },
      responses: {
        201: { description: 'Created (version 1, status draft)', schema: withWarnings({ status: protocolStatusSchema }) },
        409: { description: 'A protocol with this id exists' },
        422: { description: "The protocol has errors, or its title is another protocol's", schema: diagnosticSchema },
      },
    },
    async (c, { body, bodyText }) => {
      const { yaml, note } = protocolText(body, bodyText, c.req.header('X-Change-Note'))
      const { doc, diagnostics } = await validOrThrow(cpu, yaml, 'request body')
      const requested = body?.id ?? c.req.header('X-Protocol-Id')
      const id = requested ?? doc.protocol.registry_id.toLowerCase()
      if (!ID.test(id)) throw new Problem(400, 'invalid-request', `protocol id ${JSON.stringify(id)} must match ${ID}`)
      const exists = () => new Problem(409, 'conflict', `protocol ${id} already exists; update it with PUT /protocols/${id}`)
      // the id first: a second POST of the same protocol is "it exists", not "its title is taken"
      if (await store.protocol(id)) throw exists()
      await titleFreeOrThrow(store, cpu, doc, yaml, 'request body')
      const r = await store.createProtocol({ id, registry_id: doc.protocol.registry_id, yaml, change_note: note || 'created', status: 'draft' }, c.get('actor'))
      if (!r.ok) throw exists()
      c.header('ETag', etagOf(r.value))
      c.header('Location', `/protocols/${id}`)
      return c.json({ ...versionSummary(r.value), status: 'draft', warnings: diagnostics }, 201)
    },
  )

  api.route(
    {
      method: 'put',
      path: '/protocols/:id',
      idempotent: true,
      summary: 'Save a new immutable version; If-Match must carry the ETag of the latest version',
      tag: 'protocols',
      permission: 'edit_protocols',
      body: protocolTextBody,
      headers: {
        'If-Match': { description: 'ETag of the version this edit starts from', required: true },
        'X-Change-Note': { description: 'change note for a YAML body' },
      },
      protocol: 'latest',
      responses: {
        200: { description: 'The new version', schema: withWarnings() },
        412: { description: 'Stale: another version was saved since; nothing written' },
        422: { description: 'The protocol has errors', schema: diagnosticSchema },
        428: { description: 'If-Match missing' },
      },
    },
    async (c, { body, bodyText, version: latest }) => {
      const id = c.req.param('id')!
      const ifMatch = c.req.header('If-Match')
      if (!ifMatch) throw new Problem(428, 'precondition-required', `send If-Match: ${etagOf(latest)} (the ETag of the version you edited)`)
      const expected = versionFromIfMatch(ifMatch, id)
      if (expected === undefined)
        throw new Problem(412, 'precondition-failed', `If-Match ${ifMatch} is not an ETag of protocol ${id}`, { latest: etagOf(latest) })
      const { yaml, note } = protocolText(body, bodyText, c.req.header('X-Change-Note'))
      const { doc, diagnostics } = await validOrThrow(cpu, yaml, 'request body')
      const registryId = (await store.protocol(id))?.registry_id
      if (doc.protocol.registry_id !== registryId) {
        throw new Problem(422, 'invalid-protocol', `registry_id ${doc.protocol.registry_id} does not match protocol ${id} (${registryId})`)
      }
      await titleFreeOrThrow(store, cpu, doc, yaml, 'request body', id)
      const r = await store.addProtocolVersion({ id, expectedVersion: expected, yaml, change_note: note || `version ${expected + 1}` }, c.get('actor'))
      if (!r.ok) {
        if (r.conflict.kind === 'stale') {
          const now = await protocolVersionOrThrow(store, id)
          throw new Problem(
            412,
            'precondition-failed',
            `protocol ${id} is at version ${r.conflict.latest}; your edit started from version ${expected}. Nothing was saved.`,
            {
              latest: etagOf(now),
              latest_version: now.version,
            },
          )
        }
        throw notFound(`protocol ${id}`)
      }
      c.header('ETag', etagOf(r.value))
      return c.json({ ...versionSummary(r.value), warnings: diagnostics })
    },
  )

  api.route(
    {
      method: 'get',
      path: '/protocols/:id/versions',
      summary: 'List the versions of a protocol',
      tag: 'protocols',
      permission: 'read',
      protocol: 'latest',
      responses: { 200: { description: 'Versions, oldest first', schema: arrayOf(versionSummarySchema) } },
    },
    async c => {
      const id = c.req.param('id')!
      return c.json((await store.protocolVersions(id)).map(versionSummary))
    },
  )

  api.route(
    {
      method: 'get',
      path: '/protocols/:id/diff',
      summary: 'Structured diff between two versions: criteria added/removed/changed, thresholds and windows changed',
      tag: 'protocols',
      permission: 'read',
      query: { from: { ...versionQuery, required: true }, to: { ...versionQuery, required: true } },
      responses: { 200: { description: 'The diff', schema: obj({ from: int(), to: int() }) } },
    },
    async c => {
      const id = c.req.param('id')!
      const from = loadedVersion(await protocolVersionOrThrow(store, id, Number(c.req.query('from'))))
      const to = loadedVersion(await protocolVersionOrThrow(store, id, Number(c.req.query('to'))))
      return c.json({ from: from.row.version, to: to.row.version, ...diffProtocols(from.doc, to.doc) })
    },
  )

  api.route(
    {
      method: 'get',
      path: '/protocols/:id/rules',
      summary: 'The compiled json-rules-engine rules of a version',
      tag: 'protocols',
      permission: 'read',
      query: { version: versionQuery },
      protocol: 'version',
      responses: {
        200: {
          description: 'Eligibility and endpoint rules',
          schema: obj({
            version: int(),
            eligibility: arrayOf(anyObject('a json-rules-engine rule')),
            endpoints: arrayOf(anyObject('a json-rules-engine rule')),
          }),
        },
      },
    },
    async (c, { version }) => {
      const { compiled, row } = loadedVersion(version)
      c.header('ETag', etagOf(row))
      return c.json({ version: row.version, eligibility: compiled.rules, endpoints: compiled.endpointRules.rules })
    },
  )

  const validateHandler =
    (file: string): Handler<ProtocolTextJson | undefined, unknown> =>
    async (c, { body, bodyText }) => {
      const { yaml } = protocolText(body, bodyText, undefined)
      return c.json(await cpu.run('checkProtocolDraft', { yaml, file }, { what: 'checking this protocol', signal: c.req.raw.signal }))
    }
  api.route(
    {
      method: 'post',
      path: '/validate',
      summary: 'Validate any protocol YAML (not saved): located diagnostics',
      tag: 'validation',
      permission: 'read',
      body: protocolTextBody,
      responses: { 200: { description: '{ valid, diagnostics }', schema: validationSchema } },
    },
    validateHandler('request body'),
  )
  api.route(
    {
      method: 'post',
      path: '/protocols/:id/validate',
      summary: 'Validate a draft of this protocol (not saved): located diagnostics',
      tag: 'validation',
      permission: 'read',
      body: protocolTextBody,
      protocol: 'latest',
      responses: { 200: { description: '{ valid, diagnostics }', schema: validationSchema } },
    },
    (c, input) => validateHandler(`${c.req.param('id')} draft`)(c, input),
  )
}
