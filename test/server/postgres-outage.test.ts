/**
 * PostgreSQL out of reach (a restart, a failover, a network cut), seen
 * through a TCP proxy the test opens and closes between the app and the
 * database: requests get 503 storage-busy with Retry-After, never a 500, and
 * nothing half-written; once the database is back, the same app answers
 * again without a restart (the pool reconnects). Skipped without
 * TEST_DATABASE_URL (`.ci/run` sets it).
 */
import { randomUUID } from 'node:crypto'
import { createServer, connect, type Server, type Socket } from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app.ts'
import { bootstrap } from '../../server/bootstrap.ts'
import { openPostgresStore } from '../../server/storage/postgres/postgres-store.ts'
import type { Store } from '../../server/storage/store.ts'
import { PROTOCOLS_DIR } from '../helpers/protocols.ts'
import { expectProblem, req } from './helpers.ts'

const baseUrl = process.env.TEST_DATABASE_URL

/** A TCP proxy to the database that can be cut (connections dropped, new ones refused) and restored on the same port. */
class CuttableProxy {
  #server: Server | undefined
  readonly #sockets = new Set<Socket>()
  port = 0

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    this.#server = createServer(client => {
      const upstream = connect(this.targetPort, this.host)
      for (const s of [client, upstream]) {
        this.#sockets.add(s)
        s.on('close', () => this.#sockets.delete(s))
        s.on('error', () => {})
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>(resolve => this.#server!.listen(this.port, '127.0.0.1', resolve))
    this.port = (this.#server.address() as { port: number }).port
  }

  async cut(): Promise<void> {
    for (const s of this.#sockets) s.destroy()
    await new Promise<void>(resolve => this.#server!.close(() => resolve()))
  }
}

describe.skipIf(!baseUrl)('PostgreSQL out of reach', () => {
  const database = `ln_outage_${randomUUID().replaceAll('-', '')}`
  const admin = new pg.Pool({ connectionString: baseUrl, max: 1 })
  const target = new URL(baseUrl ?? 'postgres://x@127.0.0.1:5432/x')
  const proxy = new CuttableProxy(target.hostname, Number(target.port || 5432))
  let store: Store
  let adminToken = ''

  beforeAll(async () => {
    await admin.query(`CREATE DATABASE ${database}`)
    await proxy.open()
    const url = new URL(baseUrl!)
    url.port = String(proxy.port)
    url.pathname = `/${database}`
    store = await openPostgresStore({ url: url.toString(), poolSize: 2 })
    adminToken = (await bootstrap(store, PROTOCOLS_DIR)).adminToken!
  })

  afterAll(async () => {
    await store?.close()
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    await admin.end()
  })

  it('503 storage-busy with Retry-After while it is gone, nothing written; the same app works again once it is back', async () => {
    const app = createApp({ store })
    const patient = { id: 'p-1', sex: 'female', birth_date: '1990-05-01' }
    const evaluate = () => req(app, 'POST', '/protocols/nct05631717/evaluate', { token: adminToken, json: patient })
    expect((await evaluate()).status).toBe(200)
    const before = (await store.evaluations({ limit: 1000 })).length

    await proxy.cut()
    for (const res of [await evaluate(), await req(app, 'GET', '/protocols', { token: adminToken })]) {
      const problem = await expectProblem(res, 503, 'storage-busy')
      expect(problem.detail).toMatch(/nothing was saved/)
      expect(res.headers.get('Retry-After')).toBe('2')
    }

    await proxy.open()
    expect((await evaluate()).status).toBe(200)
    expect((await store.evaluations({ limit: 1000 })).length).toBe(before + 1)
    expect((await store.verifyAudit()).ok).toBe(true)
  })
})
