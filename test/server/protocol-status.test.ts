/**
 * The protocol lifecycle (server/routes/protocol-status.ts): draft → active →
 * retired, who may change it, what each status opens to whom, and the title
 * a copy must have of its own (server/protocol-title.ts).
 */
import Database from 'better-sqlite3'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { examplePatient } from '../../engine/index.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import { PROTOCOLS_DIR, shippedProtocol } from '../helpers/protocols.ts'
import { activate, expectProblem, req, retitled, testApp, type TestApp } from './helpers.ts'

const P = 'nct05631717'
const YAML_TEXT = readFileSync(join(PROTOCOLS_DIR, `${P}.yaml`), 'utf8')
const COPY = 'sandbox'
const COPY_TITLE = 'MSC and IL-2 in LN: sandbox copy'
const COPY_TEXT = retitled(YAML_TEXT, COPY_TITLE)
const eligible = examplePatient(shippedProtocol('NCT05631717').examples!, 'eligible-baseline')

interface StatusBody {
  id: string
  status: string
  transitions: Array<{ status: string; by: string; reason_required: boolean }>
  changes: Array<{ from_status: string | null; to_status: string; reason: string | null; actor: string; actor_role: string | null; at: string }>
}

/** The sandbox copy of P, created by the designer: a draft. */
async function withDraft(): Promise<TestApp> {
  const t = await testApp()
  const res = await req(t.app, 'POST', '/protocols', { token: t.tokenFor('designer'), json: { yaml: COPY_TEXT, id: COPY } })
  expect(res.status).toBe(201)
  expect(await res.json()).toMatchObject({ protocol_id: COPY, status: 'draft' })
  return t
}

const setStatus = (t: TestApp, id: string, role: 'admin' | 'designer' | 'clinician', body: unknown) =>
  req(t.app, 'POST', `/protocols/${id}/status`, { token: t.tokenFor(role), json: body })

async function statusOf(t: TestApp, id: string): Promise<StatusBody> {
  return (await (await req(t.app, 'GET', `/protocols/${id}/status`, { token: t.tokenFor('viewer') })).json()) as StatusBody
}

/** What a refused request must leave as it was. */
async function snapshot(t: TestApp) {
  return {
    protocols: (await t.store.listProtocols()).map(p => [p.id, p.status]),
    changes: (await t.store.protocolStatusChanges(P)).length + (await t.store.protocolStatusChanges(COPY)).length,
    evaluations: (await t.store.evaluations({})).length,
    subjects: (await t.store.subjects()).length,
  }
}

