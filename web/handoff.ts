/**
 * Carrying a value from one screen to another without putting it in the
 * URL (a patient record, a protocol draft): it waits in this tab's
 * sessionStorage under a one-time random id, and only that id travels in
 * the location hash. Taking it removes it, so a reload or a shared link
 * carries nothing.
 */
const PREFIX = 'tp-handoff:'

/** The kinds handed over: a patient record (Match → Evaluate), a protocol's YAML (the what-if's "save as draft amendment" → the editor). */
export const HANDOFF = { record: 'record', protocolDraft: 'protocol-draft' } as const

/** Keep a value of a kind for the next screen; returns the one-time id to put in the link. */
export function stash(kind: string, value: unknown, storage: Storage = sessionStorage): string {
  // getRandomValues, not randomUUID: the app may be served over plain HTTP on a ward network (no secure context)
  const id = [...crypto.getRandomValues(new Uint8Array(16))].map(b => b.toString(16).padStart(2, '0')).join('')
  storage.setItem(`${PREFIX}${kind}:${id}`, JSON.stringify(value))
  return id
}

/** The value kept under `id`, removed as it is taken; undefined when there is none (already taken, another tab). */
export function take(kind: string, id: string, storage: Storage = sessionStorage): unknown {
  const key = `${PREFIX}${kind}:${id}`
  const text = storage.getItem(key)
  storage.removeItem(key)
  if (text === null) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** The protocol YAML the what-if's "save as draft amendment" handed to the editor under `id`, taken once. */
export function takeProtocolDraft(id: string, storage: Storage = sessionStorage): string | undefined {
  const value = take(HANDOFF.protocolDraft, id, storage)
  return typeof value === 'string' ? value : undefined
}
