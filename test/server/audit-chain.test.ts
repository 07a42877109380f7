/**
 * The audit trail as a hash chain: every row written by the store is chained;
 * an edited, deleted or inserted row is found by the verifier (store method,
 * GET /audit/verify, `npm run audit -- verify`); a cut-off tail only against
 * an anchor; rows from before the chain are chained once when the store opens.
 */
import Database from 'better-sqlite3'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootstrap } from '../../server/bootstrap.ts'
import { createApp } from '../../server/app.ts'
import { configFromEnv, databaseFile } from '../../server/config.ts'
import { GENESIS, auditRowHash, verifyAuditChain, type ChainRow } from '../../server/storage/audit-chain.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import { TEST_ACTOR, req, testApp } from './helpers.ts'
import { PROTOCOLS_DIR } from '../helpers/protocols.ts'
import { serverCli, serverCliProcess } from '../helpers/server-cli.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const P = 'nct05631717'
const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'ln-audit-chain-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** A raw connection with the audit's guards dropped: what someone with the file could do. */
function tamper(file: string, change: (db: Database.Database) => void): void {
  const db = new Database(file)
  for (const t of ['audit_no_update', 'audit_no_delete', 'audit_chained']) db.exec(`DROP TRIGGER IF EXISTS ${t}`)
  change(db)
  db.close()
}

const rowsOf = (file: string) => {
  const db = new Database(file, { readonly: true })
  const rows = db.prepare('SELECT * FROM audit ORDER BY id').all() as ChainRow[]
  db.close()
  return rows
}

async function verify(file: string, anchor?: string) {
  const store = openSqliteStore(file)
  try {
    return await store.verifyAudit(anchor === undefined ? {} : { anchor })
  } finally {
    store.close()
  }
}

/** `npm run audit` in process; the first test runs the program itself (the binary's smoke test). */
const auditCli = (dataDir: string, ...args: string[]) => serverCli('audit', dataDir, ...args)

describe('verifyAuditChain (pure)', () => {
  const chain = (n: number): ChainRow[] => {
    const rows: ChainRow[] = []
    let prev = GENESIS
    for (let id = 1; id <= n; id++) {
      const row = {
        id,
        at: `2026-01-0${id}T00:00:00.000Z`,
        actor: 'a',
        actor_token_id: 't',
        actor_role: 'admin',
        entity: 'e',
        entity_id: String(id),
        action: 'x',
        hash_before: null,
        hash_after: null,
        prev_hash: prev,
      }
      prev = auditRowHash(row)
      rows.push({ ...row, row_hash: prev })
    }
    return rows
  }

  it('accepts an empty trail and a sound chain; the head is the last row_hash', () => {
    expect(verifyAuditChain([])).toEqual({ ok: true, rows: 0, head: GENESIS })
    const rows = chain(4)
    expect(verifyAuditChain(rows)).toEqual({ ok: true, rows: 4, head: rows[3]!.row_hash })
  })

  it('every field is covered by the hash', () => {
    const rows = chain(2)
    for (const field of ['at', 'actor', 'actor_token_id', 'actor_role', 'entity', 'entity_id', 'action', 'hash_before', 'hash_after'] as const) {
      const edited = rows.map(r => ({ ...r }))
      ;(edited[0] as Record<string, unknown>)[field] = 'changed'
      expect(verifyAuditChain(edited), field).toMatchObject({ ok: false, at: 1, problem: 'edited' })
    }
  })

  it('an anchor that is no longer in the chain shows a cut-off tail', () => {
    const rows = chain(5)
    expect(verifyAuditChain(rows.slice(0, 3))).toMatchObject({ ok: true, rows: 3 }) // undetectable on its own
    expect(verifyAuditChain(rows.slice(0, 3), { anchor: rows[4]!.row_hash! })).toMatchObject({ ok: false, at: null, problem: 'anchor_missing' })
    expect(verifyAuditChain(rows, { anchor: rows[2]!.row_hash! })).toMatchObject({ ok: true, rows: 5 })
  })
})

