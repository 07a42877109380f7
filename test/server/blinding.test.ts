/**
 * Blinding (server/routes/blinding.ts): who sees allocation in aggregate.
 * Per protocol masking (open-label, double-blind, not stated) and per actor
 * (blinded clinician and viewer, unblinded token, admin): study results,
 * the screening funnel, the subject list, a subject, the dosing calendar.
 * The `unblinded` token flag through the API and the CLI, and the schema of
 * `protocol.masking`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { POOLED_ARM } from '../../engine/study.ts'
import { examplePatient, loadProtocol } from '../../engine/index.ts'
import { configFromEnv, databaseFile } from '../../server/config.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import { sha256 } from '../../server/storage/content-hash.ts'
import type { Role } from '../../server/storage/store.ts'
import { PROTOCOLS_DIR, shippedProtocol } from '../helpers/protocols.ts'
import { serverCli } from '../helpers/server-cli.ts'
import { bootstrappedDatabase, caller, expectProblem, req, testApp, type TestApp } from './helpers.ts'

const P = 'nct05631717' // masking not stated: handled as blinded
const BLISS = 'nct01639339' // double-blind
const examples = shippedProtocol('NCT05631717').examples!

type Summary = {
  blinded: boolean
  blinding: { blinded: boolean; masking: string; reason: string }
  subjects: number
  arms: Array<{ arm: string; label: string; subjects: number }>
  responses: Array<{ arms: Array<{ arm: string; subjects: number }>; differences: Record<string, unknown> }>
  time_to_event: Array<{ arms: Array<{ arm: string; subjects: number }> }>
  safety: Array<{ arms: Array<{ arm: string; rate: { x: number; n: number } }>; difference?: unknown }>
}

/** A token of `role` created by the admin through the API, unblinded or not. */
async function tokenOf(t: TestApp, role: Role, unblinded: boolean): Promise<string> {
  const res = await req(t.app, 'POST', '/tokens', { token: t.adminToken, json: { name: `${role} ${unblinded ? 'unblinded' : 'blinded'}`, role, unblinded } })
  expect(res.status).toBe(201)
  return ((await res.json()) as { token: string }).token
}

/** NCT05631717 with two subjects randomized, one per arm, and one screened only. */
async function study() {
  const t = await testApp()
  const call = caller(t, 'clinician')
  const { id: _id, ...record } = examplePatient(examples, 'eligible-baseline')
  const sids: string[] = []
  for (const [code, arm] of [
    ['S-001', 'il2'],
    ['S-002', 'msc'],
    ['S-003', null],
  ] as const) {
    const reg = await call('POST', `/protocols/${P}/subjects`, { body: { code, record } })
    expect(reg.status).toBe(201)
    const sid = ((await reg.json()) as { id: string }).id
    expect((await call('POST', `/subjects/${sid}/screening`, { body: {} })).status).toBe(200)
    if (arm) expect((await call('POST', `/subjects/${sid}/randomize`, { body: { arm, date: '2026-01-19' } })).status).toBe(200)
    sids.push(sid)
  }
  const unblindedClinician = await tokenOf(t, 'clinician', true)
  const unblindedViewer = await tokenOf(t, 'viewer', true)
  return { t, call, sids, unblindedClinician, unblindedViewer }
}

/** The arm ids and labels of NCT05631717, which a blinded answer must not contain. */
const ARM_WORDS = ['il2', 'msc', 'IL-2 group', 'MSCs group']

