/**
 * `npm run bench` (after eligibility.bench.ts): the fast path, as ratios within one run.
 *
 * - fast path (fast.screen, closures) vs json-rules-engine's own `run` on the
 *   same rules, facts, operators and records (target ≥ 200×);
 * - fast path vs a hand-written NCT05631717 predicate (target ≤ 1.5×, the issue on speed);
 * - equivalence with the reference path on ≥ 100 000 random records across
 *   every shipped protocol (the npm-test property test runs fewer);
 * - 1 000 000 synthetic records screened from an NDJSON file by the CLI's
 *   screen command in a child process: one thread against the floor of
 *   reading and parsing the same file (target ≤ 1.5×), `--workers N` against
 *   one thread (target ≥ 0.9 × N), peak RSS (target ≤ 1 GB);
 * - compile time per protocol (≤ 5 ms) and single-patient evaluation with
 *   explanations, p50 (≤ 0.2 ms).
 *
 * Figures are for comparison within the run; speed is never asserted in tests.
 * BENCH_RECORDS, BENCH_EQUIVALENCE, BENCH_SCREEN_RECORDS and BENCH_STAGE_RECORDS scale the parts.
 */
import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import fc from 'fast-check'
import { compileFast } from '../../engine/fast/index.ts'
import {
  compileProtocol,
  enginePairOf,
  evaluateEligibility,
  validateAgainstSchema,
  type PatientRecord,
  type ScreenVerdict,
  type Verdict,
} from '../../engine/index.ts'
import { shippedProtocol, shippedProtocols } from '../helpers/protocols.ts'
import { patientArb, perturbModel } from '../engine/fast/perturb.ts'
import { syntheticPatients } from './synthetic-patients.ts'
import { writeSyntheticNdjson } from './synthetic-ndjson.ts'
import { handWrittenNct05631717 } from './hand-written-nct05631717.ts'
import { factLeaves, replayingFacts } from './replay-facts.ts'
import { FACTS } from '../../engine/evaluate/facts/registry.ts'
import type { StageRate } from './screen-stages.ts'
import { buildEnginePair, traceOfRuns } from '../../engine/evaluate/engine-pair.ts'
import { verdictFromTrace } from '../../engine/evaluate/verdict.ts'

const RECORDS = Number(process.env.BENCH_RECORDS ?? 10_000)
const EQUIVALENCE = Number(process.env.BENCH_EQUIVALENCE ?? 100_000)
const SCREEN = Number(process.env.BENCH_SCREEN_RECORDS ?? 1_000_000)
const STAGE_RECORDS = Number(process.env.BENCH_STAGE_RECORDS ?? 50_000)
const root = join(import.meta.dirname, '..', '..')

const nct = shippedProtocol('NCT05631717')
const compiled = compileProtocol(nct.doc)
const fast = compileFast(compiled)
const pair = enginePairOf(compiled)
const patients = syntheticPatients(nct.examples!, RECORDS)
const out: string[] = []
const line = (s = '') => {
  out.push(s)
  console.log(s)
}
const now = () => Number(process.hrtime.bigint()) / 1e6

/** Records per second over every record, best of `rounds` passes (after a warm-up pass). */
function throughput(fn: (p: PatientRecord) => unknown, rounds = 3): number {
  for (const p of patients.slice(0, 2000)) fn(p)
  let best = 0
  for (let r = 0; r < rounds; r++) {
    const t0 = now()
    for (const p of patients) fn(p)
    best = Math.max(best, (patients.length / (now() - t0)) * 1000)
  }
  return best
}
async function throughputAsync(fn: (p: PatientRecord) => Promise<unknown>): Promise<number> {
  for (const p of patients.slice(0, 500)) await fn(p)
  const t0 = now()
  for (const p of patients) await fn(p)
  return (patients.length / (now() - t0)) * 1000
}
function quantiles(samples: number[]) {
  samples.sort((a, b) => a - b)
  const q = (x: number) => samples[Math.min(samples.length - 1, Math.floor(x * samples.length))]!
  return { p50: q(0.5), p99: q(0.99) }
}

line(`fast path bench — node ${process.version}, ${RECORDS} synthetic NCT05631717 records`)

// compile time per protocol: compileProtocol, then compileFast on its rules
line('')
line('compile time per protocol (mean of 50)          compileProtocol ms   compileFast ms')
for (const p of shippedProtocols()) {
  for (let i = 0; i < 10; i++) compileFast(compileProtocol(p.doc))
  let a = 0
  let b = 0
  for (let i = 0; i < 50; i++) {
    const t0 = now()
    const c = compileProtocol(p.doc)
    const t1 = now()
    compileFast(c)
    a += t1 - t0
    b += now() - t1
  }
  line(`  ${p.file.padEnd(45)}${(a / 50).toFixed(3).padStart(10)}${(b / 50).toFixed(3).padStart(17)}`)
}

