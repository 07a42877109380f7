/**
 * The only module that talks to the server (ARCHITECTURE.md: web/ reaches
 * server/ over HTTP only). Sends the bearer token, and turns every failure (an
 * application/problem+json answer, another error status, an unreachable
 * server) into a {@link ProblemError} with a detail fit to show to the user.
 */
import type { Diagnostic, ProtocolDocument, Role, Verdict } from '../engine/index.ts'
import type { ProtocolStatus, StatusTransition } from './api/protocol-status.ts'

export type { Diagnostic, Role, Verdict }

/** An RFC 9457 problem answered by the server, or a network failure (status 0). */
export class ProblemError extends Error {
  readonly status: number
  /** Last segment of the problem type URI (`precondition-failed`), or `network` / `http-error`. */
  readonly type: string
  readonly title: string
  readonly detail: string
  /** Located diagnostics of a 422 (protocol or patient record errors); empty otherwise. */
  readonly diagnostics: Diagnostic[]
  /** Every other member of the problem object (`latest`, `latest_version`, `errors`...). */
  readonly extra: Record<string, unknown>

  constructor(init: { status: number; type: string; title: string; detail: string; diagnostics?: Diagnostic[]; extra?: Record<string, unknown> }) {
    super(init.detail)
    this.name = 'ProblemError'
    this.status = init.status
    this.type = init.type
    this.title = init.title
    this.detail = init.detail
    this.diagnostics = init.diagnostics ?? []
    this.extra = init.extra ?? {}
  }
}

/** Whether trying the same request again may help: a network failure, a busy or failing server; never a request the server refused (4xx). */
export const retryable = (e: unknown): boolean => !(e instanceof ProblemError) || e.status === 0 || e.status === 429 || e.status >= 500

/** Read a failed response into a ProblemError, whatever its content type. */
export async function problemFromResponse(res: Response): Promise<ProblemError> {
  const type = res.headers.get('Content-Type') ?? ''
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Record<string, unknown>
      const { type: uri, title, detail, status, diagnostics, instance: _instance, ...extra } = body
      return new ProblemError({
        status: typeof status === 'number' ? status : res.status,
        type: typeof uri === 'string' ? uri.slice(uri.lastIndexOf('/') + 1) : 'http-error',
        title: typeof title === 'string' ? title : res.statusText,
        detail: typeof detail === 'string' ? detail : `${res.status} ${res.statusText}`,
        diagnostics: Array.isArray(diagnostics) ? (diagnostics as Diagnostic[]) : [],
        extra,
      })
    } catch {
      // fall through: a JSON content type with a body that is not JSON
    }
  }
  return new ProblemError({
    status: res.status,
    type: 'http-error',
    title: res.statusText || 'Error',
    detail: `The server answered ${res.status} ${res.statusText}.`,
  })
}

/** Where this tab keeps its token (sessionStorage key). */
export const TOKEN_KEY = 'tp-token'

/** The token of this tab's session (sessionStorage: gone when the tab closes). */
export function getToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined
}
export function setToken(token: string | undefined): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token)
  else sessionStorage.removeItem(TOKEN_KEY)
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT'
  json?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
  /** Use this token rather than the session's (sign-in checks a token before keeping it). */
  token?: string
}

/** Send a request with the session's token; a failure rejects with a ProblemError. */
export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...options.headers }
  const token = options.token ?? getToken()
  if (token) headers.Authorization = `Bearer ${token}`
  let body: string | undefined
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(options.json)
  }
  let res: Response
  try {
    res = await fetch(path, { method: options.method ?? 'GET', headers, body, signal: options.signal ?? null })
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ProblemError({
      status: 0,
      type: 'network',
      title: 'Server unreachable',
      detail: `Could not reach the server (${e instanceof Error ? e.message : String(e)}). Is npm start running?`,
    })
  }
  if (!res.ok) throw await problemFromResponse(res)
  return res
}

/** {@link send}, and read the JSON answer. */
export async function json<T>(path: string, options?: RequestOptions): Promise<T> {
  return (await (await send(path, options)).json()) as T
}

// ---------------------------------------------------------------------------
// Session

