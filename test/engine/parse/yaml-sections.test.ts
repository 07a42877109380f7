import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProtocol } from '../../../engine/index.ts'
import type { PathSegment } from '../../../engine/parse/path.ts'
import { locate, parseYamlText } from '../../../engine/parse/yaml-document.ts'
import { parseYamlSections } from '../../../engine/parse/yaml-sections.ts'
import { PROTOCOLS_DIR } from '../../helpers/protocols.ts'

/** Every path in a plain value (objects and arrays walked), the root included. */
function pathsIn(value: unknown, at: PathSegment[] = []): PathSegment[][] {
  const out: PathSegment[][] = [at]
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...pathsIn(v, [...at, i]))
  } else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...pathsIn(v, [...at, k]))
  return out
}

const shipped = readdirSync(PROTOCOLS_DIR)
  .filter(f => f.endsWith('.yaml'))
  .map(f => [f, readFileSync(join(PROTOCOLS_DIR, f), 'utf8')] as const)
// the examples files reuse records by YAML anchors across their sections: those are parsed whole
const protocols = shipped.filter(([f]) => !f.endsWith('.examples.yaml'))
const examplesFiles = shipped.filter(([f]) => f.endsWith('.examples.yaml'))

it.each(examplesFiles)('%s (aliases across sections) is left to the whole parse', (_file, text) => {
  expect(text).toMatch(/\*[a-z]/)
  expect(parseYamlSections(text)).toBeUndefined()
})

describe.each(protocols)('%s parsed by sections', (_file, text) => {
  const whole = parseYamlText(text)
  const sections = parseYamlSections(text)!

  it('gives the value the whole parse gives', () => {
    expect(sections).toBeDefined()
    expect(JSON.stringify(sections.value)).toBe(JSON.stringify(whole.value))
  })

  it('locates every node and key where the whole parse does, and a missing key at the mapping', () => {
    const paths = pathsIn(whole.value)
    for (const path of [...paths, ['no_such_key'], ['criteria', 10_000], [...(paths.at(-1) ?? []), 'missing']]) {
      expect(sections.locate(path), JSON.stringify(path)).toEqual(locate(whole.doc, whole.lineCounter, path))
      if (path.length > 0) expect(sections.locate(path, { key: true })).toEqual(locate(whole.doc, whole.lineCounter, path, { key: true }))
    }
  })
})

describe('sections parsed again only when their text changed', () => {
  const text = readFileSync(join(PROTOCOLS_DIR, 'nct05631717.yaml'), 'utf8')

  it('a threshold typed in a criterion parses the criteria again, nothing else; the value is fresh each time', () => {
    const first = parseYamlSections(text)!
    const again = parseYamlSections(text)!
    expect(again.parsed).toEqual([])
    expect(again.value).not.toBe(first.value)
    expect(again.value.criteria).not.toBe(first.value.criteria) // a caller may change its value: never the next caller's
    const edited = text.replace('value: 1.0\n', 'value: 1.05\n')
    expect(edited).not.toBe(text)
    const next = parseYamlSections(edited)!
    expect(next.parsed).toEqual(['criteria'])
    expect(next.blocksParsed).toBe(1) // the one criterion, its 40-odd neighbours kept
    expect(again.blocksParsed).toBe(0)
    expect(JSON.stringify(next.value)).toBe(JSON.stringify(parseYamlText(edited).value))
  })

  it('a line added above a section moves its positions, which stay right', () => {
    const edited = text.replace('\ncriteria:\n', '\n# a comment line added\n\ncriteria:\n')
    const whole = parseYamlText(edited)
    const sections = parseYamlSections(edited)!
    expect(sections.parsed).not.toContain('arms')
    for (const path of [['criteria', 3, 'text'], ['arms', 0], ['endpoints'], ['visits', 2, 'day']]) {
      expect(sections.locate(path)).toEqual(locate(whole.doc, whole.lineCounter, path))
    }
  })

  it('loadProtocol gives the same located diagnostics either way (a schema error and a semantic one)', () => {
    // an unknown key (schema) and a reference to an unknown parameter (semantic), both below the first section
    const broken = text.replace('\narms:\n', '\narms:\n  # an unknown key below\n').replace('\nvisits:\n', '\nvisits_typo: 1\nvisits:\n')
    const bySections = loadProtocol(broken, { file: 'p.yaml' }).diagnostics
    // a document marker makes the text unplain: parsed whole, with the same lines (the marker adds none before line 1)
    const whole = loadProtocol(`${broken}...\n`, { file: 'p.yaml' }).diagnostics
    expect(bySections.length).toBeGreaterThan(0)
    expect(bySections.find(d => d.path === 'visits_typo')).toMatchObject({ line: expect.any(Number), column: 1 })
    expect(bySections).toEqual(whole)
  })
})

