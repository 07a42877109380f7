/**
 * A line diff shaped for display: jsdiff's change objects (`diffLines`)
 * turned into numbered lines of both sides, and runs of unchanged lines far
 * from any change folded into gaps a reader can open. Pure: jsdiff itself is
 * loaded lazily by the component, only its types are imported here.
 */
import type { Change } from 'diff'

export type LineKind = 'same' | 'added' | 'removed'

/** One line of the diff, numbered on the side(s) it exists on (1-based). */
export interface DiffLine {
  kind: LineKind
  /** Line number in the older text (absent for an added line). */
  oldNo?: number
  /** Line number in the newer text (absent for a removed line). */
  newNo?: number
  text: string
}

/** Lines shown as they are, or a run of unchanged lines folded away. */
export type Segment = { type: 'lines'; lines: DiffLine[] } | { type: 'gap'; id: string; lines: DiffLine[] }

export interface CollapseOptions {
  /** Unchanged lines kept visible before and after each change. */
  context?: number
  /** A run is folded only when it would hide at least this many lines (hiding one line behind a button helps nobody). */
  minHidden?: number
}

const DEFAULTS: Required<CollapseOptions> = { context: 3, minHidden: 4 }

/** The lines of one change object's value (a trailing newline ends the last line, it does not start another). */
function linesOf(value: string): string[] {
  const lines = value.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines
}

/**
 * Number every line of a line diff on both sides.
 *
 * @param changes the result of jsdiff's `diffLines(older, newer)`
 * @example
 * diffRows(diffLines('a\nb\n', 'a\nc\n'))
 * // [{ kind: 'same', oldNo: 1, newNo: 1, text: 'a' }, { kind: 'removed', oldNo: 2, text: 'b' }, { kind: 'added', newNo: 2, text: 'c' }]
 */
export function diffRows(changes: readonly Change[]): DiffLine[] {
  const rows: DiffLine[] = []
  let oldNo = 1
  let newNo = 1
  for (const change of changes) {
    for (const text of linesOf(change.value)) {
      if (change.added) rows.push({ kind: 'added', newNo: newNo++, text })
      else if (change.removed) rows.push({ kind: 'removed', oldNo: oldNo++, text })
      else rows.push({ kind: 'same', oldNo: oldNo++, newNo: newNo++, text })
    }
  }
  return rows
}

/**
 * Fold the unchanged runs of `rows` that lie more than `context` lines away
 * from any change. A gap's id names its first line on both sides, so it
 * stays the same while other gaps are opened.
 *
 * @example
 * collapseUnchanged(rows, { context: 3 }).map((s) => s.type) // ['gap', 'lines', 'gap']
 */
export function collapseUnchanged(rows: readonly DiffLine[], options: CollapseOptions = {}): Segment[] {
  const { context, minHidden } = { ...DEFAULTS, ...options }
  const segments: Segment[] = []
  const push = (lines: DiffLine[]) => {
    if (!lines.length) return
    const last = segments.at(-1)
    if (last?.type === 'lines') last.lines.push(...lines)
    else segments.push({ type: 'lines', lines })
  }
  let i = 0
  while (i < rows.length) {
    if (rows[i]!.kind !== 'same') {
      push([rows[i]!])
      i++
      continue
    }
    let end = i
    while (end < rows.length && rows[end]!.kind === 'same') end++
    const run = rows.slice(i, end)
    // keep context after the change before this run and before the change after it
    const keepHead = i === 0 ? 0 : context
    const keepTail = end === rows.length ? 0 : context
    const hidden = run.length - keepHead - keepTail
    if (hidden >= minHidden) {
      push(run.slice(0, keepHead))
      const folded = run.slice(keepHead, run.length - keepTail)
      segments.push({ type: 'gap', id: `${folded[0]!.oldNo}-${folded[0]!.newNo}`, lines: folded })
      push(run.slice(run.length - keepTail))
    } else {
      push(run)
    }
    i = end
  }
  return segments
}

/** How many lines were added and removed. */
export function countChanges(rows: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0
  let removed = 0
  for (const r of rows) {
    if (r.kind === 'added') added++
    else if (r.kind === 'removed') removed++
  }
  return { added, removed }
}
