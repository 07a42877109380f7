/**
 * JSON parsing for request bodies: keys that could reach Object.prototype
 * through later merges (`__proto__`, `constructor`, `prototype`) are dropped.
 */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])

export function safeJsonParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text, (key, value: unknown) => (FORBIDDEN.has(key) ? undefined : value)) }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) }
  }
}
