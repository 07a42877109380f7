/**
 * Protocols: list, read (parsed and YAML), create, new immutable versions
 * with If-Match, versions, diff, compiled rules, validation.
 */
import { diffProtocols, type Diagnostic, type ProtocolDocument } from '../../engine/index.ts'
import type { Api } from '../http/route.ts'
import { Problem, invalid, notFound } from '../errors.ts'
import { etagOf, loadedVersion, versionFromIfMatch } from '../protocol-cache.ts'
import { titleFreeOrThrow } from '../protocol-title.ts'
import { transitionsFrom } from './protocol-status.ts'
import type { ProtocolVersionRow } from '../storage/store.ts'
import type { CpuPool } from '../workers/cpu-pool.ts'
import { diagnosticSchema, protocolTextBody, versionQuery } from './schemas.ts'

const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/

function versionSummary(row: ProtocolVersionRow) {
  const { yaml: _yaml, ...rest } = row
  return rest
}

/** Protocol text from a YAML body or a JSON `{ yaml, change_note }`. */
function protocolText(body: unknown, bodyText: string | undefined, noteHeader: string | undefined): { yaml: string; note: string } {
  if (bodyText !== undefined) return { yaml: bodyText, note: noteHeader ?? '' }
  const b = body as { yaml: string; change_note?: string }
  return { yaml: b.yaml, note: b.change_note ?? noteHeader ?? '' }
}

/** Validate protocol text (on the worker pool); a protocol with errors is a 422 with every located diagnostic. */
async function validOrThrow(cpu: CpuPool, yaml: string, file: string): Promise<{ doc: ProtocolDocument; diagnostics: Diagnostic[] }> {
  const loaded = await cpu.run('validateProtocol', { yaml, file }, { what: 'checking this protocol' })
  if (!loaded.value) throw invalid('invalid-protocol', `the protocol has ${loaded.diagnostics.filter((d) => d.severity === 'error').length} error(s)`, loaded.diagnostics)
  return { doc: loaded.value, diagnostics: loaded.diagnostics }
}

