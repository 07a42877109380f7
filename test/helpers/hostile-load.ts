/**
 * Hostile requests against a running server, and GET /health timed while
 * they run: the resilience test asserts on it, the hostile-load bench reports
 * it. Each input is one that once froze the whole server (a viewer's
 * /validate of 25 000 keys took 640 s; a megabyte of nested flow 19 s).
 */
import { generateBundle } from './fhir-corpus/index.ts'

/** 25 000 top-level keys (~240 KB): each unknown key once listed every key of the object. */
export function manyKeysYaml(keys = 25_000): string {
  return Array.from({ length: keys }, (_, i) => `key_${i}: ${i}`).join('\n')
}

/** About a megabyte of nested flow sequences. */
export function nestedFlowYaml(bytes = 1_000_000): string {
  const depth = bytes / 2
  return `${'['.repeat(depth)}${']'.repeat(depth)}`
}

/** About `bytes` of aliases of one anchored mapping (under the 1 MiB body limit once in JSON). */
export function aliasesYaml(bytes = 900_000): string {
  const lines = ['base: &a { x: [1, 2, 3], y: [4, 5, 6] }']
  for (let i = 0, size = 0; size < bytes; i++) {
    const line = `k${i}: [*a, *a, *a, *a]`
    lines.push(line)
    size += line.length + 1
  }
  return lines.join('\n')
}

/** A Synthea-shaped FHIR R4 Bundle of about `bytes` (real code systems), as text. */
export function largeFhirBundle(bytes = 10_000_000): string {
  return JSON.stringify(generateBundle(7, 'synthea', { targetBytes: bytes }).bundle)
}

export interface HostileOutcome {
  name: string
  status: number
  /** The problem type's last segment, when the answer is a problem. */
  problem?: string
  ms: number
}

export interface HostileLoadResult {
  hostile: HostileOutcome[]
  /** Every GET /health's status and time, in order. */
  health: Array<{ status: number; ms: number }>
}

/** The `p`-th percentile (0–100) of a list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN
}

async function timed(name: string, run: () => Promise<Response>): Promise<HostileOutcome> {
  const t0 = performance.now()
  const res = await run()
  const text = await res.text()
  const ms = performance.now() - t0
  const type = res.headers.get('content-type')?.includes('problem') ? (JSON.parse(text) as { type: string }).type.split('/').at(-1) : undefined
  return { name, status: res.status, ms, ...(type ? { problem: type } : {}) }
}

/** Poll GET /health every `everyMs` until `done` settles. */
async function pollHealth(url: string, done: Promise<unknown>, everyMs: number): Promise<Array<{ status: number; ms: number }>> {
  const out: Array<{ status: number; ms: number }> = []
  let finished = false
  void done.finally(() => (finished = true))
  while (!finished) {
    const t0 = performance.now()
    const res = await fetch(`${url}/health`)
    await res.arrayBuffer()
    out.push({ status: res.status, ms: performance.now() - t0 })
    await new Promise(r => setTimeout(r, everyMs))
  }
  return out
}

/**
 * The four hostile requests at once (25 000 keys to /validate, a megabyte of
 * nested flow to a protocol's /validate, a megabyte of aliases as the draft
 * of an examples run, a 10 MB FHIR bundle), with /health polled meanwhile.
 */
export async function hostileLoad(
  url: string,
  token: string,
  protocolId: string,
  inputs = { keys: manyKeysYaml(), nested: nestedFlowYaml(), aliases: aliasesYaml(), fhir: largeFhirBundle() },
): Promise<HostileLoadResult> {
  const auth = { Authorization: `Bearer ${token}` }
  const yaml = (path: string, body: string) => () => fetch(`${url}${path}`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/yaml' }, body })
  const all = Promise.all([
    timed('25 000 keys to /validate', yaml('/validate', inputs.keys)),
    timed('1 MB nested flow to /protocols/{id}/validate', yaml(`/protocols/${protocolId}/validate`, inputs.nested)),
    timed('1 MB of aliases as an examples-run draft', () =>
      fetch(`${url}/protocols/${protocolId}/examples/run`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ yaml: inputs.aliases }),
      }),
    ),
    timed('10 MB FHIR bundle to /fhir/patient', () =>
      fetch(`${url}/fhir/patient`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/fhir+json' }, body: inputs.fhir }),
    ),
  ])
  const [hostile, health] = await Promise.all([all, pollHealth(url, all, 5)])
  return { hostile, health }
}
