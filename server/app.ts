/**
 * Builds the Hono app over a Store. Never listens: main.ts does; tests call
 * `app.request()` directly.
 */
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { Problem, onError, problemResponse } from './errors.ts'
import { PERMISSIONS, actorMay } from './auth.ts'
import { Api, type Env } from './http/route.ts'
import { docsPage, openApiDocument } from './http/openapi.ts'
import { protocolRoutes } from './routes/protocols.ts'
import { protocolStatusRoutes } from './routes/protocol-status.ts'
import { evaluateRoutes } from './routes/evaluate.ts'
import { evaluateBatchRoutes } from './routes/evaluate-batch.ts'
import { DEFAULT_MAX_STREAMS, DEFAULT_STREAM_IDLE_MS, screenStreamRoutes } from './routes/screen-stream.ts'
import { scheduleRoutes } from './routes/schedule.ts'
import { subjectRoutes } from './routes/subjects.ts'
import { studyResultsRoutes } from './routes/study-results.ts'
import { subjectRecordRoutes } from './routes/subject-record.ts'
import { screeningLogRoutes } from './routes/screening-log.ts'
import { auditRoutes } from './routes/audit.ts'
import { tokenRoutes } from './routes/tokens.ts'
import { matchRoutes } from './routes/match.ts'
import { impactRoutes } from './routes/impact.ts'
import { dictionaryRoutes } from './routes/dictionary.ts'
import { exampleRoutes } from './routes/examples.ts'
import { describeRoutes } from './routes/describe.ts'
import { fhirRoutes, fhirTooLarge } from './routes/fhir.ts'
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
  app.notFound((c) => problemResponse(c, new Problem(404, 'not-found', `no route ${c.req.method} ${c.req.path}`)))
  // hono's bodyLimit rejects on Content-Length before reading, else stops reading at the limit: never more than maxSize is buffered
  const limit = (maxSize: number, detail = `the body is larger than ${maxSize} bytes`) =>
    bodyLimit({ maxSize, onError: (c) => problemResponse(c, new Problem(413, 'payload-too-large', detail)) })
  const ordinary = limit(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
  // a batch of records is large by nature; its record count is limited by the batch route
  const batch = limit(options.maxBatchBodyBytes ?? DEFAULT_MAX_BATCH_BODY_BYTES)
  const fhirMax = options.maxFhirBodyBytes ?? DEFAULT_MAX_FHIR_BODY_BYTES
  const fhir = limit(fhirMax, fhirTooLarge(fhirMax))
  // the streamed screen reads its body a chunk at a time in constant memory (each line capped), so its size needs no limit;
  // a limit here would buffer the whole body to count it
  const streamed = (c: Context<Env>) => c.req.method === 'POST' && /^\/protocols\/[^/]+\/screen$/.test(c.req.path)
  const fhirImport = (c: Context<Env>) => c.req.method === 'POST' && c.req.path === '/fhir/patient'
  // outermost: every answer, errors and 404s included, gets the security headers
  app.use('*', securityHeaders())
  // gzip when accepted; never the streamed screen (its lines must leave as they are made)
  app.use('*', compression<Context<Env>>(streamed))
  app.use('*', (c, next) =>
    streamed(c) ? next() : c.req.path.endsWith('/evaluate/batch') ? batch(c, next) : fhirImport(c) ? fhir(c, next) : ordinary(c, next),
  )

  const api = new Api(app, options.store, options.cpu ?? sharedCpuPool())
  api.route({ method: 'get', path: '/health', summary: 'Liveness', tag: 'service', permission: 'public', responses: { 200: { description: 'ok' } } }, (c) => c.json({ ok: true }))
  api.route(
    { method: 'get', path: '/me', summary: 'Who the token belongs to: name, role and what it may do', tag: 'service', permission: 'read', responses: { 200: { description: '{ name, role, permissions }' } } },
    (c) => {
      const actor = c.get('actor')
      return c.json({ name: actor.name, role: actor.role, permissions: PERMISSIONS.filter((p) => actorMay(actor, p)) })
    },
  )
  protocolRoutes(api)
  protocolStatusRoutes(api)
  evaluateRoutes(api)
  evaluateBatchRoutes(api)
  screenStreamRoutes(api, { maxStreams: options.maxStreams ?? DEFAULT_MAX_STREAMS, idleMs: options.streamIdleMs ?? DEFAULT_STREAM_IDLE_MS })
  scheduleRoutes(api)
  subjectRoutes(api)
  studyResultsRoutes(api)
  subjectRecordRoutes(api)
  screeningLogRoutes(api)
  auditRoutes(api)
  tokenRoutes(api)
  fhirRoutes(api)
  matchRoutes(api)
  impactRoutes(api)
  dictionaryRoutes(api)
  exampleRoutes(api)
  describeRoutes(api)

  const doc = () => openApiDocument(api.specs, { title: 'LN trial rules', version: '0.1.0' })
  app.get('/openapi.json', (c) => c.json(doc()))
  app.get('/docs', (c) => {
    const html = docsPage(api.specs, 'LN trial rules')
    return c.html(html, 200, { 'Content-Security-Policy': contentSecurityPolicyFor(html) })
  })
  serveWebUi(app, options.uiRoot === undefined ? {} : { root: options.uiRoot }) // the built web UI at /, after every API route
  return app
}
