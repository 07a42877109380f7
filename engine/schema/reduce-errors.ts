/**
 * Reduces ajv's errors to what a person needs.
 *
 * A failing `oneOf` makes ajv report the errors of every alternative: a
 * condition with one wrong value yields ~30 errors, most of them "missing key
 * all", "missing key any"... Only those of the alternative the author evidently
 * meant are kept. Attribution relies on `verbose: true`: each error's
 * `parentSchema` is the very schema object that failed, so it can be matched
 * against the alternatives by identity. `schemaPath` cannot be used: ajv
 * restarts it at `#` inside separately compiled recursive `$ref`s.
 *
 * Alternatives are told apart by a key only one of them has (`all`, `fact`,
 * `measurement`...), or, when every alternative fixes the same key to a
 * `const` (endpoints: `type: response`...), by that key's value.
 */
import type { ErrorObject } from 'ajv/dist/2020.js'
import { wordAjvError, wordMissingAlternatives, wordNoDiscriminator, wordTypeAlternatives } from './messages.ts'
import type { WordedError } from './messages.ts'

/** An ajv error to report, or one worded here in its place. */
export interface ReducedError {
  error: ErrorObject
  worded?: WordedError
}

interface Branch {
  /** The branch object and, through `$ref`s, the schemas it stands for. */
  identities: Set<unknown>
  schema: SchemaObject
  types: string[]
  properties: Record<string, unknown>
  discriminator?: string
  unique: Set<string>
  /** Keys the branch fixes with `const` (`type: response`), with their values. */
  consts: Map<string, unknown>
}

interface Choice {
  error: ErrorObject
  segments: string[]
  branches: Branch[]
  chosen?: number
  worded?: WordedError
  /** An error reported in place of the oneOf's (a tag outside the tag values, at the tag). */
  replacement?: ErrorObject
}

type SchemaObject = Record<string, unknown>

/** Sentinel attributions: the error is not under this choice / under it but in no known branch. */
const OUTSIDE = -1
const UNKNOWN = -2

/**
 * Keeps, under each failing `oneOf`, only the errors of the alternative the
 * data evidently meant (or one worded error when none fits), and folds an
 * `anyOf` of `required` alternatives into one error.
 *
 * @param errors - ajv's errors, from an instance built with `verbose: true`
 *   and `allErrors: true`.
 * @param root - the schema the value was checked against, to resolve the
 *   alternatives' `$ref`s.
 * @param roots - every schema added to the same ajv instance, to resolve the
 *   `$ref`s of property schemas, which may come from any of them.
 * @returns the errors to report, in ajv's order.
 * @example
 * if (!validate(value)) reduceErrors(validate.errors ?? [], schema, [schema])
 */
export function reduceErrors(errors: readonly ErrorObject[], root: SchemaObject, roots: readonly SchemaObject[]): ReducedError[] {
  const choices = new Map<ErrorObject, Choice>()
  // Choices and errors grouped by instancePath, so that each error is
  // compared only with the choices at its own path and its ancestors' (not
  // with every choice: quadratic on a document with thousands of errors).
  const choicesAt = new Map<string, Choice[]>()
  const errorsAt = new Map<string, ErrorObject[]>()
  for (const error of errors) {
    const same = errorsAt.get(error.instancePath)
    if (same) same.push(error)
    else errorsAt.set(error.instancePath, [error])
    if (error.keyword !== 'oneOf') continue
    const choice = choose(error, root)
    choices.set(error, choice)
    const at = choicesAt.get(error.instancePath)
    if (at) at.push(choice)
    else choicesAt.set(error.instancePath, [choice])
  }
  const replaced = new Map<ErrorObject, WordedError>()
  const dropped = new Set<ErrorObject>()
  for (const error of errors) {
    if (error.keyword === 'anyOf') reduceAnyOf(error, errorsAt.get(error.instancePath) ?? [], replaced, dropped)
    // The inner error (with `propertyName`) says which key is wrong.
    if (error.keyword === 'propertyNames') dropped.add(error)
  }

  const out: ReducedError[] = []
  for (const error of errors) {
    if (dropped.has(error)) continue
    const own = choices.get(error)
    if (!isKept(error, choicesAt, roots)) continue
    if (own) {
      if (own.worded) out.push({ error, worded: own.worded })
      else if (own.replacement) out.push({ error: own.replacement })
      continue
    }
    const worded = replaced.get(error)
    out.push(worded ? { error, worded } : { error })
  }
  return out
}

