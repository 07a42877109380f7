/**
 * Where a screening pass over NDJSON spends its time: the file is read again
 * for each stage, each pass doing one stage more (lines; + JSON.parse;
 * + schema validation; + the fast path; + writing the result as JSON), so the
 * differences between passes are each stage's cost. Shows what bounds the
 * "1 000 000 records in ≤ 10 s" target besides the rules themselves.
 * Run in a fresh process (fast.bench.ts spawns it), since a heap grown by
 * earlier benchmarks slows every stage:
 *
 *   tsx test/bench/screen-stages.ts <protocol.yaml> <records.ndjson> [rounds] [stages]   → `BENCH [...]` on stderr
 */
import { createReadStream, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { compileFast } from '../../engine/fast/index.ts'
import { compileProtocol, loadProtocol, validateAgainstSchema, type EligibilityEvaluator, type PatientRecord } from '../../engine/index.ts'

export const STAGES = ['read lines', '+ JSON.parse', '+ schema validation', '+ fast.screen', '+ result as JSON'] as const

export interface StageRate {
  stage: (typeof STAGES)[number]
  records: number
  ms: number
}

const now = () => Number(process.hrtime.bigint()) / 1e6

/**
 * Timed passes over the whole file, one per stage (cumulative stages), each stage the best of `rounds`.
 * `stages` stops after that many (2: the read + JSON.parse floor screening is measured against).
 */
export async function screenStages(path: string, fast: EligibilityEvaluator<'sync'>, rounds = 2, stages: number = STAGES.length): Promise<StageRate[]> {
  const out: StageRate[] = []
  let sink = 0
  for (let i = 0; i < rounds * stages; i++) {
    const depth = i % stages
    const t0 = now()
    let records = 0
    for await (const text of createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })) {
      records++
      if (depth < 1) continue
      const value = JSON.parse(text) as PatientRecord
      if (depth < 2) continue
      if (validateAgainstSchema('patient', value, undefined).length > 0) sink++
      if (depth < 3) continue
      const v = fast.screen(value)
      if (depth < 4) continue
      sink += JSON.stringify({ index: records - 1, id: value.id, overall: v.overall, failing: v.failing, undecided: v.undecided }).length
    }
    const ms = now() - t0
    if (out[depth] === undefined || ms < out[depth]!.ms) out[depth] = { stage: STAGES[depth]!, records, ms }
  }
  // keeps the work observable, so no stage is optimised away
  if (sink < 0) console.log(sink)
  return out
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  // [rounds] [stages]: `1 2` times the floor alone, once
  const [protocol, file, rounds, stages] = process.argv.slice(2)
  const loaded = loadProtocol(readFileSync(protocol!, 'utf8'), { file: protocol })
  if (!loaded.value) throw new Error(`${protocol} does not load`)
  const fast = compileFast(compileProtocol(loaded.value))
  process.stderr.write(`BENCH ${JSON.stringify(await screenStages(file!, fast, Number(rounds ?? 2), Number(stages ?? STAGES.length)))}\n`)
}
