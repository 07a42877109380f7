/**
 * Engine diagnostics (1-based line:column, optional end) -> document offsets
 * for editor squiggles and the problems list. Pure: no CodeMirror here, so
 * it is tested without a browser and kept out of the lazy editor chunk's way.
 */
import type { Diagnostic } from '../../engine/index.ts'

/** A diagnostic placed in a text: `from`/`to` are offsets, `line`/`column` 1-based. */
export interface PlacedDiagnostic {
  from: number
  to: number
  line: number
  column: number
  severity: 'error' | 'warning'
  code: string
  message: string
  path: string
  /** False when the engine gave no position (placed at the start of the text). */
  located: boolean
}

/** Offsets at which each line starts (line 1 at index 0). */
export function lineStarts(text: string): number[] {
  const starts = [0]
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1)
  return starts
}

function offsetOf(starts: number[], textLength: number, line: number, column: number): number {
  const l = Math.min(Math.max(line, 1), starts.length)
  const lineStart = starts[l - 1]!
  const lineEnd = l < starts.length ? starts[l]! - 1 : textLength
  return Math.min(lineStart + Math.max(column, 1) - 1, lineEnd)
}

/**
 * Place each diagnostic in `text`, sorted by position (errors first on a tie).
 * A range that would be empty is widened to the rest of its word, or one
 * character, so that a squiggle is visible; positions past the end are clamped.
 *
 * @example
 * placeDiagnostics('a: 1\nb: x\n', [{ code: 'E_SCHEMA_TYPE', severity: 'error', message: 'expected a number', path: 'b', line: 2, column: 4 }])
 * // -> [{ from: 8, to: 9, line: 2, column: 4, ... }]
 */
export function placeDiagnostics(text: string, diagnostics: readonly Diagnostic[]): PlacedDiagnostic[] {
  const starts = lineStarts(text)
  const placed = diagnostics.map((d): PlacedDiagnostic => {
    const located = d.line !== undefined
    const line = Math.min(Math.max(d.line ?? 1, 1), starts.length)
    const from = offsetOf(starts, text.length, line, d.column ?? 1)
    let to = d.endLine !== undefined ? offsetOf(starts, text.length, d.endLine, d.endColumn ?? 1) : from
    if (to <= from) {
      const rest = /^[^\s,:{}[\]]+/.exec(text.slice(from))
      to = Math.min(from + (rest ? rest[0].length : 1), text.length)
    }
    return {
      from,
      to: Math.max(to, from),
      line,
      column: from - starts[line - 1]! + 1,
      severity: d.severity,
      code: d.code,
      message: d.message,
      path: d.path,
      located,
    }
  })
  return placed.sort((a, b) => a.from - b.from || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))
}
