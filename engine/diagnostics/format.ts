/**
 * Diagnostics as text for terminals and logs, in this shape (the README shows it too):
 *
 * ```
 * protocols/my-trial.yaml:42:10 E_SCHEMA_TYPE
 *   at criteria[3].logic.age.years
 *   expected a number, got string "sixty"
 *     42 |       years: sixty
 *        |              ^^^^^
 * ```
 */
import type { Diagnostic } from '../types.ts'

/** Width budget of a quoted source line and its caret line, as yaml's `prettifyError`. */
const MAX_WIDTH = 80
const UNKNOWN_FILE = '<input>'

/**
 * Sources for {@link formatDiagnostics}: one text for all diagnostics, or the
 * text of each file keyed by the diagnostic's `file`.
 */
export type DiagnosticSources = string | Readonly<Record<string, string>>

/**
 * Formats one diagnostic: the `file:line:col CODE` header, the document path,
 * the message and, when the source text is given and the diagnostic is
 * located, the offending line with carets under the node.
 *
 * @param d - the diagnostic.
 * @param sourceText - text of `d.file`, to quote the offending line.
 * @example
 * formatDiagnostic(d, text)
 * // 'p.yaml:3:12 E_SCHEMA_TYPE\n  at criteria[0].logic.age.years\n  expected a number, ...'
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const where = [d.file ?? UNKNOWN_FILE]
  if (d.line !== undefined) {
    where.push(String(d.line))
    if (d.column !== undefined) where.push(String(d.column))
  }
  const lines = [`${where.join(':')} ${d.code}`]
  if (d.path !== '') lines.push(`  at ${d.path}`)
  lines.push(`  ${d.message}`)
  // semantic messages say what is wrong; add what was expected when the message does not already
  if (d.expected !== undefined && !d.message.includes('expected')) lines.push(`  expected ${clip(d.expected)}`)
  if (sourceText !== undefined && d.line !== undefined) lines.push(...excerpt(d, sourceText))
  return lines.join('\n')
}

/**
 * Sorts, then formats every diagnostic, separated by blank lines.
 *
 * @param list - diagnostics, in any order.
 * @param sources - the source text, or texts keyed by file name.
 */
export function formatDiagnostics(list: readonly Diagnostic[], sources?: DiagnosticSources): string {
  return sortDiagnostics(list)
    .map(d => formatDiagnostic(d, sourceFor(d, sources)))
    .join('\n\n')
}

/**
 * Orders diagnostics by file, line, column, then path and code; diagnostics
 * without a position come after the located ones of their file. Returns a new
 * array.
 */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      compareText(a.file ?? '', b.file ?? '') ||
      compareNumber(a.line, b.line) ||
      compareNumber(a.column, b.column) ||
      compareText(a.path, b.path) ||
      compareText(a.code, b.code) ||
      compareText(a.message, b.message),
  )
}

/** Long lists of allowed values are cut so one diagnostic stays readable. */
function clip(text: string, max = 160): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

function sourceFor(d: Diagnostic, sources: DiagnosticSources | undefined): string | undefined {
  if (sources === undefined || typeof sources === 'string') return sources
  return d.file === undefined ? undefined : sources[d.file]
}

/** The quoted source line and caret line, trimmed to {@link MAX_WIDTH}. */
function excerpt(d: Diagnostic, sourceText: string): string[] {
  const line = d.line ?? 1
  const sourceLines = sourceText.split(/\r?\n/)
  let text = sourceLines[line - 1]
  if (text === undefined) return []
  let start = Math.max(0, (d.column ?? 1) - 1)
  let end = d.endLine === line && d.endColumn !== undefined ? d.endColumn - 1 : text.length
  if (end <= start) end = start + 1

  // Keep the column visible on long lines, like yaml's prettifyError.
  if (text.length > MAX_WIDTH && start >= MAX_WIDTH - 20) {
    const cut = Math.min(start - (MAX_WIDTH / 2 - 1), text.length - (MAX_WIDTH - 1))
    text = `…${text.slice(cut)}`
    start -= cut - 1
    end -= cut - 1
  }
  if (text.length > MAX_WIDTH) text = `${text.slice(0, MAX_WIDTH - 1)}…`
  end = Math.min(end, MAX_WIDTH)
  const carets = '^'.repeat(Math.max(1, end - start))

  const number = String(line)
  const gutter = ' '.repeat(number.length)
  // Reuse tabs from the source line so that carets line up under tab-indented text.
  const pad = [...text.slice(0, start)].map(c => (c === '\t' ? '\t' : ' ')).join('')
  return [`    ${number} | ${text}`, `    ${gutter} | ${pad}${carets}`]
}

function compareNumber(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0
  if (a === undefined) return 1
  if (b === undefined) return -1
  return a - b
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
