/**
 * `npm run bench` (hostile part): GET /health latency of the real server
 * (`server/main.ts` as a child process, its default budgets) while four
 * hostile requests run at once — 25 000 keys to /validate, a megabyte of
 * nested flow to a protocol's /validate, a megabyte of aliases as an
 * examples-run draft, a 10 MB FHIR bundle — against the same server's
 * /health when idle, measured in the same run (the baseline).
 *
 * Reports p50/p99/max of /health idle and under load, the ratio of the p99s,
 * and how each hostile request ended (status, problem, ms). The goal from the
 * server-hardening work: p99 under load below 50 ms, each hostile request
 * ended within about 2 s. BENCH_HOSTILE_ROUNDS (default 3) rounds.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { aliasesYaml, hostileLoad, largeFhirBundle, manyKeysYaml, nestedFlowYaml, percentile } from '../helpers/hostile-load.ts'
import { PROTOCOLS_DIR } from '../helpers/protocols.ts'
import { ServerProcesses } from '../helpers/server-process.ts'

const ROUNDS = Number(process.env.BENCH_HOSTILE_ROUNDS ?? 3)
const P = 'nct05631717'

const fmt = (values: number[]) =>
  `p50 ${percentile(values, 50).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms (n=${values.length})`

async function idleHealth(url: string, count: number): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < count; i++) {
    const t0 = performance.now()
    await (await fetch(`${url}/health`)).arrayBuffer()
    out.push(performance.now() - t0)
    await new Promise(r => setTimeout(r, 5))
  }
  return out
}

const temp = mkdtempSync(join(tmpdir(), 'ln-hostile-bench-'))
const servers = new ServerProcesses({ CPU_BUDGET_MS: undefined, CPU_THREADS: undefined, PROTOCOLS_DIR })
try {
  const dataDir = join(temp, 'data')
  const run = await servers.listening(servers.start(dataDir))
  const token = readFileSync(join(dataDir, 'admin-token.txt'), 'utf8').trim()
  const inputs = { keys: manyKeysYaml(), nested: nestedFlowYaml(), aliases: aliasesYaml(), fhir: largeFhirBundle() }
  console.log(
    `hostile load: server ${run.url}, ${ROUNDS} rounds; inputs ${Object.entries(inputs)
      .map(([k, v]) => `${k} ${(v.length / 1e6).toFixed(2)} MB`)
      .join(', ')}`,
  )

  const idle = await idleHealth(run.url, 300)
  const loaded: number[] = []
  for (let round = 1; round <= ROUNDS; round++) {
    const { hostile, health } = await hostileLoad(run.url, token, P, inputs)
    loaded.push(...health.map(h => h.ms))
    const bad = health.filter(h => h.status !== 200).length
    console.log(
      `  round ${round}: ${hostile.map(h => `${h.name}: ${h.status}${h.problem ? ` ${h.problem}` : ''} in ${Math.round(h.ms)} ms`).join('; ')}${bad ? `; ${bad} /health not 200` : ''}`,
    )
  }
  console.log(`  /health idle:         ${fmt(idle)}`)
  console.log(`  /health under attack: ${fmt(loaded)}`)
  console.log(
    `  p99 ratio (under attack / idle): ${(percentile(loaded, 99) / percentile(idle, 99)).toFixed(1)}x; goal p99 < 50 ms: ${percentile(loaded, 99) < 50 ? 'met' : 'NOT met'}`,
  )
  const code = await servers.stop(run)
  console.log(`  SIGTERM: exit ${code}`)
} finally {
  await servers.killAll()
  rmSync(temp, { recursive: true, force: true })
}
