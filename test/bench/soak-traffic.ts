/**
 * The request mix of soak.bench.ts and its per-route tally. Each operation is
 * one or a few requests a real client makes; every answer is read to its end
 * (so the server's work and memory for it are complete) and counted under its
 * route with its status and latency.
 */
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { join } from 'node:path'
import { exampleSubject } from '../../engine/study.ts'
import { examplePatient, loadExamples, loadProtocol, type ExamplesDocument } from '../../engine/index.ts'
import { generateBundle } from '../helpers/fhir-corpus/index.ts'
import { mulberry32 } from '../helpers/fhir-corpus/random.ts'
import { syntheticPatientStream } from './synthetic-patients.ts'

export const P = 'nct05631717'

/** Answers a client may get in normal use; anything else is listed as unexpected (5xx and transport errors fail the soak). */
type Expected = readonly number[]

export interface Tokens {
  admin: string
  clinician: string
  viewer: string
}

/** Per route: status (or transport error) counts and latencies in ms. */
export class Tally {
  readonly routes = new Map<string, { statuses: Map<string, number>; ms: number[]; unexpected: number }>()
  /** The first requests that got no answer, and the first unexpected answers (status and the start of the body). */
  readonly errors: string[] = []
  readonly unexpected: string[] = []

  record(route: string, status: string, ms: number, expected: boolean): void {
    let r = this.routes.get(route)
    if (!r) this.routes.set(route, (r = { statuses: new Map(), ms: [], unexpected: 0 }))
    r.statuses.set(status, (r.statuses.get(status) ?? 0) + 1)
    r.ms.push(ms)
    if (!expected) r.unexpected++
  }

  /** 5xx answers and requests that got no answer (connection error, timeout). */
  failures(): number {
    let n = 0
    for (const r of this.routes.values()) for (const [s, count] of r.statuses) if (!/^[1-4]\d\d$/.test(s)) n += count
    return n
  }