export function protocolRoutes(api: Api): void {
  const { store, cpu } = api

  const versionOrThrow = async (id: string, version?: number) => {
    const row = await store.protocolVersion(id, version)
    if (!row) throw notFound(version === undefined ? `protocol ${id}` : `protocol ${id} version ${version}`)
    return row
  }

  api.route(
    { method: 'get', path: '/protocols', summary: 'List protocols with their latest version', tag: 'protocols', permission: 'read', responses: { 200: { description: 'Protocols' } } },
    async (c) => {
      const rows = await store.listProtocols()
      return c.json(
        rows.map((p) => {
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
      responses: { 200: { description: 'The version; ETag identifies it' }, 404: { description: 'No such protocol or version' } },
    },
    async (c) => {
      const v = c.req.query('version')
      const row = await versionOrThrow(c.req.param('id')!, v === undefined ? undefined : Number(v))
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
      summary: 'Create a protocol, as a draft, from YAML (application/yaml, change note in X-Change-Note) or JSON { yaml, change_note, id }; its title must not be another protocol\'s',
      tag: 'protocols',
      permission: 'edit_protocols',
      body: protocolTextBody,
      headers: { 'X-Change-Note': { description: 'change note for a YAML body' }, 'X-Protocol-Id': { description: 'id for a YAML body (default: the registry id, lower case)' } },
      responses: { 201: { description: 'Created (version 1, status draft)' }, 409: { description: 'A protocol with this id exists' }, 422: { description: 'The protocol has errors, or its title is another protocol\'s', schema: diagnosticSchema } },
    },
    async (c) => {
      const { yaml, note } = protocolText(c.get('body'), c.get('bodyText'), c.req.header('X-Change-Note'))
      const { doc, diagnostics } = await validOrThrow(cpu, yaml, 'request body')
      const requested = (c.get('body') as { id?: string } | undefined)?.id ?? c.req.header('X-Protocol-Id')
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
      headers: { 'If-Match': { description: 'ETag of the version this edit starts from', required: true }, 'X-Change-Note': { description: 'change note for a YAML body' } },
      responses: {
        200: { description: 'The new version' },
        412: { description: 'Stale: another version was saved since; nothing written' },
        422: { description: 'The protocol has errors', schema: diagnosticSchema },
        428: { description: 'If-Match missing' },
      },
    },
    async (c) => {
      const id = c.req.param('id')!
      const latest = await versionOrThrow(id)
      const ifMatch = c.req.header('If-Match')
      if (!ifMatch) throw new Problem(428, 'precondition-required', `send If-Match: ${etagOf(latest)} (the ETag of the version you edited)`)
      const expected = versionFromIfMatch(ifMatch, id)
      if (expected === undefined) throw new Problem(412, 'precondition-failed', `If-Match ${ifMatch} is not an ETag of protocol ${id}`, { latest: etagOf(latest) })
      const { yaml, note } = protocolText(c.get('body'), c.get('bodyText'), c.req.header('X-Change-Note'))
      const { doc, diagnostics } = await validOrThrow(cpu, yaml, 'request body')
      const registryId = (await store.protocol(id))?.registry_id
      if (doc.protocol.registry_id !== registryId) {
        throw new Problem(422, 'invalid-protocol', `registry_id ${doc.protocol.registry_id} does not match protocol ${id} (${registryId})`)
      }
      await titleFreeOrThrow(store, cpu, doc, yaml, 'request body', id)
      const r = await store.addProtocolVersion({ id, expectedVersion: expected, yaml, change_note: note || `version ${expected + 1}` }, c.get('actor'))
      if (!r.ok) {
        if (r.conflict.kind === 'stale') {
          const now = await versionOrThrow(id)
          throw new Problem(412, 'precondition-failed', `protocol ${id} is at version ${r.conflict.latest}; your edit started from version ${expected}. Nothing was saved.`, {
            latest: etagOf(now),
            latest_version: now.version,
          })
        }
        throw notFound(`protocol ${id}`)
      }
      c.header('ETag', etagOf(r.value))
      return c.json({ ...versionSummary(r.value), warnings: diagnostics })
    },
  )

  api.route(
    { method: 'get', path: '/protocols/:id/versions', summary: 'List the versions of a protocol', tag: 'protocols', permission: 'read', responses: { 200: { description: 'Versions, oldest first' } } },
    async (c) => {
      const id = c.req.param('id')!
      await versionOrThrow(id)
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
      responses: { 200: { description: 'The diff' } },
    },
    async (c) => {
      const id = c.req.param('id')!
      const from = loadedVersion(await versionOrThrow(id, Number(c.req.query('from'))))
      const to = loadedVersion(await versionOrThrow(id, Number(c.req.query('to'))))
      return c.json({ from: from.row.version, to: to.row.version, ...diffProtocols(from.doc, to.doc) })
    },
  )

  api.route(
    { method: 'get', path: '/protocols/:id/rules', summary: 'The compiled json-rules-engine rules of a version', tag: 'protocols', permission: 'read', query: { version: versionQuery }, responses: { 200: { description: 'Eligibility and endpoint rules' } } },
    async (c) => {
      const v = c.req.query('version')
      const { compiled, row } = loadedVersion(await versionOrThrow(c.req.param('id')!, v === undefined ? undefined : Number(v)))
      c.header('ETag', etagOf(row))
      return c.json({ version: row.version, eligibility: compiled.rules, endpoints: compiled.endpointRules.rules })
    },
  )

  const validateHandler = (file: string) => async (c: Parameters<Parameters<Api['route']>[1]>[0]) => {
    const { yaml } = protocolText(c.get('body'), c.get('bodyText'), undefined)
    const loaded = await cpu.run('validateProtocol', { yaml, file }, { what: 'checking this protocol' })
    return c.json({ valid: loaded.value !== undefined, diagnostics: loaded.diagnostics })
  }
  api.route(
    { method: 'post', path: '/validate', summary: 'Validate any protocol YAML (not saved): located diagnostics', tag: 'validation', permission: 'read', body: protocolTextBody, responses: { 200: { description: '{ valid, diagnostics }', schema: diagnosticSchema } } },
    validateHandler('request body'),
  )
  api.route(
    { method: 'post', path: '/protocols/:id/validate', summary: 'Validate a draft of this protocol (not saved): located diagnostics', tag: 'validation', permission: 'read', body: protocolTextBody, responses: { 200: { description: '{ valid, diagnostics }', schema: diagnosticSchema } } },
    async (c) => {
      await versionOrThrow(c.req.param('id')!)
      return validateHandler(`${c.req.param('id')} draft`)(c)
    },
  )
}
