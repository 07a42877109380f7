/**
 * Pre-screening a registry extract over HTTP, streamed: NDJSON records in,
 * one NDJSON result per record out as soon as it is ready, then the
 * attrition funnel. The HTTP twin of the CLI's `screen` (engine/cli/screen.ts),
 * on the same engine `Screener`, so the two give the same lines and funnel.
 *
 * Constant memory whatever the size: the body is read a chunk at a time and
 * only when the client has taken the results so far (the response is a
 * pull-based stream; @hono/node-server waits for 'drain' before pulling
 * again), so a client that stops reading stops the upload too. There is no
 * record cap and nothing goes to the screening log: screening records of
 * people who are not (yet) subjects is not screening a subject, and a log
 * written in one transaction would need the whole extract in memory.
 * POST …/evaluate/batch is the logged, atomic, capped alternative.
 */
import { evaluatorOf, type ScreenResult } from '../../engine/index.ts'
import { Screener } from '../../engine/fast/index.ts'
import { Problem } from '../errors.ts'
import { engineSchema } from '../http/json-schema.ts'
import { NdjsonLineReader, TOO_LONG } from '../http/ndjson-lines.ts'
import type { Api } from '../http/route.ts'
import { etagOf, loadedVersion } from '../protocol-cache.ts'
import { openOrThrow } from './protocol-status.ts'
import { versionQuery } from './schemas.ts'

/**
 * Longest record line read, in characters: 1 MiB, the largest body of a
 * single-patient request (DEFAULT_MAX_BODY_BYTES in server/app.ts); a longer
 * line is reported on its line (E_NDJSON_LINE_TOO_LONG) and read past.
 */
export const MAX_LINE_CHARS = 1024 * 1024

/**
 * Longest stretch of screening between two yields to the event loop, in ms:
 * screening is synchronous, and with every allowed stream running, other
 * requests (GET /health…) still wait at most a few slices.
 */
const SLICE_MS = 5

/** Streams screened at once by default: two per core keeps each slice's wait short for everyone else. */
export const DEFAULT_MAX_STREAMS = 4

/**
 * How long an upload may send nothing before it is closed (with a last line
 * saying so), by default: an idle timeout, not a total one, so an extract of
 * any size can take as long as it needs while it keeps sending.
 */
export const DEFAULT_STREAM_IDLE_MS = 60_000

/** Seconds a client refused for too many streams is told to wait. */
const RETRY_AFTER_SECONDS = 5

export interface StreamLimits {
  /** Streams screened at once; one more is answered 429 with Retry-After. */
  maxStreams: number
  /** Longest silence of an upload, in ms. */
  idleMs: number
}

/** The next lines of the upload, or 'idle' when none arrived within `ms`. */
async function nextOrIdle(lines: NdjsonLineReader, ms: number): Promise<Awaited<ReturnType<NdjsonLineReader['next']>> | 'idle'> {
  let timer: NodeJS.Timeout | undefined
  const idle = new Promise<'idle'>(resolve => (timer = setTimeout(() => resolve('idle'), ms)))
  try {
    return await Promise.race([lines.next(), idle])
  } finally {
    clearTimeout(timer)
  }
}

/** Results gathered into one write: one write per record would cost more than screening it. */
const CHUNK_CHARS = 64 * 1024

const nextTick = () => new Promise<void>(resolve => setImmediate(resolve))

/**
 * The response body: results in input order, read and screened only as the
 * client reads them (highWaterMark 0: nothing is screened ahead of demand).
 */
