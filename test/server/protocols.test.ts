import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { examplePatient } from '../../engine/index.ts'
import { PROTOCOLS_DIR, shippedProtocol, shippedProtocols } from '../helpers/protocols.ts'
import { expectProblem, req, retitled, testApp, type DiagnosticBody, type TestApp } from './helpers.ts'

const P = 'nct05631717'
const YAML_TEXT = readFileSync(join(PROTOCOLS_DIR, `${P}.yaml`), 'utf8')
const IN03_SLEDAI = '        op: ">="\n        value: 6\n'
// IN03 tightened: SLEDAI-2K >= 8 instead of >= 6
const TIGHTER = YAML_TEXT.replace(IN03_SLEDAI, '        op: ">="\n        value: 8\n')
// IN03's operator is not one of the schema's
const BROKEN = YAML_TEXT.replace(IN03_SLEDAI, '        op: "=>"\n        value: 6\n')
// The broken operator's line, found by content so that edits elsewhere in the file do not move the tests
const BROKEN_LINE = YAML_TEXT.slice(0, YAML_TEXT.indexOf(IN03_SLEDAI)).split('\n').length
// a copy needs a title of its own (server/protocol-title.ts)
const COPY_TEXT = retitled(YAML_TEXT, 'MSC and low-dose IL-2 in LN: pilot copy')
const eligible = examplePatient(shippedProtocol('NCT05631717').examples!, 'eligible-baseline')

async function counts(t: TestApp) {
  return {
    protocols: (await t.store.listProtocols()).length,
    versions: (await t.store.protocolVersions(P)).length,
    audit: (await t.store.audit({ limit: 1_000_000 })).length,
  }
}

