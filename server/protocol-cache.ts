/**
 * Parsed and compiled protocol versions, kept in memory: a version never
 * changes, so each is parsed and compiled once.
 */
import { compileProtocol, loadProtocol, type CompiledProtocol, type Diagnostic, type ProtocolDocument } from '../engine/index.ts'
import type { ProtocolVersionRow } from './storage/store.ts'

export interface LoadedVersion {
  row: ProtocolVersionRow
  doc: ProtocolDocument
  compiled: CompiledProtocol
  warnings: Diagnostic[]
}

const MAX_ENTRIES = 64
const cache = new Map<string, LoadedVersion>()

/** The compiled form of a stored version (stored versions were valid when saved). */
export function loadedVersion(row: ProtocolVersionRow): LoadedVersion {
  const key = `${row.protocol_id}@${row.version}:${row.content_hash}`
  const hit = cache.get(key)
  if (hit) return hit
  const loaded = loadProtocol(row.yaml, { file: `${row.protocol_id}@v${row.version}` })
  if (!loaded.value) throw new Error(`stored protocol ${row.protocol_id} v${row.version} no longer validates`)
  const entry = { row, doc: loaded.value, compiled: compileProtocol(loaded.value), warnings: loaded.diagnostics }
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!)
  cache.set(key, entry)
  return entry
}

/**
 * `derive` made once per parsed document (a stored version never changes):
 * what a route computes from a version (its description, its exports) lives
 * as long as the cached document does.
 */
export function perDocument<T>(derive: (doc: ProtocolDocument) => T): (doc: ProtocolDocument) => T {
  const made = new WeakMap<ProtocolDocument, T>()
  return doc => {
    if (made.has(doc)) return made.get(doc) as T
    const value = derive(doc)
    made.set(doc, value)
    return value
  }
}

/** The strong ETag of a version: changes whenever the version does. */
export function etagOf(row: ProtocolVersionRow): string {
  return `"${row.protocol_id}-v${row.version}-${row.content_hash.slice(0, 16)}"`
}

/** The version number an If-Match header names, if it names one of this protocol's ETags. */
export function versionFromIfMatch(header: string | undefined, protocolId: string): number | undefined {
  const m = header ? new RegExp(`^(?:W/)?"${protocolId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-v(\\d+)-[0-9a-f]{16}"$`).exec(header.trim()) : null
  return m ? Number(m[1]) : undefined
}