describe('texts not laid out plainly are left to the whole parse', () => {
  it.each([
    ['a document marker', '---\na: 1\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a top-level flow mapping', '{ a: 1 }\n'],
    ['a top-level sequence', '- a\n- b\n'],
    ['a key written twice', 'a: 1\nb: 2\na: 3\n'],
    ['an alias to another section', 'a: &x 1\nb: *x\n'],
    ['an anchor and alias in one section', 'a:\n  b: &x 1\n  c: *x\n'],
    ['a syntax error in a section', 'a: 1\nb: [1, 2\n'],
    ['a quoted scalar running to column 0', 'a: "one\ntwo: three"\n'],
    ['a quoted key', '"a": 1\n'],
    ['a byte order mark', '\uFEFFa: 1\n'],
    ['nothing but a comment', '# nothing\n'],
    ['an empty text', ''],
  ])('%s', (_what, text) => {
    expect(parseYamlSections(text)).toBeUndefined()
  })

  it('a section that is a plain list or mapping of items is parsed item by item; any other, whole', () => {
    // keys of this test only: blocks are kept by their text across calls
    const plain = 'sa: 1\nsb:\n  - x: 1\n    y: [1,\n      2]\n  # between\n  - z\nsc:\n  k: 1\n  l:\n    - 2\nsd: |\n  text\nse:\n  - 1\n'
    const sections = parseYamlSections(plain)!
    // sa and sd whole; sb, sc and se by a header and their items (2, 2 and 1)
    expect(sections.blocksParsed).toBe(1 + 3 + 3 + 1 + 2)
    expect(JSON.stringify(sections.value)).toBe(JSON.stringify(parseYamlText(plain).value))
    const whole = parseYamlText(plain)
    for (const path of pathsIn(whole.value)) {
      expect(sections.locate(path), JSON.stringify(path)).toEqual(locate(whole.doc, whole.lineCounter, path))
      expect(sections.locate(path, { key: true })).toEqual(locate(whole.doc, whole.lineCounter, path, { key: true }))
    }
    // one item changed: that item only
    expect(parseYamlSections(plain.replace('  - z\n', '  - zz\n'))!.blocksParsed).toBe(1)
    // se: a sequence item, then a key at its indentation (a YAML error): the text goes back to the whole parse
    const broken = `${plain}  bad: 2\n`
    expect(parseYamlText(broken).diagnostics.length).toBeGreaterThan(0)
    expect(parseYamlSections(broken)).toBeUndefined()
  })

  it('a plain text with comments between sections is parsed by sections, the comments in the section above', () => {
    const text = '# opening comment\na: 1 # trailing\n# between\n\nb:\n  c: [1, 2]\n  d: |\n    text\n'
    const sections = parseYamlSections(text)!
    expect(sections.value).toEqual({ a: 1, b: { c: [1, 2], d: 'text\n' } })
    const whole = parseYamlText(text)
    for (const path of [[], ['a'], ['b'], ['b', 'c', 1], ['b', 'd']]) expect(sections.locate(path)).toEqual(locate(whole.doc, whole.lineCounter, path))
  })
})
