/**
 * Routes are declared once, as data: method, path, permission, request and
 * response schemas. The same declaration validates requests (ajv) and
 * produces the OpenAPI 3.1 document (openapi.ts), so the two cannot drift.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ErrorObject } from 'ajv'
import addFormats from 'ajv-formats'
import { authenticate, requirePermission, type AuthEnv, type Permission } from '../auth.ts'
import { Problem, badRequest } from '../errors.ts'
import type { ProtocolRow, ProtocolVersionRow, Store } from '../storage/store.ts'
import type { CpuPool } from '../workers/cpu-pool.ts'
import { safeJsonParse } from './safe-json.ts'
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_HEADER_DOC, idempotency } from './idempotency.ts'
import { protocolVersionLoader } from './protocol-version.ts'

export type JsonSchema = Record<string, unknown>

/**
 * A request body: how it is read and the JSON Schema it must match. `T` is
 * the TypeScript type of a body that matched (declare it with `jsonBody<T>()`),
 * so handlers get `input.body` typed without casts.
 */
export interface BodySpec<T = unknown> {
  schema: JsonSchema
  description: string
  /** also accept a protocol as application/yaml text (`input.bodyText`; `input.body` is then undefined) */
  yaml?: boolean
  ndjson?: boolean
  /** an empty body counts as `{}` */
  optional?: boolean
  /**
   * `raw: true`: only the media type is checked here; the body stays unread
   * for the handler, which hands its bytes to the worker pool to parse there
   * (a batch may be 64 MiB of JSON: seconds of parsing off the event loop).
   */
  raw?: boolean
  /**
   * `stream: true`: NDJSON only, left unread for the handler to stream from
   * `c.req.raw.body` (only the Content-Type is checked; `schema` is then the schema of one line).
   */
  stream?: boolean
  /**
   * `handler`: the handler reads and checks the body itself (its own media
   * types and errors); declared here for the OpenAPI document only.
   */
  checkedBy?: 'handler'
  /** The JSON media types the body may be sent as (default application/json). */
  mediaTypes?: string[]
  /** Only carries `T` for inference; never set. */
  readonly type?: T
}

/** A body whose matching value has the TypeScript type `T` (kept beside its schema, in one declaration). */
export function jsonBody<T>(spec: Omit<BodySpec<T>, 'type'>): BodySpec<T> {
  return spec
}

/**
 * The largest body a route accepts (413 beyond): `ordinary` (MAX_BODY_BYTES,
 * the default), `batch` (a batch of records), `fhir` (a FHIR Bundle,
 * FHIR_MAX_BYTES), or `none` for a body read a chunk at a time in constant
 * memory (a limit would buffer the whole body to count it).
 */
export type BodyLimit = 'ordinary' | 'batch' | 'fhir' | 'none'

/**
 * Which protocol version the route works on, loaded before its handler (404
 * when there is none): `latest`, or `version` (the `version` query, default
 * the latest). The protocol id is the path's `:id`.
 */
export type ProtocolLoad = 'latest' | 'version'

export interface ResponseSpec {
  description: string
  /** The JSON Schema of the answer (of an error: its problem+json extension members, if any). */
  schema?: JsonSchema
  contentType?: string
}

export interface RouteSpec<B = unknown> {
  method: 'get' | 'post' | 'put'
  /** Hono path, e.g. `/protocols/:id/versions`. */
  path: string
  /** Default: from the method and path (openapi.ts `operationIdOf`). */
  operationId?: string
  summary: string
  tag: string
  permission: Permission | 'public'
  body?: BodySpec<B>
  /** Default `ordinary`. */
  bodyLimit?: BodyLimit
  protocol?: ProtocolLoad
  query?: Record<string, { schema: JsonSchema; description: string; required?: boolean }>
  headers?: Record<string, { description: string; required?: boolean }>
  /** Every answer the route gives itself; 401/403 (a token), 400/413/415 (a body or query) and 404 (a loaded protocol) are added by openapi.ts. */
  responses: Record<number, ResponseSpec>
  /**
   * A write that honours an `Idempotency-Key` header (idempotency.ts): a
   * retry gets the first answer back instead of writing again. The header
   * is added to the route's OpenAPI declaration. Needs a token (not public)
   * and a body read whole (not `stream`).
   */
  idempotent?: boolean
}

export type Env = AuthEnv & {
  Variables: {
    body: unknown
    bodyText: string | undefined
    protocolVersion: ProtocolVersionRow | undefined
    /** The protocol's row as the version was loaded with it (its status, for the handler's checks without a second read). */
    protocolRow: ProtocolRow | undefined
  }
}

