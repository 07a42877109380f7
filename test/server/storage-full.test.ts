/**
 * A full disk and a locked database, for real: a file-backed store limited
 * with PRAGMA max_page_count (SQLite then fails with SQLITE_FULL exactly as
 * on a full disk), and a second connection holding the write lock.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { examplePatient } from '../../engine/index.ts'
import { createApp } from '../../server/app.ts'
import { newToken } from '../../server/auth.ts'
import { bootstrap } from '../../server/bootstrap.ts'
import { openSqliteStore, type SqliteStoreOptions } from '../../server/storage/sqlite-store.ts'
import { StorageBusyError, StorageFullError, storageFailureOf } from '../../server/storage/storage-errors.ts'
import type { Store } from '../../server/storage/store.ts'
import { PROTOCOLS_DIR, shippedProtocol } from '../helpers/protocols.ts'
import { TEST_ACTOR, caller, expectProblem } from './helpers.ts'

const P = 'nct05631717'
const examples = shippedProtocol('NCT05631717').examples!
const patient = () => examplePatient(examples, 'eligible-baseline')

const dirs: string[] = []
const stores: Store[] = []
afterEach(() => {
  vi.restoreAllMocks()
  for (const s of stores.splice(0)) s.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A data directory with the shipped protocols and a clinician token, closed again; its database file and page count. */
async function prepared() {
  const dir = mkdtempSync(join(tmpdir(), 'full-'))
  dirs.push(dir)
  const file = join(dir, 'data', 'trial.db')
  const store = openSqliteStore(file)
  await bootstrap(store, PROTOCOLS_DIR)
  const { token, hash } = newToken()
  await store.createToken({ name: 'clinician', role: 'clinician', hash }, TEST_ACTOR)
  store.close()
  const db = new Database(file, { readonly: true })
  const pages = db.pragma('page_count', { simple: true }) as number
  db.close()
  return { file, token, pages }
}

function open(file: string, token: string, options: SqliteStoreOptions = {}) {
  const store = openSqliteStore(file, options)
  stores.push(store)
  const t = { app: createApp({ store }), store, adminToken: '', tokenFor: () => token }
  const counts = async () => ({
    evaluations: (await store.evaluations({ limit: 1e6 })).length,
    subjects: (await store.subjects()).length,
    audit: (await store.audit({ limit: 1e6 })).length,
  })
  return { store, call: caller(t, 'clinician'), counts }
}