function screenStream(lines: NdjsonLineReader | undefined, screener: Screener, idleMs: number, done: () => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let pending: Array<string | typeof TOO_LONG> = []
  let at = 0
  let sliceStart = performance.now()
  let cancelled = false
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>, last: unknown) => {
    controller.enqueue(encoder.encode(`${JSON.stringify(last)}\n`))
    controller.close()
    done()
  }
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let out = ''
        const emit = (r: ScreenResult | undefined) => {
          if (r) out += `${JSON.stringify(r)}\n`
        }
        for (;;) {
          while (at < pending.length && out.length < CHUNK_CHARS) {
            const line = pending[at++]!
            emit(line === TOO_LONG ? screener.unreadable(`is longer than ${MAX_LINE_CHARS} characters; it was read past, not screened`) : screener.line(line))
            if (performance.now() - sliceStart >= SLICE_MS) {
              await nextTick()
              sliceStart = performance.now()
              // the client went away meanwhile: stop screening for no one
              if (cancelled) return
            }
          }
          // what is ready goes out before more input is read: a client sending records as it reads results must see them
          if (out) return controller.enqueue(encoder.encode(out))
          let next: Awaited<ReturnType<typeof nextOrIdle>> | undefined
          try {
            next = lines ? await nextOrIdle(lines, idleMs) : undefined
          } catch (e) {
            // the body broke off (a client that is still listening hears why, with the funnel of what was screened)
            const error = { code: 'E_NDJSON_BODY', message: `the request body could not be read to the end: ${e instanceof Error ? e.message : String(e)}` }
            return finish(controller, { error, funnel: screener.funnel() })
          }
          if (next === 'idle') {
            await lines?.cancel('idle')
            const error = {
              code: 'E_NDJSON_IDLE',
              message: `the upload sent nothing for ${idleMs / 1000} s and was closed; the results above and this funnel cover what arrived before`,
            }
            return finish(controller, { error, funnel: screener.funnel() })
          }
          if (next === undefined) return finish(controller, { funnel: screener.funnel() })
          sliceStart = performance.now()
          pending = next
          at = 0
        }
      },
      async cancel(reason) {
        cancelled = true
        done()
        await lines?.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
}

export function screenStreamRoutes(api: Api, limits: StreamLimits = { maxStreams: DEFAULT_MAX_STREAMS, idleMs: DEFAULT_STREAM_IDLE_MS }): void {
  const { store } = api
  let active = 0
  api.route(
    {
      method: 'post',
      path: '/protocols/:id/screen',
      summary:
        'Pre-screen a registry extract, streamed (NDJSON in, NDJSON out): a result per record as it is read, then {"funnel": ...}; no record cap, constant memory; nothing is written to the screening log (pre-screening an extract is not screening a subject)',
      tag: 'evaluation',
      permission: 'evaluate',
      query: {
        version: versionQuery,
        missing: {
          schema: { type: 'string', enum: ['true', 'false'] },
          description: 'true: list the data still needed for each undetermined record (slower); default false',
        },
      },
      protocol: 'version',
      // read a chunk at a time in constant memory (each line capped): a limit would buffer the whole body to count it
      bodyLimit: 'none',
      body: {
        description: `application/x-ndjson (or application/ndjson): one patient record per line (engine/schema/patient.schema.json), read as it arrives; blank lines skipped, CRLF accepted, lines of at most ${MAX_LINE_CHARS} characters`,
        stream: true,
        schema: engineSchema('patient', 'a patient record'),
      },
      responses: {
        200: {
          description:
            'One line per record in input order: { index, line, id?, overall?, failing?, undecided?, missing?, errors? } (a line that is not JSON, not a patient record or too long has errors, in its place), then { "funnel": { records, invalid, evaluated, criteria, overall } }',
          contentType: 'application/x-ndjson',
          schema: { type: 'string' },
        },
        404: { description: 'No such protocol or version' },
        429: { description: 'As many streams as the server screens at once are running; Retry-After says when to try again' },
        415: { description: 'The body is not application/x-ndjson or application/ndjson' },
      },
    },
    async (c, { version: row }) => {
      const id = c.req.param('id')!
      // not logged: a preview, which a draft allows its designers (admins here: the route needs evaluate)
      await openOrThrow(store, id, c.get('actor'), 'preview')
      const fast = evaluatorOf(loadedVersion(row).compiled, 'fast')
      if (active >= limits.maxStreams) {
        throw new Problem(
          429,
          'too-many-requests',
          `${active} streamed screenings are running, the most this server runs at once; try again in ${RETRY_AFTER_SECONDS} s`,
          {},
          { 'Retry-After': String(RETRY_AFTER_SECONDS) },
        )
      }
      const screener = new Screener(fast, { missing: c.req.query('missing') === 'true' })
      const body = c.req.raw.body
      const lines = body ? new NdjsonLineReader(body, { maxLineChars: MAX_LINE_CHARS }) : undefined
      active++
      let ended = false
      const done = () => {
        if (!ended) active--
        ended = true
      }
      return c.body(screenStream(lines, screener, limits.idleMs, done), 200, {
        'Content-Type': 'application/x-ndjson; charset=utf-8',
        ETag: etagOf(row),
        'Cache-Control': 'no-store',
        // a reverse proxy that buffers answers (nginx) would hold every result until the last
        'X-Accel-Buffering': 'no',
      })
    },
  )
}
