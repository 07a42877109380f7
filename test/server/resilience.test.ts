/**
 * The real server under hostile and unlucky load, over loopback sockets:
 * CPU-bound work on the worker pool within a budget (GET /health answers
 * while four hostile requests run, and each of them ends), bounded queues
 * and streams (429 with Retry-After), streamed uploads closed when idle (not
 * after a total time), a graceful shutdown on SIGTERM, and HTTPS.
 *
 * Bounds on time here are generous on purpose: they tell "stays responsive"
 * (tens of ms) from "frozen" (seconds to minutes, as before the pool) on a
 * loaded 2-core machine; `npm run bench` (hostile.bench.ts) measures the
 * figures.
 */
import { serve } from '@hono/node-server'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http'
import { get as httpsGet } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { examplePatient } from '../../engine/index.ts'
import { createApp } from '../../server/app.ts'
import { CpuPool } from '../../server/workers/cpu-pool.ts'
import { ADMIN_TOKEN_FILE, LOCK_FILE } from '../../server/storage/data-dir.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import { bootstrap } from '../../server/bootstrap.ts'
import { hostileLoad, manyKeysYaml, percentile } from '../helpers/hostile-load.ts'
import { PROTOCOLS_DIR, shippedProtocol } from '../helpers/protocols.ts'
import { refusedHere, startHere } from '../helpers/server-in-process.ts'
import { ServerProcesses, type Run } from '../helpers/server-process.ts'
import { req, testApp } from './helpers.ts'

const P = 'nct05631717'
const MINUTE = 60_000
const temp = mkdtempSync(join(tmpdir(), 'ln-resilience-'))
// the server's own default budget and threads (the test runner sets its own for in-process apps)
const servers = new ServerProcesses({ CPU_BUDGET_MS: undefined, CPU_THREADS: undefined, PROTOCOLS_DIR })

afterAll(async () => {
  await servers.killAll()
  rmSync(temp, { recursive: true, force: true })
})

const tokenOf = (dataDir: string) => readFileSync(join(dataDir, ADMIN_TOKEN_FILE), 'utf8').trim()

/** A streamed screening upload kept open: write lines when you like, end when you like. */
interface OpenStream {
  req: ClientRequest
  /** The response head (the route answers before the body ends). */
  response: Promise<IncomingMessage>
  /** The whole answer's text, once it ends (or '' if the connection is cut). */
  text: Promise<string>
}

function openStream(url: string, token: string): OpenStream {
  const req = httpRequest(`${url}/protocols/${P}/screen`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
  })
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve)
    req.once('error', reject)
  })
  const text = response.then(
    res =>
      new Promise<string>(resolve => {
        let body = ''
        res.on('data', (d: Buffer) => (body += d.toString()))
        res.once('end', () => resolve(body))
        res.once('error', () => resolve(body))
        res.once('close', () => resolve(body))
      }),
    () => '',
  )
  req.flushHeaders()
  return { req, response, text }
}