describe('a database file, tampered with outside the store', () => {
  let dataDir: string
  let file: string
  let count: number

  beforeAll(async () => {
    dataDir = tempDir()
    file = databaseFile(configFromEnv({ DATA_DIR: dataDir }))
    const store = openSqliteStore(file)
    const { adminToken } = await bootstrap(store, PROTOCOLS_DIR)
    const app = createApp({ store })
    const reg = await req(app, 'POST', `/protocols/${P}/subjects`, { token: adminToken!, json: { code: 'S-001' } })
    expect(reg.status).toBe(201)
    const sid = ((await reg.json()) as { id: string }).id
    expect((await req(app, 'GET', `/subjects/${sid}`, { token: adminToken! })).status).toBe(200) // an audited read
    await store.createProtocol({ id: 'p2', registry_id: 'NCT00000002', yaml: 'protocol: {}\n', change_note: 'test' }, TEST_ACTOR)
    store.close()
    count = rowsOf(file).length
    expect(count).toBeGreaterThan(5)
  })

  /** A copy of the untouched database, in a data directory of its own. */
  const copy = () => {
    const dir = tempDir()
    const target = databaseFile(configFromEnv({ DATA_DIR: dir }))
    copyFileSync(file, target)
    return { dir, target }
  }

  it('the untouched database verifies: store, CLI and GET /audit/verify agree on rows and head', async () => {
    const rows = rowsOf(file)
    const report = await verify(file)
    expect(report).toEqual({ ok: true, rows: count, head: rows.at(-1)!.row_hash })
    expect(rows[0]!.prev_hash).toBe(GENESIS)
    const r = serverCliProcess('audit', dataDir, 'verify')
    expect(r).toMatchObject({ code: 0, out: `audit chain ok: ${count} rows, head ${rows.at(-1)!.row_hash}\n`, err: `database: ${file}\n` })
  })

  it('(a) an edited row is reported with its id, also when its hash was recomputed', async () => {
    const edited = copy()
    tamper(edited.target, db => db.prepare("UPDATE audit SET action = 'nothing happened' WHERE id = 3").run())
    expect(await verify(edited.target)).toMatchObject({ ok: false, rows: 2, at: 3, problem: 'edited' })
    const r = await auditCli(edited.dir, 'verify')
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/^database: .*\naudit chain broken at row 3 \(edited\): row 3's fields do not give its row_hash/)

    const rehashed = copy()
    tamper(rehashed.target, db => {
      const row = { ...(db.prepare('SELECT * FROM audit WHERE id = 3').get() as ChainRow), actor: 'someone else' }
      db.prepare('UPDATE audit SET actor = ?, row_hash = ? WHERE id = 3').run(row.actor, auditRowHash(row))
    })
    expect(await verify(rehashed.target)).toMatchObject({ ok: false, at: 4, problem: 'broken_link' })
  })

  it('(b) a deleted row is reported at the row after the gap; a deleted first row too', async () => {
    const middle = copy()
    tamper(middle.target, db => db.prepare('DELETE FROM audit WHERE id = 3').run())
    expect(await verify(middle.target)).toMatchObject({ ok: false, at: 4, problem: 'deleted', detail: 'row 4 follows row 2: row 3 is missing' })
    const first = copy()
    tamper(first.target, db => db.prepare('DELETE FROM audit WHERE id = 1').run())
    expect(await verify(first.target)).toMatchObject({ ok: false, at: 2, problem: 'deleted' })
  })

  it('(c) an inserted row is reported: without hashes, with a made-up hash, or in place of another', async () => {
    const columns = 'id, at, actor, actor_token_id, actor_role, entity, entity_id, action, hash_before, hash_after, prev_hash, row_hash'
    const bare = copy()
    tamper(bare.target, db =>
      db.prepare("INSERT INTO audit (at, actor, entity, entity_id, action) VALUES ('2026-01-01T00:00:00.000Z', 'x', 'subject', 's', 'register')").run(),
    )
    expect(await verify(bare.target)).toMatchObject({ ok: false, at: count + 1, problem: 'unchained' })
    // the store never chains such a row after the fact
    expect(await verify(bare.target)).toMatchObject({ ok: false, at: count + 1, problem: 'unchained' })

    const forged = copy()
    tamper(forged.target, db => {
      const last = db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT 1').get() as ChainRow
      db.prepare(`INSERT INTO audit (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        last.id + 1,
        last.at,
        'x',
        'system',
        'admin',
        'subject',
        's',
        'register',
        null,
        null,
        last.row_hash,
        last.row_hash,
      )
    })
    expect(await verify(forged.target)).toMatchObject({ ok: false, at: count + 1, problem: 'edited' })

    const replaced = copy()
    tamper(replaced.target, db => {
      const row = db.prepare('SELECT * FROM audit WHERE id = 2').get() as ChainRow
      db.prepare('DELETE FROM audit WHERE id = 2').run()
      const other = { ...row, action: 'a different story' }
      const named = columns
        .split(', ')
        .map(c => `@${c}`)
        .join(', ')
      db.prepare(`INSERT INTO audit (${columns}) VALUES (${named})`).run({ ...other, row_hash: auditRowHash(other) })
    })
    expect(await verify(replaced.target)).toMatchObject({ ok: false, at: 3, problem: 'broken_link' })
  })

  it('a cut-off tail verifies on its own, but not against the head recorded before (--anchor)', async () => {
    const head = rowsOf(file).at(-1)!.row_hash!
    const cut = copy()
    tamper(cut.target, db => db.prepare('DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)').run())
    expect(await verify(cut.target)).toMatchObject({ ok: true, rows: count - 1 })
    const r = await auditCli(cut.dir, 'verify', '--anchor', head)
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/audit chain broken \(anchor_missing\): no row has the anchor hash/)
    expect(await auditCli(dataDir, 'verify', '--anchor', head)).toMatchObject({ code: 0, out: `audit chain ok: ${count} rows, head ${head} (anchor found)\n` })
  })

  it('the audit CLI: --help exits 0, bad input exits 2 without a stack trace, no database exits 1', async () => {
    const empty = tempDir()
    expect(await auditCli(empty, '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^usage: npm run audit -- verify/) })
    for (const args of [[], ['check'], ['verify', '--anchor', 'abc'], ['--bogus'], ['verify', 'extra']]) {
      const r = await auditCli(empty, ...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err).toMatch(/usage: npm run audit/)
      expect(r.err).not.toMatch(/\n\s+at /)
    }
    expect(await auditCli(empty, 'verify')).toMatchObject({
      code: 1,
      err: `no database at ${join(empty, 'ln-trial.db')}: start the server once (npm start) or set DATA_DIR\n`,
    })
    expect(readdirSync(empty)).toEqual([])
  })
})

describe('rows written before the chain', () => {
  it('are chained once when the store first opens the database; the triggers stay in place', async () => {
    const dir = tempDir()
    mkdirSync(dir, { recursive: true })
    const file = join(dir, 'old.db')
    const old = new Database(file)
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
    for (const [n, name] of [
      [1, '001_init.sql'],
      [2, '002_examples.sql'],
      [3, '003_evaluation_records.sql'],
    ] as const) {
      old.exec(readFileSync(join(ROOT, 'server', 'storage', 'migrations', name), 'utf8'))
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(n, '2026-01-01T00:00:00.000Z')
    }
    const insert = old.prepare('INSERT INTO audit (at, actor, entity, entity_id, action, hash_before, hash_after) VALUES (?, ?, ?, ?, ?, ?, ?)')
    for (let i = 1; i <= 3; i++) insert.run(`2026-01-0${i}T00:00:00.000Z`, 'cli', 'token', `t${i}`, `create viewer token "v${i}"`, null, null)
    old.close()

    const store = openSqliteStore(file)
    await store.createProtocol({ id: 'p', registry_id: 'NCT00000001', yaml: 'protocol: {}\n', change_note: 'after' }, TEST_ACTOR)
    const rows = await store.audit({})
    expect(rows.map(r => [r.id, r.actor, r.actor_token_id, r.actor_role])).toEqual([
      [1, 'cli', null, null],
      [2, 'cli', null, null],
      [3, 'cli', null, null],
      [4, 'test', 'test', 'admin'],
    ])
    expect(rows[0]!.prev_hash).toBe(GENESIS)
    expect(rows[3]!.prev_hash).toBe(rows[2]!.row_hash)
    expect(await store.verifyAudit()).toEqual({ ok: true, rows: 4, head: rows[3]!.row_hash })
    store.close()

    const raw = new Database(file)
    expect(() => raw.prepare("UPDATE audit SET actor = 'x' WHERE id = 1").run()).toThrow(/append-only/)
    expect(() => raw.prepare('DELETE FROM audit WHERE id = 1').run()).toThrow(/append-only/)
    expect(() => raw.prepare("INSERT INTO audit (at, actor, entity, entity_id, action) VALUES ('t', 'x', 'e', 'i', 'a')").run()).toThrow(/hash chain/)
    raw.close()
  })
})

describe('GET /audit/verify and the audit rows over the API', () => {
  it('admins get the report; rows carry token id, role and hashes; other roles 403', async () => {
    const t = await testApp()
    const res = await req(t.app, 'GET', '/audit/verify', { token: t.adminToken })
    expect(res.status).toBe(200)
    const report = (await res.json()) as { ok: boolean; rows: number; head: string }
    expect(report).toMatchObject({ ok: true, rows: (await t.store.audit({ limit: 1000 })).length })
    expect((await req(t.app, 'GET', `/audit/verify?anchor=${report.head}`, { token: t.adminToken })).status).toBe(200)
    expect((await req(t.app, 'GET', '/audit/verify?anchor=nothex', { token: t.adminToken })).status).toBe(400)
    expect((await req(t.app, 'GET', '/audit/verify', { token: t.tokenFor('viewer') })).status).toBe(403)
    const items = ((await (await req(t.app, 'GET', '/audit?limit=1', { token: t.adminToken })).json()) as { items: Array<Record<string, unknown>> }).items
    expect(Object.keys(items[0]!)).toEqual(expect.arrayContaining(['actor_token_id', 'actor_role', 'prev_hash', 'row_hash']))
  })
})
