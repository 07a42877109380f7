/**
 * JSON Merge Patch (RFC 7386): objects merge recursively, arrays and scalars
 * replace, `null` deletes. Used to derive example patients from a base record.
 */

/** Keys that could reach Object.prototype through a merge; never copied. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

/**
 * Apply `patch` to `target` without mutating either (RFC 7386 §2).
 *
 * @example
 * applyMergePatch({ a: 1, b: { c: 2 } }, { b: { c: null, d: 3 } }) // { a: 1, b: { d: 3 } }
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch)
  const out: Record<string, unknown> = isObject(target) ? structuredClone(target) : {}
  for (const [key, value] of Object.entries(patch)) {
    if (FORBIDDEN_KEYS.has(key)) continue
    if (value === null) delete out[key]
    else out[key] = applyMergePatch(out[key], value)
  }
  return out
}
