/**
 * JSON Schema validation of protocols, patient records and example files,
 * with errors reduced to what a person needs and located in the YAML source.
 */
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { Document, LineCounter } from 'yaml'
import type { Diagnostic } from '../types.ts'
import { sortDiagnostics } from '../diagnostics/format.ts'
import { formatPath, pointerToSegments } from '../parse/path.ts'
import type { PathSegment } from '../parse/path.ts'
import { locate } from '../parse/yaml-document.ts'
import { wordAjvError, wordMissingAlternatives, wordNoDiscriminator, wordTypeAlternatives } from './messages.ts'
import type { WordedError } from './messages.ts'
import examplesSchema from './examples.schema.json' with { type: 'json' }
import patientSchema from './patient.schema.json' with { type: 'json' }
import protocolSchema from './protocol.schema.json' with { type: 'json' }

/** Which document a value is checked as. */
export type SchemaKind = 'protocol' | 'patient' | 'examples'

/** Where the validated value came from, to give each diagnostic a position. */
export interface LocatedSource {
  doc: Document
  lineCounter: LineCounter
  file?: string
}

const ROOTS: Record<SchemaKind, Record<string, unknown>> = {
  protocol: protocolSchema,
  patient: patientSchema,
  examples: examplesSchema,
}

let validators: Record<SchemaKind, ValidateFunction> | undefined

/** One Ajv instance, schemas compiled on first use and kept. */
function getValidators(): Record<SchemaKind, ValidateFunction> {
  if (validators) return validators
  // verbose: errors carry `data` and `parentSchema`, which the error reducer
  // and the messages need. allowUnionTypes: `type: [boolean, string]` for
  // scalar choices reads better than a oneOf.
  const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true })
  addFormats.default(ajv, ['date', 'date-time', 'uri'])
  // Editor-only annotation read by yaml-language-server.
  ajv.addKeyword({ keyword: 'defaultSnippets' })
  ajv.addSchema(patientSchema)
  validators = {
    protocol: ajv.compile(protocolSchema),
    patient: ajv.getSchema(patientSchema.$id) ?? ajv.compile(patientSchema),
    examples: ajv.compile(examplesSchema),
  }
  return validators
}

/**
 * The JSON Schema of a document kind, e.g. to publish for editors.
 *
 * @example
 * schemaFor('protocol').$id // 'https://ln-trial-rules.dev/schema/protocol.schema.json'
 */
export function schemaFor(kind: SchemaKind): Readonly<Record<string, unknown>> {
  return ROOTS[kind]
}

/**
 * Checks a value against the schema of its kind and returns every problem,
 * reduced (one report per wrong condition node rather than one per
 * alternative it failed), deduplicated and sorted by line then column.
 *
 * @param kind - which schema to check against.
 * @param value - the plain value, e.g. `parseYamlText(text).value`.
 * @param located - the parsed YAML it came from; without it diagnostics carry
 *   paths but no line/column.
 * @returns an empty array when the value is valid.
 * @example
 * const parsed = parseYamlText(text, 'p.yaml')
 * const diagnostics = validateAgainstSchema('protocol', parsed.value, parsed)
 */
export function validateAgainstSchema(
  kind: SchemaKind,
  value: unknown,
  located: LocatedSource | undefined,
): Diagnostic[] {
  const validate = getValidators()[kind]
  if (validate(value)) return []
  const errors: ErrorObject[] = validate.errors ?? []
  const reduced = reduceErrors(errors, ROOTS[kind])
  const seen = new Set<string>()
  const diagnostics: Diagnostic[] = []
  for (const item of reduced) {
    const d = toDiagnostic(item, value, located)
    const key = [d.code, d.path, d.message, d.line, d.column].join('\u0000')
    if (seen.has(key)) continue
    seen.add(key)
    diagnostics.push(d)
  }
  return sortDiagnostics(diagnostics)
}

