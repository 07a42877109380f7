/**
 * Paths inside a document: ajv's JSON Pointer `instancePath`
 * (`/criteria/3/logic/any/0`), segment arrays (`['criteria', 3, 'logic', 'any', 0]`)
 * as the `yaml` library's `getIn` takes them, and the readable form shown to
 * people (`criteria[3].logic.any[0]`).
 */

/** One step of a path: an object key or an array index. */
export type PathSegment = string | number

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/
const INDEX = /^(0|[1-9][0-9]*)$/

/**
 * Splits a JSON Pointer (RFC 6901) into segments.
 *
 * Whether `3` is an array index or an object key cannot be read from the
 * pointer alone, so when `data` is given the pointer is walked through it and
 * a segment becomes a number only where the container is an array. Without
 * `data`, all-digit segments become numbers.
 *
 * @param pointer - e.g. `/criteria/3/logic/any/0`; `''` is the document root.
 * @param data - the value the pointer points into, to tell indexes from keys.
 * @example
 * pointerToSegments('/criteria/3/logic') // ['criteria', 3, 'logic']
 */
export function pointerToSegments(pointer: string, data?: unknown): PathSegment[] {
  if (pointer === '') return []
  const raw = pointer
    .replace(/^\//, '')
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
  const segments: PathSegment[] = []
  let current: unknown = data
  let known = data !== undefined
  for (const s of raw) {
    let segment: PathSegment = s
    if (known) {
      if (Array.isArray(current) && INDEX.test(s)) segment = Number(s)
      current = childOf(current, segment)
      if (current === undefined) known = false
    } else if (INDEX.test(s)) {
      segment = Number(s)
    }
    segments.push(segment)
  }
  return segments
}

/**
 * Joins segments into a JSON Pointer (RFC 6901).
 *
 * @example
 * segmentsToPointer(['criteria', 3, 'a/b']) // '/criteria/3/a~1b'
 */
export function segmentsToPointer(segments: readonly PathSegment[]): string {
  return segments.map(s => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')
}

/**
 * Formats segments the way people read them: `criteria[3].logic.any[0]`.
 * Keys that are not plain identifiers are quoted: `dates["first visit"]`.
 * The root is `''`.
 *
 * @example
 * formatPath(['criteria', 3, 'logic', 'any', 0]) // 'criteria[3].logic.any[0]'
 */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = ''
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`
    else if (IDENTIFIER.test(s)) out += out === '' ? s : `.${s}`
    else out += `[${JSON.stringify(s)}]`
  }
  return out
}

/**
 * Readable form of a JSON Pointer: `/criteria/3/logic` -> `criteria[3].logic`.
 *
 * @param data - see {@link pointerToSegments}.
 */
export function pointerToPath(pointer: string, data?: unknown): string {
  return formatPath(pointerToSegments(pointer, data))
}

/** The value at `segments` inside `data`, or `undefined`. */
export function valueAt(data: unknown, segments: readonly PathSegment[]): unknown {
  let current = data
  for (const s of segments) {
    current = childOf(current, s)
    if (current === undefined) return undefined
  }
  return current
}

function childOf(container: unknown, segment: PathSegment): unknown {
  if (Array.isArray(container)) {
    const i = typeof segment === 'number' ? segment : INDEX.test(segment) ? Number(segment) : -1
    return i >= 0 ? container[i] : undefined
  }
  if (container !== null && typeof container === 'object') {
    const key = String(segment)
    return Object.hasOwn(container, key) ? (container as Record<string, unknown>)[key] : undefined
  }
  return undefined
}
