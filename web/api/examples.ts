/**
 * Example patients of a protocol (its own tests) and the published JSON
 * Schemas, over HTTP through web/api.ts.
 */
import { ProblemError, json, send, type Diagnostic } from '../api.ts'

/** A saved version of a protocol's examples. */
export interface ExamplesVersion {
  protocol_id: string
  version: number
  yaml: string
  /** The protocol version they were checked against when saved. */
  protocol_version: number
  author: string
  created_at: string
  change_note: string
  /** ETag of this version, sent back as If-Match when saving an edit of it. */
  etag: string
}

/** An example's result and its checks: the server's shapes (engine/types/api.ts). */
import type { ExampleRunResult as ExampleResult } from '../../engine/index.ts'
export type { ExampleCheck } from '../../engine/index.ts'
export type { ExampleResult }

export interface ExamplesRun {
  total: number
  passed: number
  failed: number
  /** The saved examples version run, or null for a draft of them. */
  examples_version: number | null
  results: ExampleResult[]
  /** The example subjects' follow-up endpoints worked out by hand; a subject's checks are the results that differ (`endpoint@visit`). */
  subjects?: { total: number; passed: number; failed: number; results: ExampleResult[] }
  warnings: Diagnostic[]
}

export interface ExamplesSaved {
  version: number
  protocol_version: number
  etag: string
  warnings: Diagnostic[]
}

const base = (id: string) => `/protocols/${encodeURIComponent(id)}/examples`

/** The latest saved examples, or undefined when the protocol has none yet. */
export async function getExamples(id: string, signal?: AbortSignal): Promise<ExamplesVersion | undefined> {
  try {
    const res = await send(base(id), { signal })
    const body = (await res.json()) as Omit<ExamplesVersion, 'etag'>
    return { ...body, etag: res.headers.get('ETag') ?? '' }
  } catch (e) {
    // the protocol exists (the editor loaded it): a 404 here means no examples saved yet
    if (e instanceof ProblemError && e.status === 404 && /none saved yet/.test(e.detail)) return undefined
    throw e
  }
}

/**
 * Save a new version of the examples. `etag` is the ETag of the version the
 * edit started from (undefined for the first examples of a protocol); a 412
 * rejects with a ProblemError whose `extra.latest_version` names the newer one.
 */
export async function saveExamples(id: string, yaml: string, etag: string | undefined, changeNote: string): Promise<ExamplesSaved> {
  const res = await send(base(id), { method: 'PUT', json: { yaml, change_note: changeNote }, ...(etag ? { headers: { 'If-Match': etag } } : {}) })
  const body = (await res.json()) as Omit<ExamplesSaved, 'etag'>
  return { ...body, warnings: body.warnings ?? [], etag: res.headers.get('ETag') ?? '' }
}

/**
 * Run the examples against a protocol draft, or against saved `version`
 * when no draft is sent (nothing saved or logged). Errors in either text reject with a 422 ProblemError whose
 * `extra.document` says which (`protocol` or `examples`).
 */
export const runExamples = (id: string, drafts: { yaml?: string; examples?: string }, signal?: AbortSignal, version?: number): Promise<ExamplesRun> =>
  json(`${base(id)}/run${version === undefined ? '' : `?version=${version}`}`, { method: 'POST', json: drafts, signal })

/** A published JSON Schema (`protocol.schema.json`, `examples.schema.json`...). */
export const getSchema = (name: string): Promise<Record<string, unknown>> => json(`/schemas/${encodeURIComponent(name)}`)