function toDiagnostic(item: ReducedError, value: unknown, located: LocatedSource | undefined): Diagnostic {
  const { error } = item
  const worded = item.worded ?? wordAjvError(error)
  const segments = pointerToSegments(error.instancePath, value)
  const params: Record<string, unknown> = error.params
  let pathSegments: PathSegment[] = segments
  let locateSegments: PathSegment[] = segments
  let atKey = false
  if (item.worded === undefined && error.keyword === 'required') {
    pathSegments = [...segments, String(params.missingProperty)]
  } else if (item.worded === undefined && error.keyword === 'additionalProperties') {
    pathSegments = locateSegments = [...segments, String(params.additionalProperty)]
    atKey = true
  } else if (error.propertyName !== undefined) {
    pathSegments = locateSegments = [...segments, error.propertyName]
    atKey = true
  }
  const position = located ? locate(located.doc, located.lineCounter, locateSegments, { key: atKey }) : undefined
  const d: Diagnostic = {
    code: worded.code,
    severity: 'error',
    message: worded.message,
    path: formatPath(pathSegments),
  }
  if (located?.file !== undefined) d.file = located.file
  if (position) Object.assign(d, position)
  if (worded.expected !== undefined) d.expected = worded.expected
  if (worded.found !== undefined) d.found = worded.found
  return d
}

// ---------------------------------------------------------------------------
// Error reduction
//
// A failing `oneOf` makes ajv report the errors of every alternative: a
// condition with one wrong value yields ~30 errors, most of them "missing key
// all", "missing key any"... Attribution relies on `verbose: true`: each error's
// `parentSchema` is the very schema object that failed, so it can be matched
// against the alternatives by identity. `schemaPath` cannot be used: ajv
// restarts it at `#` inside separately compiled recursive `$ref`s.
// ---------------------------------------------------------------------------

/** An ajv error to report, or one worded here in its place. */
interface ReducedError {
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
}

interface Choice {
  error: ErrorObject
  segments: string[]
  branches: Branch[]
  chosen?: number
  worded?: WordedError
}

type SchemaObject = Record<string, unknown>

/** Sentinel attributions: the error is not under this choice / under it but in no known branch. */
const OUTSIDE = -1
const UNKNOWN = -2

function reduceErrors(errors: readonly ErrorObject[], root: SchemaObject): ReducedError[] {
  const choices = new Map<ErrorObject, Choice>()
  for (const error of errors) {
    if (error.keyword === 'oneOf') choices.set(error, choose(error, root))
  }
  const replaced = new Map<ErrorObject, WordedError>()
  const dropped = new Set<ErrorObject>()
  for (const error of errors) {
    if (error.keyword === 'anyOf') reduceAnyOf(error, errors, replaced, dropped)
    // The inner error (with `propertyName`) says which key is wrong.
    if (error.keyword === 'propertyNames') dropped.add(error)
  }

  const out: ReducedError[] = []
  for (const error of errors) {
    if (dropped.has(error)) continue
    const own = choices.get(error)
    if (!isKept(error, choices)) continue
    if (own) {
      if (own.worded) out.push({ error, worded: own.worded })
      continue
    }
    const worded = replaced.get(error)
    out.push(worded ? { error, worded } : { error })
  }
  return out
}

/** Kept when, under every failing oneOf around it, it belongs to the chosen branch. */
function isKept(error: ErrorObject, choices: ReadonlyMap<ErrorObject, Choice>): boolean {
  const segments = splitPointer(error.instancePath)
  for (const choice of choices.values()) {
    if (choice.error === error) continue
    const k = attribute(error, segments, choice)
    if (k === OUTSIDE) continue
    if (choice.chosen === undefined) return false
    if (k !== UNKNOWN && k !== choice.chosen) return false
  }
  return true
}

