/**
 * Builds the Hono app over a Store. Never listens: main.ts does; tests call
 * `app.request()` directly.
 */
import { Hono, type Context } from 'hono'
import { Problem, onError, problemResponse } from './errors.ts'
import { Api, type BodyLimits, type Env } from './http/route.ts'
import { bodyLimitOf } from './http/body-limit.ts'
import { docsPage, openApiDocument } from './http/openapi.ts'
import { ROUTE_GROUPS } from './routes/groups.ts'
import { DEFAULT_MAX_STREAMS, DEFAULT_STREAM_IDLE_MS } from './routes/screen-stream.ts'
import { fhirTooLarge } from './routes/fhir.ts'
import { DEFAULT_MAX_FHIR_BODY_BYTES } from './config.ts'
import type { Store } from './storage/store.ts'
import { serveWebUi } from './static.ts'
import { sharedCpuPool, type CpuPool } from './workers/cpu-pool.ts'
import { compression, contentSecurityPolicyFor, securityHeaders } from './http/security-headers.ts'

export interface AppOptions {
  store: Store
  /** Largest request body accepted, in bytes (413 beyond). */
  maxBodyBytes?: number
  /** Largest body of a batch evaluation, in bytes. */
  maxBatchBodyBytes?: number
  /** Largest FHIR Bundle accepted by POST /fhir/patient, in bytes (FHIR_MAX_BYTES; 413 beyond). */
  maxFhirBodyBytes?: number
  /** Folder of the built web UI served at / (default web/dist). */
  uiRoot?: string
  /** Where CPU-bound work runs (default: the process's shared pool, made on first use). */
  cpu?: CpuPool
  /** Streamed screenings run at once (default 4); one more is answered 429. */
  maxStreams?: number
  /** Longest silence of a streamed upload before it is closed, in ms (default 60 s). */
  streamIdleMs?: number
  /** The OMOP source POST /protocols/{id}/cohort reads (config.ts OMOP_SOURCE): an absolute path or a postgres:// URL. */
  omopSource?: string
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
export const DEFAULT_MAX_BATCH_BODY_BYTES = 64 * 1024 * 1024

/**
 * @example
 * const app = createApp({ store: openSqliteStore(':memory:') })
 * const res = await app.request('/health')
 */
export function createApp(options: AppOptions): Hono<Env> {
  const app = new Hono<Env>()
  app.onError(onError)
  app.notFound(c => problemResponse(c, new Problem(404, 'not-found', `no route ${c.req.method} ${c.req.path}`)))
  // rejects on Content-Length before reading, else stops reading at the limit: never more than maxSize is buffered
  const limit = (maxSize: number, detail = `the body is larger than ${maxSize} bytes`) =>
    bodyLimitOf<Context<Env>>(maxSize, c => problemResponse(c, new Problem(413, 'payload-too-large', detail)))
  const fhirMax = options.maxFhirBodyBytes ?? DEFAULT_MAX_FHIR_BODY_BYTES
  // each route names its limit (RouteSpec.bodyLimit); a batch of records is large by nature, its record count is limited by the batch route
  const limits: BodyLimits = {
    ordinary: limit(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
    batch: limit(options.maxBatchBodyBytes ?? DEFAULT_MAX_BATCH_BODY_BYTES),
    fhir: limit(fhirMax, fhirTooLarge(fhirMax)),
  }
  const streamed = (c: Context<Env>) => c.req.method === 'POST' && /^\/protocols\/[^/]+\/screen$/.test(c.req.path)
  // outermost: every answer, errors and 404s included, gets the security headers
  app.use('*', securityHeaders())
  // gzip when accepted; never the streamed screen (its lines must leave as they are made)
  app.use('*', compression<Context<Env>>(streamed))

  const api = new Api(app, options.store, options.cpu ?? sharedCpuPool(), limits)
  const streams = { maxStreams: options.maxStreams ?? DEFAULT_MAX_STREAMS, idleMs: options.streamIdleMs ?? DEFAULT_STREAM_IDLE_MS }
  for (const group of ROUTE_GROUPS) group.register(api, { streams, ...(options.omopSource ? { omopSource: options.omopSource } : {}) })

  // the routes are all declared by now: the document is built once, on first request
  let doc: Record<string, unknown> | undefined
  app.get('/openapi.json', c => c.json((doc ??= openApiDocument(api.specs, { title: 'LN trial rules', version: '0.1.0' }))))
  app.get('/docs', c => {
    const html = docsPage(api.specs, 'LN trial rules')
    return c.html(html, 200, { 'Content-Security-Policy': contentSecurityPolicyFor(html) })
  })
  serveWebUi(app, options.uiRoot === undefined ? {} : { root: options.uiRoot }) // the built web UI at /, after every API route
  return app
}
