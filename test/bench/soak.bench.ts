/**
 * `npm run bench` (last part): a soak. The real server (server/main.ts) runs
 * in a child process over a temporary DATA_DIR while SOAK_CONCURRENCY
 * (default 8) clients send SOAK_SECONDS (default 600) of mixed traffic over
 * loopback (soak-traffic.ts: health, protocol list, evaluations, subjects
 * registered, screened, randomized and visited, YAML validation, streamed
 * NDJSON screens, FHIR imports, wrong tokens, the UI shell).
 *
 * Unlike the other benches this one has no baseline ratio: there is no
 * simpler server whose behaviour over ten minutes would mean anything next to
 * this one. It compares the server with itself over time instead: its RSS
 * (/proc/<pid>/status VmRSS, sampled every SOAK_SAMPLE_SECONDS, default 5)
 * at the end against its level after the warm-up (the first 10 % of the
 * run: JIT, caches, SQLite pages, worker threads), each the median of the
 * samples of a tenth of the run, with the goal of less than 10 % growth.
 * Per route it reports requests, status counts and p50/p99 latency. Any
 * 5xx, or a request that got no answer, fails the run (exit code 1); the RSS
 * verdict is printed, not enforced (a short run is noisy). At the end the
 * server gets SIGTERM and must exit within 10 s.
 *
 *   SOAK_SECONDS=60 tsx test/bench/soak.bench.ts
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { fixtures, OPERATIONS, routeTable, Tally, worker, type Client, type Tokens } from './soak-traffic.ts'

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600)
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 8)
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 5)
const WARMUP_SECONDS = Math.max(SAMPLE_SECONDS, SECONDS * 0.1)
const GROWTH_GOAL = 10 // per cent
const STOP_SECONDS = 10
const root = join(import.meta.dirname, '..', '..')

/** The server's output, kept for the report (the last lines only); the admin token it prints is never echoed. */
interface Server {
  child: ChildProcess
  url: string
  stdout: string[]
  stderr: string[]
}

const keepLast = (lines: string[], line: string) => {
  lines.push(line)
  if (lines.length > 50) lines.shift()
}

/**
 * Start server/main.ts on a free port. Node runs it with tsx as a loader
 * rather than through `npx tsx`: npx and the tsx command each sit between
 * this process and the server, and the pid to sample must be the server's.
 */
async function startServer(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const server: Server = { child, url: '', stdout: [], stderr: [] }
  createInterface({ input: child.stderr! }).on('line', l => keepLast(server.stderr, l))
  const lines = createInterface({ input: child.stdout! })
  server.url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not say where it listens within 120 s:\n${server.stderr.join('\n')}`)), 120_000)
    child.once('exit', (code, signal) => reject(new Error(`the server exited (code ${code}, signal ${signal}) before listening:\n${server.stderr.join('\n')}`)))
    lines.on('line', l => {
      keepLast(server.stdout, l)
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(l)
      if (m && !server.url) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    })
  })
  return server
}

/** The first-start admin token: the file the server writes in DATA_DIR, else the line it printed. */
function adminToken(server: Server, dataDir: string): string {
  try {
    return readFileSync(join(dataDir, 'admin-token.txt'), 'utf8').trim()
  } catch {
    const printed = server.stdout.map(l => /^\s+(lnt_[\w-]+)\s*$/.exec(l)?.[1]).find(Boolean)
    if (!printed) throw new Error('no admin token: neither admin-token.txt in DATA_DIR nor a token line in the server output')
    return printed
  }
}

/** A token of `role` made by the token CLI against the running server's database (the CLI opens it beside the server, as an operator would). */
async function cliToken(dataDir: string, role: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'server/cli/bin/token.ts', 'create', '--role', role, '--name', `soak ${role}`],
    {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir },
      timeout: 60_000,
    },
  )
  const token = /(lnt_[\w-]+)/.exec(stdout)?.[1]
  if (!token) throw new Error(`the token CLI printed no token:\n${stdout}`)
  return token
}

/** A field of /proc/<pid>/status (Linux) as a number; undefined elsewhere or once the process is gone. */
function procStatus(pid: number, field: 'VmRSS' | 'Threads'): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : undefined
  } catch {
    return undefined
  }
}

/** Resident set size in kB. */
const rssKb = (pid: number) => procStatus(pid, 'VmRSS')

/** Median RSS (kB) of some samples; undefined for none. */
function median(samples: Array<{ kb: number }>): number | undefined {
  const kb = samples.map(s => s.kb).sort((a, b) => a - b)
  if (!kb.length) return undefined
  const mid = kb.length >> 1
  return kb.length % 2 ? kb[mid] : (kb[mid - 1]! + kb[mid]!) / 2
}

const mb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(1)} MB`)