/** What the route's middleware read for its handler. */
export interface RouteInput<B, V> {
  /** The body, parsed and matched against its schema (undefined for YAML, NDJSON, raw or streamed bodies). */
  body: B
  /** A YAML or NDJSON body's text. */
  bodyText: string | undefined
  /** The protocol version of `spec.protocol`. */
  version: V
}
export type Handler<B = unknown, V = undefined> = (c: Context<Env>, input: RouteInput<B, V>) => Promise<Response> | Response

const ajv = new Ajv2020({ allErrors: true, strict: false })
;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
const compiled = new WeakMap<JsonSchema, ReturnType<Ajv2020['compile']>>()
function validatorFor(schema: JsonSchema) {
  let v = compiled.get(schema)
  if (!v) {
    v = ajv.compile(schema)
    compiled.set(schema, v)
  }
  return v
}

/** Register extra schemas (protocol, patient, subject) that route schemas `$ref` by `$id`. */
export function addSchema(schema: JsonSchema): void {
  const id = schema.$id
  if (typeof id === 'string' && !ajv.getSchema(id)) ajv.addSchema(schema)
}

function describe(errors: ErrorObject[] | null | undefined): Array<{ path: string; message: string }> {
  return (errors ?? []).map(e => ({ path: e.instancePath || '/', message: e.message ?? e.keyword }))
}

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']
const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson']

