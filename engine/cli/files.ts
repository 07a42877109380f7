/**
 * Reading protocol, examples and patient files for the CLI, and turning
 * problems into located messages and exit codes (never a stack trace).
 */
import { existsSync, readFileSync } from 'node:fs'
import type { Diagnostic, ExamplesDocument, PatientRecord, ProtocolDocument, SubjectRecord } from '../types.ts'
import { formatDiagnostics, loadExamples, loadProtocol, locate, parseYamlText, validateAgainstSchema } from '../index.ts'
import { inCwd, println, type CliIo } from './io.ts'

export const EXIT = { ok: 0, input: 1, usage: 2, ineligible: 3, undetermined: 4, exampleFailed: 5 } as const

/** Thrown inside the CLI when an input file is invalid; printed with its sources. */
export interface CliError {
  diagnostics: Diagnostic[]
  sources: Record<string, string>
}

function isCliError(x: unknown): x is CliError {
  return typeof x === 'object' && x !== null && 'diagnostics' in x && 'sources' in x
}

/** Print a problem on the CLI's stderr and return the exit code to use. */
export function fail(io: Pick<CliIo, 'stderr'>, problem: unknown, code: number): number {
  const say = (text: string) => println(io.stderr, text)
  if (isCliError(problem)) {
    say(formatDiagnostics(problem.diagnostics, problem.sources))
    const errors = problem.diagnostics.filter(d => d.severity === 'error').length
    say(`\n${errors} error${errors === 1 ? '' : 's'}`)
  } else if (typeof problem === 'string') {
    say(problem)
  } else if (problem instanceof Error && 'code' in problem && typeof problem.code === 'string' && problem.code.startsWith('E')) {
    // file-system errors (ENOENT, EISDIR...): say which file and what, not where in our code
    say(problem.message)
  } else {
    say(`internal error: ${problem instanceof Error ? problem.message : String(problem)}`)
  }
  return code
}

/** A file's text; `path` as given on the command line, read from `at.cwd`. */
export function readText(path: string, at: Pick<CliIo, 'cwd'> = {}): string {
  return readFileSync(inCwd(at, path), 'utf8')
}

/** Load and validate a protocol file, or throw a CliError with located diagnostics. */
export function readProtocol(path: string, at: Pick<CliIo, 'cwd'> = {}): { doc: ProtocolDocument; text: string; warnings: Diagnostic[] } {
  const text = readText(path, at)
  const loaded = loadProtocol(text, { file: path })
  if (!loaded.value) throw { diagnostics: loaded.diagnostics, sources: { [path]: text } } satisfies CliError
  return { doc: loaded.value, text, warnings: loaded.diagnostics.filter(d => d.severity === 'warning') }
}

/** The examples file next to a protocol: `x.yaml` -> `x.examples.yaml`. */
export function examplesPathFor(protocolPath: string): string {
  return `${protocolPath.replace(/\.ya?ml$/, '')}.examples.yaml`
}

export function readExamples(protocolPath: string, doc: ProtocolDocument, at: Pick<CliIo, 'cwd'> = {}): { doc: ExamplesDocument; path: string } | undefined {
  const path = examplesPathFor(protocolPath)
  if (!existsSync(inCwd(at, path))) return undefined
  const text = readText(path, at)
  const loaded = loadExamples(text, doc, { file: path })
  if (!loaded.value) throw { diagnostics: loaded.diagnostics, sources: { [path]: text } } satisfies CliError
  return { doc: loaded.value, path }
}

/** Parse and validate a subject record (YAML or JSON) against the `subject` schema, or throw a CliError. */
export function readSubject(path: string, at: Pick<CliIo, 'cwd'> = {}): SubjectRecord {
  const text = readText(path, at)
  const parsed = parseYamlText(text, path)
  const diagnostics = parsed.diagnostics.some(d => d.severity === 'error')
    ? parsed.diagnostics
    : validateAgainstSchema('subject', parsed.value, { doc: parsed.doc, lineCounter: parsed.lineCounter, file: path })
  if (diagnostics.some(d => d.severity === 'error')) throw { diagnostics, sources: { [path]: text } } satisfies CliError
  return parsed.value as SubjectRecord
}

/**
 * Subject records from a file holding an array of them (or `{ subjects: [...] }`),
 * each validated against the `subject` schema. Diagnostics point at the subject
 * (its line) and name the path inside it.
 */
export function readSubjects(path: string, at: Pick<CliIo, 'cwd'> = {}): SubjectRecord[] {
  return readRecordList(path, 'subject', at) as SubjectRecord[]
}

/** A list of patient records (YAML or JSON; a bare list or `{ patients: [...] }`), each validated with located errors. */
export function readPatients(path: string, at: Pick<CliIo, 'cwd'> = {}): PatientRecord[] {
  return readRecordList(path, 'patient', at) as PatientRecord[]
}

/** A bare list of records, or one wrapped as `{ subjects: [...] }` / `{ patients: [...] }`; every error located in the file. */
function readRecordList(path: string, kind: 'subject' | 'patient', at: Pick<CliIo, 'cwd'>): unknown[] {
  const key = `${kind}s`
  const text = readText(path, at)
  const parsed = parseYamlText(text, path)
  const fail = (diagnostics: Diagnostic[]): never => {
    throw { diagnostics, sources: { [path]: text } } satisfies CliError
  }
  if (parsed.diagnostics.some(d => d.severity === 'error')) fail(parsed.diagnostics)
  const wrapped = typeof parsed.value === 'object' && parsed.value !== null && !Array.isArray(parsed.value) && key in parsed.value
  const list = wrapped ? (parsed.value as Record<string, unknown>)[key] : parsed.value
  const prefix: Array<string | number> = wrapped ? [key] : []
  if (!Array.isArray(list)) {
    fail([
      { code: 'E_SCHEMA_TYPE', severity: 'error', file: path, path: prefix.join('.'), message: `expected an array of ${kind} records (or { ${key}: [...] })` },
    ])
  }
  const diagnostics = (list as unknown[]).flatMap((item, i) =>
    validateAgainstSchema(kind, item, undefined).map(d => {
      const at = locate(parsed.doc, parsed.lineCounter, [...prefix, i, ...pathSegments(d.path)]) ?? locate(parsed.doc, parsed.lineCounter, [...prefix, i])
      const inner = d.path === '' ? '' : d.path.startsWith('[') ? d.path : `.${d.path}`
      return { ...d, file: path, path: `${prefix.length ? key : ''}[${i}]${inner}`, ...(at ?? {}) }
    }),
  )
  if (diagnostics.length > 0) fail(diagnostics)
  return list as unknown[]
}

/** `visits[0].date` -> ['visits', 0, 'date'] (subject fields are snake_case, so no quoting to undo). */
function pathSegments(path: string): Array<string | number> {
  return [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map(m => (m[1] !== undefined ? Number(m[1]) : (m[2] as string)))
}
