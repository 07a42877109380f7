import { describe, expect, it } from 'vitest'
import { diffLines } from 'diff'
import { collapseUnchanged, countChanges, diffRows, type DiffLine } from '../../web/compare/line-diff.ts'

const lines = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `line ${from + i}`)
const text = (ls: string[]) => `${ls.join('\n')}\n`

/** A file of `n` lines with line `at` replaced. */
function oneChange(n: number, at: number): DiffLine[] {
  const before = lines(n)
  const after = before.map((l, i) => (i + 1 === at ? `${l} changed` : l))
  return diffRows(diffLines(text(before), text(after)))
}

describe('diffRows', () => {
  it('numbers each line on the side(s) it exists on', () => {
    expect(diffRows(diffLines('a\nb\nc\n', 'a\nB\nc\nd\n'))).toEqual([
      { kind: 'same', oldNo: 1, newNo: 1, text: 'a' },
      { kind: 'removed', oldNo: 2, text: 'b' },
      { kind: 'added', newNo: 2, text: 'B' },
      { kind: 'same', oldNo: 3, newNo: 3, text: 'c' },
      { kind: 'added', newNo: 4, text: 'd' },
    ])
  })

  it('a final line without a newline is still one line, not an empty extra one', () => {
    const rows = diffRows(diffLines('a\nb', 'a\nb\nc'))
    expect(rows.map(r => `${r.kind}:${r.text}`)).toEqual(['same:a', 'removed:b', 'added:b', 'added:c'])
    expect(countChanges(rows)).toEqual({ added: 2, removed: 1 })
  })

  it('keeps blank lines', () => {
    expect(diffRows(diffLines('a\n\nb\n', 'a\n\nb\n')).map(r => r.text)).toEqual(['a', '', 'b'])
  })
})

describe('collapseUnchanged', () => {
  it('folds the far unchanged runs and keeps 3 lines of context around a change', () => {
    const segs = collapseUnchanged(oneChange(20, 10), { context: 3 })
    expect(segs.map(s => s.type)).toEqual(['gap', 'lines', 'gap'])
    const [head, middle, tail] = segs
    expect(head!.lines.map(l => l.newNo)).toEqual([1, 2, 3, 4, 5, 6])
    expect(middle!.lines.map(l => `${l.kind}:${l.oldNo ?? ''}/${l.newNo ?? ''}`)).toEqual([
      'same:7/7',
      'same:8/8',
      'same:9/9',
      'removed:10/',
      'added:/10',
      'same:11/11',
      'same:12/12',
      'same:13/13',
    ])
    expect(tail!.lines.map(l => l.newNo)).toEqual([14, 15, 16, 17, 18, 19, 20])
  })

  it.each([
    { at: 7, first: 'lines' }, // lines 1-3 before the 3 lines of context: fewer than minHidden 4, shown
    { at: 8, first: 'gap' }, // lines 1-4: folded
  ])('a change at line $at: the start is $first', ({ at, first }) => {
    const segs = collapseUnchanged(oneChange(20, at), { context: 3, minHidden: 4 })
    expect(segs[0]!.type).toBe(first)
    expect(segs[0]!.lines[0]!.newNo).toBe(1)
    if (first === 'gap') expect(segs[0]!.lines.map(l => l.newNo)).toEqual([1, 2, 3, 4])
  })

  it.each([
    { hidden: 3, want: 'lines' }, // below minHidden 4: shown, a button for 3 lines helps nobody
    { hidden: 4, want: 'gap' }, // at minHidden: folded
  ])('a run between two changes that would hide $hidden lines -> $want', ({ hidden, want }) => {
    // changes at lines 1 and 1 + 3 + hidden + 3 + 1
    const second = 1 + 3 + hidden + 3 + 1
    const before = lines(second + 1)
    const after = before.map((l, i) => (i === 0 || i + 1 === second ? `${l}!` : l))
    const segs = collapseUnchanged(diffRows(diffLines(text(before), text(after))), { context: 3, minHidden: 4 })
    const gaps = segs.filter(s => s.type === 'gap')
    if (want === 'gap') {
      expect(gaps).toHaveLength(1)
      expect(gaps[0]!.lines).toHaveLength(hidden)
      expect(gaps[0]!.lines[0]!.newNo).toBe(5) // after line 1 and 3 lines of context
    } else {
      expect(gaps).toHaveLength(0)
    }
  })

  it('every line is in exactly one segment, in order', () => {
    const rows = oneChange(50, 25)
    const flat = collapseUnchanged(rows).flatMap(s => s.lines)
    expect(flat).toEqual(rows)
  })

  it('gap ids stay stable and unique', () => {
    const before = lines(60)
    const after = before.map((l, i) => (i === 20 || i === 40 ? `${l}!` : l))
    const segs = collapseUnchanged(diffRows(diffLines(text(before), text(after))))
    const ids = segs.flatMap(s => (s.type === 'gap' ? [s.id] : []))
    expect(ids).toEqual(['1-1', '25-25', '45-45'])
  })

  it('identical texts fold into one gap and count no change', () => {
    const rows = diffRows(diffLines(text(lines(10)), text(lines(10))))
    expect(countChanges(rows)).toEqual({ added: 0, removed: 0 })
    expect(collapseUnchanged(rows).map(s => s.type)).toEqual(['gap'])
  })
})
