/**
 * SHA-256 as lowercase hex: the content hashes of protocol and examples
 * versions, subject records and audit rows, the stored form of an API token,
 * and an idempotent request's fingerprint. One definition for every store
 * (the hashes are compared across them) and for the HTTP layer.
 */
import { createHash } from 'node:crypto'

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