describe('GET /protocols/:id/results', () => {
  it('a blinded clinician gets pooled figures over every randomized subject, no arm, and is told why', async () => {
    const { call } = await study()
    const res = await call('GET', `/protocols/${P}/results`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Vary')).toMatch(/\bAuthorization\b/)
    const text = await res.text()
    const r = JSON.parse(text) as Summary
    expect(r.blinded).toBe(true)
    expect(r.blinding).toMatchObject({ blinded: true, masking: 'not_stated' })
    expect(r.blinding.reason).toMatch(/unstated masking \(handled as blinded\).*no unblinded permission.*pooled/)
    expect(r.subjects).toBe(2)
    expect(r.arms).toEqual([{ ...POOLED_ARM, subjects: 2 }])
    expect(r.responses.length).toBeGreaterThan(0)
    for (const s of r.responses) {
      expect(s.arms.map(a => [a.arm, a.subjects])).toEqual([['all', 2]])
      expect(s.differences).toEqual({})
    }
    for (const s of r.time_to_event) expect(s.arms.map(a => a.arm)).toEqual(['all'])
    expect(r.safety.length).toBeGreaterThan(0)
    for (const s of r.safety) {
      expect(s.arms).toHaveLength(1)
      expect(s.arms[0]!.rate.n).toBe(2)
      expect(s.difference).toBeUndefined()
    }
    for (const word of ARM_WORDS) expect(text).not.toContain(`"${word}"`)
  })

  it('a blinded viewer too; an unblinded clinician token and the admin get per-arm results and differences', async () => {
    const { t, call, unblindedClinician } = await study()
    expect(((await (await call('GET', `/protocols/${P}/results`, { as: 'viewer' })).json()) as Summary).blinded).toBe(true)
    for (const o of [{ token: unblindedClinician }, { as: 'admin' as const }]) {
      const r = (await (await call('GET', `/protocols/${P}/results`, o)).json()) as Summary
      expect(r.blinded).toBe(false)
      expect(r.blinding.reason).toMatch(/has the unblinded permission/)
      expect(r.arms).toEqual([
        { arm: 'il2', label: 'IL-2 group', subjects: 1 },
        { arm: 'msc', label: 'MSCs group', subjects: 1 },
      ])
      expect(Object.keys(r.responses[0]!.differences).length).toBeGreaterThan(0)
    }
    expect(t).toBeDefined()
  })

  it('double-blind (BLISS-LN): blinded for a clinician, per arm for the admin', async () => {
    const t = await testApp()
    const call = caller(t, 'clinician')
    const blinded = (await (await call('GET', `/protocols/${BLISS}/results`)).json()) as Summary
    expect(blinded).toMatchObject({ blinded: true, blinding: { masking: 'double_blind' }, arms: [{ arm: 'all', subjects: 0 }] })
    expect(blinded.blinding.reason).toMatch(/is double-blind/)
    const admin = (await (await call('GET', `/protocols/${BLISS}/results`, { as: 'admin' })).json()) as Summary
    expect(admin.blinded).toBe(false)
    expect(admin.arms.map(a => a.arm).sort()).toEqual(['belimumab', 'placebo'])
  })

  it('open-label: every reader gets per-arm results, blinded: false', async () => {
    const { call } = await study()
    const current = await call('GET', `/protocols/${P}`, { as: 'viewer' })
    const yaml = ((await current.json()) as { yaml: string }).yaml
    const open = yaml.replace(/masking: \{ value: not_stated, source: "[^"]*" \}/, 'masking: { value: open_label, source: "test: declared open-label" }')
    expect(open).not.toBe(yaml)
    const put = await call('PUT', `/protocols/${P}`, {
      as: 'admin',
      body: open,
      type: 'application/yaml',
      headers: { 'If-Match': current.headers.get('ETag')! },
    })
    expect(put.status).toBe(200)
    for (const as of ['clinician', 'viewer'] as const) {
      const r = (await (await call('GET', `/protocols/${P}/results`, { as })).json()) as Summary
      expect(r).toMatchObject({ blinded: false, blinding: { masking: 'open_label' } })
      expect(r.blinding.reason).toMatch(/open-label: results per arm are shown to every reader/)
      expect(r.arms.map(a => a.arm)).toEqual(['il2', 'msc'])
    }
    const funnel = (await (await call('GET', `/protocols/${P}/screening-funnel`, { as: 'viewer' })).json()) as {
      blinded: boolean
      randomized: { arms: unknown[] }
    }
    expect(funnel.blinded).toBe(false)
    expect(funnel.randomized.arms).toHaveLength(2)
  })
})

describe('allocation elsewhere', () => {
  it('screening funnel: blinded readers get the total randomized without counts per arm', async () => {
    const { call, unblindedViewer } = await study()
    const blinded = (await (await call('GET', `/protocols/${P}/screening-funnel`)).json()) as {
      blinded: boolean
      randomized: { total: number; arms: unknown[] }
    }
    expect(blinded).toMatchObject({ blinded: true, randomized: { total: 2, arms: [] } })
    const open = (await (await call('GET', `/protocols/${P}/screening-funnel`, { token: unblindedViewer })).json()) as typeof blinded
    expect(open).toMatchObject({ blinded: false, randomized: { total: 2 } })
    expect(open.randomized.arms).toEqual([
      { arm: 'il2', label: 'IL-2 group', subjects: 1 },
      { arm: 'msc', label: 'MSCs group', subjects: 1 },
    ])
  })

  it('subject list and a subject: a blinded viewer sees no arm; who manages subjects (they dose) and an unblinded reader do', async () => {
    const { call, sids, unblindedViewer } = await study()
    const arms = async (o: Parameters<typeof call>[2]) =>
      ((await (await call('GET', `/protocols/${P}/subjects`, o)).json()) as Array<{ code: string; status: string; arm: string | null }>).map(s => [
        s.code,
        s.status,
        s.arm,
      ])
    expect(await arms({ as: 'viewer' })).toEqual([
      ['S-001', 'randomized', null],
      ['S-002', 'randomized', null],
      ['S-003', 'screened', null],
    ])
    const shown = [
      ['S-001', 'randomized', 'il2'],
      ['S-002', 'randomized', 'msc'],
      ['S-003', 'screened', null],
    ]
    expect(await arms({})).toEqual(shown)
    expect(await arms({ token: unblindedViewer })).toEqual(shown)
    const labels = async (o: Parameters<typeof call>[2]) =>
      ((await (await call('GET', `/protocols/${P}/subjects`, o)).json()) as Array<{ arm_label: string | null }>).map(s => s.arm_label)
    expect(await labels({ as: 'viewer' })).toEqual([null, null, null])
    expect(await labels({})).toEqual(['IL-2 group', 'MSCs group', null])

    const viewer = (await (await call('GET', `/subjects/${sids[0]}`, { as: 'viewer' })).json()) as {
      arm: string | null
      status: string
      record: Record<string, unknown>
    }
    expect(viewer).toMatchObject({ arm: null, status: 'randomized', record: { id: 'S-001', dates: { randomization: '2026-01-19' } } })
    expect(viewer.record).not.toHaveProperty('arm')
    const clinician = (await (await call('GET', `/subjects/${sids[0]}`)).json()) as typeof viewer
    expect(clinician).toMatchObject({ arm: 'il2', record: { arm: 'il2' } })
  })

  it('a dose given names the arm: a blinded viewer sees no administrations on the subject or its record versions; the clinician does', async () => {
    const { call, sids, unblindedViewer } = await study()
    const stored = (await (await call('GET', `/subjects/${sids[1]}`)).json()) as { record_version: number; record: Record<string, unknown> }
    const given = [{ intervention: 'uc_msc_iv', date: '2026-01-20', amount: 120000000, unit: '{cells}' }]
    const { arm: _arm, ...record } = stored.record
    const put = await call('PUT', `/subjects/${sids[1]}/record`, {
      body: { record: { ...record, administrations: given }, base_version: stored.record_version },
    })
    expect(put.status).toBe(200)
    const latest = stored.record_version + 1
    for (const path of [`/subjects/${sids[1]}`, `/subjects/${sids[1]}/record/versions/${latest}`]) {
      const blinded = await (await call('GET', path, { as: 'viewer' })).text()
      expect(blinded).not.toMatch(/uc_msc_iv|\{cells\}|administrations|"msc"/)
      expect(JSON.parse(blinded)).toMatchObject({ record: { id: 'S-002' } })
      for (const o of [{}, { token: unblindedViewer }]) {
        expect(((await (await call('GET', path, o)).json()) as { record: { administrations?: unknown } }).record.administrations).toEqual(given)
      }
    }
  })

  it('dosing calendar: 403 for a blinded viewer (audited), 200 for the clinician and an unblinded viewer', async () => {
    const { t, call, sids, unblindedViewer } = await study()
    const refused = await call('GET', `/subjects/${sids[0]}/calendar`, { as: 'viewer' })
    const problem = await expectProblem(refused, 403, 'forbidden')
    expect(problem.detail).toMatch(/the dosing calendar shows the subject's arm; protocol NCT05631717 is of unstated masking/)
    expect((await t.store.audit({ entity: 'request' })).at(-1)!.action).toMatch(/^refused \(403\): the dosing calendar/)
    expect((await call('GET', `/subjects/${sids[0]}/calendar`)).status).toBe(200)
    expect((await call('GET', `/subjects/${sids[0]}/calendar`, { token: unblindedViewer })).status).toBe(200)
  })
})

describe('the unblinded token flag', () => {
  it('POST /tokens takes it, lists it, audits it, rotation keeps it; /me names the permission', async () => {
    const t = await testApp()
    const admin = (method: string, path: string, json?: unknown) => req(t.app, method, path, { token: t.adminToken, ...(json !== undefined ? { json } : {}) })
    const made = (await (await admin('POST', '/tokens', { name: 'Dr U', role: 'clinician', unblinded: true })).json()) as {
      id: string
      unblinded: boolean
      token: string
    }
    expect(made.unblinded).toBe(true)
    const plain = (await (await admin('POST', '/tokens', { name: 'Dr B', role: 'clinician' })).json()) as { id: string; unblinded: boolean; token: string }
    expect(plain.unblinded).toBe(false)
    const items = ((await (await admin('GET', '/tokens')).json()) as { items: Array<{ id: string; unblinded: boolean }> }).items
    expect(items.find(i => i.id === made.id)!.unblinded).toBe(true)
    expect(items.find(i => i.id === plain.id)!.unblinded).toBe(false)
    const audit = await t.store.audit({ entity: 'token' })
    expect(audit.find(a => a.entity_id === made.id)!.action).toBe('create unblinded clinician token "Dr U"')
    expect(audit.find(a => a.entity_id === plain.id)!.action).toBe('create clinician token "Dr B"')

    const me = async (token: string) => ((await (await req(t.app, 'GET', '/me', { token })).json()) as { permissions: string[] }).permissions
    expect(await me(made.token)).toEqual(['read', 'evaluate', 'manage_subjects', 'unblinded'])
    expect(await me(plain.token)).toEqual(['read', 'evaluate', 'manage_subjects'])
    // the flag adds `unblinded` and nothing else
    const viewer = (await (await admin('POST', '/tokens', { name: 'V', role: 'viewer', unblinded: true })).json()) as { token: string }
    expect(await me(viewer.token)).toEqual(['read', 'unblinded'])

    const rotated = (await (await admin('POST', `/tokens/${made.id}/rotate`)).json()) as { unblinded: boolean; token: string }
    expect(rotated.unblinded).toBe(true)
    expect(await me(rotated.token)).toContain('unblinded')
  })

  it('400 for a flag that is not a boolean; nothing created', async () => {
    const t = await testApp()
    const before = await t.store.listTokens()
    const res = await req(t.app, 'POST', '/tokens', { token: t.adminToken, json: { name: 'X', role: 'viewer', unblinded: 'yes' } })
    const problem = await expectProblem(res, 400, 'invalid-request')
    expect(problem).toMatchObject({ errors: [{ path: '/unblinded', message: 'must be boolean' }] })
    expect(await t.store.listTokens()).toEqual(before)
  })

  describe('npm run token', () => {
    const dirs: string[] = []
    afterAll(() => {
      for (const d of dirs) rmSync(d, { recursive: true, force: true })
    })
    const cli = (dataDir: string, ...args: string[]) => serverCli('token', dataDir, ...args)

    it('create --unblinded, list shows it; revoke refuses --unblinded', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ln-blinding-cli-'))
      dirs.push(dir)
      const file = databaseFile(configFromEnv({ DATA_DIR: dir }))
      await bootstrappedDatabase(file)

      const created = await cli(dir, 'create', '--role', 'viewer', '--name', 'Monitor', '--unblinded')
      expect(created.code).toBe(0)
      expect(created.out).toMatch(/^unblinded viewer token "Monitor" \(id \S+, does not expire\), shown once:/)
      const token = /\blnt_\S+/.exec(created.out)![0]
      const store = openSqliteStore(file)
      const row = (await store.tokenByHash(sha256(token)))!
      store.close()
      expect(row).toMatchObject({ role: 'viewer', unblinded: true })
      expect((await cli(dir, 'create', '--role', 'viewer', '--name', 'Reader')).code).toBe(0)

      const listed = (await cli(dir, 'list')).out
      expect(listed).toMatch(/^id\s+role\s+unblinded\s+status/)
      expect(listed).toMatch(new RegExp(`${row.id}\\s+viewer\\s+yes\\s+active\\s+Monitor`))
      expect(listed).toMatch(/\s+viewer\s+no\s+active\s+Reader/)
      expect(listed).toMatch(/\s+admin\s+yes \(admin\)\s+active/)

      const wrong = await cli(dir, 'revoke', row.id, '--unblinded')
      expect(wrong.code).toBe(2)
      expect(wrong.err).toMatch(/revoke takes no --unblinded/)
    })
  })
})

describe('protocol.masking in the schema', () => {
  const yaml = readFileSync(join(PROTOCOLS_DIR, 'nct05631717.yaml'), 'utf8')
  const LINE = /masking: \{ value: not_stated, source: "[^"]*" \}/
  const errorsOf = (text: string) => (loadProtocol(text, { file: 'p.yaml' }).diagnostics ?? []).filter(d => d.severity === 'error')

  it('accepts each value with a source, and no masking at all (not stated)', () => {
    for (const value of ['open_label', 'single_blind', 'double_blind', 'not_stated']) {
      const loaded = loadProtocol(yaml.replace(LINE, `masking: { value: ${value}, source: "a paper" }`), { file: 'p.yaml' })
      expect(loaded.value?.protocol.masking?.value, value).toBe(value)
    }
    expect(errorsOf(yaml.replace(LINE, ''))).toEqual([])
  })

  it('refuses an unknown value, a missing source and an unknown key, at the masking line', () => {
    for (const bad of [
      'masking: { value: triple_blind, source: "x" }',
      'masking: { value: double_blind }',
      'masking: { value: double_blind, source: "x", who: all }',
      'masking: double_blind',
    ]) {
      const errors = errorsOf(yaml.replace(LINE, bad))
      expect(errors.length, bad).toBeGreaterThan(0)
      expect(errors[0]!.path, bad).toMatch(/^protocol\.masking/)
    }
  })
})
