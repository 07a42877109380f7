/**
 * `npm run bench` (HTTP on PostgreSQL): the API on PostgreSQL with one and
 * with two app instances, as ratios to the same API on SQLite, all measured in
 * this run. Every server is a real `npm start` process (server/main.ts),
 * SQLite's under a temporary DATA_DIR, PostgreSQL's on a database of their
 * own; two instances share one database, each loaded by its own autocannon
 * with half the connections (a load balancer's round robin).
 *
 * - preview: POST …/evaluate?log=false (reads: token, protocol, version);
 * - evaluate: POST …/evaluate, logged (one screening-log row and audit row,
 *   group-committed: on PostgreSQL under the write lock shared by instances).
 *
 * The cluster: BENCH_DATABASE_URL or TEST_DATABASE_URL, else a throwaway one
 * (test/postgres/throwaway-cluster.ts; skipped with a line saying why when
 * PostgreSQL is not installed). 50 connections, BENCH_SECONDS (default 10) each.
 */
import autocannon, { type Result } from 'autocannon'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { examplePatient, loadExamples, loadProtocol } from '../../engine/index.ts'
import { ServerProcesses, type Run } from '../helpers/server-process.ts'
import { startCluster, stopCluster } from '../postgres/throwaway-cluster.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = 50
const P = 'nct05631717'
const root = join(import.meta.dirname, '..', '..')
const doc = loadProtocol(readFileSync(join(root, 'protocols', `${P}.yaml`), 'utf8')).value!
const examples = loadExamples(readFileSync(join(root, 'protocols', `${P}.examples.yaml`), 'utf8'), doc).value!
const patient = JSON.stringify(examplePatient(examples, 'eligible-baseline'))

const adminTokenOf = (run: Run) => /(lnt_[A-Za-z0-9_-]+)/.exec(run.stdout)?.[1]

/** Requests per second through every instance at once, the connections split between them. */
async function load(urls: string[], path: string, token: string): Promise<{ rps: number; p99: number }> {
  const options = (url: string, connections: number, duration: number) => ({
    url: `${url}${path}`,
    method: 'POST' as const,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: patient,
    connections,
    duration,
  })
  await Promise.all(urls.map(u => autocannon(options(u, 5, 1))))
  const results: Result[] = await Promise.all(urls.map(u => autocannon(options(u, CONNECTIONS / urls.length, SECONDS))))
  const bad = results.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0)
  if (bad) throw new Error(`${path}: ${bad} failed requests`)
  return { rps: results.reduce((n, r) => n + r.requests.average, 0), p99: Math.max(...results.map(r => r.latency.p99)) }
}

async function cluster(): Promise<{ url: string; stop: () => void } | { skipped: string }> {
  const given = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL
  if (given) return { url: given, stop: () => {} }
  try {
    const state = await startCluster()
    return { url: state.url, stop: () => stopCluster(state) }
  } catch (e) {
    return { skipped: `no PostgreSQL cluster (set BENCH_DATABASE_URL, or install Debian's postgresql): ${(e as Error).message.split('\n')[0]}` }
  }
}

const servers = new ServerProcesses({ WARM_UP: '0' })
const pgCluster = await cluster()
if ('skipped' in pgCluster) {
  console.log(`HTTP on PostgreSQL: skipped, ${pgCluster.skipped}`)
} else {
  const dataDir = mkdtempSync(join(tmpdir(), 'ln-http-pg-bench-'))
  const admin = new pg.Pool({ connectionString: pgCluster.url, max: 1 })
  const database = `ln_bench_${randomUUID().replaceAll('-', '')}`
  try {
    await admin.query(`CREATE DATABASE ${database}`)
    const url = new URL(pgCluster.url)
    url.pathname = `/${database}`
    console.log(`HTTP on PostgreSQL: ${CONNECTIONS} connections, ${SECONDS} s each, every server an npm start process`)
    const rows: Array<[string, { rps: number; p99: number }, { rps: number; p99: number }]> = []

    const sqlite = await servers.listening(servers.start(dataDir))
    const sqliteToken = adminTokenOf(sqlite)!
    const base = {
      preview: await load([sqlite.url], `/protocols/${P}/evaluate?log=false`, sqliteToken),
      evaluate: await load([sqlite.url], `/protocols/${P}/evaluate`, sqliteToken),
    }
    await servers.stop(sqlite)
    rows.push(['SQLite, 1 instance', base.preview, base.evaluate])

    const first = await servers.listening(servers.start(dataDir, { DATABASE_URL: url.toString() }))
    const token = adminTokenOf(first)!
    const one = {
      preview: await load([first.url], `/protocols/${P}/evaluate?log=false`, token),
      evaluate: await load([first.url], `/protocols/${P}/evaluate`, token),
    }
    rows.push(['PostgreSQL, 1 instance', one.preview, one.evaluate])
    const second = await servers.listening(servers.start(dataDir, { DATABASE_URL: url.toString() }))
    const both = [first.url, second.url]
    const two = { preview: await load(both, `/protocols/${P}/evaluate?log=false`, token), evaluate: await load(both, `/protocols/${P}/evaluate`, token) }
    rows.push(['PostgreSQL, 2 instances', two.preview, two.evaluate])
    await Promise.all([servers.stop(first), servers.stop(second)])

    const ratio = (x: number, y: number) => `×${(x / y).toFixed(2)}`
    for (const [name, preview, evaluate] of rows)
      console.log(
        `${name.padEnd(24)} preview ${preview.rps.toFixed(0).padStart(6)} req/s (p99 ${preview.p99} ms, ${ratio(preview.rps, base.preview.rps)} SQLite)   logged ${evaluate.rps.toFixed(0).padStart(6)} req/s (p99 ${evaluate.p99} ms, ${ratio(evaluate.rps, base.evaluate.rps)} SQLite)`,
      )
  } finally {
    await servers.killAll()
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {})
    await admin.end()
    pgCluster.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
