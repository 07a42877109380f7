/**
 * An app over an in-memory store (a PostgreSQL database of its own with
 * TEST_STORE=postgres: postgres-test-store.ts) with the shipped protocols loaded, tokens
 * for every role, and `req()` to call it without a socket.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Hono } from 'hono'
import { expect } from 'vitest'
import { PROBLEM_BASE } from '../../server/errors.ts'
import { createApp, type AppOptions } from '../../server/app.ts'
import { newToken } from '../../server/auth.ts'
import { bootstrap } from '../../server/bootstrap.ts'
import type { Env } from '../../server/http/route.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import type { Actor, Role, Store } from '../../server/storage/store.ts'
import { PROTOCOLS_DIR } from '../helpers/protocols.ts'
import { ON_POSTGRES, postgresTestStore } from './postgres-test-store.ts'

/** Who writes in tests that call the store directly. */
export const TEST_ACTOR: Actor = { tokenId: 'test', name: 'test', role: 'admin' }

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
export async function testApp(options: Omit<AppOptions, 'store'> = {}): Promise<TestApp> {
  const { store, adminToken } = ON_POSTGRES ? await postgresTestStore() : await sqliteTestStore()
  const app = createApp({ store, ...options })
  const tokens: Record<Role, string> = { admin: adminToken, designer: '', clinician: '', viewer: '' }
  for (const role of ['designer', 'clinician', 'viewer'] as const) {
    const { token, hash } = newToken()
    await store.createToken({ name: `test ${role}`, role, hash }, TEST_ACTOR)
    tokens[role] = token
  }
  return { app, store, adminToken, tokenFor: role => tokens[role] }
}

/** A store as the first start leaves it: a copy of the bootstrapped image, in memory. */
async function sqliteTestStore(): Promise<{ store: Store; adminToken: string }> {
  const { image, adminToken } = await (bootstrapped ??= bootstrapImage())
  return { store: openSqliteStore(image), adminToken }
}

/**
 * A database file as the server's first start leaves it (the shipped protocols
 * and an admin token), for the command-line tools and the store to open: the
 * same once-per-file bootstrap as testApp, written out instead of bootstrapping again.
 */
export async function bootstrappedDatabase(file: string): Promise<{ adminToken: string }> {
  const { image, adminToken } = await (bootstrapped ??= bootstrapImage())
  mkdirSync(dirname(file), { recursive: true })
  // a legacy-journal image (below): the store switches the file to WAL when it opens it
  writeFileSync(file, image)
  return { adminToken }
}

/** The first start of an empty store, done once per test file (its worker) and copied for each app. */
let bootstrapped: Promise<{ image: Buffer; adminToken: string }> | undefined

/**
 * Bootstrap (the shipped protocols parsed, checked and stored: most of an
 * app's set-up time) into a database file once, and keep its bytes: each
 * testApp opens a copy of them in memory, as if it had bootstrapped itself.
 */
async function bootstrapImage(): Promise<{ image: Buffer; adminToken: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ln-test-app-'))
  try {
    const file = join(dir, 'bootstrapped.db')
    const store = openSqliteStore(file)
    const { adminToken } = await bootstrap(store, PROTOCOLS_DIR)
    store.close() // the last connection: the write-ahead log is checkpointed into the file
    if (!adminToken) throw new Error('bootstrap of an empty store created no admin token')
    const image = readFileSync(file)
    // bytes 18-19 of the header say "WAL" (2); an image opened in memory has no WAL file: legacy journal (1)
    image[18] = 1
    image[19] = 1
    return { image, adminToken }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
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

export interface CallOptions {
  /** Whose token to send; null sends none. */
  as?: Role | null
  /** A token to send instead of a role's. */
  token?: string
  body?: unknown
  /** Content-Type of `body` (default application/json). */
  type?: string
  headers?: Record<string, string>
}

/** `call(method, path, options)` bound to a test app, sending `defaultRole`'s token unless told otherwise. */
export function caller(t: TestApp, defaultRole: Role) {
  return (method: string, path: string, o: CallOptions = {}): Promise<Response> => {
    const as = o.as === undefined ? defaultRole : o.as
    const token = o.token ?? (as ? t.tokenFor(as) : undefined)
    const headers: Record<string, string> = { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...o.headers }
    if (o.body !== undefined) headers['Content-Type'] = o.type ?? 'application/json'
    const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body)
    return Promise.resolve(t.app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) }))
  }
}

/** Every error answer is application/problem+json with a stable `type` URI and its own status. */
export async function expectProblem(res: Response, status: number, type: string): Promise<ProblemBody> {
  expect(res.status).toBe(status)
  expect(res.headers.get('Content-Type')).toBe('application/problem+json')
  const body = (await res.json()) as ProblemBody
  expect(body).toMatchObject({ type: `${PROBLEM_BASE}${type}`, status })
  expect(body.title).toEqual(expect.any(String))
  expect(body.detail).toEqual(expect.any(String))
  return body
}

/**
 * A protocol's YAML with another title: what a copy needs to be created
 * (two stored protocols may not share a title, server/protocol-title.ts).
 */
export function retitled(yaml: string, title: string): string {
  const out = yaml.replace(/^( {2}title:).*$/m, `$1 ${JSON.stringify(title)}`)
  if (out === yaml) throw new Error('retitled: no protocol title line found')
  return out
}

/** Make a protocol active (POST-created protocols start as drafts), as the admin. */
export async function activate(t: TestApp, id: string): Promise<void> {
  const res = await req(t.app, 'POST', `/protocols/${id}/status`, { token: t.adminToken, json: { status: 'active' } })
  if (res.status !== 200) throw new Error(`activating ${id}: ${res.status} ${await res.text()}`)
}
