/**
 * Protocol versions over HTTP: list them, read one with its parsed
 * document, the structured diff of two, validate a new protocol's YAML and
 * create it. Requests go through web/api.ts (token, ProblemError).
 */
import { json, type Diagnostic, type Validation } from '../api.ts'
import type { ProtocolDiff, ProtocolDocument } from '../../engine/index.ts'

export type { ProtocolDiff, ProtocolDocument }

/** One saved version, without its YAML text (GET /protocols/:id/versions). */
export interface VersionSummary {
  protocol_id: string
  version: number
  content_hash: string
  author: string
  /** ISO 8601 timestamp (UTC) of the save. */
  created_at: string
  change_note: string
}

/** One version with its YAML text and the document parsed from it. */
export interface VersionText {
  version: number
  yaml: string
  document: ProtocolDocument
}

/** The diff between two versions of one protocol, as GET /protocols/:id/diff answers it. */
export type VersionDiff = ProtocolDiff & { from: number; to: number }

/** The protocol created by POST /protocols (version 1). */
export interface Created {
  protocol_id: string
  version: number
  warnings: Diagnostic[]
}

const path = (id: string) => `/protocols/${encodeURIComponent(id)}`

/** Every version of a protocol, oldest first. */
export const listVersions = (id: string, signal?: AbortSignal): Promise<VersionSummary[]> => json(`${path(id)}/versions`, { signal })

/** One version's YAML and parsed document. */
export async function getVersionText(id: string, version: number, signal?: AbortSignal): Promise<VersionText> {
  const body = await json<VersionText>(`${path(id)}?version=${version}`, { signal })
  return { version: body.version, yaml: body.yaml, document: body.document }
}

/**
 * The structured diff from version `from` to version `to`.
 *
 * @example
 * (await getVersionDiff('nct05631717', 1, 2)).criteria.changed[0]?.changes
 * // [{ path: 'logic.any[0].measurement.value', kind: 'threshold', from: 1, to: 0.5 }]
 */
export const getVersionDiff = (id: string, from: number, to: number, signal?: AbortSignal): Promise<VersionDiff> =>
  json(`${path(id)}/diff?from=${from}&to=${to}`, { signal })

/** Validate the YAML of a protocol that does not exist yet (nothing saved). */
export const validateNewProtocol = (yaml: string, signal?: AbortSignal): Promise<Validation> => json('/validate', { method: 'POST', json: { yaml }, signal })

export interface CreateOptions {
  yaml: string
  /** What this first version is; the server writes "created" when empty. */
  changeNote?: string
  /** Protocol id; by default the server uses the registry id in lower case. */
  id?: string
}

/**
 * Create a protocol as version 1. Rejects with a ProblemError: 409 when the
 * id exists, 422 with located diagnostics when the YAML has errors, 400 for
 * an id the server does not accept.
 */
export async function createProtocol(options: CreateOptions): Promise<Created> {
  const body: Record<string, string> = { yaml: options.yaml }
  if (options.changeNote) body.change_note = options.changeNote
  if (options.id) body.id = options.id
  const created = await json<Created>('/protocols', { method: 'POST', json: body })
  return { ...created, warnings: created.warnings ?? [] }
}
