/**
 * `npm run bench` (second part): HTTP throughput of the API, as a ratio to a
 * bare Hono app served by the same process with the same adapter.
 *
 * - hello: `GET /` of a two-line Hono app (the floor: node:http + adapter + Hono).
 * - echo: `POST /` of a bare Hono app that parses the JSON body and sends it
 *   back: the floor of a request with the patient's JSON (the baseline of the
 *   targets).
 * - verdict: bare Hono reading the patient's JSON and answering the preview's
 *   verdict (explanations included, stringified each time, no evaluation):
 *   what the answer's size alone costs.
 * - preview: `POST /protocols/nct05631717/evaluate?log=false` with the
 *   eligible example patient: auth (token hash lookup), JSON parsing and
 *   schema validation, evaluation with explanations on the fast backend
 *   (target ≥ 50 % of echo, p99 ≤ 10 ms).
 * - brief: the same preview with `explain=false` (the verdict without
 *   explanations, 2 kB instead of 23): what the pipeline costs when the
 *   answer is the echo's size.
 * - evaluate: the same, logged: one screening-log row in SQLite (WAL,
 *   synchronous=FULL, in a temporary DATA_DIR, so each answer waits for its
 *   fsync; target ≥ 25 % of echo).
 *
 * - screen (skipped when 0): `POST /protocols/nct05631717/screen`, BENCH_HTTP_SCREEN_RECORDS
 *   (default 100 000) synthetic records streamed up as NDJSON and the results
 *   read as they come, against a server in a child process
 *   (http-screen-server.ts) so its peak RSS is its own: records/s and the
 *   server's peak RSS before and after the upload (flat: nothing is held).
 *
 * 50 connections, BENCH_SECONDS (default 10) each. Figures compare within a
 * run on one machine; they are not targets.
 */
import { serve } from '@hono/node-server'
import autocannon, { type Result } from 'autocannon'
import { Hono } from 'hono'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import { examplePatient, loadExamples, loadProtocol } from '../../engine/index.ts'
import { createApp } from '../../server/app.ts'
import { bootstrap } from '../../server/bootstrap.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import { syntheticPatientStream } from './synthetic-patients.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const SCREEN_RECORDS = Number(process.env.BENCH_HTTP_SCREEN_RECORDS ?? 100_000)
const CONNECTIONS = 50
const P = 'nct05631717'
const root = join(import.meta.dirname, '..', '..')
const protocolsDir = join(root, 'protocols')
const doc = loadProtocol(readFileSync(join(protocolsDir, `${P}.yaml`), 'utf8')).value!
const examples = loadExamples(readFileSync(join(protocolsDir, `${P}.examples.yaml`), 'utf8'), doc).value!
const patient = JSON.stringify(examplePatient(examples, 'eligible-baseline'))

type Server = ReturnType<typeof serve>

function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ server: Server; url: string }> {
  return new Promise(resolve => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve({ server, url: `http://127.0.0.1:${info.port}` }))
  })
}

const close = (server: Server) => new Promise<void>(resolve => server.close(() => resolve()))

async function run(title: string, options: Parameters<typeof autocannon>[0]): Promise<Result> {
  // a short warm-up: JIT, protocol cache, SQLite page cache
  await autocannon({ ...options, connections: 10, duration: 1 })
  const r = await autocannon({ ...options, connections: CONNECTIONS, duration: SECONDS })
  const bad = r.non2xx + r.errors + r.timeouts
  console.log(
    `${title.padEnd(10)} ${r.requests.average.toFixed(0).padStart(8)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   ${r.requests.total} requests${bad ? `, ${bad} failed` : ''}`,
  )
  if (bad) throw new Error(`${title}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`)
  return r
}

/**
 * Stream `count` synthetic records through POST …/screen on a server in a
 * child process; results are counted as they arrive, never kept.
 */
