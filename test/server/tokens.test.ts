/**
 * API tokens: listed (never a hash), created with an expiry, revoked (never
 * the last valid admin token), rotated, refused once expired; through the
 * admin API and through `npm run token`.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { newToken } from '../../server/auth.ts'
import { databaseFile, configFromEnv } from '../../server/config.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import { sha256 } from '../../server/storage/content-hash.ts'
import { TEST_ACTOR, bootstrappedDatabase, expectProblem, req, testApp } from './helpers.ts'
import { serverCli, serverCliProcess } from '../helpers/server-cli.ts'

const DAY_MS = 86_400_000

type TokenView = {
  id: string
  name: string
  role: string
  status: string
  created_at: string
  expires_at: string | null
  revoked_at: string | null
  rotated_from: string | null
}
type Shown = TokenView & { token: string }

async function setup() {
  const t = await testApp()
  const admin = (method: string, path: string, json?: unknown) => req(t.app, method, path, { token: t.adminToken, ...(json !== undefined ? { json } : {}) })
  const list = async () => ((await (await admin('GET', '/tokens')).json()) as { items: TokenView[] }).items
  const me = (token: string) => req(t.app, 'GET', '/me', { token })
  const idOf = async (token: string) => (await t.store.tokenByHash(sha256(token)))!.id
  return { ...t, admin, list, me, idOf }
}

describe('the token API (admin only)', () => {
  it('lists every token with its status, never a token or hash; other roles get 403', async () => {
    const t = await setup()
    const res = await t.admin('GET', '/tokens')
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).not.toMatch(/lnt_|"hash"/)
    const items = (JSON.parse(text) as { items: TokenView[] }).items
    expect(items.map(i => [i.name, i.role, i.status])).toEqual([
      ['admin', 'admin', 'active'],
      ['test designer', 'designer', 'active'],
      ['test clinician', 'clinician', 'active'],
      ['test viewer', 'viewer', 'active'],
    ])
    for (const role of ['designer', 'clinician', 'viewer'] as const) expect((await req(t.app, 'GET', '/tokens', { token: t.tokenFor(role) })).status).toBe(403)
  })

  it('creates a token shown once (no-store), valid at once, with its expiry; the creation is audited with the admin token', async () => {
    const t = await setup()
    const before = Date.now()
    const res = await t.admin('POST', '/tokens', { name: 'Dr B, site 3', role: 'clinician', expires_in_days: 30 })
    expect(res.status).toBe(201)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    const shown = (await res.json()) as Shown
    expect(shown).toMatchObject({ name: 'Dr B, site 3', role: 'clinician', status: 'active', revoked_at: null, rotated_from: null })
    expect(shown.token).toMatch(/^lnt_/)
    expect(Date.parse(shown.expires_at!) - before).toBeGreaterThanOrEqual(30 * DAY_MS)
    expect(Date.parse(shown.expires_at!) - before).toBeLessThan(30 * DAY_MS + 60_000)
    expect(await (await t.me(shown.token)).json()).toMatchObject({ name: 'Dr B, site 3', role: 'clinician' })
    expect((await t.list()).map(i => i.id)).toContain(shown.id)
    const [row] = await t.store.audit({ entity: 'token', entityId: shown.id })
    expect(row).toMatchObject({
      actor: 'admin',
      actor_token_id: await t.idOf(t.adminToken),
      actor_role: 'admin',
      action: `create clinician token "Dr B, site 3" expiring ${shown.expires_at}`,
    })
  })

  it('takes expires_at as an instant with its zone; refuses both, neither-zone, past and bad input with 400', async () => {
    const t = await setup()
    const at = new Date(Date.now() + 7 * DAY_MS).toISOString()
    expect(((await (await t.admin('POST', '/tokens', { name: 'n', role: 'viewer', expires_at: at })).json()) as Shown).expires_at).toBe(at)
    const refused: Array<[unknown, RegExp]> = [
      [{ name: 'n', role: 'viewer', expires_in_days: 1, expires_at: at }, /not both/],
      [{ name: 'n', role: 'viewer', expires_at: '2020-01-01T00:00:00Z' }, /not in the future/],
      [{ name: 'n', role: 'viewer', expires_at: '2099-01-01T00:00:00' }, /request schema|time zone/],
      [{ name: 'n', role: 'viewer', expires_in_days: 0 }, /request schema/],
      [{ name: '   ', role: 'viewer' }, /blank/],
      [{ name: 'n', role: 'root' }, /request schema/],
    ]
    for (const [body, detail] of refused) expect((await expectProblem(await t.admin('POST', '/tokens', body), 400, 'invalid-request')).detail).toMatch(detail)
  })

  it('revokes: the token gets 401 saying it was revoked; again 409; unknown id 404', async () => {
    const t = await setup()
    const viewer = t.tokenFor('viewer')
    const id = await t.idOf(viewer)
    const res = await t.admin('POST', `/tokens/${id}/revoke`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id, status: 'revoked', revoked_at: expect.any(String) })
    const refused = await expectProblem(await t.me(viewer), 401, 'unauthorized')
    expect(refused.detail).toMatch(/^the token was revoked at /)
    expect((await expectProblem(await t.admin('POST', `/tokens/${id}/revoke`), 409, 'conflict')).detail).toMatch(/was revoked at/)
    await expectProblem(await t.admin('POST', '/tokens/no-such-id/revoke'), 404, 'not-found')
    expect((await t.store.audit({ entity: 'token', entityId: id })).map(a => a.action)).toEqual([
      'create viewer token "test viewer"',
      'revoke viewer token "test viewer"',
    ])
  })

  it('never revokes the last valid admin token (409), but does once another admin token exists', async () => {
    const t = await setup()
    const adminId = await t.idOf(t.adminToken)
    const refused = await expectProblem(await t.admin('POST', `/tokens/${adminId}/revoke`), 409, 'conflict')
    expect(refused.detail).toMatch(/last valid admin token: create or rotate another admin token first/)
    expect(refused.reason).toBe('last_admin')
    // an expired admin token is no way back: it does not count
    await t.store.createToken({ name: 'old admin', role: 'admin', hash: newToken().hash, expires_at: '2020-01-01T00:00:00.000Z' }, TEST_ACTOR)
    await expectProblem(await t.admin('POST', `/tokens/${adminId}/revoke`), 409, 'conflict')
    const second = (await (await t.admin('POST', '/tokens', { name: 'second admin', role: 'admin' })).json()) as Shown
    expect((await t.admin('POST', `/tokens/${adminId}/revoke`)).status).toBe(200)
    await expectProblem(await t.me(t.adminToken), 401, 'unauthorized')
    // the second may not revoke itself now: it is the last
    await expectProblem(await req(t.app, 'POST', `/tokens/${second.id}/revoke`, { token: second.token }), 409, 'conflict')
  })

  it('rotates: a new token with the same name, role and lifetime; the old one revoked in the same step', async () => {
    const t = await setup()
    const created = (await (await t.admin('POST', '/tokens', { name: 'nightly export', role: 'viewer', expires_in_days: 90 })).json()) as Shown
    const res = await t.admin('POST', `/tokens/${created.id}/rotate`)
    expect(res.status).toBe(201)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    const rotated = (await res.json()) as Shown & { replaced: TokenView }
    expect(rotated).toMatchObject({
      name: 'nightly export',
      role: 'viewer',
      status: 'active',
      rotated_from: created.id,
      replaced: { id: created.id, status: 'revoked' },
    })
    expect(rotated.token).not.toBe(created.token)
    expect(Date.parse(rotated.expires_at!) - Date.parse(rotated.created_at)).toBe(90 * DAY_MS)
    expect((await t.me(rotated.token)).status).toBe(200)
    expect((await expectProblem(await t.me(created.token), 401, 'unauthorized')).detail).toMatch(/revoked/)
    await expectProblem(await t.admin('POST', `/tokens/${created.id}/rotate`), 409, 'conflict')
    const audit = await t.store.audit({ entity: 'token' })
    expect(audit.slice(-2).map(a => [a.entity_id, a.action])).toEqual([
      [rotated.id, `create viewer token "nightly export" expiring ${rotated.expires_at} (rotated from ${created.id})`],
      [created.id, `rotate viewer token "nightly export": replaced by ${rotated.id}`],
    ])
    // the last admin token may be rotated: its successor keeps the API administrable
    const adminId = await t.idOf(t.adminToken)
    expect((await t.admin('POST', `/tokens/${adminId}/rotate`)).status).toBe(201)
  })

  it('an expired token gets 401 invalid_token saying it expired', async () => {
    const t = await setup()
    const { token, hash } = newToken()
    await t.store.createToken({ name: 'short', role: 'viewer', hash, expires_at: new Date(Date.now() - 1000).toISOString() }, TEST_ACTOR)
    expect(await t.store.tokenByHash(hash)).toBeUndefined()
    const res = await t.me(token)
    const body = await expectProblem(res, 401, 'unauthorized')
    expect(body.detail).toMatch(/^the token expired at \S+: ask an admin for a new one$/)
    expect(res.headers.get('WWW-Authenticate')).toMatch(/error="invalid_token", error_description="the token expired at/)
    expect((await t.list()).find(i => i.name === 'short')?.status).toBe('expired')
    expect((await expectProblem(await t.me('lnt_not-a-token'), 401, 'unauthorized')).detail).toBe('the token is not known')
  })
})

describe('npm run token (the CLI)', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'ln-token-cli-'))
    dirs.push(d)
    return d
  }
  const cli = (dataDir: string, ...args: string[]) => serverCli('token', dataDir, ...args)
  const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at |Error:|node:internal/)

  it('--help and -h print the usage and exit 0; a wrong command or option exits 2 with the usage, no stack trace', async () => {
    const dir = tempDir()
    for (const flag of ['--help', '-h']) {
      const r = await cli(dir, flag)
      expect(r.code).toBe(0)
      expect(r.out).toMatch(/^usage: npm run token -- <command>/)
      expect(r.out).toMatch(/create --role .* --name <name> \[--expires-in-days <days>\]/)
    }
    for (const args of [
      [],
      ['frobnicate'],
      ['--bogus'],
      ['create', '--role'],
      ['create', '--role', 'root', '--name', 'x'],
      ['create', '--role', 'viewer'],
      ['create', '--role', 'viewer', '--name', 'x', '--expires-in-days', 'soon'],
      ['revoke'],
    ]) {
      const r = await cli(dir, ...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err).toMatch(/usage: npm run token/)
      noStackTrace(r.err)
    }
    expect(readdirSync(dir)).toEqual([]) // usage errors open nothing
  })

  it('refuses with one line when DATA_DIR holds no database, and creates none', async () => {
    const dir = tempDir()
    const file = databaseFile(configFromEnv({ DATA_DIR: dir }))
    const r = await cli(dir, 'list')
    expect(r.code).toBe(1)
    expect(r.err).toBe(`no database at ${file}: start the server once (npm start) or set DATA_DIR\n`)
    expect(existsSync(file)).toBe(false)
  })

  it('create, list, rotate, revoke on the database the server uses; audited as the CLI', async () => {
    const dir = tempDir()
    const file = databaseFile(configFromEnv({ DATA_DIR: dir }))
    await bootstrappedDatabase(file)

    const created = await cli(dir, 'create', '--role', 'clinician', '--name', 'Dr C', '--expires-in-days', '7')
    expect(created.code).toBe(0)
    expect(created.err).toBe(`database: ${file}\n`)
    const token = /\blnt_\S+/.exec(created.out)![0]
    expect(created.out).toMatch(/^clinician token "Dr C" \(id \S+, expires \S+\), shown once:/)

    let store = openSqliteStore(file)
    const row = (await store.tokenByHash(sha256(token)))!
    store.close()
    expect(row).toMatchObject({ name: 'Dr C', role: 'clinician' })
    expect(Math.abs(Date.parse(row.expires_at!) - Date.parse(row.created_at) - 7 * DAY_MS)).toBeLessThan(60_000)

    const listed = await cli(dir, 'list')
    expect(listed.code).toBe(0)
    expect(listed.out).toMatch(/^id\s+role\s+unblinded\s+status\s+name\s+created\s+expires\n/)
    expect(listed.out).toMatch(new RegExp(`${row.id}\\s+clinician\\s+no\\s+active\\s+Dr C\\s+\\S+\\s+${row.expires_at}`))
    expect(listed.out).not.toMatch(/lnt_/)

    const rotated = await cli(dir, 'rotate', row.id)
    expect(rotated.code).toBe(0)
    const next = /\blnt_\S+/.exec(rotated.out)![0]
    store = openSqliteStore(file)
    expect(await store.tokenByHash(sha256(token))).toBeUndefined()
    const nextRow = (await store.tokenByHash(sha256(next)))!
    expect(nextRow).toMatchObject({ name: 'Dr C', role: 'clinician', rotated_from: row.id })
    const adminId = (await store.listTokens()).find(t => t.role === 'admin')!.id
    store.close()

    expect(await cli(dir, 'revoke', nextRow.id)).toMatchObject({ code: 0, out: `revoked clinician token "Dr C" (id ${nextRow.id})\n` })
    const again = await cli(dir, 'revoke', nextRow.id)
    expect(again.code).toBe(1)
    expect(again.err).toMatch(/was revoked at/)
    const last = await cli(dir, 'revoke', adminId)
    expect(last.code).toBe(1)
    expect(last.err).toMatch(/is the last valid admin token/)
    expect(await cli(dir, 'rotate', 'no-such-id')).toMatchObject({ code: 1, err: `database: ${file}\ntoken no-such-id not found\n` })

    store = openSqliteStore(file)
    const audit = await store.audit({ entity: 'token' })
    store.close()
    const byCli = audit.filter(a => a.actor.startsWith('cli ('))
    expect(byCli.map(a => a.action.split(' ')[0])).toEqual(['create', 'create', 'rotate', 'revoke'])
    expect(byCli.every(a => a.actor_token_id === 'system' && a.actor_role === 'admin')).toBe(true)
  })

  it('runs as a program (npm run token): the token on stdout and exit 0, a refusal on stderr and exit 1', async () => {
    const dir = tempDir()
    const file = databaseFile(configFromEnv({ DATA_DIR: dir }))
    await bootstrappedDatabase(file)
    const created = serverCliProcess('token', dir, 'create', '--role', 'viewer', '--name', 'Smoke')
    expect(created).toMatchObject({ code: 0, err: `database: ${file}\n` })
    expect(created.out).toMatch(/^viewer token "Smoke" \(id \S+, does not expire\), shown once:\n\n {2}lnt_\S+\n\n$/)
    expect(serverCliProcess('token', dir, 'revoke', 'no-such-id')).toMatchObject({ code: 1, out: '', err: `database: ${file}\ntoken no-such-id not found\n` })
  })
})
