/**
 * `npm run bench`: eligibility evaluation speed, as ratios within one run.
 *
 * - ours: `evaluateEligibility` — two json-rules-engine runs (unknown as false /
 *   as true) plus explanations.
 * - baseline: json-rules-engine's own `engine.run` on the same compiled rules,
 *   facts and operators, once per record (what a plain two-valued use costs).
 *
 * Prints single-patient latency (p50/p99) and batch throughput over 10 000
 * synthetic records for both, and the ratio. Figures are for comparison in
 * the same run on the same machine, never absolute targets.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { compileProtocol, enginePairOf, evaluateEligibility, loadExamples, loadProtocol, type PatientRecord } from '../../engine/index.ts'
import { syntheticPatients } from './synthetic-patients.ts'

const RECORDS = Number(process.env.BENCH_RECORDS ?? 10_000)
const root = join(import.meta.dirname, '..', '..')
const protocolText = readFileSync(join(root, 'protocols/nct05631717.yaml'), 'utf8')
const doc = loadProtocol(protocolText).value!
const examples = loadExamples(readFileSync(join(root, 'protocols/nct05631717.examples.yaml'), 'utf8'), doc).value!
const compiled = compileProtocol(doc)
const pair = enginePairOf(compiled)
const patients = syntheticPatients(examples, RECORDS)

async function timeEach(label: string, fn: (p: PatientRecord) => Promise<unknown>) {
  for (const p of patients.slice(0, 500)) await fn(p) // warm-up: JIT and caches
  const samples: number[] = []
  const start = process.hrtime.bigint()
  for (const p of patients) {
    const t0 = process.hrtime.bigint()
    await fn(p)
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  const totalMs = Number(process.hrtime.bigint() - start) / 1e6
  samples.sort((a, b) => a - b)
  const q = (x: number) => samples[Math.min(samples.length - 1, Math.floor(x * samples.length))]!
  return { label, p50: q(0.5), p99: q(0.99), perSecond: (samples.length / totalMs) * 1000, totalMs }
}

const compileStart = process.hrtime.bigint()
for (let i = 0; i < 100; i++) compileProtocol(doc)
const compileMs = Number(process.hrtime.bigint() - compileStart) / 1e6 / 100

const baseline = await timeEach('json-rules-engine run (two-valued, same rules)', p => pair.runOnce(p))
const ours = await timeEach('evaluateEligibility (three-valued + explanations)', p => evaluateEligibility(compiled, p, { backend: 'reference' }))

const verdicts = { eligible: 0, ineligible: 0, undetermined: 0 }
for (const p of patients.slice(0, 2000)) verdicts[(await evaluateEligibility(compiled, p)).overall]++

const fmt = (n: number) => n.toFixed(3).padStart(8)
console.log(`NCT05631717 eligibility — ${RECORDS} synthetic records, ${compiled.rules.length} rules, node ${process.version}`)
console.log(`compile: ${compileMs.toFixed(2)} ms per protocol`)
console.log(`verdict mix (first 2000): ${JSON.stringify(verdicts)}`)
console.log('')
console.log(`${'path'.padEnd(52)}  p50 ms    p99 ms    records/s`)
for (const r of [baseline, ours]) console.log(`${r.label.padEnd(52)}${fmt(r.p50)}  ${fmt(r.p99)}  ${r.perSecond.toFixed(0).padStart(9)}`)
console.log('')
console.log(
  `ratio evaluateEligibility / json-rules-engine run: p50 ×${(ours.p50 / baseline.p50).toFixed(2)}, throughput ×${(baseline.perSecond / ours.perSecond).toFixed(2)} slower`,
)