describe('a full disk', () => {
  it('answers 507 insufficient-storage, saves nothing of the failed write, and keeps reads and the database sound', async () => {
    const { file, token, pages } = await prepared()
    const { store, call, counts } = open(file, token, { maxPageCount: pages + 6 })
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    let before = await counts()
    let res: Response | undefined
    let saved = 0
    for (let i = 0; i < 500; i++) {
      before = await counts()
      res = await call('POST', `/protocols/${P}/evaluate`, { body: { ...patient(), id: `P-${i}` } })
      if (res.status !== 200) break
      saved++
    }
    expect(saved).toBeGreaterThan(0)
    const problem = await expectProblem(res!, 507, 'insufficient-storage')
    expect(problem.detail).toMatch(/disk .*full.*nothing was saved/i)
    expect(problem.detail).not.toContain(file)
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/storage failure on POST .*SQLITE_FULL/))
    // the failed write left nothing behind: no evaluation, no audit row
    expect(await counts()).toEqual(before)

    // the other writes fail the same way, each changing nothing
    const { id: _id, ...record } = patient()
    const registration = await call('POST', `/protocols/${P}/subjects`, {
      body: {
        code: 'S-FULL',
        record: {
          ...record,
          measurements: Array.from({ length: 200 }, (_, i) => ({
            concept: 'body_weight',
            value: 70,
            unit: 'kg',
            date: `2025-${String((i % 12) + 1).padStart(2, '0')}-01`,
          })),
        },
      },
    })
    await expectProblem(registration, 507, 'insufficient-storage')
    expect(await counts()).toEqual(before)

    // reads still work, and the database is sound
    expect((await call('GET', '/protocols', { as: 'clinician' })).status).toBe(200)
    expect((await call('GET', `/protocols/${P}`, { as: 'clinician' })).status).toBe(200)
    expect((await call('GET', `/protocols/${P}/screening-log?limit=5`, { as: 'clinician' })).status).toBe(200)
    expect(await store.integrityCheck()).toBe('ok')
  })

  it('a write with an Idempotency-Key that failed for room can be retried with the same key once there is room', async () => {
    const { file, token, pages } = await prepared()
    const full = open(file, token, { maxPageCount: pages + 6 })
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    let res: Response | undefined
    let key = ''
    for (let i = 0; i < 500; i++) {
      key = `key-${i}`
      res = await full.call('POST', `/protocols/${P}/evaluate`, { body: { ...patient(), id: `P-${i}` }, headers: { 'Idempotency-Key': key } })
      if (res.status !== 200) break
    }
    await expectProblem(res!, 507, 'insufficient-storage')
    const failedId = key.replace('key-', 'P-')
    stores.splice(stores.indexOf(full.store), 1)
    full.store.close()

    const roomy = open(file, token)
    const before = await roomy.counts()
    const retry = await roomy.call('POST', `/protocols/${P}/evaluate`, { body: { ...patient(), id: failedId }, headers: { 'Idempotency-Key': key } })
    expect(retry.status).toBe(200)
    expect(retry.headers.get('Idempotent-Replayed')).toBeNull()
    expect((await roomy.counts()).evaluations).toBe(before.evaluations + 1)
    expect(await roomy.store.integrityCheck()).toBe('ok')
  })
})

describe('a database locked past the busy timeout', () => {
  it('answers 503 storage-busy with Retry-After, saves nothing, and works once the lock is gone', async () => {
    const { file, token } = await prepared()
    const { call, counts } = open(file, token, { busyTimeoutMs: 50 })
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const other = new Database(file)
    other.exec('BEGIN IMMEDIATE')
    const before = await counts()
    const res = await call('POST', `/protocols/${P}/evaluate`, { body: patient() })
    const problem = await expectProblem(res, 503, 'storage-busy')
    expect(res.headers.get('Retry-After')).toMatch(/^\d+$/)
    expect(problem.detail).toMatch(/nothing was saved/)
    // reads are not blocked by a writer (WAL)
    expect((await call('GET', '/protocols')).status).toBe(200)
    other.exec('ROLLBACK')
    other.close()
    expect(await counts()).toEqual(before)
    expect((await call('POST', `/protocols/${P}/evaluate`, { body: patient() })).status).toBe(200)
  })
})

describe('storageFailureOf', () => {
  const err = (code: string) => Object.assign(new Error(code), { code })
  it('tells a full disk and a busy database from other errors', () => {
    expect(storageFailureOf(err('SQLITE_FULL'), '/data')).toBeInstanceOf(StorageFullError)
    expect(storageFailureOf(err('ENOSPC'), '/data')).toBeInstanceOf(StorageFullError)
    expect(storageFailureOf(err('SQLITE_BUSY'), '/data')).toBeInstanceOf(StorageBusyError)
    expect(storageFailureOf(err('SQLITE_BUSY_SNAPSHOT'), '/data')).toBeInstanceOf(StorageBusyError)
    expect(storageFailureOf(err('SQLITE_CONSTRAINT_PRIMARYKEY'), '/data')).toBeUndefined()
    expect(storageFailureOf(new Error('plain'), '/data')).toBeUndefined()
    expect(storageFailureOf('not an error', '/data')).toBeUndefined()
  })

  it('takes an I/O error on write for a full disk only when the disk has (nearly) no room', () => {
    // the temp directory has room: an I/O error there is another fault (500), not a full disk
    expect(storageFailureOf(err('SQLITE_IOERR_WRITE'), tmpdir())).toBeUndefined()
    expect(storageFailureOf(err('SQLITE_IOERR_WRITE'), undefined)).toBeUndefined()
  })
})