describe('a server under hostile load', () => {
  let dataDir: string
  let run: Run
  let token: string

  beforeAll(async () => {
    dataDir = join(temp, 'busy')
    run = await servers.listening(servers.start(dataDir))
    token = tokenOf(dataDir)
  }, MINUTE)

  it(
    'answers /health while four hostile requests run, and ends each of them without a 5xx',
    async () => {
      const { hostile, health } = await hostileLoad(run.url, token, P)
      const ms = health.map(h => h.ms)
      console.log(
        `hostile: ${hostile.map(h => `${h.name} ${h.status}${h.problem ? ` ${h.problem}` : ''} ${Math.round(h.ms)} ms`).join('; ')}; /health n=${ms.length} p50 ${percentile(ms, 50).toFixed(1)} ms p99 ${percentile(ms, 99).toFixed(1)} ms`,
      )
      expect(health.every(h => h.status === 200)).toBe(true)
      expect(health.length).toBeGreaterThan(10)
      // frozen was 18 s; responsive is tens of ms on a quiet machine (the bench's figure); this bound holds on a loaded one
      expect(percentile(ms, 99)).toBeLessThan(1000)
      for (const h of hostile) {
        expect(h.status, h.name).toBeLessThan(500)
        // cut at the budget once on a thread (1.5 s, 6 s for a bundle), never minutes as before (640 s); waiting for a
        // thread on a loaded machine adds to it
        expect(h.ms, h.name).toBeLessThan(45_000)
      }
      // the YAML ones are refused with a problem or answered with located diagnostics, never accepted
      const byName = (prefix: string) => hostile.find(h => h.name.startsWith(prefix))!
      expect(byName('1 MB of aliases').status).toBe(422)
      expect(byName('1 MB nested').status).toBe(200) // { valid: false, diagnostics }: the nesting check refuses it before parsing
    },
    2 * MINUTE,
  )

  it(
    'a request over its budget gets 422 over-budget, and the server goes on serving',
    async () => {
      // 60 000 keys: more than the base budget of 1.5 s to check on any machine
      const res = await fetch(`${run.url}/validate`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/yaml' },
        body: manyKeysYaml(60_000),
      })
      expect(res.status).toBe(422)
      const problem = (await res.json()) as { type: string; detail: string; budget_ms: number }
      expect(problem.type).toMatch(/over-budget$/)
      expect(problem.budget_ms).toBe(1500)
      expect(problem.detail).toMatch(/more than 1.5 s of computing and was stopped; nothing was saved/)
      const ok = await fetch(`${run.url}/validate`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/yaml' },
        body: readFileSync(join(PROTOCOLS_DIR, `${P}.yaml`), 'utf8'),
      })
      expect(ok.status).toBe(200)
      expect(((await ok.json()) as { valid: boolean }).valid).toBe(true)
    },
    MINUTE,
  )

  it(
    'at most 4 streamed screenings at once: the fifth gets 429 with Retry-After, and a slot frees when one ends',
    async () => {
      const streams = Array.from({ length: 4 }, () => openStream(run.url, token))
      for (const s of streams) expect((await s.response).statusCode).toBe(200)
      const fifth = await fetch(`${run.url}/protocols/${P}/screen`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
        body: '{}\n',
      })
      expect(fifth.status).toBe(429)
      expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0)
      streams[0]!.req.end('{}\n')
      expect(await streams[0]!.text).toMatch(/"funnel"/)
      const sixth = await fetch(`${run.url}/protocols/${P}/screen`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
        body: '{}\n',
      })
      expect(sixth.status).toBe(200)
      await sixth.text()
      for (const s of streams.slice(1)) s.req.end()
      await Promise.all(streams.map(s => s.text))
    },
    MINUTE,
  )

  it(
    'SIGTERM: no new connections, the upload in flight finishes, exit 0, lock released',
    async () => {
      const upload = openStream(run.url, token)
      expect((await upload.response).statusCode).toBe(200)
      upload.req.write('{}\n')
      run.child.kill('SIGTERM')
      await new Promise(r => setTimeout(r, 500))
      await expect(fetch(`${run.url}/health`)).rejects.toThrow()
      upload.req.end('{}\n')
      const lines = (await upload.text).trim().split('\n')
      expect(lines).toHaveLength(3) // two results, then the funnel
      expect(JSON.parse(lines[2]!)).toHaveProperty('funnel')
      expect(await run.exited).toBe(0)
      expect(run.stderr).toMatch(/SIGTERM: shutting down/)
      expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false)
    },
    MINUTE,
  )
})

describe('a pool with its queue full', () => {
  // the bounds of a small pool, in process: one thread and two calls waiting (the server's defaults are a thread per core
  // and 32 calls waiting per thread, the same code); a full queue takes a burst of a few requests instead of hundreds
  let pool: CpuPool
  let app: ReturnType<typeof createApp>
  let token: string
  beforeAll(async () => {
    const t = await testApp()
    pool = new CpuPool({ threads: 1, maxQueue: 2, budgetMs: 30_000 })
    await pool.ready()
    app = createApp({ store: t.store, cpu: pool })
    token = t.adminToken
  }, MINUTE)
  afterAll(() => pool.close())

  const answer = async (r: Response) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.text() })

  it('beyond the queue, 429 with Retry-After; nothing is a 500', async () => {
    const body = manyKeysYaml(4_000)
    const answers = await Promise.all(Array.from({ length: 8 }, () => req(app, 'POST', '/validate', { token, yaml: body }).then(answer)))
    // one running, two waiting: the rest are refused at once (a call that ended before the last ones came makes room)
    const refused = answers.filter(a => a.status === 429)
    expect(answers.filter(a => a.status === 200).length).toBeGreaterThanOrEqual(3)
    expect(refused.length).toBeGreaterThan(0)
    expect(answers.every(a => a.status === 200 || a.status === 429)).toBe(true)
    for (const r of refused) {
      expect(Number(r.retryAfter)).toBeGreaterThan(0)
      expect(r.body).toMatch(/too-many-requests/)
      expect(r.body).toMatch(/1 threads are busy and 2 requests wait for them/)
    }
  })

  it('a request whose client went away while it waited leaves the queue: no thread runs it, and the next one runs', async () => {
    const body = manyKeysYaml(4_000)
    const taken = pool.tasksTaken
    const running = req(app, 'POST', '/validate', { token, yaml: body })
    await vi.waitFor(() => expect(pool.tasksTaken).toBe(taken + 1)) // the thread has the first one
    const leaving = new AbortController()
    const left = app.request('/validate', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/yaml' },
      body,
      signal: leaving.signal,
    })
    const next = req(app, 'POST', '/validate', { token, yaml: body })
    leaving.abort()
    const [first, gone, after] = await Promise.all([running, left, next])
    expect(first.status).toBe(200)
    expect(after.status).toBe(200)
    // nobody reads this answer; the log says what happened (nginx's 499 "client closed request")
    expect(gone.status).toBe(499)
    expect(await gone.text()).toMatch(/client-closed-request/)
    expect(pool.tasksTaken).toBe(taken + 2)
  })

  it('batches are bounded apart (two per thread): a burst of them gets 429 with Retry-After, never a 500', async () => {
    const examples = shippedProtocol('NCT05631717').examples!
    const patient = examplePatient(examples, examples.examples[0]!.id)
    const batch = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ ...patient, id: `p${i}` })))
    const answers = await Promise.all(Array.from({ length: 5 }, () => req(app, 'POST', `/protocols/${P}/evaluate/batch`, { token, json: batch }).then(answer)))
    // two batches on the one thread, within the queue of two: later ones are refused, as batches
    const refused = answers.filter(a => a.status === 429)
    expect(answers.filter(a => a.status === 200).length).toBeGreaterThanOrEqual(2)
    expect(refused.length).toBeGreaterThan(0)
    expect(answers.every(a => a.status === 200 || a.status === 429)).toBe(true)
    expect(refused[0]!.body).toMatch(/batches or impact calculations are running or waiting/)
    expect(Number(refused[0]!.retryAfter)).toBeGreaterThan(0)
  })
})

