import { describe, expect, it } from 'vitest'
import type { Diagnostic } from '../../engine/index.ts'
import { lineStarts, placeDiagnostics } from '../../web/editor/diagnostics.ts'

const diag = (over: Partial<Diagnostic>): Diagnostic => ({ code: 'E_SCHEMA_TYPE', severity: 'error', message: 'm', path: 'p', ...over })

describe('lineStarts', () => {
  it.each([
    { text: '', want: [0] },
    { text: 'a', want: [0] },
    { text: 'a\nbc\n', want: [0, 2, 5] }, // a trailing newline starts an empty last line
  ])('$text -> $want', ({ text, want }) => {
    expect(lineStarts(text)).toEqual(want)
  })
})

describe('placeDiagnostics', () => {
  const text = 'protocol:\n  target_enrollment: forty\n  sex: all\n'

  it('maps 1-based line:column to an offset and widens an empty range to the word', () => {
    const [p] = placeDiagnostics(text, [diag({ line: 2, column: 22 })])
    expect(p).toMatchObject({ line: 2, column: 22, located: true })
    expect(text.slice(p!.from, p!.to)).toBe('forty')
  })

  it('uses the end the engine gives', () => {
    const [p] = placeDiagnostics(text, [diag({ line: 2, column: 3, endLine: 2, endColumn: 20 })])
    expect(text.slice(p!.from, p!.to)).toBe('target_enrollment')
  })

  it('spans lines', () => {
    const [p] = placeDiagnostics(text, [diag({ line: 2, column: 3, endLine: 3, endColumn: 6 })])
    expect(text.slice(p!.from, p!.to)).toBe('target_enrollment: forty\n  sex')
  })

  it.each([
    { d: { line: 99, column: 1 }, want: { line: 4, column: 1 } }, // past the last line: clamped to it
    { d: { line: 3, column: 80 }, want: { line: 3, column: 11 } }, // past the end of the line: its end
    { d: { line: 0, column: 0 }, want: { line: 1, column: 1 } }, // not 1-based: the start
  ])('clamps $d -> $want', ({ d, want }) => {
    const [p] = placeDiagnostics(text, [diag(d)])
    expect(p).toMatchObject(want)
    expect(p!.from).toBeLessThanOrEqual(text.length)
    expect(p!.to).toBeGreaterThanOrEqual(p!.from)
  })

  it('an unlocated diagnostic goes to the start and says so', () => {
    const [p] = placeDiagnostics(text, [diag({ code: 'E_YAML_EMPTY' as Diagnostic['code'] })])
    expect(p).toMatchObject({ from: 0, line: 1, column: 1, located: false })
  })

  it('sorts by position, errors before warnings at the same place', () => {
    const placed = placeDiagnostics(text, [
      diag({ line: 3, column: 3, message: 'late' }),
      diag({ line: 2, column: 22, severity: 'warning', message: 'warn' }),
      diag({ line: 2, column: 22, message: 'err' }),
    ])
    expect(placed.map(p => p.message)).toEqual(['err', 'warn', 'late'])
  })

  it('keeps code, path and message for the problems list', () => {
    const [p] = placeDiagnostics(text, [
      diag({ line: 2, column: 22, code: 'E_SCHEMA_TYPE', path: 'protocol.target_enrollment', message: 'expected a whole number, got string "forty"' }),
    ])
    expect(p).toMatchObject({
      code: 'E_SCHEMA_TYPE',
      path: 'protocol.target_enrollment',
      message: 'expected a whole number, got string "forty"',
      severity: 'error',
    })
  })
})
