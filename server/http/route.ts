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
import type { Store } from '../storage/store.ts'
import type { CpuPool } from '../workers/cpu-pool.ts'
import { safeJsonParse } from './safe-json.ts'
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_HEADER_DOC, idempotency } from './idempotency.ts'

export type JsonSchema = Record<string, unknown>

export interface RouteSpec {
  method: 'get' | 'post' | 'put'
  /** Hono path, e.g. `/protocols/:id/versions`. */
  path: string
  summary: string
  tag: string
  permission: Permission | 'public'
  /**
   * JSON body schema; `yaml: true` also accepts a protocol as application/yaml text.
   * `stream: true`: NDJSON only, left unread for the handler to stream from
   * `c.req.raw.body` (only the Content-Type is checked; `schema` is then the schema of one line).
   */
  body?: {
    schema: JsonSchema
    description: string
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
    stream?: boolean
  }
  query?: Record<string, { schema: JsonSchema; description: string; required?: boolean }>
  headers?: Record<string, { description: string; required?: boolean }>
  responses: Record<number, { description: string; schema?: JsonSchema; contentType?: string }>
  /**
   * A write that honours an `Idempotency-Key` header (idempotency.ts): a
   * retry gets the first answer back instead of writing again. The header
   * is added to the route's OpenAPI declaration. Needs a token (not public)
   * and a body read whole (not `stream`).
   */
  idempotent?: boolean
}

export type Env = AuthEnv & { Variables: { body: unknown; bodyText: string | undefined } }
export type Handler = (c: Context<Env>) => Promise<Response> | Response

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
  return (errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message ?? e.keyword }))
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
      throw new Problem(415, 'unsupported-media-type', `${type ? `Content-Type ${type}` : 'a body without Content-Type'} is not accepted here; send one of ${NDJSON_TYPES.join(', ')} (one JSON record per line)`)
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
      if (type !== '' && !accepted.includes(type)) throw new Problem(415, 'unsupported-media-type', `Content-Type ${type} is not accepted here; send one of ${accepted.join(', ')}`)
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
        const expected = describe(validate.errors).map((e) => e.message).join('; ')
        throw badRequest(`query parameter ${name}=${JSON.stringify(raw)}: ${expected}`, { parameter: name, expected, found: raw })
      }
    }
    return next()
  }
}

/**
 * An app's routes: each declared once, registered with Hono behind
 * authentication, permission and request validation, and kept for the
 * OpenAPI document.
 */
export class Api {
  readonly specs: RouteSpec[] = []
  constructor(
    readonly app: Hono<Env>,
    readonly store: Store,
    /** Where CPU-bound work runs (never the event loop): server/workers/cpu-pool.ts. */
    readonly cpu: CpuPool,
  ) {}

  route(spec: RouteSpec, handler: Handler): void {
    if (spec.idempotent && (spec.permission === 'public' || spec.body?.stream)) {
      // keys are kept per token, and the fingerprint hashes the whole body
      throw new Error(`${spec.method.toUpperCase()} ${spec.path}: an idempotent route needs a token and a body read whole`)
    }
    this.specs.push(spec.idempotent ? { ...spec, headers: { ...spec.headers, [IDEMPOTENCY_HEADER]: IDEMPOTENCY_HEADER_DOC } } : spec)
    const chain: MiddlewareHandler<Env>[] = []
    if (spec.permission !== 'public') chain.push(authenticate<Env>(this.store), requirePermission<Env>(spec.permission))
    if (spec.query) chain.push(queryValidator(spec.query))
    if (spec.body) chain.push(bodyValidator(spec.body))
    // after validation: a request refused before its handler never claims its key
    if (spec.idempotent) chain.push(idempotency(this.store))
    const on = this.app.on.bind(this.app) as (method: string, path: string, ...handlers: Array<MiddlewareHandler<Env> | Handler>) => unknown
    on(spec.method.toUpperCase(), spec.path, ...chain, handler)
  }
}