// throughput: the same records through each path
const jre = await throughputAsync(p => pair.runOnce(p))
const fastRate = throughput(p => fast.screen(p))
const handRate = throughput(p => handWrittenNct05631717(p))
let agree = 0
for (const p of patients) if (handWrittenNct05631717(p) === fast.screen(p).overall) agree++
line('')
line(`${'path (NCT05631717)'.padEnd(64)}records/s`)
line(`${'json-rules-engine run (one two-valued run, same rules and facts)'.padEnd(64)}${jre.toFixed(0).padStart(9)}`)
line(`${'fast path: fast.screen (three-valued, per-criterion)'.padEnd(64)}${fastRate.toFixed(0).padStart(9)}`)
line(`${'hand-written predicate (overall verdict only)'.padEnd(64)}${handRate.toFixed(0).padStart(9)}`)
line(`ratio fast / json-rules-engine run: ×${(fastRate / jre).toFixed(1)}   (target ≥ 200)`)
line(
  `ratio hand-written / fast: ×${(handRate / fastRate).toFixed(2)}   (target ≤ 1.5); hand-written agrees with the engine on ${((agree / patients.length) * 100).toFixed(1)}% of records`,
)

// the rule machinery alone: both paths with every record's evidence computed once beforehand and replayed
const fastReplay = compileFast(compiled, replayingFacts('object'))
const pairReplay = buildEnginePair(compiled, { rules: compiled.rules, counters: compiled.counters }, replayingFacts('content'))
for (const p of patients) fastReplay.screen(p)
for (const p of patients) await pairReplay.run(p)
const jreMachinery = await throughputAsync(p => pairReplay.runOnce(p))
const fastMachinery = throughput(p => fastReplay.screen(p))
line('')
line(`${'rule machinery alone (every fact precomputed and replayed)'.padEnd(64)}records/s`)
line(`${'json-rules-engine run'.padEnd(64)}${jreMachinery.toFixed(0).padStart(9)}`)
line(`${'fast path: fast.screen'.padEnd(64)}${fastMachinery.toFixed(0).padStart(9)}`)
line(`ratio fast / json-rules-engine, machinery alone: ×${(fastMachinery / jreMachinery).toFixed(0)}   (the ≥ 200 target's comparison)`)
// what the facts cost per record bounds the whole-path ratio: (machinery + facts) / (closures + facts)
// the facts alone: every distinct fact leaf of the rules computed once per record, as both paths compute them
const leaves = factLeaves(compiled)
const factsRate = throughput(p => {
  const ctx = {
    doc: compiled.document,
    params: compiled.parameters,
    dictionary: compiled.dictionary,
    extensions: compiled.extensions,
    run: {},
    record: new Map<string, unknown>(),
  }
  for (const l of leaves) FACTS[l.fact]!(p, l.params, ctx)
})
const factsUs = 1e6 / factsRate
line(`facts alone (${leaves.length} distinct leaves per record, computed directly): ${factsRate.toFixed(0)} records/s`)
line(
  `facts per record: ${factsUs.toFixed(1)} µs of the fast path's ${(1e6 / fastRate).toFixed(1)} µs; json-rules-engine's machinery ${(1e6 / jreMachinery).toFixed(1)} µs`,
)
line(`  → with these facts the whole-path ratio cannot exceed ×${((1e6 / jreMachinery + factsUs) / factsUs).toFixed(1)} however fast the closures are`)

// single patient with explanations (reference path), and the traced fast verdict
const single = async (fn: (p: PatientRecord) => Promise<unknown> | unknown) => {
  const n = Math.min(patients.length, 5000)
  for (const p of patients.slice(0, 500)) await fn(p)
  const samples: number[] = []
  for (const p of patients.slice(0, n)) {
    const t0 = now()
    await fn(p)
    samples.push(now() - t0)
  }
  return quantiles(samples)
}
const ref = await single(p => evaluateEligibility(compiled, p, { backend: 'reference' }))
const traced = await single(p => fast.evaluate(p))
// the reference path's floor: its two json-rules-engine runs and the explanations, with every fact replayed
const floor = await single(async p => {
  const { lower, upper } = await pairReplay.run(p)
  return verdictFromTrace(compiled, p, traceOfRuns(lower, upper))
})
const oneRun = await single(p => pairReplay.runOnce(p))
line('')
line(`single patient with explanations      p50 ms    p99 ms`)
line(`  evaluateEligibility (reference)  ${ref.p50.toFixed(3).padStart(9)} ${ref.p99.toFixed(3).padStart(9)}   (target p50 ≤ 0.2)`)
line(`  fast.evaluate (traced closures)  ${traced.p50.toFixed(3).padStart(9)} ${traced.p99.toFixed(3).padStart(9)}`)
line(
  `  reference, facts replayed        ${floor.p50.toFixed(3).padStart(9)} ${floor.p99.toFixed(3).padStart(9)}   (json-rules-engine's floor: two runs + explanations)`,
)
line(`  one json-rules-engine run, replayed ${oneRun.p50.toFixed(3).padStart(6)} ${oneRun.p99.toFixed(3).padStart(9)}`)

