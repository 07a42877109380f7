/**
 * JSON Schema validation of protocols, patient and subject records and example files,
 * with errors reduced to what a person needs and located in the YAML source.
 * Records are also checked for values no living patient can have
 * (plausible-ranges.ts), so every caller refuses them with the schema errors.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js'
import type { Document, LineCounter } from 'yaml'
import type { Diagnostic } from '../types.ts'
import { sortDiagnostics } from '../diagnostics/format.ts'
import { formatPath, pointerToSegments } from '../parse/path.ts'
import type { PathSegment } from '../parse/path.ts'
import { locate, type Locator } from '../parse/yaml-document.ts'
import { wordAjvError } from './messages.ts'
import { reduceErrors } from './reduce-errors.ts'
import { implausibleExampleValues, implausibleValues } from './plausible-ranges.ts'
import type { SemanticIssue } from '../semantic/issue.ts'
import type { ReducedError } from './reduce-errors.ts'
import * as generated from './validators.generated.js'

/**
 * Which document a value is checked as. `subject` is a patient record plus
 * study follow-up (arm, visits, BILAG-2004, administrations, adverse events).
 */
export type SchemaKind = 'protocol' | 'patient' | 'subject' | 'examples'

/** Where the validated value came from, to give each diagnostic a position: its parsed document, or a locator (yaml-sections.ts). */
export type LocatedSource = ({ doc: Document; lineCounter: LineCounter } | { locate: Locator }) & { file?: string }

const positionOf = (located: LocatedSource, path: readonly PathSegment[], options?: { key?: boolean }) =>
  'locate' in located ? located.locate(path, options) : locate(located.doc, located.lineCounter, path, options)

/** The schemas, as the generated validators hold them (errors point into these objects; see validators.generated.d.ts). */
const ROOTS: Record<SchemaKind, Record<string, unknown>> = {
  protocol: generated.protocolSchema,
  patient: generated.patientSchema,
  subject: generated.subjectSchema,
  examples: generated.examplesSchema,
}
/**
 * Diagnostics reported for one document: past a hundred, more help nobody
 * (fix those and validate again), and thousands made responses huge.
 */
export const MAX_DIAGNOSTICS = 100

/**
 * The first `max` diagnostics (in the order given, so sort first), then one
 * `E_YAML_LIMIT` diagnostic saying how many more there were, located at the
 * first one left out. An error when any left out is an error, else a
 * warning, so that cutting the list never changes whether a document is
 * valid.
 *
 * @example
 * capDiagnostics(sortDiagnostics(all)) // at most 101 items
 */
export function capDiagnostics(list: readonly Diagnostic[], max = MAX_DIAGNOSTICS): Diagnostic[] {
  if (list.length <= max) return [...list]
  const kept = list.slice(0, max)
  const rest = list.slice(max)
  const first = rest[0] as Diagnostic
  const errors = rest.filter(d => d.severity === 'error').length
  const what = errors === rest.length ? 'errors' : errors === 0 ? 'warnings' : 'problems'
  const notice: Diagnostic = {
    code: 'E_YAML_LIMIT',
    severity: errors > 0 ? 'error' : 'warning',
    message: `${rest.length} more ${what} not shown: only the first ${max} are reported; fix these and validate again`,
    path: first.path,
    found: String(rest.length),
  }
  if (first.file !== undefined) notice.file = first.file
  if (first.line !== undefined) notice.line = first.line
  if (first.column !== undefined) notice.column = first.column
  return [...kept, notice]
}

/**
 * The validators, generated from the schemas by build-validators.ts (Ajv's standalone code, compiled with the options
 * this module relies on: allErrors, verbose, allowUnionTypes, strict) instead of compiled in each process.
 */
const validators: Record<SchemaKind, ValidateFunction> = generated

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
 * @param options.maxDiagnostics - at most this many (default {@link MAX_DIAGNOSTICS}),
 *   then one saying how many more there were; `Infinity` for all.
 * @returns an empty array when the value is valid.
 * @example
 * const parsed = parseYamlText(text, 'p.yaml')
 * const diagnostics = validateAgainstSchema('protocol', parsed.value, parsed)
 */
export function validateAgainstSchema(
  kind: SchemaKind,
  value: unknown,
  located: LocatedSource | undefined,
  options: { maxDiagnostics?: number } = {},
): Diagnostic[] {
  const validate = validators[kind]
  const valid = validate(value)
  const impossible = implausibleIn(kind, value)
  if (valid && impossible.length === 0) return []
  const reduced = valid ? [] : reduceErrors(validate.errors ?? [], ROOTS[kind], Object.values(ROOTS))
  const seen = new Set<string>()
  const diagnostics: Diagnostic[] = []
  for (const d of [...reduced.map(item => toDiagnostic(item, value, located)), ...impossible.map(i => issueToDiagnostic(i, located))]) {
    const key = [d.code, d.path, d.message, d.line, d.column].join('\u0000')
    if (seen.has(key)) continue
    seen.add(key)
    diagnostics.push(d)
  }
  return capDiagnostics(sortDiagnostics(diagnostics), options.maxDiagnostics ?? MAX_DIAGNOSTICS)
}

/** Values no living patient can have (plausible-ranges.ts), in the records a document of this kind holds. */
function implausibleIn(kind: SchemaKind, value: unknown): SemanticIssue[] {
  if (kind === 'patient' || kind === 'subject') return implausibleValues(value)
  if (kind === 'examples') return implausibleExampleValues(value)
  return []
}

function issueToDiagnostic(i: SemanticIssue, located: LocatedSource | undefined): Diagnostic {
  const position = located ? positionOf(located, i.path) : undefined
  const d: Diagnostic = { code: i.code, severity: i.severity, message: i.message, path: formatPath(i.path) }
  if (located?.file !== undefined) d.file = located.file
  if (position) Object.assign(d, position)
  if (i.expected !== undefined) d.expected = i.expected
  if (i.found !== undefined) d.found = i.found
  return d
}

function toDiagnostic(item: ReducedError, value: unknown, located: LocatedSource | undefined): Diagnostic {
  const { error } = item
  const worded = item.worded ?? wordAjvError(error)
  const segments = pointerToSegments(error.instancePath, value)
  const params: Record<string, unknown> = error.params
  let pathSegments: PathSegment[] = segments
  let locateSegments: PathSegment[] = segments
  let atKey = false
  if (item.worded === undefined && (error.keyword === 'required' || error.keyword === 'dependentRequired')) {
    pathSegments = [...segments, String(params.missingProperty)]
  } else if (item.worded === undefined && error.keyword === 'additionalProperties') {
    pathSegments = locateSegments = [...segments, String(params.additionalProperty)]
    atKey = true
  } else if (error.propertyName !== undefined) {
    pathSegments = locateSegments = [...segments, error.propertyName]
    atKey = true
  }
  const position = located ? positionOf(located, locateSegments, { key: atKey }) : undefined
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
