/**
 * JSON parsing for request bodies: keys that could reach Object.prototype
 * through later merges (`__proto__`, `constructor`, `prototype`) are dropped.
 */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * Whether the text may hold a forbidden key: one written out, or any \u
 * escape (which could spell one). Most bodies hold neither and are parsed
 * without a reviver, which makes JSON.parse about three times slower.
 */
const MAY_HOLD_FORBIDDEN = /__proto__|constructor|prototype|\\u/

export function safeJsonParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    if (!MAY_HOLD_FORBIDDEN.test(text)) return { ok: true, value: JSON.parse(text) }
    return { ok: true, value: JSON.parse(text, (key, value: unknown) => (FORBIDDEN.has(key) ? undefined : value)) }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) }
  }
}