// equivalence on ≥ 100 000 random records across the shipped protocols
const protocols = shippedProtocols()
const perProtocol = Math.ceil(EQUIVALENCE / protocols.length)
let checked = 0
let mismatches = 0
const t0 = now()
for (const p of protocols) {
  const c = compileProtocol(p.doc)
  const f = compileFast(c)
  const records = fc.sample(patientArb(perturbModel(p.doc, p.examples, c)), { numRuns: perProtocol, seed: 42 })
  for (const r of records) {
    let want: Verdict | undefined
    try {
      want = await evaluateEligibility(c, r, { backend: 'reference' })
    } catch {
      want = undefined
    }
    let got: ScreenVerdict | undefined
    try {
      got = f.screen(r)
    } catch {
      got = undefined
    }
    checked++
    // as in the property test: a record the schema rejects may throw on one path only (the fast path short-circuits)
    const valid = !validateAgainstSchema('patient', r, undefined).some(d => d.severity === 'error')
    const same =
      want === undefined || got === undefined
        ? want === got || !valid
        : want.overall === got.overall &&
          want.criteria.every(
            (x, i) => x.outcome === got.criteria[i]!.outcome && x.truth === got.criteria[i]!.truth && x.applicable === got.criteria[i]!.applicable,
          )
    if (!same) {
      mismatches++
      if (mismatches <= 3) line(`  MISMATCH ${p.file}: ${JSON.stringify(r)}`)
    }
  }
}
line('')
line(`equivalence: ${checked} random records over ${protocols.length} protocol(s), ${mismatches} mismatches (${((now() - t0) / 1000).toFixed(1)} s)`)

/**
 * Runs a bench script of this folder on the seed protocol in a fresh process (a heap grown by the benchmarks above
 * slows every stage) and returns what it reports on stderr as `BENCH <json>`, or undefined (said) when it failed.
 */
function benchChild<T>(script: string, args: string[]): T | undefined {
  const child = spawnSync(process.execPath, ['--import', 'tsx', `test/bench/${script}`, 'protocols/nct05631717.yaml', ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 20,
  })
  const m = /BENCH (.*)$/m.exec(child.stderr ?? '')
  if (!m) line(`  ${script} failed: ${child.stderr}`)
  return m ? (JSON.parse(m[1]!) as T) : undefined
}

// a million records from an NDJSON file, screened by the CLI command in a child process
if (SCREEN > 0) {
  const g0 = now()
  const file = writeSyntheticNdjson(nct.examples!, SCREEN)
  line('')
  line(`screen: ${SCREEN} records, ${(file.bytes / 1e6).toFixed(0)} MB of NDJSON (written in ${((now() - g0) / 1000).toFixed(1)} s)`)
  // the floor: reading the same file's lines and JSON.parse of each, in a fresh process, as the screen reads them
  const floorMs = benchChild<StageRate[]>('screen-stages.ts', [file.path, '1', '2'])?.[1]?.ms ?? Number.NaN
  line(`  floor        ${(floorMs / 1000).toFixed(2)} s: the lines read and each JSON.parse'd, nothing else`)
  let oneThreadMs = Number.NaN
  // one thread (the target's "one core"), then --workers with every core of this machine
  for (const workers of [1, ...(availableParallelism() > 1 ? [availableParallelism()] : [])]) {
    const r = benchChild<{ ms: number; maxRssMb: number }>('screen-child.ts', [file.path, String(workers)])
    if (r) {
      const how = workers === 1 ? 'one thread' : `--workers ${workers}`
      if (workers === 1) oneThreadMs = r.ms
      const against =
        workers === 1
          ? `×${(r.ms / floorMs).toFixed(2)} the floor (target ≤ 1.5)`
          : `×${(oneThreadMs / r.ms).toFixed(2)} one thread's speed (target ≥ ${(0.9 * workers).toFixed(1)})`
      line(
        `  ${how.padEnd(12)} ${(r.ms / 1000).toFixed(2)} s, ${((SCREEN / r.ms) * 1000).toFixed(0)} records/s: ${against}; peak RSS ${r.maxRssMb.toFixed(0)} MB (target ≤ 1024)${workers === 1 ? '' : ', the whole process with its worker threads'}`,
      )
    }
  }
  rmSync(dirname(file.path), { recursive: true, force: true })
}

// where a screening pass spends its time, stage by stage, on a smaller file (extrapolated to 1 M records)
if (STAGE_RECORDS > 0) {
  const file = writeSyntheticNdjson(nct.examples!, STAGE_RECORDS)
  line('')
  line(`screen stages: ${STAGE_RECORDS} records (${(file.bytes / STAGE_RECORDS).toFixed(0)} bytes each), one pass per stage, best of two, in a fresh process`)
  line(`  ${'stage'.padEnd(24)}records/s   s per 1 M   this stage, s per 1 M`)
  let before = 0
  for (const s of benchChild<StageRate[]>('screen-stages.ts', [file.path]) ?? []) {
    const per1M = (s.ms / s.records) * 1000
    line(
      `  ${s.stage.padEnd(24)}${((s.records / s.ms) * 1000).toFixed(0).padStart(9)}${per1M.toFixed(1).padStart(12)}${(per1M - before).toFixed(1).padStart(24)}`,
    )
    before = per1M
  }
  rmSync(dirname(file.path), { recursive: true, force: true })
}
