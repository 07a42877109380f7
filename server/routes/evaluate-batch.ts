/**
 * Evaluate many patients at once (pre-screening a registry extract): a
 * result per record, the attrition funnel over the protocol's criteria, and
 * every evaluated record in the screening log in one transaction.
 *
 * Records go through the engine's fast path (closures compiled from the same
 * rules, proven verdict-identical to json-rules-engine by the property test
 * test/engine/fast/equivalence.test.ts); the logged verdict, explanations
 * included, is the fast path's traced verdict, equal to the reference one.
 * The funnel is counted as records go, and results are written out in chunks.
 *
 * The whole batch is held in memory so that it is logged atomically (a failed
 * request changes nothing already saved), hence the record cap. An extract
 * larger than the cap goes to POST /protocols/:id/screen (screen-stream.ts):
 * streamed, uncapped, constant memory, not logged.
 */
import {
  fastPathOf,
  evaluateEligibility,
  FastCompileError,
  FunnelCounter,
  validateAgainstSchema,
  verdictFast,
  type CompiledProtocol,
  type Diagnostic,
  type FastProtocol,
  type MissingData,
  type PatientRecord,
  type Verdict,
} from '../../engine/index.ts'
import type { Api } from '../http/route.ts'
import { safeJsonParse } from '../http/safe-json.ts'
import { badRequest, notFound } from '../errors.ts'
import { etagOf, loadedVersion } from '../protocol-cache.ts'
import type { NewEvaluation } from '../storage/store.ts'
import { versionQuery } from './schemas.ts'

import type { Funnel } from '../../engine/index.ts'

export type { Funnel, FunnelStep } from '../../engine/index.ts'

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

/** The records of a JSON array or an NDJSON text (blank lines skipped; a line that is not JSON is kept as an error). */
function candidates(body: unknown, text: string | undefined): Candidate[] {
  if (text === undefined) return (body as unknown[]).map((value, index) => ({ index, value }))
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

/**
 * The verdict of one record: the fast path's traced verdict, or the reference
 * path for a protocol whose rules the fast path cannot compile (never a
 * different answer, only a slower one).
 */
function verdictOf(compiled: CompiledProtocol): (p: PatientRecord) => Verdict | Promise<Verdict> {
  const fast = fastPathOf(compiled)
  return fast instanceof FastCompileError ? (p) => evaluateEligibility(compiled, p) : (p) => verdictFast(fast, p)
}

/** Records between two yields to the event loop: a batch is evaluated synchronously and must not starve other requests. */
const YIELD_EVERY = 256

/** Results as NDJSON, a few hundred lines per chunk, then the funnel line. */
function ndjsonStream(results: BatchResult[], tail: unknown): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const CHUNK = 500
  let next = 0
  return new ReadableStream({
    pull(controller) {
      if (next >= results.length) {
        controller.enqueue(encoder.encode(`${JSON.stringify(tail)}\n`))
        controller.close()
        return
      }
      const lines = results.slice(next, next + CHUNK).map((r) => `${JSON.stringify(r)}\n`)
      next += CHUNK
      controller.enqueue(encoder.encode(lines.join('')))
    },
  })
}

export function evaluateBatchRoutes(api: Api): void {
  const { store } = api
  api.route(
    {
      method: 'post',
      path: '/protocols/:id/evaluate/batch',
      summary: `Evaluate up to ${MAX_BATCH_RECORDS} patients (JSON array or NDJSON): a result per record and the attrition funnel; all logged in one transaction. Larger extracts, streamed and not logged: POST /protocols/{id}/screen`,
      tag: 'evaluation',
      permission: 'evaluate',
      query: { version: versionQuery },
      body: {
        description: `A JSON array of patient records, or application/x-ndjson with one record per line; at most ${MAX_BATCH_RECORDS} records`,
        ndjson: true,
        schema: { type: 'array', items: { type: 'object', description: 'a patient record (engine/schema/patient.schema.json)' } },
      },
      responses: {
        200: {
          description: '{ version, results: [{ index, line?, id?, overall?, failing?, undecided?, missing?, errors? }], funnel }; with Accept: application/x-ndjson, one result per line then a {"funnel": ...} line',
        },
        400: { description: `Not a JSON array, or more than ${MAX_BATCH_RECORDS} records (send larger extracts to POST /protocols/{id}/screen)` },
      },
    },
    async (c) => {
      const id = c.req.param('id')!
      const v = c.req.query('version')
      const row = await store.protocolVersion(id, v === undefined ? undefined : Number(v))
      if (!row) throw notFound(`protocol ${id}${v ? ` version ${v}` : ''}`)
      const records = candidates(c.get('body'), c.get('bodyText'))
      if (records.length > MAX_BATCH_RECORDS) throw badRequest(`a batch holds at most ${MAX_BATCH_RECORDS} records; this one has ${records.length}: split it, or stream it to POST /protocols/${id}/screen (not logged)`)
      const { compiled } = loadedVersion(row)

      const results: BatchResult[] = []
      const log: NewEvaluation[] = []
      const counter = new FunnelCounter(compiled.criteria)
      const verdict = verdictOf(compiled)
      for (const r of records) {
        if (r.index % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve))
        const at = { index: r.index, ...(r.line !== undefined ? { line: r.line } : {}) }
        const recordId = idOf(r.value)
        if (r.error) {
          results.push({ ...at, errors: [r.error] })
          counter.addInvalid()
          continue
        }
        const diagnostics = validateAgainstSchema('patient', r.value, undefined)
        if (diagnostics.some((d) => d.severity === 'error')) {
          results.push({ ...at, ...(recordId !== undefined ? { id: recordId } : {}), errors: diagnostics })
          counter.addInvalid()
          continue
        }
        const v = await verdict(r.value as PatientRecord)
        counter.add(v)
        log.push({ protocol_id: id, version: row.version, subject_id: null, overall: v.overall, failing: JSON.stringify(v.failing), verdict: JSON.stringify(v), patient: JSON.stringify(r.value) })
        const { overall, failing, undecided, missing } = v
        results.push({ ...at, ...(recordId !== undefined ? { id: recordId } : {}), overall, failing, undecided, missing })
      }
      if (log.length > 0) await store.addEvaluations(log, c.get('actor').name)

      const funnel: Funnel = counter.result()
      c.header('ETag', etagOf(row))
      if ((c.req.header('Accept') ?? '').includes('application/x-ndjson')) {
        return c.body(ndjsonStream(results, { funnel }), 200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' })
      }
      return c.json({ version: row.version, results, funnel })
    },
  )
}
