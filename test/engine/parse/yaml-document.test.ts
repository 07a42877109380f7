import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { locate, MAX_NESTING_DEPTH, parseYamlText } from '../../../engine/parse/yaml-document.ts'

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')

describe('parseYamlText', () => {
  it('parses a plain document with no diagnostics', () => {
    const { value, diagnostics } = parseYamlText('a: 1\nb: [x, true]\n')
    expect(diagnostics).toEqual([])
    expect(value).toEqual({ a: 1, b: ['x', true] })
  })

  it.each([
    { name: 'plain date', text: 'd: 2026-01-10\n' },
    { name: 'YAML 1.1 directive', text: '%YAML 1.1\n---\nd: 2026-01-10\n' }, // 1.1 schema would make a Date
    { name: 'explicit !!timestamp tag', text: 'd: !!timestamp 2026-01-10\n' }, // known tag not resolved
  ])('keeps a date a string: $name', ({ text }) => {
    const { value } = parseYamlText(text)
    expect(value).toEqual({ d: '2026-01-10' })
  })

  it('keeps on/yes strings even under %YAML 1.1', () => {
    expect(parseYamlText('%YAML 1.1\n---\na: on\nb: yes\n').value).toEqual({ a: 'on', b: 'yes' })
  })

  it('warns, located, about an unresolved tag', () => {
    const { diagnostics } = parseYamlText('d: !!timestamp 2026-01-10\n', 'd.yaml')
    expect(diagnostics).toMatchObject([{ code: 'E_YAML_SYNTAX', severity: 'warning', file: 'd.yaml', line: 1, column: 4 }])
  })

  it('locates a syntax error', () => {
    const { diagnostics } = parseYamlText(fixture('yaml-syntax-error.yaml'), 'yaml-syntax-error.yaml')
    expect(diagnostics).toMatchObject([{ code: 'E_YAML_SYNTAX', severity: 'error', file: 'yaml-syntax-error.yaml', line: 2, column: 10, path: '' }])
  })

  it('reports a duplicate key at the second occurrence', () => {
    const { diagnostics } = parseYamlText(fixture('yaml-duplicate-key.yaml'), 'yaml-duplicate-key.yaml')
    expect(diagnostics).toMatchObject([
      {
        code: 'E_YAML_DUPLICATE_KEY',
        line: 4,
        column: 3,
        found: 'title',
        message: 'duplicate key "title": a key may appear only once in a mapping',
      },
    ])
  })

  it('stops an alias bomb at the alias limit', () => {
    const { value, diagnostics } = parseYamlText(fixture('yaml-alias-bomb.yaml'), 'yaml-alias-bomb.yaml')
    expect(value).toBeUndefined()
    // Located at the first alias in the document.
    expect(diagnostics).toMatchObject([{ code: 'E_YAML_LIMIT', line: 2, column: 8 }])
  })

  it('accepts a few aliases', () => {
    const { value, diagnostics } = parseYamlText('a: &w { weeks: 4 }\nb: *w\n')
    expect(diagnostics).toEqual([])
    expect(value).toEqual({ a: { weeks: 4 }, b: { weeks: 4 } })
  })

  it.each([
    { depth: MAX_NESTING_DEPTH, limited: false }, // at the limit: fine
    { depth: MAX_NESTING_DEPTH + 1, limited: true },
  ])('nesting depth $depth -> limited: $limited', ({ depth, limited }) => {
    const text = `x: ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}\n`
    const { value, diagnostics } = parseYamlText(text)
    if (limited) {
      expect(value).toBeUndefined()
      expect(diagnostics).toMatchObject([{ code: 'E_YAML_LIMIT', line: 1, column: 3 + depth - 1 }])
    } else {
      expect(diagnostics).toEqual([])
    }
  })

  it('limits block nesting too', () => {
    const text = `${Array.from({ length: 70 }, (_, i) => `${'  '.repeat(i)}k:`).join('\n')} 1\n`
    expect(parseYamlText(text).diagnostics).toMatchObject([{ code: 'E_YAML_LIMIT', line: 65 }])
  })

  it('reports one limit error for input too deep to compose', () => {
    const { value, diagnostics } = parseYamlText(`x: ${'['.repeat(100_000)}\n`)
    expect(value).toBeUndefined()
    expect(diagnostics).toHaveLength(1)
    expect(diagnostics[0]?.code).toBe('E_YAML_LIMIT')
  })

  it('collects every syntax error, not just the first', () => {
    const { diagnostics } = parseYamlText('a: 1\na: 2\nb: 1\nb: 2\n')
    expect(diagnostics.map(d => [d.code, d.line, d.column])).toEqual([
      ['E_YAML_DUPLICATE_KEY', 2, 1],
      ['E_YAML_DUPLICATE_KEY', 4, 1],
    ])
  })
})

describe('locate', () => {
  const text = ['criteria:', '  - id: IN01', '    logic:', '      age: { at: screening, years: sixty }', ''].join('\n')
  const { doc, lineCounter } = parseYamlText(text)

  it.each([
    { path: ['criteria', 0, 'id'], want: { line: 2, column: 9, endLine: 2, endColumn: 13 } },
    { path: ['criteria', 0, 'logic', 'age', 'years'], want: { line: 4, column: 36, endLine: 4, endColumn: 41 } },
    // Missing key: the parent mapping.
    { path: ['criteria', 0, 'logic', 'age', 'basis'], want: { line: 4, column: 12 } },
    // Index past the end: the sequence.
    { path: ['criteria', 5, 'id'], want: { line: 2, column: 3 } },
    // Numeric index given as a string (as in a JSON pointer).
    { path: ['criteria', '0', 'id'], want: { line: 2, column: 9 } },
    { path: [], want: { line: 1, column: 1 } },
  ])('$path', ({ path, want }) => {
    expect(locate(doc, lineCounter, path)).toMatchObject(want)
  })

  it('points at the key itself in key mode', () => {
    expect(locate(doc, lineCounter, ['criteria', 0, 'logic', 'age', 'years'], { key: true })).toEqual({
      line: 4,
      column: 29,
      endLine: 4,
      endColumn: 34,
    })
  })

  it('follows aliases', () => {
    const parsed = parseYamlText('w: &w\n  weeks: 4\nx:\n  window: *w\n')
    expect(locate(parsed.doc, parsed.lineCounter, ['x', 'window', 'weeks'])).toMatchObject({ line: 2, column: 10 })
  })

  it('returns undefined for an empty document', () => {
    const parsed = parseYamlText('')
    expect(locate(parsed.doc, parsed.lineCounter, ['a'])).toBeUndefined()
  })
})
