/**
 * Idempotency-Key on POST writes: a client that lost the answer to a write
 * (timeout, dropped connection) sends the same request with the same key
 * again and gets the first answer back instead of a second write.
 *
 * The first request with a key claims it (per token) with a fingerprint of
 * its method, path and body; its answer (status, headers, body) is kept. A
 * retry of the same request gets that answer with `Idempotent-Replayed: true`
 * and writes nothing; the same key on another request is refused (422); a
 * retry while the first is still running is told to wait (409, Retry-After).
 * Only answers below 500 are kept: after a server-side failure (a full disk,
 * a bug) the key is released and the request can be retried as it was; so
 * is a 429 (too busy now, retry later), which says nothing about the request.
 *
 * Runs after authentication, permission and request validation: a request
 * refused before its handler never claims a key, so a corrected request may
 * use it.
 */
import type { MiddlewareHandler } from 'hono'
import { sha256 } from '../storage/content-hash.ts'
import { Problem, badRequest } from '../errors.ts'
import type { Store } from '../storage/store.ts'
import type { Env } from './route.ts'

export const IDEMPOTENCY_HEADER = 'Idempotency-Key'
export const REPLAYED_HEADER = 'Idempotent-Replayed'

/**
 * How long a key is remembered: a client retries within minutes or hours of
 * losing an answer; a day also covers an overnight outage. The IETF
 * Idempotency-Key draft leaves expiry to the server and asks it to say so.
 */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000

/** 1 to 255 visible ASCII characters (no spaces or controls): a UUID, a ULID, a counter... */
const KEY = /^[\x21-\x7e]{1,255}$/

/** Seconds to wait before retrying while the first request with the key runs: most requests take well under a second. */
const IN_USE_RETRY_AFTER_SECONDS = 1

/** Headers never kept with an answer: framing and encoding belong to the one response, and cookies are never replayed. */
const NOT_KEPT = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive', 'date', 'set-cookie'])

/** How the header is declared on every idempotent route (OpenAPI). */
export const IDEMPOTENCY_HEADER_DOC = {
  description:
    'Optional: 1 to 255 visible ASCII characters (e.g. a UUID) naming this write. A retry with the same key and the same request within 24 hours gets the first answer again (with Idempotent-Replayed: true) and writes nothing; the same key on another request is 422, and while the first request is still running 409 with Retry-After. Answers of 500 and above, and 429, are not kept (retry with the same key). Keys are per token.',
}

/**
 * The request a key stands for: method, path with query, and the body's hash.
 *
 * @example requestFingerprint('POST', '/protocols/p/evaluate?log=true', '{"id":"x"}')
 */
export function requestFingerprint(method: string, pathWithQuery: string, body: string | Uint8Array): string {
  return sha256(`${method.toUpperCase()} ${pathWithQuery}\n${sha256(body)}`)
}

async function fingerprintOf(c: Parameters<MiddlewareHandler<Env>>[0]): Promise<string> {
  const url = new URL(c.req.url)
  // as bytes, not text: a raw body (a batch) is never decoded on the event loop; hono keeps what it read for the handler
  return requestFingerprint(c.req.method, `${url.pathname}${url.search}`, new Uint8Array(await c.req.arrayBuffer()))
}

function keptHeaders(res: Response): Record<string, string> {
  const out: Record<string, string> = {}
  res.headers.forEach((value, name) => {
    if (!NOT_KEPT.has(name.toLowerCase())) out[name.toLowerCase()] = value
  })
  return out
}

/**
 * The middleware of a route flagged `idempotent` (route.ts).
 *
 * @example
 * // curl -X POST -H 'Idempotency-Key: 6f1c...' -H 'Authorization: Bearer ...' .../protocols/p/evaluate -d @patient.json
 */
export function idempotency(store: Store): MiddlewareHandler<Env> {
  return async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_HEADER)
    if (key === undefined) return next()
    if (!KEY.test(key)) {
      throw badRequest(`the ${IDEMPOTENCY_HEADER} header must be 1 to 255 visible ASCII characters (letters, digits, punctuation; no spaces), e.g. a UUID`, {
        parameter: IDEMPOTENCY_HEADER,
        expected: '1 to 255 visible ASCII characters',
      })
    }
    const id = { tokenId: c.get('actor').tokenId, key }
    const claim = await store.claimIdempotencyKey({ ...id, fingerprint: await fingerprintOf(c) }, IDEMPOTENCY_KEY_TTL_MS)
    if (claim.state === 'mismatch') {
      throw new Problem(
        422,
        'idempotency-key-reused',
        `this ${IDEMPOTENCY_HEADER} was used for another request (another method, path, query or body) in the last 24 hours; send a new key with a new request`,
      )
    }
    if (claim.state === 'running') {
      throw new Problem(
        409,
        'idempotency-key-in-use',
        `the first request with this ${IDEMPOTENCY_HEADER} is still being handled; retry in a moment to get its answer`,
        {},
        {
          'Retry-After': String(IN_USE_RETRY_AFTER_SECONDS),
        },
      )
    }
    if (claim.state === 'done') {
      const { status, headers, body } = claim.answer
      return new Response(new Uint8Array(body), { status, headers: { ...headers, [REPLAYED_HEADER]: 'true' } })
    }

    try {
      await next()
    } catch (e) {
      await store.releaseIdempotencyKey(id).catch(() => undefined)
      throw e
    }
    const res = c.res
    if (res.status >= 500 || res.status === 429) {
      // a failure on our side (a full disk, a bug) or a "too busy, retry later": the retry should run again, not get this back
      await store.releaseIdempotencyKey(id).catch(() => undefined)
      return
    }
    try {
      const body = new Uint8Array(await res.clone().arrayBuffer())
      await store.completeIdempotencyKey(id, { status: res.status, headers: keptHeaders(res), body })
    } catch (e) {
      // the write is done and its answer goes out; only a replay of it is lost (a retry would run again)
      console.error(`the answer to ${c.req.method} ${c.req.path} could not be kept for its ${IDEMPOTENCY_HEADER}:`, e instanceof Error ? e.message : e)
      await store.releaseIdempotencyKey(id).catch(() => undefined)
    }
  }
}
