/**
 * Evaluate many patients at once (pre-screening a registry extract): a
 * result per record, the attrition funnel over the protocol's criteria, and
 * every evaluated record in the screening log in one transaction.
 *
 * The records are read, checked and evaluated on the worker pool
 * (workers/batch-task.ts); this route writes the log and the answer.
 *
 * The whole batch is held in memory so that it is logged atomically (a failed
 * request changes nothing already saved), hence the record cap. An extract
 * larger than the cap goes to POST /protocols/:id/screen (screen-stream.ts):
 * streamed, uncapped, constant memory, not logged.
 */
import type { Api } from '../http/route.ts'
import { anyObject, arrayOf, engineSchema, int, obj } from '../http/json-schema.ts'
import { etagOf } from '../protocol-cache.ts'
import { MAX_BATCH_RECORDS, type BatchResult } from '../workers/batch-task.ts'
import { openOrThrow } from './protocol-status.ts'
import { batchResultSchema, versionQuery } from './schemas.ts'

export type { Funnel, FunnelStep } from '../../engine/index.ts'
export { MAX_BATCH_RECORDS, type BatchResult, type LineError } from '../workers/batch-task.ts'

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
      const lines = results.slice(next, next + CHUNK).map(r => `${JSON.stringify(r)}\n`)
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
      idempotent: true,
      summary: `Evaluate up to ${MAX_BATCH_RECORDS} patients (JSON array or NDJSON): a result per record and the attrition funnel; all logged in one transaction. Larger extracts, streamed and not logged: POST /protocols/{id}/screen`,
      tag: 'evaluation',
      permission: 'evaluate',
      query: { version: versionQuery },
      protocol: 'version',
      bodyLimit: 'batch',
      body: {
        description: `A JSON array of patient records, or application/x-ndjson with one record per line; at most ${MAX_BATCH_RECORDS} records`,
        ndjson: true,
        raw: true,
        schema: arrayOf(engineSchema('patient', 'a patient record')),
      },
      responses: {
        200: {
          description:
            '{ version, results: [{ index, line?, id?, overall?, failing?, undecided?, missing?, errors? }], funnel }; with Accept: application/x-ndjson, one result per line then a {"funnel": ...} line',
          schema: obj({ version: int(), results: arrayOf(batchResultSchema), funnel: anyObject('the attrition funnel') }),
        },
        400: { description: `Not a JSON array, or more than ${MAX_BATCH_RECORDS} records (send larger extracts to POST /protocols/{id}/screen)` },
      },
    },
    async (c, { version: row }) => {
      const id = c.req.param('id')!
      // every record is logged: an active protocol only
      await openOrThrow(store, id, c.get('actor'), 'screening')
      // the bytes go to the pool (moved, not copied) and are decoded and parsed there
      const bytes = await c.req.arrayBuffer()
      const format = /ndjson/i.test(c.req.header('Content-Type') ?? '') ? 'ndjson' : 'json'
      const { results, log, funnel } = await api.cpu.run(
        'evaluateBatch',
        { protocol: row, bytes, format },
        { kind: 'records', what: 'evaluating this batch', transfer: [bytes] },
      )
      if (log.length > 0) await store.addEvaluations(log, c.get('actor'))

      c.header('ETag', etagOf(row))
      if ((c.req.header('Accept') ?? '').includes('application/x-ndjson')) {
        return c.body(ndjsonStream(results, { funnel }), 200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' })
      }
      return c.json({ version: row.version, results, funnel })
    },
  )
}
