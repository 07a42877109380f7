/**
 * The one place that words schema errors for people. Everything else keeps
 * ajv's shape (`keyword`, `instancePath`, `params`) until it reaches here.
 *
 * Messages say what was expected and what was found, the found value quoted
 * with its type: `expected a number, got string "sixty"`.
 */
import type { ErrorObject } from 'ajv/dist/2020.js'
import { distance } from 'fastest-levenshtein'
import type { DiagnosticCode } from '../types.ts'
import { suggest } from '../semantic/suggest.ts'

/** A schema error in words, ready to become a `Diagnostic`. */
export interface WordedError {
  code: DiagnosticCode
  message: string
  expected?: string
  found?: string
}

/** Patterns used in the schemas, in words. Unknown patterns are shown as is. */
const PATTERN_WORDS: Record<string, string> = {
  '^[a-z][a-z0-9_]*$': 'a snake_case name (lowercase letters, digits and _, starting with a letter)',
  '^[A-Z]{2}[0-9]{2}[a-z]?$': 'a criterion id like IN01, EX04 or EX04a',
  '^[0-9]{1,7}-[0-9]$': 'a LOINC code like 2160-0',
}

const FORMAT_WORDS: Record<string, string> = {
  date: 'a calendar date YYYY-MM-DD',
  'date-time': 'a date and time (ISO 8601)',
  uri: 'a URI',
}

const MAX_QUOTED = 60
/**
 * Keys named in one message: an object may have thousands of keys, and
 * naming them all in each of its errors made the report quadratic.
 */
export const MAX_NAMED_KEYS = 8
/** When the allowed keys are more than {@link MAX_NAMED_KEYS}, the closest this many are named. */
const CLOSEST_KEYS = 5
/** Keys longer than this get no edit-distance suggestion (each distance is O(length²)). */
const MAX_SUGGESTED_KEY_LENGTH = 64

/**
 * Words one ajv error (from a validator compiled with `verbose: true`, so that
 * `error.data` holds the offending value).
 *
 * `propertyNames` wrappers should be dropped by the caller: the inner error
 * (with `propertyName` set) is the one worth showing.
 *
 * @example
 * wordAjvError({ keyword: 'type', params: { type: 'number' }, data: 'sixty', ... })
 * // { code: 'E_SCHEMA_TYPE', message: 'expected a number, got string "sixty"', ... }
 */