/**
 * The role of a token. The API has no "who am I" route yet, so this asks
 * for what each role may do with requests that stop at the permission check
 * (403) or at request validation (400) and never reach a handler: nothing
 * is read or written.
 */
export async function roleOf(token: string): Promise<Role> {
  // 401 for an unknown token; GET /me names the token's role
  const me = (await (await send('/me', { token })).json()) as { role: Role }
  return me.role
}

/** What a role may do (server/auth.ts), to offer only what it may. */
export const may = {
  editProtocols: (role: Role) => role === 'admin' || role === 'designer',
  evaluate: (role: Role) => role === 'admin' || role === 'clinician',
  manageSubjects: (role: Role) => role === 'admin' || role === 'clinician',
}

// ---------------------------------------------------------------------------
// Protocols

export interface ProtocolSummary {
  id: string
  registry_id: string
  title: string
  /** Lifecycle (web/api/protocol-status.ts): clinicians use active protocols only. */
  status: ProtocolStatus
  /** The status changes it may make next, and who may make each. */
  status_transitions: StatusTransition[]
  version: number
  encoding_version: string
  content_hash: string
  updated_at: string
  counts: { criteria: number; arms: number; visits: number; endpoints: number }
  warnings: number
}

export interface ProtocolVersion {
  protocol_id: string
  version: number
  yaml: string
  author: string
  created_at: string
  change_note: string
  warnings: Diagnostic[]
  /** The ETag of this version, sent back as If-Match when saving an edit of it. */
  etag: string
}

export interface Validation {
  valid: boolean
  diagnostics: Diagnostic[]
}

export interface Saved {
  version: number
  etag: string
  warnings: Diagnostic[]
}

export const listProtocols = (signal?: AbortSignal): Promise<ProtocolSummary[]> => json('/protocols', { signal })

/** The latest version (or a given one) with its YAML text and ETag. */
export async function getProtocol(id: string, version?: number, signal?: AbortSignal): Promise<ProtocolVersion> {
  const res = await send(`/protocols/${encodeURIComponent(id)}${version === undefined ? '' : `?version=${version}`}`, { signal })
  const body = (await res.json()) as ProtocolVersion
  return { ...body, warnings: body.warnings ?? [], etag: res.headers.get('ETag') ?? '' }
}

/** The parsed document of the latest version (or a given one): what a generated patient form is derived from. */
export async function getProtocolDocument(id: string, signal?: AbortSignal): Promise<{ version: number; document: ProtocolDocument }> {
  const body = await json<{ version: number; document: ProtocolDocument }>(`/protocols/${encodeURIComponent(id)}`, { signal })
  return { version: body.version, document: body.document }
}

/** Validate a draft (nothing saved). */
export const validateDraft = (id: string, yaml: string, signal?: AbortSignal): Promise<Validation> =>
  json(`/protocols/${encodeURIComponent(id)}/validate`, { method: 'POST', json: { yaml }, signal })

/**
 * Save a new version. A 412 (someone saved since `etag`) rejects with a
 * ProblemError whose `extra.latest_version` names the newer version.
 */
export async function saveProtocol(id: string, yaml: string, etag: string, changeNote: string): Promise<Saved> {
  const res = await send(`/protocols/${encodeURIComponent(id)}`, { method: 'PUT', json: { yaml, change_note: changeNote }, headers: { 'If-Match': etag } })
  const body = (await res.json()) as { version: number; warnings?: Diagnostic[] }
  return { version: body.version, warnings: body.warnings ?? [], etag: res.headers.get('ETag') ?? '' }
}

// ---------------------------------------------------------------------------
// Evaluation

/** A verdict; `evaluation_id` is the screening-log entry, null for a preview. */
export type EvaluationResult = Verdict & { evaluation_id: number | null; version: number }

/**
 * Evaluate a patient. `log: false` is a preview (nothing written to the
 * screening log): what a form evaluated while it is typed uses; recording
 * the screening is a separate, deliberate request.
 */
export const evaluatePatient = (id: string, patient: unknown, options: { log: boolean; signal?: AbortSignal }): Promise<EvaluationResult> =>
  json(`/protocols/${encodeURIComponent(id)}/evaluate${options.log ? '' : '?log=false'}`, { method: 'POST', json: patient, signal: options.signal })