  total(): number {
    let n = 0
    for (const r of this.routes.values()) n += r.ms.length
    return n
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0

/** One line per route: requests, statuses, p50/p99/max latency. */
export function routeTable(tally: Tally): string[] {
  const lines = [`${'route'.padEnd(34)} ${'requests'.padStart(8)}  ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)}  statuses`]
  for (const [route, r] of [...tally.routes].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = Float64Array.from(r.ms).sort()
    const arr = Array.from(sorted)
    const statuses = [...r.statuses]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')
    lines.push(
      `${route.padEnd(34)} ${String(r.ms.length).padStart(8)}  ${percentile(arr, 50).toFixed(1).padStart(7)} ${percentile(arr, 99).toFixed(1).padStart(7)} ${(arr.at(-1) ?? 0).toFixed(1).padStart(7)}  ${statuses}${r.unexpected ? `  (${r.unexpected} unexpected)` : ''}`,
    )
  }
  return lines
}

interface Fixtures {
  examples: ExamplesDocument
  patients: string[]
  protocolYaml: string
  ndjson: string[]
  bundles: string[]
  subjectCode: () => string
}

/** Inputs made once before the clock starts, so the client's own work stays out of the latencies. */
export function fixtures(root: string, runId: string): Fixtures {
  const protocolYaml = readFileSync(join(root, 'protocols', `${P}.yaml`), 'utf8')
  const doc = loadProtocol(protocolYaml).value!
  const examples = loadExamples(readFileSync(join(root, 'protocols', `${P}.examples.yaml`), 'utf8'), doc).value!
  const patients = examples.examples.map(e => JSON.stringify(examplePatient(examples, e.id)))
  // eight different uploads of 20 to 80 records each
  const ndjson = Array.from({ length: 8 }, (_, i) => `${[...syntheticPatientStream(examples, 20 + i * 8, 1000 + i)].map(r => JSON.stringify(r)).join('\n')}\n`)
  // US Core exports of about 90 to 175 KB: a patient's history, not a stress test of the body limit
  const bundles = [1, 2, 3]
    .flatMap(seed => [generateBundle(seed, 'us-core-6.1').bundle, generateBundle(seed, 'us-core-8.0').bundle])
    .map(b => JSON.stringify(b))
  let n = 0
  return { examples, patients, protocolYaml, ndjson, bundles, subjectCode: () => `SK-${runId}-${(n++).toString(36)}` }
}

export interface Client {
  base: string
  tokens: Tokens
  tally: Tally
}

/** One request, its answer read to the end, counted under `route`. Returns the status (0: no answer) and the body text. */
async function call(
  c: Client,
  route: string,
  path: string,
  init: RequestInit & { token?: string },
  expected: Expected,
): Promise<{ status: number; text: string }> {
  const headers = new Headers(init.headers)
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`)
  const t0 = performance.now()
  try {
    const res = await fetch(c.base + path, { ...init, headers, signal: AbortSignal.timeout(60_000) })
    const text = await res.text()
    const ok = expected.includes(res.status)
    c.tally.record(route, String(res.status), performance.now() - t0, ok)
    if (!ok && c.tally.unexpected.length < 20) c.tally.unexpected.push(`${route}: ${res.status} ${text.slice(0, 300)}`)
    return { status: res.status, text }
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } }
    const kind = err.name === 'TimeoutError' ? 'timeout' : (err.cause?.code ?? err.name)
    c.tally.record(route, kind, performance.now() - t0, false)
    if (c.tally.errors.length < 20) c.tally.errors.push(`${route}: ${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}`)
    return { status: 0, text: '' }
  }
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })

type Operation = { name: string; weight: number; run: (c: Client, f: Fixtures, rnd: () => number) => Promise<void> }

const pick = <T>(xs: readonly T[], rnd: () => number): T => xs[Math.floor(rnd() * xs.length)] as T

/** A subject's life in the API: registered, screened, randomized, two visits recorded, read back. */
async function subjectFlow(c: Client, f: Fixtures): Promise<void> {
  const token = c.tokens.clinician
  const subject = exampleSubject(f.examples, 'cr-by-week-20')
  const { id: _id, ...record } = examplePatient(f.examples, 'eligible-baseline')
  const reg = await call(
    c,
    'POST /protocols/:id/subjects',
    `/protocols/${P}/subjects`,
    { ...json({ code: f.subjectCode(), record: { ...record, medications: subject.medications } }), token },
    [201],
  )
  if (reg.status !== 201) return
  const sid = (JSON.parse(reg.text) as { id: string }).id
  const screened = await call(c, 'POST /subjects/:sid/screening', `/subjects/${sid}/screening`, { ...json({}), token }, [200])
  if (screened.status !== 200) return
  const rand = await call(c, 'POST /subjects/:sid/randomize', `/subjects/${sid}/randomize`, { ...json({ arm: 'il2', date: '2026-01-19' }), token }, [200])
  if (rand.status !== 200) return
  for (const v of (subject.visits ?? []).slice(0, 2)) {
    const on = <T extends { date: string }>(xs: T[] | undefined) => (xs ?? []).filter(x => x.date === v.date)
    const body = {
      visit: v.visit,
      date: v.date,
      ...(v.attestations ? { attestations: v.attestations } : {}),
      measurements: on(subject.measurements),
      sledai_2k: on(subject.sledai_2k),
      bilag_2004: on(subject.bilag_2004),
      ...(v.visit === 'baseline' ? { administrations: subject.administrations } : {}),
    }
    await call(c, 'POST /subjects/:sid/visits', `/subjects/${sid}/visits`, { ...json(body), token }, [201])
  }
  await call(c, 'GET /subjects/:sid', `/subjects/${sid}`, { token: c.tokens.viewer }, [200])
}

/** Streamed NDJSON up, result lines read as they come. */
async function screen(c: Client, f: Fixtures, rnd: () => number): Promise<void> {
  const body = pick(f.ndjson, rnd)
  const encoded = new TextEncoder().encode(body)
  let offset = 0
  // sent in pieces of 4 KB, as a client streaming an extract would
  const stream = new ReadableStream<Uint8Array>({
    pull(ctl) {
      if (offset >= encoded.length) return ctl.close()
      ctl.enqueue(encoded.subarray(offset, offset + 4096))
      offset += 4096
    },
  })
  const init = {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-ndjson' },
    body: stream,
    duplex: 'half',
    token: c.tokens.clinician,
  } as RequestInit & { token: string }
  await call(c, 'POST /protocols/:id/screen', `/protocols/${P}/screen`, init, [200])
}

/**
 * The address wrong-token requests come from. The server refuses every
 * request of an address past 20 failed sign-ins a minute (429, whatever its
 * token): sent from the clients' own address they would lock the rest of the
 * traffic out. From a second loopback address they test the throttle and,
 * since the other clients must then never see a 429, that it is per address.
 */
export const INTRUDER_ADDRESS = '127.0.0.2'

/** GET /protocols with a token the server never issued, over node:http, which can choose the local address. */
async function wrongToken(c: Client): Promise<void> {
  const route = 'GET /protocols (wrong token)'
  const t0 = performance.now()
  try {
    const status = await new Promise<number>((resolve, reject) => {
      const r = request(
        `${c.base}/protocols`,
        { localAddress: INTRUDER_ADDRESS, agent: intruderAgent, headers: { Authorization: 'Bearer lnt_not-a-token-of-this-server' }, timeout: 60_000 },
        res => {
          res.resume()
          res.once('end', () => resolve(res.statusCode ?? 0))
          res.once('error', reject)
        },
      )
      r.once('timeout', () => r.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })))
      r.once('error', reject)
      r.end()
    })
    c.tally.record(route, String(status), performance.now() - t0, status === 401 || status === 429)
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    c.tally.record(route, err.name === 'TimeoutError' ? 'timeout' : (err.code ?? err.name), performance.now() - t0, false)
    if (c.tally.errors.length < 20) c.tally.errors.push(`${route}: ${err.message}`)
  }
}

const intruderAgent = new Agent({ keepAlive: true })

/** Weights are per cent of operations; a subject flow is seven requests. */
export const OPERATIONS: readonly Operation[] = [
  { name: 'health', weight: 12, run: async c => void (await call(c, 'GET /health', '/health', {}, [200])) },
  { name: 'protocols', weight: 14, run: async c => void (await call(c, 'GET /protocols', '/protocols', { token: c.tokens.viewer }, [200])) },
  {
    name: 'evaluate',
    weight: 30,
    run: async (c, f, rnd) =>
      void (await call(
        c,
        'POST /protocols/:id/evaluate',
        `/protocols/${P}/evaluate`,
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: pick(f.patients, rnd), token: c.tokens.clinician },
        [200],
      )),
  },
  { name: 'subject', weight: 8, run: (c, f) => subjectFlow(c, f) },
  {
    name: 'validate',
    weight: 8,
    run: async (c, f) =>
      void (await call(
        c,
        'POST /validate',
        '/validate',
        { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: f.protocolYaml, token: c.tokens.viewer },
        [200],
      )),
  },
  { name: 'screen', weight: 8, run: screen },
  {
    name: 'fhir',
    weight: 5,
    run: async (c, f, rnd) =>
      void (await call(
        c,
        'POST /fhir/patient',
        '/fhir/patient',
        { method: 'POST', headers: { 'Content-Type': 'application/fhir+json' }, body: pick(f.bundles, rnd), token: c.tokens.clinician },
        [200],
      )),
  },
  { name: 'wrong-token', weight: 5, run: wrongToken },
  // the UI shell as a browser asks for it; 404 when web/dist was never built
  {
    name: 'ui',
    weight: 10,
    run: async c => void (await call(c, 'GET / (UI shell)', '/', { headers: { Accept: 'text/html', 'Accept-Encoding': 'gzip, deflate, br' } }, [200, 404])),
  },
]

/**
 * One worker: operations drawn by weight from its own seeded generator, one
 * at a time, until `deadline` (performance.now() ms).
 */
export async function worker(c: Client, f: Fixtures, seed: number, deadline: number): Promise<void> {
  const rnd = mulberry32(seed)
  const total = OPERATIONS.reduce((s, o) => s + o.weight, 0)
  while (performance.now() < deadline) {
    let x = rnd() * total
    const op = OPERATIONS.find(o => (x -= o.weight) < 0) ?? OPERATIONS[0]!
    await op.run(c, f, rnd)
  }
}
