/**
 * Reading protocol, examples and patient files for the CLI, and turning
 * problems into located messages and exit codes (never a stack trace).
 */
import { existsSync, readFileSync } from 'node:fs'
import type { Diagnostic, ExamplesDocument, ProtocolDocument } from '../types.ts'
import { formatDiagnostics, loadExamples, loadProtocol } from '../index.ts'

export const EXIT = { ok: 0, input: 1, usage: 2, ineligible: 3, undetermined: 4, exampleFailed: 5 } as const

/** Thrown inside the CLI when an input file is invalid; printed with its sources. */
export interface CliError {
  diagnostics: Diagnostic[]
  sources: Record<string, string>
}

function isCliError(x: unknown): x is CliError {
  return typeof x === 'object' && x !== null && 'diagnostics' in x && 'sources' in x
}

/** Print a problem on stderr and return the exit code to use. */
export function fail(problem: unknown, code: number): number {
  if (isCliError(problem)) {
    console.error(formatDiagnostics(problem.diagnostics, problem.sources))
    const errors = problem.diagnostics.filter((d) => d.severity === 'error').length
    console.error(`\n${errors} error${errors === 1 ? '' : 's'}`)
  } else if (typeof problem === 'string') {
    console.error(problem)
  } else if (problem instanceof Error && 'code' in problem && typeof problem.code === 'string' && problem.code.startsWith('E')) {
    // file-system errors (ENOENT, EISDIR...): say which file and what, not where in our code
    console.error(problem.message)
  } else {
    console.error(`internal error: ${problem instanceof Error ? problem.message : String(problem)}`)
  }
  return code
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8')
}

/** Load and validate a protocol file, or throw a CliError with located diagnostics. */
export function readProtocol(path: string): { doc: ProtocolDocument; text: string } {
  const text = readText(path)
  const loaded = loadProtocol(text, { file: path })
  if (!loaded.value) throw { diagnostics: loaded.diagnostics, sources: { [path]: text } } satisfies CliError
  return { doc: loaded.value, text }
}

/** The examples file next to a protocol: `x.yaml` -> `x.examples.yaml`. */
export function examplesPathFor(protocolPath: string): string {
  return protocolPath.replace(/\.ya?ml$/, '') + '.examples.yaml'
}

export function readExamples(protocolPath: string, doc: ProtocolDocument): { doc: ExamplesDocument; path: string } | undefined {
  const path = examplesPathFor(protocolPath)
  if (!existsSync(path)) return undefined
  const text = readText(path)
  const loaded = loadExamples(text, doc, { file: path })
  if (!loaded.value) throw { diagnostics: loaded.diagnostics, sources: { [path]: text } } satisfies CliError
  return { doc: loaded.value, path }
}