export function wordAjvError(error: ErrorObject): WordedError {
  const params: Record<string, unknown> = error.params
  const data: unknown = error.propertyName !== undefined ? error.propertyName : error.data
  // Described only for the keywords that show it: `data` may be a whole document.
  let described: string | undefined
  const found = (): string => (described ??= describeValue(data))
  switch (error.keyword) {
    case 'type': {
      const types = typeof params.type === 'string' ? params.type.split(',') : asStrings(params.type)
      const expected = joinAlternatives(types.map(typeWord))
      return { code: 'E_SCHEMA_TYPE', message: `expected ${expected}, got ${found()}`, expected: types.join(' | '), found: found() }
    }
    case 'required': {
      const missing = String(params.missingProperty)
      return { code: 'E_SCHEMA_REQUIRED', message: `missing required key "${missing}"`, expected: missing }
    }
    case 'dependentRequired': {
      const missing = String(params.missingProperty)
      const message = `missing key "${missing}", required when "${String(params.property)}" is given`
      return { code: 'E_SCHEMA_REQUIRED', message, expected: missing }
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(params.additionalProperty ?? params.unevaluatedProperty)
      const allowed = allowedKeys(error.parentSchema)
      const close = key.length <= MAX_SUGGESTED_KEY_LENGTH ? suggest(key, allowed) : undefined
      const hint = close === undefined ? '' : `; did you mean "${close}"?`
      const message =
        allowed.length > 0
          ? `unknown key ${quote(key)}${hint}${close === undefined ? ';' : ''} expected one of: ${nameKeys(key, allowed)}`
          : `unknown key ${quote(key)}; no keys are allowed here`
      return { code: 'E_SCHEMA_ADDITIONAL', message, expected: allowed.join(', '), found: key }
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : []
      const expected = allowed.map(quote).join(', ')
      return { code: 'E_SCHEMA_ENUM', message: `expected one of ${expected}, got ${found()}`, expected, found: found() }
    }
    case 'const': {
      const expected = quote(params.allowedValue)
      return { code: 'E_SCHEMA_ENUM', message: `expected ${expected}, got ${found()}`, expected, found: found() }
    }
    case 'format': {
      const format = String(params.format)
      const expected = FORMAT_WORDS[format] ?? `a ${format}`
      return { code: 'E_SCHEMA_FORMAT', message: `expected ${expected}, got ${found()}`, expected: format, found: found() }
    }
    case 'pattern': {
      const pattern = String(params.pattern)
      const expected = PATTERN_WORDS[pattern] ?? `a string matching ${pattern}`
      const got = error.propertyName !== undefined ? `key ${quote(error.propertyName)}` : found()
      return { code: 'E_SCHEMA_FORMAT', message: `expected ${expected}, got ${got}`, expected: pattern, found: got }
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const op = { minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<' }[error.keyword]
      const expected = `${op} ${String(params.limit)}`
      const kind = isIntegerSchema(error.parentSchema) ? 'an integer' : 'a number'
      return { code: 'E_SCHEMA_RANGE', message: `expected ${kind} ${expected}, got ${found()}`, expected, found: found() }
    }
    case 'multipleOf': {
      const expected = `a multiple of ${String(params.multipleOf)}`
      return { code: 'E_SCHEMA_RANGE', message: `expected ${expected}, got ${found()}`, expected, found: found() }
    }
    case 'minItems':
    case 'maxItems': {
      const limit = Number(params.limit)
      const bound = error.keyword === 'minItems' ? 'at least' : 'at most'
      const expected = `${bound} ${plural(limit, 'item')}`
      return { code: 'E_SCHEMA_RANGE', message: `expected ${expected}, got ${found()}`, expected, found: found() }
    }
    case 'minLength':
    case 'maxLength': {
      const limit = Number(params.limit)
      const expected =
        error.keyword === 'minLength' && limit === 1
          ? 'a non-empty string'
          : `${error.keyword === 'minLength' ? 'at least' : 'at most'} ${plural(limit, 'character')}`
      return { code: 'E_SCHEMA_RANGE', message: `expected ${expected}, got ${found()}`, expected, found: found() }
    }
    case 'minProperties':
    case 'maxProperties': {
      const limit = Number(params.limit)
      const expected = `${error.keyword === 'minProperties' ? 'at least' : 'at most'} ${plural(limit, 'key')}`
      return { code: 'E_SCHEMA_RANGE', message: `expected ${expected}, got ${found()}`, expected, found: found() }
    }
    case 'uniqueItems':
      return {
        code: 'E_SCHEMA_RANGE',
        message: `expected no repeated items, but items ${String(params.j)} and ${String(params.i)} are the same`,
        found: found(),
      }
    case 'oneOf':
      return Array.isArray(params.passingSchemas)
        ? { code: 'E_SCHEMA_SHAPE', message: `ambiguous: ${found()} fits more than one of the allowed forms`, found: found() }
        : { code: 'E_SCHEMA_SHAPE', message: `${found()} does not fit any of the allowed forms`, found: found() }
    default:
      return { code: 'E_SCHEMA_SHAPE', message: `${error.message ?? 'invalid value'} (got ${found()})`, found: found() }
  }
}

/**
 * A mapping that should be one of several forms told apart by a key (a
 * condition: `all`, `any`, ..., a window: `before`, `at`, `planned`) but has
 * none of those keys.
 *
 * @param discriminators - the keys that select a form, in schema order.
 * @param data - the offending mapping.
 */
export function wordNoDiscriminator(discriminators: readonly string[], data: unknown): WordedError {
  const keys = isPlainObject(data) ? Object.keys(data) : []
  const found = keys.length === 0 ? 'no keys' : `${keys.length === 1 ? 'key' : 'keys'} ${listSome(keys)}`
  return {
    code: 'E_SCHEMA_SHAPE',
    message: `expected one of ${discriminators.join(', ')}; found ${found}`,
    expected: discriminators.join(', '),
    found: listSome(keys),
  }
}

/**
 * A value of none of the types a choice (`oneOf`) allows, e.g. `true` where a
 * number or `{ param: name }` goes.
 *
 * @param types - JSON types of the alternatives (`number`, `object`...).
 * @param discriminators - for object alternatives told apart by a key, those keys.
 */
export function wordTypeAlternatives(types: readonly string[], discriminators: readonly string[], data: unknown): WordedError {
  const objectWord = discriminators.length === 1 ? `an object with key "${discriminators[0] ?? ''}"` : `an object with one of ${discriminators.join(', ')}`
  const words = [...new Set(types)].map(t => (t === 'object' && discriminators.length > 0 ? objectWord : typeWord(t)))
  const found = describeValue(data)
  return {
    code: 'E_SCHEMA_TYPE',
    message: `expected ${joinAlternatives(words)}, got ${found}`,
    expected: [...new Set(types)].join(' | '),
    found,
  }
}

/**
 * None of the keys of which at least one is required is present
 * (a measurement needs `concept` or `loinc`).
 */
export function wordMissingAlternatives(keys: readonly string[]): WordedError {
  const list = joinAlternatives(keys.map(k => `"${k}"`))
  return { code: 'E_SCHEMA_REQUIRED', message: `missing required key: give ${list}`, expected: keys.join(' | ') }
}

/**
 * A value with its type, for messages: `string "sixty"`, `number 3`,
 * `boolean true`, `null`, `a list of 2 items`, `an object with keys a, b`.
 */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null (no value)'
  if (typeof value === 'string') return `string ${quote(value)}`
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${plural(value.length, 'item')}`
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
    return keys.length === 0 ? 'an empty object' : `an object with ${keys.length === 1 ? 'key' : 'keys'} ${listSome(keys)}`
  }
  return typeof value
}

function typeWord(type: string): string {
  switch (type) {
    case 'number':
      return 'a number'
    case 'integer':
      return 'a whole number'
    case 'string':
      return 'a string'
    case 'boolean':
      return 'a boolean (true or false)'
    case 'object':
      return 'an object (key: value pairs)'
    case 'array':
      return 'a list'
    case 'null':
      return 'null'
    default:
      return type
  }
}

function joinAlternatives(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? 'nothing'
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1] ?? ''}`
}

