/**
 * `npm run bench` (second part): HTTP throughput of the API, as a ratio to a
 * bare Hono hello-world served by the same process with the same adapter.
 *
 * - hello: `GET /` of a two-line Hono app (the floor: node:http + adapter + Hono).
 * - evaluate: `POST /protocols/nct05631717/evaluate` with the eligible example
 *   patient: auth (token hash lookup), JSON parsing and schema validation,
 *   evaluation and one screening-log row in SQLite (WAL, synchronous=FULL,
 *   in a temporary DATA_DIR, so each answer waits for its fsync).
 *
 * 50 connections, BENCH_SECONDS (default 10) each. Figures compare within a
 * run on one machine; they are not targets.
 */
import { serve } from '@hono/node-server'
import autocannon, { type Result } from 'autocannon'
import { Hono } from 'hono'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { examplePatient, loadExamples, loadProtocol } from '../../engine/index.ts'
import { createApp } from '../../server/app.ts'
import { bootstrap } from '../../server/bootstrap.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = 50
const P = 'nct05631717'
const root = join(import.meta.dirname, '..', '..')
const protocolsDir = join(root, 'protocols')
const doc = loadProtocol(readFileSync(join(protocolsDir, `${P}.yaml`), 'utf8')).value!
const examples = loadExamples(readFileSync(join(protocolsDir, `${P}.examples.yaml`), 'utf8'), doc).value!
const patient = JSON.stringify(examplePatient(examples, 'eligible-baseline'))

type Server = ReturnType<typeof serve>

function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve({ server, url: `http://127.0.0.1:${info.port}` }))
  })
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()))

async function run(title: string, options: Parameters<typeof autocannon>[0]): Promise<Result> {
  // a short warm-up: JIT, protocol cache, SQLite page cache
  await autocannon({ ...options, connections: 10, duration: 1 })
  const r = await autocannon({ ...options, connections: CONNECTIONS, duration: SECONDS })
  const bad = r.non2xx + r.errors + r.timeouts
  console.log(`${title.padEnd(10)} ${r.requests.average.toFixed(0).padStart(8)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   ${r.requests.total} requests${bad ? `, ${bad} failed` : ''}`)
  if (bad) throw new Error(`${title}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`)
  return r
}

const dataDir = mkdtempSync(join(tmpdir(), 'ln-http-bench-'))
const store = openSqliteStore(process.env.BENCH_STORE === 'memory' ? ':memory:' : join(dataDir, 'ln-trial.db'))
try {
  const { adminToken } = await bootstrap(store, protocolsDir)
  const hello = new Hono().get('/', (c) => c.text('hello'))
  const bare = await listen(hello.fetch)
  const api = await listen(createApp({ store }).fetch)

  console.log(`HTTP bench: ${CONNECTIONS} connections, ${SECONDS} s each (node ${process.version})`)
  const h = await run('hello', { url: `${bare.url}/` })
  const e = await run('evaluate', {
    url: `${api.url}/protocols/${P}/evaluate`,
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: patient,
  })
  const logged = (await store.evaluations({ protocolId: P, limit: 1_000_000 })).length
  console.log(`evaluate / hello: ${(e.requests.average / h.requests.average).toFixed(3)} of the throughput, p99 ${(e.latency.p99 / Math.max(h.latency.p99, 1)).toFixed(1)}x; ${logged} screening-log rows written`)
  await Promise.all([close(bare.server), close(api.server)])
} finally {
  store.close()
  rmSync(dataDir, { recursive: true, force: true })
}