const mediaType = (c: Context<Env>) => (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()

/**
 * A streamed body: only its Content-Type is checked; the body stays unread
 * (the handler reads `c.req.raw.body` as it goes), so a body of any size is
 * never held in memory.
 */
function streamBodyValidator(): MiddlewareHandler<Env> {
  return async (c, next) => {
    const type = mediaType(c)
    if (!NDJSON_TYPES.includes(type)) {
      throw new Problem(
        415,
        'unsupported-media-type',
        `${type ? `Content-Type ${type}` : 'a body without Content-Type'} is not accepted here; send one of ${NDJSON_TYPES.join(', ')} (one JSON record per line)`,
      )
    }
    c.set('body', undefined)
    c.set('bodyText', undefined)
    return next()
  }
}

/** Parse and validate the body into `c.var.body` (JSON), or keep YAML/NDJSON text in `c.var.bodyText`. */
function bodyValidator(spec: NonNullable<RouteSpec['body']>): MiddlewareHandler<Env> {
  if (spec.stream) return streamBodyValidator()
  return async (c, next) => {
    const type = mediaType(c)
    if (spec.raw) {
      const accepted = ['application/json', ...(spec.ndjson ? NDJSON_TYPES : [])]
      if (type !== '' && !accepted.includes(type))
        throw new Problem(415, 'unsupported-media-type', `Content-Type ${type} is not accepted here; send one of ${accepted.join(', ')}`)
      c.set('body', undefined)
      c.set('bodyText', undefined)
      return next()
    }
    const text = await c.req.text()
    if ((spec.yaml && YAML_TYPES.includes(type)) || (spec.ndjson && NDJSON_TYPES.includes(type))) {
      c.set('bodyText', text)
      c.set('body', undefined)
      return next()
    }
    if (type !== 'application/json' && type !== '') {
      const accepted = ['application/json', ...(spec.yaml ? YAML_TYPES : []), ...(spec.ndjson ? NDJSON_TYPES : [])]
      throw new Problem(415, 'unsupported-media-type', `Content-Type ${type} is not accepted here; send one of ${accepted.join(', ')}`)
    }
    const parsed = spec.optional && text.trim() === '' ? { ok: true as const, value: {} } : safeJsonParse(text)
    if (!parsed.ok) throw badRequest(`the body is not valid JSON: ${parsed.error}`)
    const validate = validatorFor(spec.schema)
    if (!validate(parsed.value)) throw badRequest('the body does not match the request schema', { errors: describe(validate.errors) })
    c.set('body', parsed.value)
    c.set('bodyText', undefined)
    return next()
  }
}

/** An integer in a query: decimal digits only, within the safe integer range (no sign, exponent, hex, Infinity or blanks). */
const DIGITS = /^\d+$/

/** The number a query integer stands for, or undefined when it is not written as plain decimal digits. */
export function queryInteger(raw: string): number | undefined {
  if (!DIGITS.test(raw)) return undefined
  const n = Number(raw)
  return Number.isSafeInteger(n) ? n : undefined
}

function queryValidator(query: NonNullable<RouteSpec['query']>): MiddlewareHandler<Env> {
  return async (c, next) => {
    for (const [name, q] of Object.entries(query)) {
      const raw = c.req.query(name)
      if (raw === undefined) {
        if (q.required) throw badRequest(`query parameter ${name} is required: ${q.description}`)
        continue
      }
      let value: unknown = raw
      if (q.schema.type === 'integer') {
        value = queryInteger(raw)
        if (value === undefined) {
          const expected = `decimal digits 0-9 (an integer up to ${Number.MAX_SAFE_INTEGER})`
          throw badRequest(`query parameter ${name}=${JSON.stringify(raw)}: expected ${expected}`, { parameter: name, expected, found: raw })
        }
      }
      const validate = validatorFor(q.schema)
      if (!validate(value)) {
        // a choice names its choices (ajv's own words say only "one of the allowed values")
        const choices = q.schema.enum
        const expected = Array.isArray(choices)
          ? `one of ${choices.join(', ')}`
          : describe(validate.errors)
              .map(e => e.message)
              .join('; ')
        throw badRequest(`query parameter ${name}=${JSON.stringify(raw)}: ${expected}`, { parameter: name, expected, found: raw })
      }
    }
    return next()
  }
}

/** The body-limit middlewares (app.ts makes them from the app's options), by `RouteSpec.bodyLimit`. */
export type BodyLimits = Record<Exclude<BodyLimit, 'none'>, MiddlewareHandler<Env>>

/**
 * An app's routes: each declared once, registered with Hono behind its body
 * limit, authentication, permission, request validation and protocol
 * version, and kept for the OpenAPI document.
 */
export class Api {
  readonly specs: RouteSpec[] = []
  constructor(
    readonly app: Hono<Env>,
    readonly store: Store,
    /** Where CPU-bound work runs (never the event loop): server/workers/cpu-pool.ts. */
    readonly cpu: CpuPool,
    readonly limits: BodyLimits,
  ) {}

  route<B = undefined, P extends ProtocolLoad | undefined = undefined>(
    spec: RouteSpec<B> & { protocol?: P },
    handler: Handler<B, P extends ProtocolLoad ? ProtocolVersionRow : undefined>,
  ): void {
    if (spec.idempotent && (spec.permission === 'public' || spec.body?.stream)) {
      // keys are kept per token, and the fingerprint hashes the whole body
      throw new Error(`${spec.method.toUpperCase()} ${spec.path}: an idempotent route needs a token and a body read whole`)
    }
    if (spec.protocol && !spec.path.includes(':id'))
      throw new Error(`${spec.method.toUpperCase()} ${spec.path}: a protocol version is loaded from the path's :id`)
    const declared: RouteSpec = spec
    this.specs.push(spec.idempotent ? { ...declared, headers: { ...spec.headers, [IDEMPOTENCY_HEADER]: IDEMPOTENCY_HEADER_DOC } } : declared)
    const chain: MiddlewareHandler<Env>[] = []
    // first, as the app-wide limit was: hono's bodyLimit rejects on Content-Length before anything else reads
    const limit = spec.bodyLimit ?? 'ordinary'
    if (limit !== 'none') chain.push(this.limits[limit])
    if (spec.permission !== 'public') chain.push(authenticate<Env>(this.store), requirePermission<Env>(spec.permission))
    if (spec.query) chain.push(queryValidator(spec.query))
    if (spec.body && spec.body.checkedBy !== 'handler') chain.push(bodyValidator(spec.body))
    // after validation: a request refused before its handler never claims its key
    if (spec.idempotent) chain.push(idempotency(this.store))
    // last: a missing protocol is answered where the handlers answered it, after every check of the request itself
    if (spec.protocol) chain.push(protocolVersionLoader(this.store, spec.protocol))
    const on = this.app.on.bind(this.app) as (
      method: string,
      path: string,
      ...handlers: Array<MiddlewareHandler<Env> | ((c: Context<Env>) => Promise<Response> | Response)>
    ) => unknown
    on(spec.method.toUpperCase(), spec.path, ...chain, (c: Context<Env>) =>
      // the one place the validated body meets its declared type: bodyValidator matched it against spec.body.schema
      handler(c, {
        body: c.get('body') as B,
        bodyText: c.get('bodyText'),
        version: c.get('protocolVersion') as P extends ProtocolLoad ? ProtocolVersionRow : undefined,
      }),
    )
  }
}
