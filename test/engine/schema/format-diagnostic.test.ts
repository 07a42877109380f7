import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatDiagnostic, formatDiagnostics, sortDiagnostics } from '../../../engine/diagnostics/format.ts'
import { parseYamlText } from '../../../engine/parse/yaml-document.ts'
import { validateAgainstSchema } from '../../../engine/schema/validate.ts'
import type { Diagnostic } from '../../../engine/types.ts'

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')

describe('formatDiagnostic', () => {
  it('prints the README shape: header, path, message, line and carets', () => {
    const text = fixture('schema-errors-several.yaml')
    const parsed = parseYamlText(text, 'protocols/x.yaml')
    const [first] = validateAgainstSchema('protocol', parsed.value, { ...parsed, file: 'protocols/x.yaml' })
    expect(formatDiagnostic(first as Diagnostic, text)).toBe(
      [
        'protocols/x.yaml:15:46 E_SCHEMA_TYPE',
        '  at criteria[0].logic.age.years',
        '  expected a number, got string "sixty"',
        '    15 |       age: { at: screening, op: ">=", years: sixty, basis: exact }',
        '       |                                              ^^^^^',
      ].join('\n'),
    )
  })

  it('omits the source lines without source text, and the path line for syntax errors', () => {
    const d: Diagnostic = { code: 'E_YAML_SYNTAX', severity: 'error', message: 'bad', path: '', line: 2, column: 3 }
    expect(formatDiagnostic(d)).toBe('<input>:2:3 E_YAML_SYNTAX\n  bad')
  })

  it('keeps long lines and carets within 80 columns', () => {
    const line = `k: ${'x'.repeat(150)} target`
    const d: Diagnostic = {
      code: 'E_SCHEMA_TYPE',
      severity: 'error',
      message: 'm',
      path: 'k',
      line: 1,
      column: line.indexOf('target') + 1,
      endLine: 1,
      endColumn: line.indexOf('target') + 7,
    }
    const [, , , quoted, carets] = formatDiagnostic(d, line).split('\n')
    const source = (quoted ?? '').replace(/^ {4}1 \| /, '')
    const marks = (carets ?? '').replace(/^ {4} {1} \| /, '')
    expect(source.length).toBeLessThanOrEqual(80)
    expect(marks.trim()).toBe('^^^^^^')
    expect(source.slice(marks.indexOf('^'), marks.indexOf('^') + 6)).toBe('target')
  })

  it('puts carets under tab-indented text', () => {
    const d: Diagnostic = { code: 'E_SCHEMA_TYPE', severity: 'error', message: 'm', path: 'a', line: 1, column: 4, endLine: 1, endColumn: 5 }
    expect(formatDiagnostic(d, 'a:\t1').split('\n')[4]).toBe('      |   \t^')
  })
})

describe('sortDiagnostics / formatDiagnostics', () => {
  const at = (line: number | undefined, column: number | undefined, path = ''): Diagnostic => ({
    code: 'E_SCHEMA_TYPE',
    severity: 'error',
    message: 'm',
    path,
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
  })

  it('sorts by line then column, unlocated last', () => {
    const sorted = sortDiagnostics([at(undefined, undefined, 'z'), at(3, 1), at(1, 9), at(1, 2)])
    expect(sorted.map(d => [d.line, d.column])).toEqual([
      [1, 2],
      [1, 9],
      [3, 1],
      [undefined, undefined],
    ])
  })

  it('formats every diagnostic, sorted, separated by blank lines', () => {
    const out = formatDiagnostics([at(2, 1, 'b'), at(1, 1, 'a')], { 'x.yaml': '' })
    expect(out).toBe('<input>:1:1 E_SCHEMA_TYPE\n  at a\n  m\n\n<input>:2:1 E_SCHEMA_TYPE\n  at b\n  m')
  })
})