/** Kept when, under every failing oneOf around it, it belongs to the chosen branch. */
function isKept(error: ErrorObject, choicesAt: ReadonlyMap<string, readonly Choice[]>, roots: readonly SchemaObject[]): boolean {
  if (choicesAt.size === 0) return true
  const segments = splitPointer(error.instancePath)
  // A choice can own the error only at the error's path or an ancestor's:
  // JSON Pointer prefixes ending where a segment ends.
  const pointer = error.instancePath
  for (let end = 0; end <= pointer.length; end = nextSegmentEnd(pointer, end)) {
    for (const choice of choicesAt.get(pointer.slice(0, end)) ?? []) {
      if (choice.error === error) continue
      const k = attribute(error, segments, choice, roots)
      if (k === OUTSIDE) continue
      if (choice.chosen === undefined) return false
      if (k !== UNKNOWN && k !== choice.chosen) return false
    }
  }
  return true
}

/** End of the pointer segment after `end` (`/a/b`: 0 -> 2 -> 4), or past the end. */
function nextSegmentEnd(pointer: string, end: number): number {
  if (end >= pointer.length) return pointer.length + 1
  const next = pointer.indexOf('/', end + 1)
  return next < 0 ? pointer.length : next
}

function attribute(error: ErrorObject, segments: readonly string[], choice: Choice, roots: readonly SchemaObject[]): number {
  const base = choice.segments
  if (segments.length < base.length || base.some((s, i) => segments[i] !== s)) return OUTSIDE
  if (segments.length === base.length) {
    const k = choice.branches.findIndex(b => b.identities.has(error.parentSchema))
    return k >= 0 ? k : OUTSIDE
  }
  const key = segments[base.length] as string
  const owners = choice.branches.flatMap((b, i) => (Object.hasOwn(b.properties, key) ? [i] : []))
  if (owners.length === 0) return OUTSIDE
  if (owners.length === 1) return owners[0] as number
  // A key several branches share (`is`, `label`): the error's own schema says which.
  if (segments.length === base.length + 1) {
    // Property schemas compared by identity: resolve against every root.
    const matching = owners.filter(i => refChainInAny((choice.branches[i] as Branch).properties[key], roots).has(error.parentSchema))
    // Branches sharing one `$ref`d schema (`baseline: { $ref: visitId }`) all match: prefer the chosen one.
    if (choice.chosen !== undefined && matching.includes(choice.chosen)) return choice.chosen
    if (matching.length > 0) return matching[0] as number
  }
  return UNKNOWN
}

/** Picks the alternative the author evidently meant, or words why none fits. */
function choose(error: ErrorObject, root: SchemaObject): Choice {
  const alternatives: unknown[] = Array.isArray(error.schema) ? error.schema : []
  const branches = describeBranches(alternatives, root)
  const choice: Choice = { error, segments: splitPointer(error.instancePath), branches }
  const params: Record<string, unknown> = error.params
  if (Array.isArray(params.passingSchemas)) {
    choice.worded = wordAjvError(error)
    return choice
  }
  const data: unknown = error.data
  const objectBranches = branches.flatMap((b, i) => (accepts(b, 'object') ? [i] : []))
  const tag = objectBranches.length > 1 ? tagKey(objectBranches.map(i => branches[i] as Branch)) : undefined
  // A tagged union is told apart by its tag alone.
  const discriminators = tag !== undefined ? [tag] : objectBranches.flatMap(i => branches[i]?.discriminator ?? [])
  if (isObject(data) && objectBranches.length > 0) {
    if (objectBranches.length === 1) {
      choice.chosen = objectBranches[0]
      return choice
    }
    if (tag !== undefined) {
      chooseByTag(choice, objectBranches, tag, data)
      return choice
    }
    const keys = Object.keys(data)
    let best = -1
    let bestScore = 0
    for (const i of objectBranches) {
      const unique = (branches[i] as Branch).unique
      const score = keys.filter(k => unique.has(k)).length
      if (score > bestScore) {
        best = i
        bestScore = score
      }
    }
    if (best >= 0) choice.chosen = best
    else choice.worded = wordNoDiscriminator(discriminators, data)
    return choice
  }
  const type = jsonType(data)
  const matching = branches.flatMap((b, i) => (accepts(b, type) ? [i] : []))
  const scalar = branches.flatMap((b, i) => (b.types.length > 0 && !b.types.includes('object') ? [i] : []))
  if (matching.length === 1) choice.chosen = matching[0]
  else if (matching.length === 0 && scalar.length === 1) choice.chosen = scalar[0]
  else
    choice.worded = wordTypeAlternatives(
      branches.flatMap(b => b.types),
      discriminators,
      data,
    )
  return choice
}

/** A key every branch fixes with `const` (endpoints: `type`), if any. */
function tagKey(branches: readonly Branch[]): string | undefined {
  const first = branches[0]
  if (!first) return undefined
  return [...first.consts.keys()].find(k => branches.every(b => b.consts.has(k)))
}

/**
 * The branch whose tag value the data has. A tag of no branch becomes an
 * `enum` error at the tag, a missing tag a `required` error, in place of the
 * oneOf's errors.
 */