async function screenOverHttp(count: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/http-screen-server.ts'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] })
  const replies = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
  const reply = async (prefix: string) => {
    for (;;) {
      const { value, done } = await replies.next()
      if (done) throw new Error(`the screen server exited before saying ${prefix}`)
      if (value.startsWith(`${prefix} `)) return JSON.parse(value.slice(prefix.length + 1)) as Record<string, unknown>
    }
  }
  const rss = async () => {
    child.stdin!.write('rss\n')
    return (await reply('RSS')).maxRssMb as number
  }
  try {
    const { url, token } = (await reply('READY')) as { url: string; token: string }
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' }
    // warm-up: JIT, protocol cache, fast-path compilation
    await (
      await fetch(`${url}/protocols/${P}/screen`, {
        method: 'POST',
        headers,
        body: [...syntheticPatientStream(examples, 2000, 1)].map(p => JSON.stringify(p)).join('\n'),
      })
    ).text()
    const rssBefore = await rss()
    const records = syntheticPatientStream(examples, count)
    const encoder = new TextEncoder()
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        let chunk = ''
        for (let i = 0; i < 256; i++) {
          const next = records.next()
          if (next.done) {
            if (chunk) c.enqueue(encoder.encode(chunk))
            return c.close()
          }
          chunk += `${JSON.stringify(next.value)}\n`
        }
        c.enqueue(encoder.encode(chunk))
      },
    })
    const t0 = performance.now()
    const res = await fetch(`${url}/protocols/${P}/screen`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit)
    if (res.status !== 200) throw new Error(`screen: HTTP ${res.status} ${await res.text()}`)
    const decoder = new TextDecoder()
    const reader = res.body!.getReader()
    let newlines = 0
    let pending = ''
    let lastLine = ''
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      const text = pending + decoder.decode(r.value, { stream: true })
      const end = text.lastIndexOf('\n')
      for (let i = text.indexOf('\n', pending.length); i !== -1; i = text.indexOf('\n', i + 1)) newlines++
      if (end >= 0) {
        // the last complete line: the funnel once the answer ends
        lastLine = text.slice(end > 0 ? text.lastIndexOf('\n', end - 1) + 1 : 0, end)
        pending = text.slice(end + 1)
      } else pending = text
    }
    const lines = newlines - 1
    const seconds = (performance.now() - t0) / 1000
    const funnel = (JSON.parse(lastLine) as { funnel: { records: number; evaluated: number } }).funnel
    if (lines !== count || funnel.records !== count)
      throw new Error(`screen: ${lines} result lines and a funnel of ${funnel.records} records for ${count} sent`)
    const rssAfter = await rss()
    console.log(
      `screen     ${(count / seconds).toFixed(0).padStart(8)} records/s   ${count} records in ${seconds.toFixed(2)} s over one streamed request (${funnel.evaluated} evaluated); server peak RSS ${rssAfter.toFixed(0)} MB (${rssBefore.toFixed(0)} MB before the upload)`,
    )
  } finally {
    child.stdin!.end()
    if (child.exitCode === null) await Promise.race([once(child, 'exit'), new Promise(r => setTimeout(r, 5000))])
    if (child.exitCode === null) child.kill()
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'ln-http-bench-'))
const store = openSqliteStore(process.env.BENCH_STORE === 'memory' ? ':memory:' : join(dataDir, 'ln-trial.db'))
try {
  const { adminToken } = await bootstrap(store, protocolsDir)
  // the preview's verdict, once fetched, for the `verdict` baseline below (a route cannot be added once requests are served)
  let verdictValue: unknown = null
  const hello = new Hono()
    .get('/', c => c.text('hello'))
    .post('/', async c => c.json(await c.req.json()))
    .post('/verdict', async c => {
      await c.req.json()
      return c.json(verdictValue)
    })
  const bare = await listen(hello.fetch)
  const api = await listen(createApp({ store }).fetch)

  console.log(`HTTP bench: ${CONNECTIONS} connections, ${SECONDS} s each (node ${process.version})`)
  const json = { method: 'POST' as const, headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' }, body: patient }
  const h = await run('hello', { url: `${bare.url}/` })
  const echo = await run('echo', { url: `${bare.url}/`, ...json })
  // what the answer's size alone costs: bare Hono reading the patient and answering the preview's verdict (stringified each time)
  const verdict = await (await fetch(`${api.url}/protocols/${P}/evaluate?log=false`, { method: 'POST', headers: json.headers, body: patient })).text()
  verdictValue = JSON.parse(verdict)
  const echoVerdict = await run('verdict', { url: `${bare.url}/verdict`, ...json })
  const preview = await run('preview', { url: `${api.url}/protocols/${P}/evaluate?log=false`, ...json })
  const brief = await run('brief', { url: `${api.url}/protocols/${P}/evaluate?log=false&explain=false`, ...json })
  const e = await run('evaluate', { url: `${api.url}/protocols/${P}/evaluate`, ...json })
  const logged = (await store.evaluations({ protocolId: P, limit: 1_000_000 })).length
  const share = (r: Result) => `${((r.requests.average / echo.requests.average) * 100).toFixed(1)} % of echo`
  console.log(`hello / echo: ${(h.requests.average / echo.requests.average).toFixed(2)}x (what reading a JSON body costs bare Hono)`)
  console.log(`preview: ${share(preview)} (target ≥ 50 %), p99 ${preview.latency.p99} ms (target ≤ 10 ms)`)
  console.log(
    `the answer's size: bare Hono reading the patient and answering the preview's ${(verdict.length / 1024).toFixed(1)} kB verdict runs at ${share(echoVerdict)}; the preview at ${((preview.requests.average / echoVerdict.requests.average) * 100).toFixed(1)} % of that`,
  )
  console.log(`brief preview (explain=false): ${share(brief)} (target ≥ 50 %), p99 ${brief.latency.p99} ms (target ≤ 10 ms)`)
  console.log(`evaluate, logged: ${share(e)} (target ≥ 25 %), p99 ${e.latency.p99} ms; ${logged} screening-log rows written`)
  await Promise.all([close(bare.server), close(api.server)])
  if (SCREEN_RECORDS > 0) await screenOverHttp(SCREEN_RECORDS)
} finally {
  store.close()
  rmSync(dataDir, { recursive: true, force: true })
}
