/**
 * PUT /subjects/:sid/record and its versions: every save a new version,
 * optimistic concurrency on base_version, validation before anything is
 * saved, re-screening in the same transaction while the subject is being
 * screened (and not once it is randomized), audit rows and permissions.
 */
import Database from 'better-sqlite3'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { examplePatient, type Measurement, type SubjectRecord } from '../../engine/index.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import { ROOT } from '../helpers/cli.ts'
import { shippedProtocol } from '../helpers/protocols.ts'
import { caller, expectProblem, TEST_ACTOR, testApp } from './helpers.ts'

const P = 'nct05631717'
const examples = shippedProtocol('NCT05631717').examples!
const UPCR = 'urine_protein_creatinine_ratio'

/**
 * The eligible example patient with a 24-h protein of 0.9 g (not above 1.0 g)
 * and the given UPCR: IN04 of NCT05631717 v1 asks UPCR > 1.0 g/g or 24-h
 * protein > 1.0 g, so UPCR 1.0 decides it not met and 1.01 met (the
 * protocol's own examples upcr-1.0-and-24h-0.9 and upcr-1.01).
 */
function recordWithUpcr(upcr: number): Record<string, unknown> {
  const { id: _id, ...record } = examplePatient(examples, 'eligible-baseline')
  const measurements: Measurement[] = (record.measurements ?? []).map(m => (m.concept === UPCR ? { ...m, value: upcr } : m))
  const upcrDate = measurements.find(m => m.concept === UPCR)!.date
  return { ...record, measurements: [...measurements, { concept: 'urine_protein_24h', value: 0.9, unit: 'g/(24.h)', date: upcrDate }] }
}

interface PutAnswer {
  subject: { id: string; record_version: number; record: SubjectRecord; status: string }
  version: { version: number; actor: string; action: string; note: string | null; created_at: string }
  screening: { evaluation_id: number; version: number; overall: string; failing: string[] } | null
  not_rescreened_because?: string
}

async function setup() {
  const t = await testApp()
  const call = caller(t, 'clinician')
  const res = await call('POST', `/protocols/${P}/subjects`, { body: { code: 'R-001', record: recordWithUpcr(1.0) } })
  expect(res.status).toBe(201)
  const sid = ((await res.json()) as { id: string }).id
  const put = (body: unknown, as?: 'viewer' | 'designer' | 'admin') => call('PUT', `/subjects/${sid}/record`, { body, ...(as ? { as } : {}) })
  const snapshot = async () => ({
    subject: await t.store.subject(sid),
    versions: await t.store.subjectRecordVersions(sid),
    evaluations: await t.store.evaluations({}),
  })
  return { ...t, call, sid, put, snapshot }
}

