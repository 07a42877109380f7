/**
 * The last few results of a pure function of a text, kept by the text itself:
 * a protocol's examples file (150 kB for the seed) is parsed and validated
 * once while the designer edits the protocol, instead of on every run.
 */
export class ContentCache<T> {
  private readonly entries = new Map<string, T>()

  constructor(private readonly capacity: number) {}

  /** The value kept for `key`, or `make()`'s, kept (the least recently used entry goes beyond `capacity`). */
  get(key: string, make: () => T): T {
    const kept = this.peek(key)
    if (kept !== undefined) return kept
    const value = make()
    this.set(key, value)
    return value
  }

  /** The value kept for `key`, if any (marked as the most recently used), without making one. */
  peek(key: string): T | undefined {
    const kept = this.entries.get(key)
    if (kept !== undefined) {
      // a Map iterates in insertion order: re-inserting marks the entry as the most recently used
      this.entries.delete(key)
      this.entries.set(key, kept)
    }
    return kept
  }

  /** Keep `value` for `key` (the least recently used entry goes beyond `capacity`). */
  set(key: string, value: T): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!)
  }

  /** Drop what is kept for `key` (e.g. a failed run, not to be handed out again). */
  forget(key: string): void {
    this.entries.delete(key)
  }

  get size(): number {
    return this.entries.size
  }
}

/** `value` and everything under it made read-only: a value shared by every caller of a cache must not change under them. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value
  Object.freeze(value)
  // indexed and for-in walks, not Object.values: an array per object made freezing a keystroke's ~20 000 result
  // objects (every example re-run) take about half as long again
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i])
  else for (const key in value) deepFreeze(value[key])
  return value
}

const derived = new WeakMap<object, Map<string, unknown>>()

/**
 * What `derive()` makes from a shared, frozen document (one a ContentCache holds), made once per document and `key`
 * and frozen in turn: the edit loop derives the same example records from the same examples text on every change.
 * From a document that is not frozen (a caller's own, which may change) it is made afresh each time.
 */
export function derivedOnce<T>(doc: object, key: string, derive: () => T): T {
  if (!Object.isFrozen(doc)) return derive()
  let byKey = derived.get(doc)
  if (!byKey) derived.set(doc, (byKey = new Map()))
  if (!byKey.has(key)) byKey.set(key, deepFreeze(derive()))
  return byKey.get(key) as T
}
