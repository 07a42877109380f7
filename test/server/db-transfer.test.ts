/**
 * `npm run db -- export/import`: a server's records moved SQLite →
 * PostgreSQL → SQLite keep every table's row count and content hash, the
 * audit chain still verifies, tokens still sign in and new rows continue the
 * numbering; an import goes into an empty database only, and a file edited,
 * truncated or not an export is refused with nothing written. The PostgreSQL
 * legs run where TEST_DATABASE_URL names a cluster (`.ci/run`).
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newToken } from '../../server/auth.ts'
import { sha256 } from '../../server/storage/content-hash.ts'
import { openPostgresStore } from '../../server/storage/postgres/postgres-store.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import type { Store } from '../../server/storage/store.ts'
import { serverCli, serverCliIn } from '../helpers/server-cli.ts'
import { TEST_ACTOR, bootstrappedDatabase } from './helpers.ts'

const P = 'nct05631717'
const pgUrl = process.env.TEST_DATABASE_URL
const root = mkdtempSync(join(tmpdir(), 'ln-db-transfer-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** The summary lines the commands print: table, rows, hash. */
const summaryOf = (out: string) =>
  out
    .trim()
    .split('\n')
    .filter(l => /sha256 [0-9a-f]{64}$/.test(l))

/** A data directory as a server leaves it after some use: every table has rows. */
async function usedDataDir(): Promise<{ dir: string; clinicianToken: string }> {
  const dir = mkdtempSync(join(root, 'source-'))
  await bootstrappedDatabase(join(dir, 'ln-trial.db'))
  const store = openSqliteStore(join(dir, 'ln-trial.db'))
  const clinician = newToken()
  const created = await store.createToken({ name: 'dr a', role: 'clinician', hash: clinician.hash, expires_at: '2030-01-01T00:00:00.000Z' }, TEST_ACTOR)
  const rotated = newToken()
  const rotation = await store.rotateToken(created.id, rotated.hash, TEST_ACTOR)
  expect(rotation.ok).toBe(true)
  await store.createToken({ name: 'viewer', role: 'viewer', hash: newToken().hash, unblinded: true }, TEST_ACTOR)
  const subject = await store.createSubject({ protocol_id: P, code: 'S-001', record: '{"id":"S-001"}' }, TEST_ACTOR)
  if (!subject.ok) throw new Error('subject')
  await store.saveSubjectRecord(
    {
      subjectId: subject.value.id,
      record: '{"id":"S-001","sex":"female"}',
      baseVersion: 1,
      note: 'sex',
      evaluation: { protocol_id: P, version: 1, overall: 'undetermined', failing: '[]', verdict: '{"overall":"undetermined"}' },
    },
    TEST_ACTOR,
  )
  for (let i = 0; i < 5; i++)
    await store.addEvaluation(
      { protocol_id: P, version: 1, subject_id: null, overall: 'eligible', failing: '[]', verdict: `{"n":${i}}`, patient: '{"id":"x"}' },
      TEST_ACTOR,
    )
  await store.setProtocolStatus({ id: P, from: 'active', to: 'retired', reason: 'closed' }, TEST_ACTOR)
  await store.recordRead('subject', subject.value.id, TEST_ACTOR, 'record')
  store.close()
  return { dir, clinicianToken: rotated.token }
}