describe('PUT /subjects/:sid/record', () => {
  it('saves each edit as a new version and re-screens it: UPCR 1.0 → ineligible, 1.01 → eligible', async () => {
    const { sid, put, call } = await setup()
    const first = await put({ record: recordWithUpcr(1.0), base_version: 1, note: 'screening labs entered' })
    expect(first.status).toBe(200)
    const a = (await first.json()) as PutAnswer
    expect(a.version).toMatchObject({ version: 2, actor: 'test clinician', action: 'record edited (v2)', note: 'screening labs entered' })
    expect(a.subject.record_version).toBe(2)
    expect(a.screening).toMatchObject({ overall: 'ineligible', version: 1 })
    expect(a.screening!.failing).toEqual(['IN04'])
    expect(a.not_rescreened_because).toBeUndefined()

    const second = await put({ record: recordWithUpcr(1.01), base_version: 2 })
    expect(second.status).toBe(200)
    const b = (await second.json()) as PutAnswer
    expect(b.version).toMatchObject({ version: 3, note: null })
    expect(b.screening).toMatchObject({ overall: 'eligible', failing: [] })

    // the subject's screening history holds both, filed under the subject
    const subject = (await (await call('GET', `/subjects/${sid}`)).json()) as {
      record_version: number
      screening: Array<{ id: number; overall: string }>
      record: SubjectRecord
    }
    expect(subject.record_version).toBe(3)
    expect(subject.screening.map(s => s.overall)).toEqual(['ineligible', 'eligible'])
    expect(subject.screening.map(s => s.id)).toEqual([a.screening!.evaluation_id, b.screening!.evaluation_id])
    expect(subject.record.measurements?.find(m => m.concept === UPCR)?.value).toBe(1.01)
  })

  it('lists the versions (who, when, what, note) and returns each as saved', async () => {
    const { sid, put, call } = await setup()
    expect((await put({ record: recordWithUpcr(1.01), base_version: 1, note: 'corrected UPCR' })).status).toBe(200)
    const list = await call('GET', `/subjects/${sid}/record/versions`, { as: 'viewer' })
    expect(list.status).toBe(200)
    const body = (await list.json()) as { code: string; latest: number; versions: Array<Record<string, unknown>> }
    expect(body).toMatchObject({ code: 'R-001', latest: 2 })
    expect(body.versions).toEqual([
      { version: 1, actor: 'test clinician', created_at: expect.any(String), action: 'register', note: null },
      { version: 2, actor: 'test clinician', created_at: expect.any(String), action: 'record edited (v2)', note: 'corrected UPCR' },
    ])
    const v1 = (await (await call('GET', `/subjects/${sid}/record/versions/1`, { as: 'viewer' })).json()) as { record: SubjectRecord }
    const v2 = (await (await call('GET', `/subjects/${sid}/record/versions/2`, { as: 'viewer' })).json()) as { record: SubjectRecord }
    expect(v1.record.measurements?.find(m => m.concept === UPCR)?.value).toBe(1.0)
    expect(v2.record).toMatchObject({ id: 'R-001' })
    expect(v2.record.measurements?.find(m => m.concept === UPCR)?.value).toBe(1.01)
    await expectProblem(await call('GET', `/subjects/${sid}/record/versions/3`), 404, 'not-found')
    await expectProblem(await call('GET', `/subjects/${sid}/record/versions/0`), 400, 'invalid-request')
    await expectProblem(await call('GET', `/subjects/${sid}/record/versions/x`), 400, 'invalid-request')
    await expectProblem(await call('GET', `/subjects/nope/record/versions`), 404, 'not-found')
  })

  it('refuses a stale base_version with 409 and saves nothing', async () => {
    const { put, snapshot } = await setup()
    expect((await put({ record: recordWithUpcr(1.01), base_version: 1 })).status).toBe(200)
    const before = await snapshot()
    const problem = await expectProblem(await put({ record: recordWithUpcr(1.0), base_version: 1 }), 409, 'conflict')
    expect(problem.latest_version).toBe(2)
    expect(problem.detail).toContain('version 2')
    expect(await snapshot()).toEqual(before)
    // the latest version is accepted
    expect((await put({ record: recordWithUpcr(1.0), base_version: 2 })).status).toBe(200)
  })

  it('refuses an invalid record with 422 and located diagnostics; nothing saved', async () => {
    const { put, snapshot, store } = await setup()
    const before = { ...(await snapshot()), audit: await store.audit({}) }
    const bad = { ...recordWithUpcr(1.01), birth_date: '1990-13-45', sex: 'unknown' }
    const problem = await expectProblem(await put({ record: bad, base_version: 1 }), 422, 'invalid-subject')
    expect(problem.diagnostics!.map(d => d.path).sort()).toEqual(expect.arrayContaining(['birth_date', 'sex']))
    expect({ ...(await snapshot()), audit: await store.audit({}) }).toEqual(before)
  })

  it('refuses a record that changes the id or the arm (400), and a body without base_version', async () => {
    const { put, snapshot } = await setup()
    const before = await snapshot()
    await expectProblem(await put({ record: { ...recordWithUpcr(1.01), id: 'OTHER' }, base_version: 1 }), 400, 'invalid-request')
    await expectProblem(await put({ record: { ...recordWithUpcr(1.01), arm: 'msc' }, base_version: 1 }), 400, 'invalid-request')
    expect((await put({ record: recordWithUpcr(1.01) })).status).toBeGreaterThanOrEqual(400)
    expect(await snapshot()).toEqual(before)
    // the stored id may be sent back as it is
    expect((await put({ record: { ...recordWithUpcr(1.01), id: 'R-001' }, base_version: 1 })).status).toBe(200)
  })

  it('saves a randomized subject’s corrected record as a new version without re-screening it', async () => {
    const { sid, put, call, store } = await setup()
    expect((await put({ record: recordWithUpcr(1.01), base_version: 1 })).status).toBe(200)
    expect((await call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'msc', date: '2026-01-19' } })).status).toBe(200)
    const randomized = (await (await call('GET', `/subjects/${sid}`)).json()) as { record_version: number; record: SubjectRecord }
    // randomization changed the record: it is a version too
    expect(randomized.record_version).toBe(3)
    const evaluations = (await store.evaluations({ subjectId: sid })).length

    // a correction that would fail IN04 today does not change the eligibility history
    const corrected = { ...recordWithUpcr(1.0), dates: randomized.record.dates }
    const res = await put({ record: corrected, base_version: 3, note: 'UPCR transcription error' })
    expect(res.status).toBe(200)
    const a = (await res.json()) as PutAnswer
    expect(a.screening).toBeNull()
    expect(a.not_rescreened_because).toMatch(/randomized.*not re-screened/)
    expect(a.subject).toMatchObject({ status: 'randomized', record_version: 4, record: { arm: 'msc', dates: { randomization: '2026-01-19' } } })
    expect(a.version).toMatchObject({ version: 4, note: 'UPCR transcription error' })
    expect((await store.evaluations({ subjectId: sid })).length).toBe(evaluations)
    const versions = (await (await call('GET', `/subjects/${sid}/record/versions`)).json()) as { versions: Array<{ action: string }> }
    expect(versions.versions.map(v => v.action)).toEqual(['register', 'record edited (v2)', 'randomize to msc', 'record edited (v4)'])
  })

  it('hides the arm from a reader blinded to NCT05631717 (masking not stated): the randomization action and the record’s arm', async () => {
    const { sid, put, call } = await setup()
    expect((await put({ record: recordWithUpcr(1.01), base_version: 1 })).status).toBe(200)
    expect((await call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'msc', date: '2026-01-19' } })).status).toBe(200)
    const actions = async (as: 'viewer' | 'clinician') =>
      ((await (await call('GET', `/subjects/${sid}/record/versions`, { as })).json()) as { versions: Array<{ action: string }> }).versions.map(v => v.action)
    expect(await actions('viewer')).toEqual(['register', 'record edited (v2)', 'randomize'])
    expect(await actions('clinician')).toEqual(['register', 'record edited (v2)', 'randomize to msc'])
    const asViewer = (await (await call('GET', `/subjects/${sid}/record/versions/3`, { as: 'viewer' })).json()) as { action: string; record: SubjectRecord }
    expect(asViewer.action).toBe('randomize')
    expect(asViewer.record.arm).toBeUndefined()
    expect(asViewer.record.dates?.randomization).toBe('2026-01-19')
    const asClinician = (await (await call('GET', `/subjects/${sid}/record/versions/3`)).json()) as { record: SubjectRecord }
    expect(asClinician.record.arm).toBe('msc')
  })

  it('saves without re-screening while the protocol is closed to screening (retired), and says why', async () => {
    const { sid, put, call, store } = await setup()
    const retire = await call('POST', `/protocols/${P}/status`, { as: 'admin', body: { status: 'retired', reason: 'recruitment closed' } })
    expect(retire.status).toBe(200)
    const res = await put({ record: recordWithUpcr(1.01), base_version: 1 })
    expect(res.status).toBe(200)
    const a = (await res.json()) as PutAnswer
    expect(a.screening).toBeNull()
    expect(a.not_rescreened_because).toMatch(/not re-screened: protocol nct05631717 was retired/)
    expect(a.version.version).toBe(2)
    expect(await store.evaluations({ subjectId: sid })).toEqual([])
  })

  it('audits the save (record and screening) and each read of the versions', async () => {
    const { sid, put, call, store } = await setup()
    const res = await put({ record: recordWithUpcr(1.01), base_version: 1 })
    const { screening } = (await res.json()) as PutAnswer
    const subjectRows = await store.audit({ entity: 'subject', entityId: sid })
    const edit = subjectRows.find(r => r.action === 'record edited (v2)')
    expect(edit).toMatchObject({ actor: 'test clinician', actor_role: 'clinician' })
    expect(edit!.hash_before).not.toBe(edit!.hash_after)
    const evaluation = await store.audit({ entity: 'evaluation', entityId: String(screening!.evaluation_id) })
    expect(evaluation).toHaveLength(1)
    expect(evaluation[0]!.action).toBe(`evaluate ${P} v1: eligible`)

    await call('GET', `/subjects/${sid}/record/versions`, { as: 'viewer' })
    await call('GET', `/subjects/${sid}/record/versions/2`, { as: 'viewer' })
    const reads = (await store.audit({ entity: 'subject', entityId: sid })).filter(r => r.action.startsWith('read '))
    expect(reads.map(r => [r.action, r.actor_role])).toEqual([
      ['read record versions', 'viewer'],
      ['read record version 2', 'viewer'],
    ])
  })

  it('needs manage_subjects to save (viewer and designer 403) and a token to read', async () => {
    const { put, snapshot, call, sid } = await setup()
    const before = await snapshot()
    await expectProblem(await put({ record: recordWithUpcr(1.01), base_version: 1 }, 'viewer'), 403, 'forbidden')
    await expectProblem(await put({ record: recordWithUpcr(1.01), base_version: 1 }, 'designer'), 403, 'forbidden')
    expect(await snapshot()).toEqual(before)
    await expectProblem(await call('GET', `/subjects/${sid}/record/versions`, { as: null }), 401, 'unauthorized')
    expect((await put({ record: recordWithUpcr(1.01), base_version: 1 }, 'admin')).status).toBe(200)
  })

  it('keeps every other write of the record as a version too (visits, adverse events, screening patches)', async () => {
    const { sid, call, store } = await setup()
    const patched = await call('POST', `/subjects/${sid}/screening`, { body: { measurements: recordWithUpcr(1.01).measurements as Measurement[] } })
    expect(patched.status).toBe(200)
    const ae = await call('POST', `/subjects/${sid}/adverse-events`, {
      body: { term: 'headache', onset: '2026-01-20', seriousness: {}, relatedness: 'not_related' },
    })
    expect(ae.status).toBe(201)
    const versions = await store.subjectRecordVersions(sid)
    expect(versions.map(v => [v.version, v.action])).toEqual([
      [1, 'register'],
      [2, 'screening: record updated'],
      [3, 'adverse event headache'],
    ])
    expect((await store.subject(sid))!.record_version).toBe(3)
  })
})

