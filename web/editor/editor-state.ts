/**
 * The protocol editor's states (web/components/tp-protocol-editor.ts): which
 * tab shows, loading the version, checking the draft, a stale save, and the
 * saved version the draft started from.
 */
import type { ProtocolVersion } from '../api.ts'

export type Tab = 'protocol' | 'examples'
export type Load = { state: 'loading' } | { state: 'error'; error: unknown } | { state: 'ready' }
export type Check = { state: 'idle' } | { state: 'checking' } | { state: 'error'; error: unknown }
export interface Conflict {
  baseVersion: number
  latestVersion: number | undefined
  latestEtag: string | undefined
}

/** The saved version a draft started from: what saving (If-Match) and the examples panel need of it. */
export type Base = Pick<ProtocolVersion, 'version' | 'etag' | 'change_note' | 'author' | 'created_at' | 'yaml'>
export const baseOf = ({ version, etag, change_note, author, created_at, yaml }: ProtocolVersion): Base => ({
  version,
  etag,
  change_note,
  author,
  created_at,
  yaml,
})
