/**
 * A batch evaluation's CPU-bound part, run in the worker pool (cpu-pool.ts):
 * decode and read the records (JSON array or NDJSON text), check each against the
 * patient schema, evaluate it on the fast path, count the funnel. The route
 * (routes/evaluate-batch.ts) writes the screening log on the main thread, in
 * one transaction, from the entries this returns.
 *
 * Records go through the engine's fast backend (closures compiled from the
 * normalised criteria, verdict-identical to json-rules-engine: the
 * conformance suite test/engine/backends and the property test
 * test/engine/fast/equivalence.test.ts); the logged verdict, explanations
 * included, is the fast backend's traced verdict, equal to the reference one.
 */
import { evaluatorOf, validateAgainstSchema, type Diagnostic, type Funnel, type MissingData, type PatientRecord, type Verdict } from '../../engine/index.ts'
import { FunnelCounter } from '../../engine/study.ts'
import { badRequest } from '../errors.ts'
import { safeJsonParse } from '../http/safe-json.ts'
import { loadedVersion } from '../protocol-cache.ts'
import type { NewEvaluation, ProtocolVersionRow } from '../storage/store.ts'

/** Most records one request may carry; larger extracts are split by the client. */
export const MAX_BATCH_RECORDS = 10_000

/** A line of an NDJSON body that is not JSON. */
export interface LineError {
  code: 'E_NDJSON_LINE'
  severity: 'error'
  message: string
  line: number
  path: string
}

export interface BatchResult {
  /** Position of the record in the batch, from 0 (NDJSON: blank lines not counted). */
  index: number
  /** NDJSON only: the 1-based line the record was on. */
  line?: number
  id?: string
  overall?: Verdict['overall']
  failing?: string[]
  undecided?: string[]
  missing?: MissingData[]
  /** Why the record was not evaluated. */
  errors?: Array<Diagnostic | LineError>
}

interface Candidate {
  index: number
  line?: number
  value?: unknown
  error?: LineError
}

/** A JSON body's records: a JSON array of objects, or a 400 saying what it is instead. */
function jsonRecords(text: string): unknown[] {
  const parsed = safeJsonParse(text)
  if (!parsed.ok) throw badRequest(`the body is not valid JSON: ${parsed.error}`)
  if (!Array.isArray(parsed.value)) {
    throw badRequest('the body does not match the request schema', { errors: [{ path: '/', message: 'must be an array of patient records' }] })
  }
  const notObject = parsed.value.findIndex(r => typeof r !== 'object' || r === null || Array.isArray(r))
  if (notObject >= 0)
    throw badRequest('the body does not match the request schema', { errors: [{ path: `/${notObject}`, message: 'must be an object (a patient record)' }] })
  return parsed.value
}

/** The records of a JSON array or an NDJSON text (blank lines skipped; a line that is not JSON is kept as an error). */
function candidates(format: 'json' | 'ndjson', text: string): Candidate[] {
  if (format === 'json') return jsonRecords(text).map((value, index) => ({ index, value }))
  const out: Candidate[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return
    const line = i + 1
    const index = out.length
    const parsed = safeJsonParse(raw)
    out.push(
      parsed.ok
        ? { index, line, value: parsed.value }
        : { index, line, error: { code: 'E_NDJSON_LINE', severity: 'error', message: `line ${line} is not valid JSON: ${parsed.error}`, line, path: '' } },
    )
  })
  return out
}

function idOf(value: unknown): string | undefined {
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined
  return typeof id === 'string' ? id : undefined
}

export interface BatchInput {
  protocol: ProtocolVersionRow
  /** The body's bytes (UTF-8), moved to this thread and decoded here. */
  bytes: ArrayBuffer
  /** A JSON array of records, or NDJSON (one record per line). */
  format: 'json' | 'ndjson'
}

export interface BatchOutput {
  results: BatchResult[]
  /** One screening-log entry per evaluated record, in input order. */
  log: NewEvaluation[]
  funnel: Funnel
}

/** Evaluate every record of a batch; a record that is not JSON or not a patient record is reported in its place. */
export async function evaluateBatch(input: BatchInput): Promise<BatchOutput> {
  const row = input.protocol
  const { compiled } = loadedVersion(row)
  const results: BatchResult[] = []
  const log: NewEvaluation[] = []
  const counter = new FunnelCounter(compiled.criteria)
  const fast = evaluatorOf(compiled, 'fast')
  const records = candidates(input.format, new TextDecoder('utf-8').decode(input.bytes))
  if (records.length > MAX_BATCH_RECORDS) {
    const id = row.protocol_id
    throw badRequest(
      `a batch holds at most ${MAX_BATCH_RECORDS} records; this one has ${records.length}: split it, or stream it to POST /protocols/${id}/screen (not logged)`,
    )
  }
  for (const r of records) {
    const at = { index: r.index, ...(r.line !== undefined ? { line: r.line } : {}) }
    const recordId = idOf(r.value)
    if (r.error) {
      results.push({ ...at, errors: [r.error] })
      counter.addInvalid()
      continue
    }
    const diagnostics = validateAgainstSchema('patient', r.value, undefined)
    if (diagnostics.some(d => d.severity === 'error')) {
      results.push({ ...at, ...(recordId !== undefined ? { id: recordId } : {}), errors: diagnostics })
      counter.addInvalid()
      continue
    }
    const v = fast.evaluate(r.value as PatientRecord)
    counter.add(v)
    log.push({
      protocol_id: row.protocol_id,
      version: row.version,
      subject_id: null,
      overall: v.overall,
      failing: JSON.stringify(v.failing),
      verdict: JSON.stringify(v),
      patient: JSON.stringify(r.value),
    })
    const { overall, failing, undecided, missing } = v
    results.push({ ...at, ...(recordId !== undefined ? { id: recordId } : {}), overall, failing, undecided, missing })
  }
  return { results, log, funnel: counter.result() }
}