describe('protocols API', () => {
  it('sanity: the edits used below change exactly the IN03 lines', () => {
    expect(TIGHTER).not.toBe(YAML_TEXT)
    expect(BROKEN).not.toBe(YAML_TEXT)
  })

  describe('read', () => {
    it('lists the shipped protocol with its latest version', async () => {
      const { app, tokenFor } = await testApp()
      const res = await req(app, 'GET', '/protocols', { token: tokenFor('viewer') })
      expect(res.status).toBe(200)
      // every protocols/*.yaml is loaded at first start; NCT05631717 is one of them
      const list = (await res.json()) as Array<{ id: string; registry_id: string; version: number; counts: { criteria: number } }>
      expect(list.find(p => p.id === P)).toMatchObject({ registry_id: 'NCT05631717', version: 1, counts: { criteria: 17 } })
      expect(list.map(p => p.registry_id).sort()).toEqual(
        shippedProtocols()
          .map(p => p.doc.protocol.registry_id)
          .sort(),
      )
    })

    it('reads JSON with the parsed document and an ETag', async () => {
      const { app, tokenFor } = await testApp()
      const res = await req(app, 'GET', `/protocols/${P}`, { token: tokenFor('viewer') })
      expect(res.status).toBe(200)
      expect(res.headers.get('ETag')).toMatch(new RegExp(`^"${P}-v1-[0-9a-f]{16}"$`))
      const body = (await res.json()) as { version: number; yaml: string; document: { protocol: { registry_id: string } } }
      expect(body.version).toBe(1)
      expect(body.yaml).toBe(YAML_TEXT)
      expect(body.document.protocol.registry_id).toBe('NCT05631717')
    })

    it('reads the YAML as stored with Accept: application/yaml, with the same ETag', async () => {
      const { app, tokenFor } = await testApp()
      const token = tokenFor('viewer')
      const json = await req(app, 'GET', `/protocols/${P}`, { token })
      const res = await req(app, 'GET', `/protocols/${P}`, { token, headers: { Accept: 'application/yaml' } })
      expect(res.status).toBe(200)
      expect(res.headers.get('Content-Type')).toMatch(/^application\/yaml/)
      expect(res.headers.get('ETag')).toBe(json.headers.get('ETag'))
      expect(await res.text()).toBe(YAML_TEXT)
    })

    it('reads an older version with ?version, 404 for one that does not exist, 400 for a bad one', async () => {
      const { app, tokenFor } = await testApp()
      const admin = tokenFor('admin')
      const etag = (await req(app, 'GET', `/protocols/${P}`, { token: admin })).headers.get('ETag')!
      expect((await req(app, 'PUT', `/protocols/${P}`, { token: admin, yaml: TIGHTER, headers: { 'If-Match': etag } })).status).toBe(200)
      const v1 = await req(app, 'GET', `/protocols/${P}?version=1`, { token: admin, headers: { Accept: 'application/yaml' } })
      expect(v1.headers.get('ETag')).toBe(etag)
      expect(await v1.text()).toBe(YAML_TEXT)
      const latest = await req(app, 'GET', `/protocols/${P}`, { token: admin, headers: { Accept: 'application/yaml' } })
      expect(await latest.text()).toBe(TIGHTER)
      await expectProblem(await req(app, 'GET', `/protocols/${P}?version=3`, { token: admin }), 404, 'not-found')
      await expectProblem(await req(app, 'GET', `/protocols/${P}?version=zero`, { token: admin }), 400, 'invalid-request')
      await expectProblem(await req(app, 'GET', '/protocols/nope', { token: admin }), 404, 'not-found')
    })
  })

  describe('create', () => {
    it('from YAML (application/yaml) with X-Change-Note and X-Protocol-Id', async () => {
      const t = await testApp()
      const res = await req(t.app, 'POST', '/protocols', {
        token: tokenOf(t, 'designer'),
        yaml: COPY_TEXT,
        headers: { 'X-Change-Note': 'copy for the pilot', 'X-Protocol-Id': 'pilot-copy' },
      })
      expect(res.status).toBe(201)
      expect(res.headers.get('Location')).toBe('/protocols/pilot-copy')
      expect(res.headers.get('ETag')).toMatch(/^"pilot-copy-v1-[0-9a-f]{16}"$/)
      expect(await res.json()).toMatchObject({ protocol_id: 'pilot-copy', version: 1, change_note: 'copy for the pilot', author: 'test designer' })
      const audit = await t.store.audit({ entity: 'protocol', entityId: 'pilot-copy' })
      expect(audit.map(a => a.action)).toEqual(['create v1'])
    })

    it('from JSON { yaml, change_note, id }', async () => {
      const { app, tokenFor } = await testApp()
      const res = await req(app, 'POST', '/protocols', { token: tokenFor('admin'), json: { yaml: COPY_TEXT, change_note: 'json copy', id: 'json-copy' } })
      expect(res.status).toBe(201)
      expect(await res.json()).toMatchObject({ protocol_id: 'json-copy', version: 1, change_note: 'json copy' })
      const read = await req(app, 'GET', '/protocols/json-copy', { token: tokenFor('viewer'), headers: { Accept: 'application/yaml' } })
      expect(await read.text()).toBe(COPY_TEXT)
    })

    it('409 when the id exists (the default id is the registry id, lower case); nothing written', async () => {
      const t = await testApp()
      const before = await counts(t)
      await expectProblem(await req(t.app, 'POST', '/protocols', { token: t.adminToken, yaml: YAML_TEXT }), 409, 'conflict')
      await expectProblem(await req(t.app, 'POST', '/protocols', { token: t.adminToken, json: { yaml: YAML_TEXT, id: P } }), 409, 'conflict')
      expect(await counts(t)).toEqual(before)
    })

    it('422 with located diagnostics for a broken protocol, and nothing saved', async () => {
      const t = await testApp()
      const before = await counts(t)
      const res = await req(t.app, 'POST', '/protocols', { token: t.adminToken, yaml: BROKEN, headers: { 'X-Protocol-Id': 'broken' } })
      const body = await expectProblem(res, 422, 'invalid-protocol')
      const errors = body.diagnostics!.filter(d => d.severity === 'error')
      expect(errors).toEqual([
        expect.objectContaining({
          code: 'E_SCHEMA_ENUM',
          severity: 'error',
          path: 'criteria[2].logic.measurement.op',
          line: BROKEN_LINE,
          column: 13,
          message: expect.stringContaining('"=>"'),
        }),
      ])
      for (const d of body.diagnostics!)
        expect(d).toEqual(
          expect.objectContaining({ line: expect.any(Number), column: expect.any(Number), path: expect.any(String), message: expect.any(String) }),
        )
      expect(await counts(t)).toEqual(before)
      expect(await t.store.protocol('broken')).toBeUndefined()
      expect(await t.store.protocolVersions('broken')).toEqual([])
    })

    it('400 for an id that is not a slug, 400 for a JSON body that misses yaml', async () => {
      const { app, adminToken } = await testApp()
      await expectProblem(
        await req(app, 'POST', '/protocols', { token: adminToken, yaml: YAML_TEXT, headers: { 'X-Protocol-Id': '../etc' } }),
        400,
        'invalid-request',
      )
      const missing = await expectProblem(await req(app, 'POST', '/protocols', { token: adminToken, json: { change_note: 'x' } }), 400, 'invalid-request')
      expect(missing.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('yaml') })])
    })
  })

  describe('update (If-Match)', () => {
    it('saves version 2 with a new ETag; the versions list grows', async () => {
      const t = await testApp()
      const v1 = (await req(t.app, 'GET', `/protocols/${P}`, { token: t.adminToken })).headers.get('ETag')!
      const res = await req(t.app, 'PUT', `/protocols/${P}`, {
        token: tokenOf(t, 'designer'),
        yaml: TIGHTER,
        headers: { 'If-Match': v1, 'X-Change-Note': 'IN03: SLEDAI >= 8' },
      })
      expect(res.status).toBe(200)
      const etag = res.headers.get('ETag')!
      expect(etag).toMatch(new RegExp(`^"${P}-v2-[0-9a-f]{16}"$`))
      expect(etag).not.toBe(v1)
      expect(await res.json()).toMatchObject({ protocol_id: P, version: 2, change_note: 'IN03: SLEDAI >= 8' })
      expect((await req(t.app, 'GET', `/protocols/${P}`, { token: t.adminToken })).headers.get('ETag')).toBe(etag)
      const versions = (await (await req(t.app, 'GET', `/protocols/${P}/versions`, { token: tokenOf(t, 'viewer') })).json()) as Array<Record<string, unknown>>
      expect(versions.map(v => [v.version, v.change_note])).toEqual([
        [1, 'loaded from protocols/nct05631717.yaml'],
        [2, 'IN03: SLEDAI >= 8'],
      ])
      expect(versions[0]).not.toHaveProperty('yaml')
    })

    it('428 without If-Match; nothing written', async () => {
      const t = await testApp()
      const before = await counts(t)
      const body = await expectProblem(await req(t.app, 'PUT', `/protocols/${P}`, { token: t.adminToken, yaml: TIGHTER }), 428, 'precondition-required')
      expect(body.detail).toContain(`"${P}-v1-`)
      expect(await counts(t)).toEqual(before)
    })

    it('412 with a stale If-Match (and with one of another protocol); nothing written', async () => {
      const t = await testApp()
      const v1 = (await req(t.app, 'GET', `/protocols/${P}`, { token: t.adminToken })).headers.get('ETag')!
      const saved = await req(t.app, 'PUT', `/protocols/${P}`, { token: t.adminToken, yaml: TIGHTER, headers: { 'If-Match': v1 } })
      const v2 = saved.headers.get('ETag')!
      const before = await counts(t)
      const stale = await expectProblem(
        await req(t.app, 'PUT', `/protocols/${P}`, { token: t.adminToken, yaml: YAML_TEXT, headers: { 'If-Match': v1 } }),
        412,
        'precondition-failed',
      )
      expect(stale).toMatchObject({ latest: v2, latest_version: 2 })
      await expectProblem(
        await req(t.app, 'PUT', `/protocols/${P}`, { token: t.adminToken, yaml: YAML_TEXT, headers: { 'If-Match': '"other-v2-0123456789abcdef"' } }),
        412,
        'precondition-failed',
      )
      expect(await counts(t)).toEqual(before)
    })

    it('422 for a broken new version, and for a registry_id that changes; nothing written', async () => {
      const t = await testApp()
      const v1 = (await req(t.app, 'GET', `/protocols/${P}`, { token: t.adminToken })).headers.get('ETag')!
      const before = await counts(t)
      const broken = await expectProblem(
        await req(t.app, 'PUT', `/protocols/${P}`, { token: t.adminToken, yaml: BROKEN, headers: { 'If-Match': v1 } }),
        422,
        'invalid-protocol',
      )
      expect(broken.diagnostics).toContainEqual(expect.objectContaining({ code: 'E_SCHEMA_ENUM', line: BROKEN_LINE, column: 13 }))
      const other = YAML_TEXT.replace('registry_id: NCT05631717', 'registry_id: NCT09999999')
      await expectProblem(
        await req(t.app, 'PUT', `/protocols/${P}`, { token: t.adminToken, yaml: other, headers: { 'If-Match': v1 } }),
        422,
        'invalid-protocol',
      )
      expect(await counts(t)).toEqual(before)
    })

    it('404 for a protocol that does not exist', async () => {
      const { app, adminToken } = await testApp()
      await expectProblem(
        await req(app, 'PUT', '/protocols/nope', { token: adminToken, yaml: YAML_TEXT, headers: { 'If-Match': '"nope-v1-0123456789abcdef"' } }),
        404,
        'not-found',
      )
      await expectProblem(await req(app, 'GET', '/protocols/nope/versions', { token: adminToken }), 404, 'not-found')
    })
  })

  describe('diff and rules', () => {
    it('diff v1 -> v2 names IN03 with a threshold change from 6 to 8', async () => {
      const t = await testApp()
      const v1 = (await req(t.app, 'GET', `/protocols/${P}`, { token: t.adminToken })).headers.get('ETag')!
      expect((await req(t.app, 'PUT', `/protocols/${P}`, { token: t.adminToken, yaml: TIGHTER, headers: { 'If-Match': v1 } })).status).toBe(200)
      const res = await req(t.app, 'GET', `/protocols/${P}/diff?from=1&to=2`, { token: tokenOf(t, 'viewer') })
      expect(res.status).toBe(200)
      const diff = (await res.json()) as {
        from: number
        to: number
        identical: boolean
        criteria: { added: string[]; removed: string[]; changed: Array<{ id: string; changes: unknown[] }> }
      }
      expect(diff).toMatchObject({ from: 1, to: 2, identical: false, criteria: { added: [], removed: [] } })
      expect(diff.criteria.changed.map(c => c.id)).toEqual(['IN03'])
      expect(diff.criteria.changed[0]!.changes).toEqual([{ path: 'logic.measurement.value', kind: 'threshold', from: 6, to: 8 }])
    })

    it('diff needs from and to (400) and existing versions (404)', async () => {
      const { app, adminToken } = await testApp()
      await expectProblem(await req(app, 'GET', `/protocols/${P}/diff?from=1`, { token: adminToken }), 400, 'invalid-request')
      await expectProblem(await req(app, 'GET', `/protocols/${P}/diff?from=1&to=2`, { token: adminToken }), 404, 'not-found')
    })

    it('rules: the compiled eligibility rules of a version, with its ETag', async () => {
      const { app, tokenFor } = await testApp()
      const res = await req(app, 'GET', `/protocols/${P}/rules`, { token: tokenFor('viewer') })
      expect(res.status).toBe(200)
      expect(res.headers.get('ETag')).toMatch(new RegExp(`^"${P}-v1-`))
      const body = (await res.json()) as { version: number; eligibility: unknown[]; endpoints: unknown[] }
      expect(body.version).toBe(1)
      expect(body.eligibility.length).toBeGreaterThanOrEqual(17)
      expect(JSON.stringify(body.eligibility)).toContain('IN03')
    })
  })

  describe('validate', () => {
    it('POST /validate: valid YAML -> valid with only warnings; broken -> located errors; nothing saved', async () => {
      const t = await testApp()
      const before = await counts(t)
      const ok = (await (await req(t.app, 'POST', '/validate', { token: tokenOf(t, 'viewer'), yaml: YAML_TEXT })).json()) as {
        valid: boolean
        diagnostics: DiagnosticBody[]
      }
      expect(ok.valid).toBe(true)
      expect(ok.diagnostics.every(d => d.severity === 'warning')).toBe(true)
      const res = await req(t.app, 'POST', '/validate', { token: tokenOf(t, 'viewer'), json: { yaml: BROKEN } })
      expect(res.status).toBe(200)
      const bad = (await res.json()) as { valid: boolean; diagnostics: DiagnosticBody[] }
      expect(bad.valid).toBe(false)
      expect(bad.diagnostics).toContainEqual(
        expect.objectContaining({ code: 'E_SCHEMA_ENUM', severity: 'error', line: BROKEN_LINE, column: 13, path: 'criteria[2].logic.measurement.op' }),
      )
      const syntax = (await (await req(t.app, 'POST', '/validate', { token: t.adminToken, yaml: 'protocol: [\n' })).json()) as {
        valid: boolean
        diagnostics: DiagnosticBody[]
      }
      expect(syntax.valid).toBe(false)
      expect(syntax.diagnostics[0]).toMatchObject({ code: 'E_YAML_SYNTAX', line: 2, column: 1 })
      expect(await counts(t)).toEqual(before)
    })

    it('POST /protocols/:id/validate checks a draft; 404 for an unknown protocol', async () => {
      const { app, tokenFor } = await testApp()
      const res = await req(app, 'POST', `/protocols/${P}/validate`, { token: tokenFor('viewer'), yaml: BROKEN })
      expect(res.status).toBe(200)
      const body = (await res.json()) as { valid: boolean; diagnostics: Array<DiagnosticBody & { file: string }> }
      expect(body.valid).toBe(false)
      expect(body.diagnostics).toContainEqual(expect.objectContaining({ code: 'E_SCHEMA_ENUM', line: BROKEN_LINE, file: `${P} draft` }))
      await expectProblem(await req(app, 'POST', '/protocols/nope/validate', { token: tokenFor('viewer'), yaml: YAML_TEXT }), 404, 'not-found')
    })
  })

  describe('evaluate', () => {
    it('answers the verdict and logs it in the screening log with the version used', async () => {
      const t = await testApp()
      const res = await req(t.app, 'POST', `/protocols/${P}/evaluate`, { token: tokenOf(t, 'clinician'), json: eligible })
      expect(res.status).toBe(200)
      const body = (await res.json()) as {
        evaluation_id: number
        version: number
        overall: string
        failing: string[]
        criteria: Array<{ id: string; truth: string }>
      }
      expect(body).toMatchObject({ version: 1, overall: 'eligible', failing: [] })
      expect(body.criteria.find(c => c.id === 'IN03')).toMatchObject({ truth: 'met' })
      const logged = await t.store.evaluations({ protocolId: P })
      expect(logged).toEqual([expect.objectContaining({ id: body.evaluation_id, version: 1, overall: 'eligible', actor: 'test clinician', subject_id: null })])
      expect(await t.store.audit({ entity: 'evaluation', entityId: String(body.evaluation_id) })).toHaveLength(1)
    })

    it('log=false is a preview: the same verdict, evaluation_id null, nothing logged or audited', async () => {
      const t = await testApp()
      const res = await req(t.app, 'POST', `/protocols/${P}/evaluate?log=false`, { token: tokenOf(t, 'clinician'), json: eligible })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ evaluation_id: null, version: 1, overall: 'eligible', failing: [] })
      expect(await t.store.evaluations({ protocolId: P })).toEqual([])
      expect(await t.store.audit({ entity: 'evaluation' })).toEqual([])
      // log=true (the default spelled out) logs
      const logged = await req(t.app, 'POST', `/protocols/${P}/evaluate?log=true`, { token: tokenOf(t, 'clinician'), json: eligible })
      expect(((await logged.json()) as { evaluation_id: number }).evaluation_id).toEqual(expect.any(Number))
      expect(await t.store.evaluations({ protocolId: P })).toHaveLength(1)
    })

    it('log=false with a subject, or a log value other than true/false, is a 400', async () => {
      const t = await testApp()
      await expectProblem(await req(t.app, 'POST', `/protocols/${P}/evaluate?log=no`, { token: t.adminToken, json: eligible }), 400, 'invalid-request')
      await expectProblem(await req(t.app, 'POST', `/protocols/${P}/evaluate?log=false&subject=x`, { token: t.adminToken, json: eligible }), 404, 'not-found')
      const reg = await req(t.app, 'POST', `/protocols/${P}/subjects`, { token: t.adminToken, json: { code: 'PRV-001' } })
      const sid = ((await reg.json()) as { id: string }).id
      const body = await expectProblem(
        await req(t.app, 'POST', `/protocols/${P}/evaluate?log=false&subject=${sid}`, { token: t.adminToken, json: eligible }),
        400,
        'invalid-request',
      )
      expect(body.detail).toMatch(/preview/)
      expect(await t.store.evaluations({ protocolId: P })).toEqual([])
    })

    it('422 with diagnostics for an invalid patient; nothing logged', async () => {
      const t = await testApp()
      const body = await expectProblem(
        await req(t.app, 'POST', `/protocols/${P}/evaluate`, { token: t.adminToken, json: { ...eligible, birth_date: 19900501 } }),
        422,
        'invalid-patient',
      )
      expect(body.diagnostics).toEqual([
        expect.objectContaining({ code: 'E_SCHEMA_TYPE', severity: 'error', path: 'birth_date', message: expect.stringContaining('string') }),
      ])
      expect(await t.store.evaluations({ protocolId: P })).toEqual([])
    })

    it('404 for an unknown protocol or version', async () => {
      const { app, adminToken } = await testApp()
      await expectProblem(await req(app, 'POST', '/protocols/nope/evaluate', { token: adminToken, json: eligible }), 404, 'not-found')
      await expectProblem(await req(app, 'POST', `/protocols/${P}/evaluate?version=9`, { token: adminToken, json: eligible }), 404, 'not-found')
    })
  })

  describe('HTTP edges', () => {
    it('unknown route -> 404 problem', async () => {
      const { app, adminToken } = await testApp()
      const body = await expectProblem(await req(app, 'GET', '/no/such/route', { token: adminToken }), 404, 'not-found')
      expect(body.instance).toBe('/no/such/route')
      await expectProblem(await req(app, 'DELETE', `/protocols/${P}`, { token: adminToken }), 404, 'not-found')
    })

    it('415 for a text/plain body', async () => {
      const { app, adminToken } = await testApp()
      await expectProblem(
        await req(app, 'POST', '/validate', { token: adminToken, headers: { 'Content-Type': 'text/plain' }, yaml: YAML_TEXT }),
        415,
        'unsupported-media-type',
      )
      await expectProblem(
        await req(app, 'POST', `/protocols/${P}/evaluate`, { token: adminToken, json: eligible, headers: { 'Content-Type': 'text/plain' } }),
        415,
        'unsupported-media-type',
      )
    })

    it('413 for a body over 1 MB, with and without Content-Length', async () => {
      const { app, adminToken } = await testApp()
      const big = `# ${'x'.repeat(1024 * 1024)}\n${YAML_TEXT}`
      await expectProblem(await req(app, 'POST', '/validate', { token: adminToken, yaml: big }), 413, 'payload-too-large')
      const withLength = { 'Content-Length': String(Buffer.byteLength(big)) }
      await expectProblem(await req(app, 'POST', '/validate', { token: adminToken, yaml: big, headers: withLength }), 413, 'payload-too-large')
      await expectProblem(
        await req(app, 'POST', `/protocols/${P}/evaluate`, { token: adminToken, json: { ...eligible, id: 'x'.repeat(1024 * 1024) } }),
        413,
        'payload-too-large',
      )
    })

    it('400 problem for a body that is not JSON', async () => {
      const { app, adminToken } = await testApp()
      await expectProblem(await req(app, 'POST', `/protocols/${P}/evaluate`, { token: adminToken, json: '{"birth_date": ' }), 400, 'invalid-request')
    })

    it('__proto__ / constructor keys in a JSON body have no effect', async () => {
      const t = await testApp()
      const polluting = '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "birth_date": "1990-05-01"}'
      const res = await req(t.app, 'POST', `/protocols/${P}/evaluate`, { token: t.adminToken, json: polluting })
      expect(res.status).toBe(200)
      // __proto__ in a /validate body would be an extra property if it survived parsing
      const v = await req(t.app, 'POST', '/validate', { token: t.adminToken, json: `{"yaml": ${JSON.stringify(YAML_TEXT)}, "__proto__": {"polluted": "yes"}}` })
      expect(((await v.json()) as { valid: boolean }).valid).toBe(true)
      const c = await req(t.app, 'POST', '/protocols', {
        token: t.adminToken,
        json: `{"yaml": ${JSON.stringify(COPY_TEXT)}, "id": "proto-copy", "__proto__": {"id": "hijacked"}}`,
      })
      expect(await c.json()).toMatchObject({ protocol_id: 'proto-copy' })
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect(Object.prototype).not.toHaveProperty('polluted')
      expect(await t.store.protocol('hijacked')).toBeUndefined()
    })

    it('/openapi.json is OpenAPI 3.1 and lists every route the app registered', async () => {
      const { app } = await testApp()
      const res = await req(app, 'GET', '/openapi.json')
      expect(res.status).toBe(200)
      const doc = (await res.json()) as {
        openapi: string
        paths: Record<string, Record<string, { 'x-permission'?: string; responses: Record<string, unknown> }>>
      }
      expect(doc.openapi).toMatch(/^3\.1\./)
      const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map(m => `${m.toUpperCase()} ${path}`)))
      // cross-check against Hono's own route table, not against the same declarations
      const registered = new Set(
        app.routes
          // '*' routes are middleware or the web UI's static fallback, not API operations
          .filter(r => ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].includes(r.method) && !r.path.includes('*') && !['/openapi.json', '/docs'].includes(r.path))
          .map(r => `${r.method} ${r.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`),
      )
      expect([...registered].sort()).toEqual([...documented].sort())
      for (const want of [
        'GET /protocols',
        'POST /protocols',
        'GET /protocols/{id}',
        'PUT /protocols/{id}',
        'GET /protocols/{id}/versions',
        'GET /protocols/{id}/diff',
        'GET /protocols/{id}/rules',
        'POST /validate',
        'POST /protocols/{id}/validate',
        'POST /protocols/{id}/evaluate',
      ]) {
        expect(documented).toContain(want)
      }
      expect(doc.paths['/protocols/{id}']!.put!['x-permission']).toBe('edit_protocols')
      expect(doc.paths['/protocols/{id}']!.put!.responses).toHaveProperty('default')
    })

    it('/docs is an HTML page listing the routes', async () => {
      const { app } = await testApp()
      const res = await req(app, 'GET', '/docs')
      expect(res.status).toBe(200)
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/)
      const html = await res.text()
      expect(html).toMatch(/^<!doctype html>/i)
      expect(html).toContain('/protocols/{id}/evaluate')
    })
  })
})

function tokenOf(t: TestApp, role: 'admin' | 'designer' | 'clinician' | 'viewer'): string {
  return t.tokenFor(role)
}
