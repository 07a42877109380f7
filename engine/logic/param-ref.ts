/**
 * `{ param: name }`: a value the protocol's `parameters` section gives. The
 * one test for that shape, for the compiler, the semantic checks, the
 * description and the web's forms alike.
 *
 * Imports only types, so the browser bundle may import it
 * (test/web/boundaries.test.ts WEB_SHARED).
 */
import type { ParamRef } from '../types.ts'

export function isParamRef(x: unknown): x is ParamRef {
  return typeof x === 'object' && x !== null && 'param' in x && typeof (x as { param: unknown }).param === 'string'
}