function attribute(error: ErrorObject, segments: readonly string[], choice: Choice): number {
  const base = choice.segments
  if (segments.length < base.length || base.some((s, i) => segments[i] !== s)) return OUTSIDE
  if (segments.length === base.length) {
    const k = choice.branches.findIndex((b) => b.identities.has(error.parentSchema))
    return k >= 0 ? k : OUTSIDE
  }
  const key = segments[base.length] as string
  const owners = choice.branches.flatMap((b, i) => (Object.hasOwn(b.properties, key) ? [i] : []))
  if (owners.length === 0) return OUTSIDE
  if (owners.length === 1) return owners[0] as number
  // A key several branches share (`is`, `label`): the error's own schema says which.
  if (segments.length === base.length + 1) {
    for (const i of owners) {
      const property = (choice.branches[i] as Branch).properties[key]
      if (refChain(property, undefined).has(error.parentSchema)) return i
    }
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
  const discriminators = objectBranches.flatMap((i) => branches[i]?.discriminator ?? [])
  if (isObject(data) && objectBranches.length > 0) {
    if (objectBranches.length === 1) {
      choice.chosen = objectBranches[0]
      return choice
    }
    const keys = Object.keys(data)
    let best = -1
    let bestScore = 0
    for (const i of objectBranches) {
      const unique = (branches[i] as Branch).unique
      const score = keys.filter((k) => unique.has(k)).length
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
      branches.flatMap((b) => b.types),
      discriminators,
      data,
    )
  return choice
}

function describeBranches(alternatives: readonly unknown[], root: SchemaObject): Branch[] {
  const branches: Branch[] = alternatives.map((raw) => {
    const identities = refChain(raw, root)
    const schema = [...identities].filter(isObject).pop() ?? {}
    const properties = isObject(schema.properties) ? schema.properties : {}
    const declared = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type.map(String) : []
    const types = declared.length > 0 ? declared : Object.keys(properties).length > 0 ? ['object'] : []
    return { identities, schema, types, properties, unique: new Set<string>() }
  })
  for (const branch of branches) {
    for (const key of Object.keys(branch.properties)) {
      if (branches.every((other) => other === branch || !Object.hasOwn(other.properties, key))) branch.unique.add(key)
    }
    const required = Array.isArray(branch.schema.required) ? branch.schema.required.map(String) : []
    branch.discriminator = required.find((k) => branch.unique.has(k)) ?? [...branch.unique][0]
  }
  return branches
}

/** A schema and every schema its local `$ref`s lead to. */
function refChain(schema: unknown, root: SchemaObject | undefined): Set<unknown> {
  const chain = new Set<unknown>([schema])
  let current = schema
  while (root && isObject(current) && typeof current.$ref === 'string' && current.$ref.startsWith('#')) {
    const target = resolvePointer(root, current.$ref.slice(1))
    if (target === undefined || chain.has(target)) break
    chain.add(target)
    current = target
  }
  if (!root && isObject(schema) && typeof schema.$ref === 'string') {
    // Property schemas compared by identity: resolve against every root.
    for (const r of Object.values(ROOTS)) for (const s of refChain(schema, r)) chain.add(s)
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
  errors: readonly ErrorObject[],
  replaced: Map<ErrorObject, WordedError>,
  dropped: Set<ErrorObject>,
): void {
  const alternatives: unknown[] = Array.isArray(error.schema) ? error.schema : []
  const inner = errors.filter(
    (e) => e !== error && e.instancePath === error.instancePath && alternatives.includes(e.parentSchema),
  )
  for (const e of inner) dropped.add(e)
  if (inner.length > 0 && inner.every((e) => e.keyword === 'required')) {
    const missing = inner.map((e) => String((e.params as Record<string, unknown>).missingProperty))
    replaced.set(error, wordMissingAlternatives([...new Set(missing)]))
  }
}

function accepts(branch: Branch, type: string): boolean {
  return (
    branch.types.length === 0 ||
    branch.types.includes(type) ||
    (type === 'integer' && branch.types.includes('number'))
  )
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
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function isObject(value: unknown): value is SchemaObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
