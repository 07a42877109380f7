/**
 * Text in, validated document out: YAML parsing, JSON Schema validation and
 * semantic checks, every problem located at file:line:column.
 */
import type { Diagnostic, ExamplesDocument, PatientRecord, ProtocolDocument } from '../types.ts'
import type { Dictionary } from '../dictionary/index.ts'
import type { EngineExtensions } from '../extensions.ts'
import { defaultDictionary } from '../dictionary/index.ts'
import { locatorOf, parseYamlText, type Locator, type ParsedYaml } from '../parse/yaml-document.ts'
import { parseYamlSections } from '../parse/yaml-sections.ts'
import { formatPath } from '../parse/path.ts'
import { capDiagnostics, validateAgainstSchema } from '../schema/validate.ts'
import { sortDiagnostics } from '../diagnostics/format.ts'
import { checkProtocol } from '../semantic/check-protocol.ts'
import { checkExamples } from '../semantic/check-examples.ts'
import { lintProtocol } from '../semantic/lint-protocol.ts'
import { withLabConcepts } from '../dictionary/extend.ts'
import type { SemanticIssue } from '../semantic/issue.ts'
import { ContentCache, deepFreeze } from './content-cache.ts'

export interface LoadOptions {
  /** File name used in diagnostics (`file:line:col`). */
  file?: string
  dictionary?: Dictionary
  /** Custom facts, operators and calculators the protocol may name (engine/extensions.ts). */
  extensions?: EngineExtensions
}

/** A document and the problems found; `value` is set only when there are no errors. */
export interface Loaded<T> {
  value?: T
  diagnostics: Diagnostic[]
}

function hasErrors(list: Diagnostic[]): boolean {
  return list.some(d => d.severity === 'error')
}

function locateIssues(issues: SemanticIssue[], locate: Locator, file: string | undefined): Diagnostic[] {
  return issues.map(i => {
    const range = locate(i.path)
    return {
      code: i.code,
      severity: i.severity,
      message: i.message,
      path: formatPath(i.path),
      ...(file !== undefined ? { file } : {}),
      ...(range ? { line: range.line, column: range.column, endLine: range.endLine, endColumn: range.endColumn } : {}),
      ...(i.expected !== undefined ? { expected: i.expected } : {}),
      ...(i.found !== undefined ? { found: i.found } : {}),
    }
  })
}

/** A text parsed: its value, its syntax problems and where each path is written. */
interface Parsed {
  value: unknown
  diagnostics: Diagnostic[]
  locate: Locator
}

/** The text parsed whole, its `yaml` document kept beside (the editor locates example runs in an examples text by it). */
function parseWhole(text: string, file: string | undefined): Parsed & { yaml: ParsedYaml } {
  const yaml = parseYamlText(text, file)
  return { value: yaml.value, diagnostics: yaml.diagnostics, locate: locatorOf(yaml), yaml }
}

/** A protocol text by sections when laid out plainly (the edit loop re-parses only the sections edited), else whole. */
function parseProtocolText(text: string, file: string | undefined): Parsed {
  const sections = parseYamlSections(text)
  return sections ? { value: sections.value, locate: sections.locate, diagnostics: [] } : parseWhole(text, file)
}

function validated<P extends Parsed>(parsed: P, kind: 'protocol' | 'patient' | 'examples', file: string | undefined) {
  if (hasErrors(parsed.diagnostics)) return { parsed, diagnostics: sortDiagnostics(parsed.diagnostics) }
  // Uncapped here: the loaders cap the whole list (capDiagnostics) once semantic issues are in.
  const located = { locate: parsed.locate, ...(file !== undefined ? { file } : {}) }
  const schema = validateAgainstSchema(kind, parsed.value, located, { maxDiagnostics: Infinity })
  return { parsed, diagnostics: sortDiagnostics([...parsed.diagnostics, ...schema]) }
}

/**
 * Parse and validate a protocol's YAML text.
 *
 * @example
 * const { value, diagnostics } = loadProtocol(text, { file: 'protocols/my-trial.yaml' })
 * if (!value) console.error(formatDiagnostics(diagnostics, text))
 */