describe('protocol status', () => {
  it('the shipped protocols start active; GET /protocols and GET /protocols/:id say so', async () => {
    const t = await testApp()
    const list = (await (await req(t.app, 'GET', '/protocols', { token: t.tokenFor('viewer') })).json()) as Array<{
      id: string
      status: string
      status_transitions: unknown[]
    }>
    expect(list.length).toBeGreaterThan(1)
    expect(list.every(p => p.status === 'active')).toBe(true)
    expect(list[0]).toMatchObject({ status_transitions: [{ status: 'retired', by: 'edit_protocols', reason_required: true }] })
    expect(await (await req(t.app, 'GET', `/protocols/${P}`, { token: t.tokenFor('viewer') })).json()).toMatchObject({ protocol_id: P, status: 'active' })
    const s = await statusOf(t, P)
    expect(s).toMatchObject({ id: P, status: 'active', transitions: [{ status: 'retired', by: 'edit_protocols', reason_required: true }] })
    expect(s.changes).toEqual([expect.objectContaining({ from_status: null, to_status: 'active', reason: `loaded from protocols/${P}.yaml`, actor: 'system' })])
  })

  it('a protocol created through POST /protocols is a draft, and its creation is recorded', async () => {
    const t = await withDraft()
    expect(await (await req(t.app, 'GET', `/protocols/${COPY}`, { token: t.tokenFor('viewer') })).json()).toMatchObject({ status: 'draft' })
    const s = await statusOf(t, COPY)
    expect(s.transitions.map(x => x.status)).toEqual(['active', 'retired'])
    expect(s.changes).toEqual([expect.objectContaining({ from_status: null, to_status: 'draft', actor: 'test designer', actor_role: 'designer' })])
  })

  it('a designer activates a draft: the change (who, when, why) and its audit row are written', async () => {
    const t = await withDraft()
    const res = await setStatus(t, COPY, 'designer', { status: 'active', reason: '  reviewed   by the steering committee ' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      id: string
      status: string
      change: { reason: string; actor: string; from_status: string; to_status: string; at: string }
    }
    expect(body).toMatchObject({
      id: COPY,
      status: 'active',
      change: { from_status: 'draft', to_status: 'active', reason: 'reviewed by the steering committee', actor: 'test designer' },
    })
    expect(body.change.at).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect((await statusOf(t, COPY)).changes.map(c => c.to_status)).toEqual(['draft', 'active'])
    const audit = await t.store.audit({ entity: 'protocol', entityId: COPY })
    expect(audit.map(a => a.action)).toEqual(['create v1', 'status draft → active: reviewed by the steering committee'])
    expect(audit[1]).toMatchObject({ actor: 'test designer', actor_role: 'designer', hash_after: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect((await t.store.verifyAudit()).ok).toBe(true)
  })

  it('a reason is optional to activate a draft, required to retire (400, nothing changed)', async () => {
    const t = await withDraft()
    const before = await snapshot(t)
    const missing = await expectProblem(await setStatus(t, COPY, 'designer', { status: 'retired', reason: '   ' }), 400, 'invalid-request')
    expect(missing.detail).toContain('reason is required')
    expect(missing.errors).toEqual([expect.objectContaining({ path: '/reason' })])
    await expectProblem(await setStatus(t, P, 'designer', { status: 'retired' }), 400, 'invalid-request')
    expect(await snapshot(t)).toEqual(before)
    expect((await setStatus(t, COPY, 'designer', { status: 'active' })).status).toBe(200)
    expect((await statusOf(t, COPY)).changes.at(-1)).toMatchObject({ to_status: 'active', reason: null })
  })

  it('refuses transitions that are not allowed with 409, and bad bodies with 400; nothing changes', async () => {
    const t = await withDraft()
    const retire = await setStatus(t, P, 'designer', { status: 'retired', reason: 'recruitment complete' })
    expect(retire.status).toBe(200)
    const before = await snapshot(t)
    const auditBefore = (await t.store.audit({ limit: 1_000_000 })).length
    const toDraft = await expectProblem(await setStatus(t, P, 'admin', { status: 'draft', reason: 'x' }), 409, 'conflict')
    expect(toDraft).toMatchObject({ protocol_status: 'retired', allowed: ['active'] })
    expect(toDraft.detail).toContain('cannot go from retired to draft')
    await expectProblem(await setStatus(t, COPY, 'designer', { status: 'draft' }), 409, 'conflict')
    expect((await setStatus(t, COPY, 'designer', { status: 'active' })).status).toBe(200)
    const already = await expectProblem(await setStatus(t, COPY, 'designer', { status: 'active' }), 409, 'conflict')
    expect(already.detail).toContain('already active')
    const back = await expectProblem(await setStatus(t, COPY, 'admin', { status: 'draft', reason: 'more work' }), 409, 'conflict')
    expect(back).toMatchObject({ protocol_status: 'active', allowed: ['retired'] })
    await expectProblem(await setStatus(t, COPY, 'designer', { status: 'paused' }), 400, 'invalid-request')
    await expectProblem(await setStatus(t, COPY, 'designer', { status: 'retired', reason: 'x'.repeat(501) }), 400, 'invalid-request')
    await expectProblem(await setStatus(t, 'nope', 'designer', { status: 'active' }), 404, 'not-found')
    expect((await snapshot(t)).protocols).toEqual([...before.protocols.filter(([id]) => id !== COPY), [COPY, 'active']].sort())
    // the only rows added since: COPY's activation and its audit row
    expect((await t.store.audit({ limit: 1_000_000 })).length).toBe(auditBefore + 1)
  })

  it('retired → active: an admin with a reason may; a designer may not (403, audited); a clinician may change no status', async () => {
    const t = await testApp()
    expect((await setStatus(t, P, 'designer', { status: 'retired', reason: 'paused by the sponsor' })).status).toBe(200)
    const refused = await expectProblem(await setStatus(t, P, 'designer', { status: 'active', reason: 'resumed' }), 403, 'forbidden')
    expect(refused.detail).toContain('only an admin')
    const audited = await t.store.audit({ entity: 'request', entityId: `POST /protocols/${P}/status` })
    expect(audited.at(-1)).toMatchObject({ actor_role: 'designer', action: expect.stringContaining('refused (403)') })
    await expectProblem(await setStatus(t, P, 'clinician', { status: 'retired', reason: 'x' }), 403, 'forbidden')
    expect((await t.store.protocol(P))!.status).toBe('retired')
    await expectProblem(await setStatus(t, P, 'admin', { status: 'active' }), 400, 'invalid-request')
    expect((await setStatus(t, P, 'admin', { status: 'active', reason: 'sponsor resumed recruitment' })).status).toBe(200)
    expect((await statusOf(t, P)).changes.map(c => c.to_status)).toEqual(['active', 'retired', 'active'])
  })
})

describe('what a draft opens', () => {
  it('clinicians may not evaluate, register, screen in batch or stream, or match against a draft (409 saying its status)', async () => {
    const t = await withDraft()
    const before = await snapshot(t)
    const clinician = t.tokenFor('clinician')
    for (const path of [`/protocols/${COPY}/evaluate`, `/protocols/${COPY}/evaluate?log=false`, `/protocols/${COPY}/evaluate/batch`]) {
      const p = await expectProblem(await req(t.app, 'POST', path, { token: clinician, json: path.endsWith('batch') ? [eligible] : eligible }), 409, 'conflict')
      expect(p).toMatchObject({ protocol_id: COPY, protocol_status: 'draft' })
      expect(p.detail).toContain(`protocol ${COPY} is a draft`)
      expect(p.detail).toContain('Ask a protocol designer to activate it')
    }
    const stream = await req(t.app, 'POST', `/protocols/${COPY}/screen`, {
      token: clinician,
      headers: { 'Content-Type': 'application/x-ndjson' },
      json: JSON.stringify(eligible),
    })
    await expectProblem(stream, 409, 'conflict')
    await expectProblem(await req(t.app, 'POST', `/protocols/${COPY}/subjects`, { token: clinician, json: { code: 'S-001' } }), 409, 'conflict')
    const named = await expectProblem(await req(t.app, 'POST', `/match?protocols=${P},${COPY}`, { token: clinician, json: eligible }), 409, 'conflict')
    expect(named.detail).toContain('cannot be matched against')
    const all = (await (await req(t.app, 'POST', '/match', { token: clinician, json: eligible })).json()) as { rows: Array<{ protocol_id: string }> }
    expect(all.rows.map(r => r.protocol_id)).toContain(P)
    expect(all.rows.map(r => r.protocol_id)).not.toContain(COPY)
    expect(await snapshot(t)).toEqual(before)
  })

  it('an admin may preview a draft (log=false) and pre-screen it streamed, but not log a screening, register or match it', async () => {
    const t = await withDraft()
    const preview = await req(t.app, 'POST', `/protocols/${COPY}/evaluate?log=false`, { token: t.adminToken, json: eligible })
    expect(preview.status).toBe(200)
    expect(await preview.json()).toMatchObject({ evaluation_id: null, overall: 'eligible' })
    const stream = await req(t.app, 'POST', `/protocols/${COPY}/screen`, {
      token: t.adminToken,
      headers: { 'Content-Type': 'application/x-ndjson' },
      json: JSON.stringify(eligible),
    })
    expect(stream.status).toBe(200)
    expect(await stream.text()).toContain('"funnel"')
    const logged = await expectProblem(await req(t.app, 'POST', `/protocols/${COPY}/evaluate`, { token: t.adminToken, json: eligible }), 409, 'conflict')
    expect(logged.detail).toContain('Evaluate it as a preview (log=false), or activate it')
    await expectProblem(await req(t.app, 'POST', `/protocols/${COPY}/subjects`, { token: t.adminToken, json: { code: 'S-001' } }), 409, 'conflict')
    await expectProblem(await req(t.app, 'POST', `/match?protocols=${COPY}`, { token: t.adminToken, json: eligible }), 409, 'conflict')
    expect(await t.store.evaluations({ protocolId: COPY })).toEqual([])
    // the editor's example panel runs on a draft for its designer
    const examples = await req(t.app, 'POST', `/protocols/${COPY}/examples/run`, { token: t.tokenFor('designer'), json: {} })
    expect(examples.status).not.toBe(409)
  })

  it('once active, clinicians evaluate, register and match it', async () => {
    const t = await withDraft()
    await activate(t, COPY)
    const clinician = t.tokenFor('clinician')
    const evaluated = await req(t.app, 'POST', `/protocols/${COPY}/evaluate`, { token: clinician, json: eligible })
    expect(evaluated.status).toBe(200)
    expect(((await evaluated.json()) as { evaluation_id: number }).evaluation_id).toEqual(expect.any(Number))
    expect((await req(t.app, 'POST', `/protocols/${COPY}/subjects`, { token: clinician, json: { code: 'S-001' } })).status).toBe(201)
    const all = (await (await req(t.app, 'POST', '/match', { token: clinician, json: eligible })).json()) as { rows: Array<{ protocol_id: string }> }
    expect(all.rows.map(r => r.protocol_id)).toContain(COPY)
  })
})

describe('what retiring closes', () => {
  it('closes new screening and registration for everyone; subjects stay readable and their visits can be recorded', async () => {
    const t = await testApp()
    const clinician = t.tokenFor('clinician')
    const reg = await req(t.app, 'POST', `/protocols/${P}/subjects`, { token: clinician, json: { code: 'S-001' } })
    expect(reg.status).toBe(201)
    const sid = ((await reg.json()) as { id: string }).id
    expect((await setStatus(t, P, 'designer', { status: 'retired', reason: 'recruitment closed' })).status).toBe(200)
    const before = await snapshot(t)

    const p = await expectProblem(await req(t.app, 'POST', `/protocols/${P}/evaluate`, { token: clinician, json: eligible }), 409, 'conflict')
    expect(p).toMatchObject({ protocol_status: 'retired' })
    expect(p.detail).toMatch(/was retired on \d{4}-\d{2}-\d{2} \(recruitment closed\)/)
    expect(p.detail).toContain('their visits can still be recorded')
    await expectProblem(await req(t.app, 'POST', `/protocols/${P}/evaluate`, { token: t.adminToken, json: eligible }), 409, 'conflict')
    await expectProblem(await req(t.app, 'POST', `/protocols/${P}/subjects`, { token: t.adminToken, json: { code: 'S-002' } }), 409, 'conflict')
    await expectProblem(await req(t.app, 'POST', `/subjects/${sid}/screening`, { token: clinician, json: {} }), 409, 'conflict')
    const all = (await (await req(t.app, 'POST', '/match', { token: clinician, json: eligible })).json()) as { rows: Array<{ protocol_id: string }> }
    expect(all.rows.map(r => r.protocol_id)).not.toContain(P)
    expect(await snapshot(t)).toEqual(before)

    expect((await req(t.app, 'GET', `/subjects/${sid}`, { token: clinician })).status).toBe(200)
    expect((await req(t.app, 'GET', `/protocols/${P}/subjects`, { token: clinician })).status).toBe(200)
    const visit = await req(t.app, 'POST', `/subjects/${sid}/visits`, { token: clinician, json: { visit: 'baseline', date: '2026-01-15' } })
    expect(visit.status).toBe(201)
    // a designer may still preview it (reviewing what it was)
    expect((await req(t.app, 'POST', `/protocols/${P}/evaluate?log=false`, { token: t.adminToken, json: eligible })).status).toBe(200)
  })
})

describe('a copy needs its own title', () => {
  it("creating a protocol whose title is another protocol's is a 422 located at protocol.title; nothing saved", async () => {
    const t = await testApp()
    const before = await snapshot(t)
    const auditBefore = (await t.store.audit({ limit: 1_000_000 })).length
    const titleLine = YAML_TEXT.split('\n').findIndex(l => l.startsWith('  title:')) + 1
    for (const yaml of [
      YAML_TEXT,
      retitled(YAML_TEXT, 'the study of comparing the efficacy and safety of human umbilical cord MSCs  and low-dose IL-2 in the treatment of LN '),
    ]) {
      const p = await expectProblem(
        await req(t.app, 'POST', '/protocols', { token: t.tokenFor('designer'), json: { yaml, id: COPY } }),
        422,
        'invalid-protocol',
      )
      expect(p.diagnostics).toEqual([
        expect.objectContaining({ code: 'E_DUPLICATE_TITLE', severity: 'error', path: 'protocol.title', line: titleLine, column: expect.any(Number) }),
      ])
      expect(p.diagnostics![0]!.message).toContain(`already the title of protocol ${P}`)
    }
    expect(await snapshot(t)).toEqual(before)
    expect((await t.store.audit({ limit: 1_000_000 })).length).toBe(auditBefore)
    expect(await t.store.protocol(COPY)).toBeUndefined()
  })

  it('the same protocol posted again is still "it exists" (409), not a title clash', async () => {
    const t = await testApp()
    await expectProblem(await req(t.app, 'POST', '/protocols', { token: t.adminToken, json: { yaml: YAML_TEXT, id: P } }), 409, 'conflict')
  })

  it("a new version may keep its own title, not take another protocol's", async () => {
    const t = await withDraft()
    const etag = (await req(t.app, 'GET', `/protocols/${COPY}`, { token: t.adminToken })).headers.get('ETag')!
    const clash = await expectProblem(
      await req(t.app, 'PUT', `/protocols/${COPY}`, { token: t.tokenFor('designer'), yaml: YAML_TEXT, headers: { 'If-Match': etag } }),
      422,
      'invalid-protocol',
    )
    expect(clash.diagnostics).toEqual([expect.objectContaining({ code: 'E_DUPLICATE_TITLE', path: 'protocol.title' })])
    expect((await t.store.protocolVersions(COPY)).length).toBe(1)
    const own = await req(t.app, 'PUT', `/protocols/${COPY}`, {
      token: t.tokenFor('designer'),
      yaml: `${COPY_TEXT}\n# version 2\n`,
      headers: { 'If-Match': etag },
    })
    expect(own.status).toBe(200)
  })
})

describe('migration 006', () => {
  it('protocols stored before statuses existed become active, with a recorded change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'status-migration-'))
    try {
      const file = join(dir, 'old.db')
      const db = new Database(file)
      db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
      const migrations = join(import.meta.dirname, '../../server/storage/migrations')
      for (const f of readdirSync(migrations)
        .filter(x => /^00[1-5]_/.test(x))
        .sort()) {
        db.exec(readFileSync(join(migrations, f), 'utf8'))
        db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(Number(f.slice(0, 3)), 'then')
      }
      db.prepare("INSERT INTO protocols (id, registry_id, created_at, latest_version) VALUES ('old', 'NCT00000001', '2025-01-01T00:00:00.000Z', 1)").run()
      db.close()
      const store = openSqliteStore(file)
      try {
        expect(await store.protocol('old')).toMatchObject({ id: 'old', status: 'active' })
        expect(await store.protocolStatusChanges('old')).toEqual([expect.objectContaining({ from_status: null, to_status: 'active', actor: 'system' })])
      } finally {
        store.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
