/**
 * An app over an in-memory store with the shipped protocols loaded, tokens
 * for every role, and `req()` to call it without a socket.
 */
import type { Hono } from 'hono'
import { createApp } from '../../server/app.ts'
import { newToken } from '../../server/auth.ts'
import { bootstrap } from '../../server/bootstrap.ts'
import type { Env } from '../../server/http/route.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import type { Role, Store } from '../../server/storage/store.ts'
import { PROTOCOLS_DIR } from '../helpers/protocols.ts'

export interface TestApp {
  app: Hono<Env>
  store: Store
  adminToken: string
  /** A token of this role (the bootstrap token for admin). */
  tokenFor(role: Role): string
}

/**
 * @example
 * const { app, tokenFor } = await testApp()
 * const res = await req(app, 'GET', '/protocols', { token: tokenFor('viewer') })
 */
export async function testApp(): Promise<TestApp> {
  const store = openSqliteStore(':memory:')
  const { adminToken } = await bootstrap(store, PROTOCOLS_DIR)
  if (!adminToken) throw new Error('bootstrap of an empty store created no admin token')
  const app = createApp({ store })
  const tokens: Record<Role, string> = { admin: adminToken, designer: '', clinician: '', viewer: '' }
  for (const role of ['designer', 'clinician', 'viewer'] as const) {
    const { token, hash } = newToken()
    await store.createToken({ name: `test ${role}`, role, hash }, 'test')
    tokens[role] = token
  }
  return { app, store, adminToken, tokenFor: (role) => tokens[role] }
}

export interface ReqOptions {
  token?: string
  /** Sent as application/json (JSON.stringify), unless it is already a string. */
  json?: unknown
  /** Sent as application/yaml text. */
  yaml?: string
  headers?: Record<string, string>
}

/** One request through `app.request`; `json`/`yaml` set the body and Content-Type (overridable in `headers`). */
export function req(app: Hono<Env>, method: string, path: string, o: ReqOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {}
  if (o.token !== undefined) headers.Authorization = `Bearer ${o.token}`
  let body: string | undefined
  if (o.yaml !== undefined) {
    headers['Content-Type'] = 'application/yaml'
    body = o.yaml
  } else if (o.json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = typeof o.json === 'string' ? o.json : JSON.stringify(o.json)
  }
  Object.assign(headers, o.headers)
  return Promise.resolve(app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) }))
}

/** A problem+json body (RFC 9457) with any extension members. */
export interface ProblemBody {
  type: string
  title: string
  status: number
  detail: string
  instance?: string
  diagnostics?: DiagnosticBody[]
  [extra: string]: unknown
}

export interface DiagnosticBody {
  code: string
  severity: 'error' | 'warning'
  message: string
  path: string
  line?: number
  column?: number
}