export function loadProtocol(text: string, options: LoadOptions = {}): Loaded<ProtocolDocument> {
  const { parsed, diagnostics } = validated(parseProtocolText(text, options.file), 'protocol', options.file)
  if (hasErrors(parsed.diagnostics)) return { diagnostics: capDiagnostics(diagnostics) }
  const doc = parsed.value as ProtocolDocument
  const dictionary = options.dictionary ?? defaultDictionary
  const semantic = locateIssues(semanticIssues(doc, diagnostics, dictionary, options.extensions ?? {}), parsed.locate, options.file)
  // warnings only for a protocol that is otherwise valid: on a broken one they would be noise
  const errorsSoFar = hasErrors([...diagnostics, ...semantic])
  const warnings = errorsSoFar ? [] : locateIssues(lintProtocol(doc, withLabConcepts(dictionary, doc.definitions?.lab_concepts)), parsed.locate, options.file)
  const all = sortDiagnostics([...diagnostics, ...semantic, ...warnings])
  return hasErrors(all) ? { diagnostics: capDiagnostics(all) } : { value: doc, diagnostics: capDiagnostics(all) }
}

/** Paths at or under which the schema found an error. */
function brokenUnder(diagnostics: Diagnostic[]): (path: string) => boolean {
  // Every path and each prefix of it that ends before a `.` or `[`: one set
  // look-up per question instead of a scan of every error.
  const broken = new Set<string>()
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue
    const p = d.path
    broken.add(p)
    for (let i = 0; i < p.length; i++) if (p[i] === '.' || p[i] === '[') broken.add(p.slice(0, i))
  }
  return prefix => broken.has(prefix)
}

/**
 * Semantic checks run even when the schema found errors, on the parts it
 * did not reject, so every error shows in one pass.
 */
function semanticIssues(doc: ProtocolDocument, schemaDiagnostics: Diagnostic[], dictionary: Dictionary, extensions: EngineExtensions): SemanticIssue[] {
  const broken = brokenUnder(schemaDiagnostics)
  const shapeOk =
    typeof doc === 'object' && doc !== null && Array.isArray(doc.criteria) && typeof doc.reference_dates === 'object' && !broken('reference_dates')
  if (!shapeOk) return []
  if (!schemaDiagnostics.some(d => d.severity === 'error')) return checkProtocol(doc, dictionary, broken, extensions)
  // On a document the schema rejected, semantic checks are a bonus: parts of it may have any
  // shape at all, so a check that trips over one must not turn located errors into a crash.
  try {
    return checkProtocol(doc, dictionary, broken, extensions)
  } catch {
    return []
  }
}

/** Parse and validate a patient record (YAML or JSON text). */
export function loadPatient(text: string, options: LoadOptions = {}): Loaded<PatientRecord> {
  const { parsed, diagnostics: all } = validated(parseWhole(text, options.file), 'patient', options.file)
  const diagnostics = capDiagnostics(all)
  return hasErrors(all) ? { diagnostics } : { value: parsed.value as PatientRecord, diagnostics }
}

/** Examples texts parsed and schema-checked lately, by file name and text: the edit loop runs the same examples on every change of the protocol. */
const examplesTexts = new ContentCache<ContentCache<ReturnType<typeof validatedExamples>>>(8)

/**
 * An examples text parsed and checked against the examples schema, once per text: its document is read-only,
 * as every caller shares it (a patient is built from it by a merge patch, which copies).
 */
export function parseExamplesText(text: string, file?: string): ParsedYaml {
  return parsedExamples(text, file).parsed.yaml
}

const validatedExamples = (text: string, file: string | undefined) => validated(parseWhole(text, file), 'examples', file)

function parsedExamples(text: string, file: string | undefined): ReturnType<typeof validatedExamples> {
  // by file name, then by the text itself: a key joining the two copied the 150 kB text on every look-up
  const byText = examplesTexts.get(file ?? '', () => new ContentCache(8))
  return byText.get(text, () => {
    const result = validatedExamples(text, file)
    deepFreeze(result.parsed.value)
    deepFreeze(result.diagnostics)
    return result
  })
}

/** Parse and validate a protocol's examples file against the protocol. */
export function loadExamples(text: string, protocol: ProtocolDocument, options: LoadOptions = {}): Loaded<ExamplesDocument> {
  const { parsed, diagnostics } = parsedExamples(text, options.file)
  if (hasErrors(diagnostics)) return { diagnostics: capDiagnostics(diagnostics) }
  const examples = parsed.value as ExamplesDocument
  const all = sortDiagnostics([...diagnostics, ...locateIssues(checkExamples(examples, protocol), parsed.locate, options.file)])
  return hasErrors(all) ? { diagnostics: capDiagnostics(all) } : { value: examples, diagnostics: capDiagnostics(all) }
}