function chooseByTag(choice: Choice, objectBranches: readonly number[], tag: string, data: SchemaObject): void {
  const { error } = choice
  const values = objectBranches.map(i => (choice.branches[i] as Branch).consts.get(tag))
  if (!Object.hasOwn(data, tag)) {
    choice.replacement = { ...error, keyword: 'required', params: { missingProperty: tag } }
    return
  }
  const k = values.indexOf(data[tag])
  if (k >= 0) {
    choice.chosen = objectBranches[k]
    return
  }
  choice.replacement = {
    ...error,
    keyword: 'enum',
    instancePath: `${error.instancePath}/${tag.replace(/~/g, '~0').replace(/\//g, '~1')}`,
    params: { allowedValues: values },
    data: data[tag],
  }
}

/** Branches per `oneOf` array and root: the schema is fixed, the errors many. */
const BRANCHES = new WeakMap<readonly unknown[], Map<SchemaObject, Branch[]>>()

function describeBranches(alternatives: readonly unknown[], root: SchemaObject): Branch[] {
  let byRoot = BRANCHES.get(alternatives)
  if (!byRoot) {
    byRoot = new Map()
    BRANCHES.set(alternatives, byRoot)
  }
  let branches = byRoot.get(root)
  if (!branches) {
    branches = computeBranches(alternatives, root)
    byRoot.set(root, branches)
  }
  return branches
}

function computeBranches(alternatives: readonly unknown[], root: SchemaObject): Branch[] {
  const branches: Branch[] = alternatives.map(raw => {
    const identities = refChain(raw, root)
    const schema = [...identities].filter(isObject).pop() ?? {}
    const properties = isObject(schema.properties) ? schema.properties : {}
    const declared = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type.map(String) : []
    const types = declared.length > 0 ? declared : Object.keys(properties).length > 0 ? ['object'] : []
    const consts = new Map<string, unknown>()
    for (const [key, property] of Object.entries(properties)) {
      if (isObject(property) && Object.hasOwn(property, 'const')) consts.set(key, property.const)
    }
    return { identities, schema, types, properties, unique: new Set<string>(), consts }
  })
  for (const branch of branches) {
    for (const key of Object.keys(branch.properties)) {
      if (branches.every(other => other === branch || !Object.hasOwn(other.properties, key))) branch.unique.add(key)
    }
    const required = Array.isArray(branch.schema.required) ? branch.schema.required.map(String) : []
    branch.discriminator = required.find(k => branch.unique.has(k)) ?? [...branch.unique][0]
  }
  return branches
}

/** A schema and every schema its local `$ref`s lead to. */
function refChain(schema: unknown, root: SchemaObject): Set<unknown> {
  const chain = new Set<unknown>([schema])
  let current = schema
  while (isObject(current) && typeof current.$ref === 'string' && current.$ref.startsWith('#')) {
    const target = resolvePointer(root, current.$ref.slice(1))
    if (target === undefined || chain.has(target)) break
    chain.add(target)
    current = target
  }
  return chain
}

/** {@link refChain} resolved against each root in turn, merged. */
function refChainInAny(schema: unknown, roots: readonly SchemaObject[]): Set<unknown> {
  const chain = new Set<unknown>([schema])
  if (isObject(schema) && typeof schema.$ref === 'string') {
    for (const root of roots) for (const s of refChain(schema, root)) chain.add(s)
  }
  return chain
}

function resolvePointer(root: SchemaObject, pointer: string): unknown {
  let current: unknown = root
  for (const segment of splitPointer(pointer)) {
    if (!isObject(current) && !Array.isArray(current)) return undefined
    current = (current as Record<string, unknown>)[segment]
  }
  return current
}

/** An `anyOf` of `required` alternatives (concept or loinc) becomes one error. */
function reduceAnyOf(
  error: ErrorObject,
  /** The errors at the anyOf's own instancePath. */
  errors: readonly ErrorObject[],
  replaced: Map<ErrorObject, WordedError>,
  dropped: Set<ErrorObject>,
): void {
  const alternatives: unknown[] = Array.isArray(error.schema) ? error.schema : []
  const inner = errors.filter(e => e !== error && e.instancePath === error.instancePath && alternatives.includes(e.parentSchema))
  for (const e of inner) dropped.add(e)
  if (inner.length > 0 && inner.every(e => e.keyword === 'required')) {
    const missing = inner.map(e => String((e.params as Record<string, unknown>).missingProperty))
    replaced.set(error, wordMissingAlternatives([...new Set(missing)]))
  }
}

function accepts(branch: Branch, type: string): boolean {
  return branch.types.length === 0 || branch.types.includes(type) || (type === 'integer' && branch.types.includes('number'))
}

function jsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function splitPointer(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function isObject(value: unknown): value is SchemaObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