describe('migration 008: record versions for subjects stored before it', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('makes each existing subject’s current record its version 1, saved by who last changed it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mig008-'))
    dirs.push(dir)
    const file = join(dir, 'trial.db')
    const migrations = join(ROOT, 'server/storage/migrations')
    const before = readdirSync(migrations)
      .filter(f => /^\d+_.+\.sql$/.test(f) && Number(f.split('_')[0]) < 8)
      .sort()
    const db = new Database(file)
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
    const apply = (f: string) => {
      db.exec(readFileSync(join(migrations, f), 'utf8'))
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(Number(f.split('_')[0]), '2026-01-01T00:00:00.000Z')
    }
    // a database of before the audit was chained (003): a subject registered by alice, edited by bob; another with no audit row
    for (const f of before.filter(f => Number(f.split('_')[0]) <= 3)) apply(f)
    db.prepare("INSERT INTO protocols (id, registry_id, created_at, latest_version) VALUES ('p', 'NCT00000000', '2026-01-01', 1)").run()
    const insert = db.prepare(
      "INSERT INTO subjects (id, protocol_id, code, status, arm, record, created_at, updated_at) VALUES (?, 'p', ?, 'screened', NULL, ?, '2026-01-02T00:00:00.000Z', ?)",
    )
    insert.run('s1', 'S-1', '{"id":"S-1","sex":"female"}', '2026-01-03T00:00:00.000Z')
    insert.run('s2', 'S-2', '{"id":"S-2"}', '2026-01-02T00:00:00.000Z')
    const audit = db.prepare("INSERT INTO audit (at, actor, entity, entity_id, action, hash_before, hash_after) VALUES (?, ?, 'subject', 's1', ?, ?, ?)")
    audit.run('2026-01-02T00:00:00.000Z', 'alice', 'register', null, 'h1')
    audit.run('2026-01-03T00:00:00.000Z', 'bob', 'screening: record updated', 'h1', 'h2')
    audit.run('2026-01-04T00:00:00.000Z', 'carol', 'read record and screenings', null, null)
    for (const f of before.filter(f => Number(f.split('_')[0]) > 3)) apply(f)
    db.close()

    const store = openSqliteStore(file)
    try {
      expect(await store.subjectRecordVersions('s1')).toEqual([
        {
          subject_id: 's1',
          version: 1,
          actor: 'bob',
          created_at: '2026-01-03T00:00:00.000Z',
          action: 'record as stored before versions were kept',
          note: null,
        },
      ])
      expect((await store.subjectRecordVersion('s1', 1))!.record).toBe('{"id":"S-1","sex":"female"}')
      expect((await store.subjectRecordVersions('s2')).map(v => [v.version, v.actor])).toEqual([[1, 'system']])
      expect((await store.subject('s1'))!.record_version).toBe(1)
      // the next write is version 2
      const r = await store.updateSubject('s1', { record: '{"id":"S-1","sex":"male"}' }, 'corrected sex', TEST_ACTOR)
      expect(r.ok && r.value.record_version).toBe(2)
      expect((await store.subjectRecordVersions('s1')).map(v => [v.version, v.action])).toEqual([
        [1, 'record as stored before versions were kept'],
        [2, 'corrected sex'],
      ])
      expect((await store.verifyAudit()).ok).toBe(true)
    } finally {
      store.close()
    }
  })
})