/** SIGTERM, then wait; SIGKILL if it has not exited within STOP_SECONDS. */
async function stop(child: ChildProcess): Promise<{ exited: boolean; seconds: number; code: number | null; signal: string | null }> {
  const t0 = performance.now()
  if (child.exitCode !== null || child.signalCode !== null) return { exited: true, seconds: 0, code: child.exitCode, signal: child.signalCode }
  const exit = once(child, 'exit') as Promise<[number | null, string | null]>
  child.kill('SIGTERM')
  const result = await Promise.race([exit, sleep(STOP_SECONDS * 1000, undefined, { ref: false })])
  if (!result) {
    child.kill('SIGKILL')
    await exit
    return { exited: false, seconds: (performance.now() - t0) / 1000, code: null, signal: 'SIGKILL' }
  }
  return { exited: true, seconds: (performance.now() - t0) / 1000, code: result[0], signal: result[1] }
}

const dataDir = mkdtempSync(join(tmpdir(), 'ln-soak-'))
let server: Server | undefined
const cleanUp = () => {
  if (server?.child.exitCode === null) server.child.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
}
process.once('SIGINT', () => {
  cleanUp()
  process.exit(130)
})

let failed = false
try {
  const runId = Date.now().toString(36)
  const f = fixtures(root, runId)
  const started = performance.now()
  server = await startServer(dataDir)
  const pid = server.child.pid!
  console.log(
    `Soak: ${SECONDS} s of mixed traffic, ${CONCURRENCY} concurrent clients, RSS sampled every ${SAMPLE_SECONDS} s, warm-up ${WARMUP_SECONDS.toFixed(0)} s (node ${process.version})`,
  )
  console.log(
    `server pid ${pid} (${procStatus(pid, 'Threads') ?? '?'} threads) on ${server.url}, started in ${((performance.now() - started) / 1000).toFixed(1)} s; no baseline ratio: RSS is compared with itself after the warm-up`,
  )
  console.log(`mix: ${OPERATIONS.map(o => `${o.name} ${o.weight}`).join(', ')} (per cent of operations)`)

  const admin = adminToken(server, dataDir)
  let tokens: Tokens
  try {
    const [clinician, viewer] = await Promise.all([cliToken(dataDir, 'clinician'), cliToken(dataDir, 'viewer')])
    tokens = { admin, clinician, viewer }
  } catch (e) {
    // still a soak of every route, with one role: say so rather than stop
    console.log(`token CLI failed (${(e as Error).message.split('\n')[0]}): every request uses the admin token`)
    tokens = { admin, clinician: admin, viewer: admin }
  }

  const tally = new Tally()
  const client: Client = { base: server.url, tokens, tally }
  const samples: Array<{ t: number; kb: number }> = []
  const t0 = performance.now()
  const deadline = t0 + SECONDS * 1000
  // a progress line about every tenth of the run
  const progressEvery = Math.max(1, Math.round(SECONDS / 10 / SAMPLE_SECONDS))
  let sampled = 0
  const sample = (progress: boolean) => {
    const kb = rssKb(pid)
    const t = (performance.now() - t0) / 1000
    if (kb !== undefined) samples.push({ t, kb })
    if (progress && ++sampled % progressEvery === 0) {
      console.log(
        `  ${t.toFixed(0).padStart(5)} s  ${String(tally.total()).padStart(8)} requests  RSS ${mb(kb)}${tally.failures() ? `  ${tally.failures()} failed` : ''}`,
      )
    }
  }
  sample(false)
  const sampler = setInterval(() => sample(true), SAMPLE_SECONDS * 1000)
  // the baseline is taken when the warm-up ends, not at the next regular sample
  const atWarmup = setTimeout(() => sample(false), WARMUP_SECONDS * 1000)
  let serverDied = false
  server.child.once('exit', () => (serverDied = performance.now() < deadline))
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => worker(client, f, 7919 * (i + 1), deadline)))
  clearInterval(sampler)
  clearTimeout(atWarmup)
  const elapsed = (performance.now() - t0) / 1000
  const endKb = rssKb(pid)
  const endThreads = procStatus(pid, 'Threads')
  if (endKb !== undefined) samples.push({ t: elapsed, kb: endKb })

  console.log(`\n${tally.total()} requests in ${elapsed.toFixed(1)} s (${(tally.total() / elapsed).toFixed(0)} req/s)`)
  for (const line of routeTable(tally)) console.log(line)

  // RSS follows the garbage collector up and down by tens of MB: each end of the comparison is the median of a tenth of the run
  const window = Math.max(SAMPLE_SECONDS, SECONDS * 0.1)
  const baseline = median(samples.filter(s => s.t >= WARMUP_SECONDS - 0.5 && s.t <= WARMUP_SECONDS + window))
  const end = median(samples.filter(s => s.t >= elapsed - window))
  const peak = samples.reduce((m, s) => Math.max(m, s.kb), 0)
  if (baseline === undefined || end === undefined) {
    console.log(`\nRSS: not measured (${process.platform === 'linux' ? 'no sample after the warm-up' : 'no /proc on this system'})`)
  } else {
    const growth = ((end - baseline) / baseline) * 100
    const series = samples.filter((_, i) => i % Math.max(1, Math.ceil(samples.length / 12)) === 0 || i === samples.length - 1)
    console.log(`\nRSS: ${mb(samples[0]?.kb)} at start, peak ${mb(peak)}, ${mb(endKb)} at the last sample (${endThreads ?? '?'} threads)`)
    console.log(`RSS over time: ${series.map(s => `${s.t.toFixed(0)}s ${(s.kb / 1024).toFixed(0)}`).join(', ')} (MB)`)
    console.log(
      `RSS baseline ${mb(baseline)} (median, ${WARMUP_SECONDS.toFixed(0)}–${(WARMUP_SECONDS + window).toFixed(0)} s), end ${mb(end)} (median of the last ${window.toFixed(0)} s)`,
    )
    console.log(
      `RSS growth after warm-up: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} % — ${growth < GROWTH_GOAL ? 'within' : 'OVER'} the goal of < ${GROWTH_GOAL} %`,
    )
  }

  const failures = tally.failures()
  if (tally.errors.length) console.log(`\nrequests with no answer (first ${tally.errors.length}):\n  ${tally.errors.join('\n  ')}`)
  if (tally.unexpected.length) console.log(`\nunexpected answers (first ${tally.unexpected.length}):\n  ${tally.unexpected.join('\n  ')}`)
  if (serverDied) console.log(`\nthe server exited during the soak (code ${server.child.exitCode}, signal ${server.child.signalCode})`)
  if (server.stderr.length) console.log(`\nserver stderr (last ${server.stderr.length} lines):\n  ${server.stderr.join('\n  ')}`)

  const stopped = await stop(server.child)
  console.log(
    stopped.exited
      ? `\nSIGTERM: the server exited in ${stopped.seconds.toFixed(2)} s (code ${stopped.code}${stopped.signal ? `, signal ${stopped.signal}` : ''}), within ${STOP_SECONDS} s`
      : `\nSIGTERM: the server had not exited after ${STOP_SECONDS} s; killed`,
  )
  failed = failures > 0 || serverDied
  console.log(failed ? `FAILED: ${failures} answers were 5xx or missing${serverDied ? '; the server died' : ''}` : 'no 5xx, every request answered')
} catch (e) {
  console.error((e as Error).stack ?? String(e))
  failed = true
} finally {
  cleanUp()
}
process.exit(failed ? 1 : 0)
