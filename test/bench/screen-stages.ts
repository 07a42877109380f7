/**
 * Where a screening pass over NDJSON spends its time: the file is read again
 * for each stage, each pass doing one stage more (lines; + JSON.parse;
 * + schema validation; + the fast path; + writing the result as JSON), so the
 * differences between passes are each stage's cost. Shows what bounds the
 * "1 000 000 records in ≤ 10 s" target besides the rules themselves.
 */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { evaluateFast, validateAgainstSchema, type FastProtocol, type PatientRecord } from '../../engine/index.ts'

export const STAGES = ['read lines', '+ JSON.parse', '+ schema validation', '+ evaluateFast', '+ result as JSON'] as const

export interface StageRate {
  stage: (typeof STAGES)[number]
  records: number
  ms: number
}

const now = () => Number(process.hrtime.bigint()) / 1e6

/** One timed pass per stage over the whole file (cumulative stages). */
export async function screenStages(path: string, fast: FastProtocol): Promise<StageRate[]> {
  const out: StageRate[] = []
  let sink = 0
  for (let depth = 0; depth < STAGES.length; depth++) {
    const t0 = now()
    let records = 0
    for await (const text of createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })) {
      records++
      if (depth < 1) continue
      const value = JSON.parse(text) as PatientRecord
      if (depth < 2) continue
      if (validateAgainstSchema('patient', value, undefined).length > 0) sink++
      if (depth < 3) continue
      const v = evaluateFast(fast, value)
      if (depth < 4) continue
      sink += JSON.stringify({ index: records - 1, id: value.id, overall: v.overall, failing: v.failing, undecided: v.undecided }).length
    }
    out.push({ stage: STAGES[depth]!, records, ms: now() - t0 })
  }
  // keeps the work observable, so no stage is optimised away
  if (sink < 0) console.log(sink)
  return out
}