describe('shutdown deadline', () => {
  it(
    'an upload still open at the deadline is cut, and the server exits 0 soon after',
    async () => {
      const dataDir = join(temp, 'deadline')
      const run = await servers.listening(servers.start(dataDir, { SHUTDOWN_DEADLINE_MS: '1000', CPU_THREADS: '1' }))
      const upload = openStream(run.url, tokenOf(dataDir))
      expect((await upload.response).statusCode).toBe(200)
      upload.req.write('{}\n')
      const t0 = Date.now()
      run.child.kill('SIGTERM')
      expect(await run.exited).toBe(0)
      expect(Date.now() - t0).toBeLessThan(10_000)
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900) // it waited for the upload first
      expect(run.stderr).toMatch(/deadline reached/)
      upload.req.destroy()
      expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false)
    },
    MINUTE,
  )
})

describe('streamed uploads: an idle timeout, not a total one', () => {
  it('an upload that goes silent is closed with a last line saying so; one that keeps sending is not', async () => {
    const store = openSqliteStore(':memory:')
    const { adminToken } = await bootstrap(store, PROTOCOLS_DIR)
    const app = createApp({ store, streamIdleMs: 400 })
    const server = await new Promise<ReturnType<typeof serve>>(resolve => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s))
    })
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      // silent after one line
      const silent = openStream(url, adminToken!)
      silent.req.write('{}\n')
      const lines = (await silent.text)
        .trim()
        .split('\n')
        .map(l => JSON.parse(l) as Record<string, unknown>)
      expect(lines).toHaveLength(2)
      expect((lines[1]!.error as { code: string }).code).toBe('E_NDJSON_IDLE')
      expect(lines[1]!.funnel).toMatchObject({ records: 1 })
      silent.req.destroy()

      // a line every 200 ms for 1.2 s: longer than the idle timeout in total, never idle that long
      const steady = openStream(url, adminToken!)
      for (let i = 0; i < 6; i++) {
        steady.req.write('{}\n')
        await new Promise(r => setTimeout(r, 200))
      }
      steady.req.end()
      const all = (await steady.text)
        .trim()
        .split('\n')
        .map(l => JSON.parse(l) as Record<string, unknown>)
      expect(all).toHaveLength(7)
      expect(all[6]).not.toHaveProperty('error')
    } finally {
      server.close()
      store.close()
    }
  })
})

describe('HTTPS', () => {
  const dir = join(temp, 'tls')
  let cert: string
  let key: string

  beforeAll(() => {
    execFileSync('mkdir', ['-p', dir])
    cert = join(dir, 'cert.pem')
    key = join(dir, 'key.pem')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    )
  })

  it('TLS_CERT and TLS_KEY serve the API over HTTPS', async () => {
    const run = await startHere({ DATA_DIR: join(dir, 'data'), PROTOCOLS_DIR, TLS_CERT: cert, TLS_KEY: key })
    try {
      expect(run.failure).toBeUndefined()
      expect(run.started!.url).toMatch(/^https:\/\//)
      const body = await new Promise<string>((resolve, reject) => {
        httpsGet(`${run.started!.url}/health`, { ca: readFileSync(cert) }, res => {
          let text = ''
          res.on('data', (d: Buffer) => (text += d.toString()))
          res.on('end', () => resolve(text))
        }).once('error', reject)
      })
      expect(JSON.parse(body)).toEqual({ ok: true })
    } finally {
      await run.started?.close()
    }
  })

  it('a certificate that cannot be read, or only half of the pair, is one line naming what to fix', async () => {
    const missing = await refusedHere({ DATA_DIR: join(dir, 'data-missing'), PROTOCOLS_DIR, TLS_CERT: join(dir, 'nope.pem'), TLS_KEY: key })
    expect(missing).toContain(join(dir, 'nope.pem'))
    expect(missing).toMatch(/^Cannot read the TLS certificate/)
    const half = await refusedHere({ DATA_DIR: join(dir, 'data-half'), PROTOCOLS_DIR, TLS_CERT: cert, TLS_KEY: '' })
    expect(half).toMatch(/TLS needs both TLS_CERT and TLS_KEY/)
  })
})
