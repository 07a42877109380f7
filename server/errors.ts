/**
 * The one HTTP error path: handlers throw a Problem, `onError` answers with
 * application/problem+json (RFC 9457). Anything else thrown is a bug: logged,
 * answered 500 without details (never a stack trace).
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Diagnostic } from '../engine/index.ts'
import { StorageBusyError, StorageFullError } from './storage/storage-errors.ts'

/** Stable problem types; the URI is the identifier, the title is for people. */
export const PROBLEM_TYPES = {
  'invalid-request': 'The request is not valid',
  'invalid-protocol': 'The protocol has errors',
  'invalid-patient': 'The patient record has errors',
  'invalid-subject': 'The subject record has errors',
  unauthorized: 'A valid bearer token is required',
  forbidden: 'This token may not do that',
  'not-found': 'Not found',
  conflict: 'Conflict',
  'precondition-required': 'If-Match is required',
  'precondition-failed': 'The resource has changed',
  'payload-too-large': 'The request body is too large',
  'unsupported-media-type': 'Unsupported media type',
  'over-budget': 'The request needs more computing than one request may use',
  'too-many-requests': 'Too many requests of this kind at once',
  'client-closed-request': 'The client closed the request before it was handled',
  unavailable: 'The service is shutting down or starting',
  'insufficient-storage': 'The server has no room left to save this',
  'storage-busy': 'The database is busy',
  'idempotency-key-reused': 'The Idempotency-Key was used for another request',
  'idempotency-key-in-use': 'A request with this Idempotency-Key is still being handled',
  'no-omop-source': 'No OMOP source is configured',
  'omop-source-failed': 'The OMOP source could not be queried',
  internal: 'Internal error',
} as const
export type ProblemType = keyof typeof PROBLEM_TYPES

export const PROBLEM_BASE = 'https://ln-trial-rules.dev/problems/'

export class Problem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly type: ProblemType,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    /** Headers of the answer, e.g. WWW-Authenticate on a 401. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail)
  }
}

// helpers in the style of medplum's outcomes.ts
export const badRequest = (detail: string, extra?: Record<string, unknown>) => new Problem(400, 'invalid-request', detail, extra)
export const notFound = (what: string) => new Problem(404, 'not-found', `${what} not found`)
export const conflict = (detail: string, extra?: Record<string, unknown>) => new Problem(409, 'conflict', detail, extra)

/** A 422 carrying located diagnostics (line, column, path, message, severity). */
export function invalid(
  type: 'invalid-protocol' | 'invalid-patient' | 'invalid-subject' | 'invalid-request',
  detail: string,
  diagnostics: Diagnostic[],
): Problem {
  return new Problem(422, type, detail, { diagnostics })
}

export function problemResponse(c: Context, p: Problem): Response {
  const body = { type: `${PROBLEM_BASE}${p.type}`, title: PROBLEM_TYPES[p.type], status: p.status, detail: p.detail, instance: c.req.path, ...p.extra }
  return c.body(JSON.stringify(body), p.status, { ...p.headers, 'Content-Type': 'application/problem+json' })
}

/**
 * Seconds a client should wait after a 503 for a locked database: the lock
 * was held past the 5 s busy timeout already (by the token CLI or another
 * process's transaction), so a short wait, not an immediate retry.
 */
export const STORAGE_BUSY_RETRY_AFTER_SECONDS = 2

/** A storage failure (storage-errors.ts) as a problem: nothing was saved, and the client is told what to do. */
function storageProblem(err: StorageFullError | StorageBusyError): Problem {
  if (err instanceof StorageFullError) {
    return new Problem(
      507,
      'insufficient-storage',
      "The disk holding the server's data directory is full: nothing was saved. Retry once an administrator has freed space.",
    )
  }
  return new Problem(
    503,
    'storage-busy',
    `The database is busy (locked by another connection) or out of reach: nothing was saved. Retry in ${STORAGE_BUSY_RETRY_AFTER_SECONDS} seconds.`,
    {},
    { 'Retry-After': String(STORAGE_BUSY_RETRY_AFTER_SECONDS) },
  )
}

/** Hono's onError: a Problem as itself; a full disk 507 and a locked database 503 (logged); anything else logged and answered 500 without details. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof Problem) return problemResponse(c, err)
  if (err instanceof StorageFullError || err instanceof StorageBusyError) {
    // the operator needs to know (the path is in the message); the client gets what to do, not where the data lives
    console.error(`storage failure on ${c.req.method} ${c.req.path}: ${err.message}`)
    return problemResponse(c, storageProblem(err))
  }
  console.error(`internal error on ${c.req.method} ${c.req.path}:`, err)
  return problemResponse(c, new Problem(500, 'internal', 'The server failed to handle this request; it has been logged.'))
}