function quote(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value))
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED - 2)}…"` : text
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [String(value)]
}

/** At most {@link MAX_NAMED_KEYS} keys, then `and N more`. */
function listSome(keys: readonly string[]): string {
  if (keys.length <= MAX_NAMED_KEYS) return keys.map(quoteKey).join(', ')
  return `${keys.slice(0, CLOSEST_KEYS).map(quoteKey).join(', ')} and ${keys.length - CLOSEST_KEYS} more`
}

/**
 * The allowed keys for an unknown `key`: all of them when few, else the
 * {@link CLOSEST_KEYS} closest by edit distance (schema order on ties), then
 * `and N more`.
 */
function nameKeys(key: string, allowed: readonly string[]): string {
  if (allowed.length <= MAX_NAMED_KEYS) return allowed.join(', ')
  const probe = key.slice(0, MAX_SUGGESTED_KEY_LENGTH)
  const closest = allowed
    .map((k, i) => ({ k, i, d: distance(probe, k) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, CLOSEST_KEYS)
    .map(x => x.k)
  return `${closest.join(', ')} and ${allowed.length - CLOSEST_KEYS} more`
}

/** Keys as written in messages: plain when short, else quoted and clipped. */
function quoteKey(key: string): string {
  return key.length <= MAX_QUOTED && !/[,\s"]/.test(key) ? key : quote(key)
}

/** A schema object's property names, computed once per schema object (not per error). */
const ALLOWED_KEYS = new WeakMap<object, string[]>()

function allowedKeys(schema: unknown): string[] {
  if (!isPlainObject(schema) || !isPlainObject(schema.properties)) return []
  let keys = ALLOWED_KEYS.get(schema)
  if (!keys) {
    keys = Object.keys(schema.properties)
    ALLOWED_KEYS.set(schema, keys)
  }
  return keys
}

function isIntegerSchema(schema: unknown): boolean {
  return isPlainObject(schema) && schema.type === 'integer'
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/**
 * W_STALE_NUMBER: a title or note quotes a number the criterion's logic does
 * not use, e.g. after an amendment changed the threshold.
 *
 * @example
 * wordStaleNumber('title', '1.0', 'IN03', [1.5])
 * // 'title quotes 1.0 but the logic of IN03 compares with 1.5; update the title or the logic'
 */
export function wordStaleNumber(where: string, written: string, criterion: string, used: readonly number[]): string {
  const uses =
    used.length === 0 ? 'uses no number' : `compares with ${used.length === 1 ? used[0] : `${used.slice(0, -1).join(', ')} or ${used[used.length - 1]}`}`
  return `${where} quotes ${written} but the logic of ${criterion} ${uses}; update the ${where.startsWith('note') ? 'note' : 'title'} or the logic`
}