describe('npm run db -- export / import', () => {
  let source: { dir: string; clinicianToken: string }
  let exported = ''
  let exportSummary: string[] = []

  beforeAll(async () => {
    source = await usedDataDir()
    exported = join(root, 'records.ndjson')
    const run = await serverCli('db', source.dir, 'export', exported)
    expect(run.code, run.err).toBe(0)
    exportSummary = summaryOf(run.out)
  })

  it('the export lists every table with its rows and hash; it never writes over a file', async () => {
    expect(exportSummary.map(l => l.split(/\s+/)[0])).toEqual([
      'tokens',
      'protocols',
      'protocol_versions',
      'protocol_examples',
      'protocol_status_changes',
      'subjects',
      'subject_record_versions',
      'evaluations',
      'audit',
    ])
    for (const line of exportSummary) expect(Number(line.split(/\s+/)[1]), line).toBeGreaterThan(0)
    const again = await serverCli('db', source.dir, 'export', exported)
    expect(again.code).toBe(1)
    expect(again.err).toMatch(/exists/)
  })

  it('SQLite → SQLite: the same counts and hashes; the chain verifies, tokens sign in, numbering continues', async () => {
    const target = mkdtempSync(join(root, 'target-'))
    const run = await serverCli('db', target, 'import', exported)
    expect(run.code, run.err).toBe(0)
    expect(summaryOf(run.out)).toEqual(exportSummary)
    const store = openSqliteStore(join(target, 'ln-trial.db'))
    try {
      await expectUsable(store, source.clinicianToken)
    } finally {
      store.close()
    }
    // into a database that has records: refused, nothing written
    const twice = await serverCli('db', target, 'import', exported)
    expect(twice.code).toBe(1)
    expect(twice.err).toMatch(/not empty \(tokens: \d+ rows\)/)
  })

  it('a file edited, truncated or not an export is refused, and nothing is written', async () => {
    const lines = readFileSync(exported, 'utf8').trimEnd().split('\n')
    const audit = lines.findIndex(l => l.startsWith('{"t":"audit"') && l.includes('"read record"'))
    const edited = [...lines]
    edited[audit] = edited[audit]!.replace('"read record"', '"read nothing"')
    const cases: Array<[string, string, RegExp]> = [
      ['edited', edited.join('\n'), /rows of audit in the file \(\d+\) do not match its summary \(\d+ rows, another hash\)/],
      ['truncated', lines.slice(0, -1).join('\n'), /truncated/],
      ['not an export', '{"hello":"world"}\n', /not the header/],
      ['not JSON', 'yaml: yes\n', /line 1 is not JSON/],
    ]
    for (const [name, text, message] of cases) {
      const file = join(root, `${name.replace(/ /g, '-')}.ndjson`)
      writeFileSync(file, text)
      const target = mkdtempSync(join(root, 'refused-'))
      const run = await serverCli('db', target, 'import', file)
      expect(run.code, name).toBe(1)
      expect(run.err, name).toMatch(message)
      const store = openSqliteStore(join(target, 'ln-trial.db'))
      try {
        expect(await store.countTokens(), name).toBe(0)
        expect(await store.audit({}), name).toEqual([])
      } finally {
        store.close()
      }
    }
  })

  it('migrate and grant are for PostgreSQL: without DATABASE_URL they say so', async () => {
    for (const args of [['migrate'], ['grant', 'app']]) {
      const run = await serverCli('db', source.dir, ...args)
      expect(run.code).toBe(1)
      expect(run.err).toMatch(/is for PostgreSQL: set DATABASE_URL/)
    }
    expect((await serverCli('db', source.dir, 'grant')).code).toBe(2)
  })

  describe.skipIf(!pgUrl)('PostgreSQL', () => {
    const database = `ln_transfer_${randomUUID().replaceAll('-', '')}`
    const admin = new pg.Pool({ connectionString: pgUrl, max: 1 })
    const url = (() => {
      if (!pgUrl) return ''
      const u = new URL(pgUrl)
      u.pathname = `/${database}`
      return u.toString()
    })()
    beforeAll(async () => {
      await admin.query(`CREATE DATABASE ${database}`)
    })
    afterAll(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      await admin.end()
    })

    it('migrate creates the tables once; grant names a role that must exist', async () => {
      const env = { ...process.env, DATABASE_URL: url }
      const first = await serverCliIn('db', env, 'migrate')
      expect(first.code, first.err).toBe(0)
      expect(first.out).toMatch(/applied migrations 1\n/)
      expect((await serverCliIn('db', env, 'migrate')).out).toMatch(/up to date/)
      const unknown = await serverCliIn('db', env, 'grant', 'no_such_role')
      expect(unknown.code).toBe(1)
      expect(unknown.err).toMatch(/cannot grant no_such_role .*does not exist/)
    })

    it('SQLite → PostgreSQL → SQLite: the same counts and hashes at each step; usable on PostgreSQL', async () => {
      const env = { ...process.env, DATABASE_URL: url }
      const imported = await serverCliIn('db', env, 'import', exported)
      expect(imported.code, imported.err).toBe(0)
      expect(summaryOf(imported.out)).toEqual(exportSummary)
      const back = join(root, 'from-postgres.ndjson')
      const reexported = await serverCliIn('db', env, 'export', back)
      expect(reexported.code, reexported.err).toBe(0)
      expect(summaryOf(reexported.out)).toEqual(exportSummary)
      const target = mkdtempSync(join(root, 'back-'))
      const again = await serverCli('db', target, 'import', back)
      expect(again.code, again.err).toBe(0)
      expect(summaryOf(again.out)).toEqual(exportSummary)
      const store = await openPostgresStore({ url, poolSize: 2 })
      try {
        await expectUsable(store, source.clinicianToken)
      } finally {
        await store.close()
      }
    })
  })
})

/** The moved records work: the audit verifies, the rotated token signs in, new rows are numbered after the old ones. */
async function expectUsable(store: Store, clinicianToken: string): Promise<void> {
  const before = await store.audit({ limit: 100_000 })
  expect(await store.verifyAudit()).toMatchObject({ ok: true, rows: before.length })
  expect((await store.tokenByHash(sha256(clinicianToken)))?.name).toBe('dr a')
  const maxId = Math.max(...(await store.evaluations({ limit: 100_000 })).map(e => e.id))
  const next = await store.addEvaluation({ protocol_id: P, version: 1, subject_id: null, overall: 'eligible', failing: '[]', verdict: '{}' }, TEST_ACTOR)
  expect(next.id).toBe(maxId + 1)
  const changed = await store.setProtocolStatus({ id: P, from: 'retired', to: 'active', reason: 'reopened' }, TEST_ACTOR)
  expect(changed.ok).toBe(true)
  expect(await store.verifyAudit()).toMatchObject({ ok: true, rows: before.length + 2 })
}
