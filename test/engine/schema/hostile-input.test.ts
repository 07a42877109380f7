import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProtocol } from '../../../engine/index.ts'
import { MAX_DIAGNOSTICS } from '../../../engine/schema/validate.ts'

const PROTOCOLS = join(import.meta.dirname, '..', '..', '..', 'protocols')
const protocolFiles = readdirSync(PROTOCOLS).filter(f => f.endsWith('.yaml') && !f.endsWith('.examples.yaml'))
const BASE = readFileSync(join(PROTOCOLS, 'nct02550652.yaml'), 'utf8')

/** Names listed after "expected one of:" in an unknown-key message. */
function namedKeys(message: string): string[] {
  const list = message.split('expected one of: ')[1] ?? ''
  return list
    .replace(/ and \d+ more$/, '')
    .split(', ')
    .filter(k => k !== '')
}

describe('hostile input', () => {
  it('25 000 unknown top-level keys: a capped list of short messages, with an "N more" notice', () => {
    const extra = Array.from({ length: 25_000 }, (_, i) => `k${i}: ${i}`).join('\n')
    const text = `${BASE}${extra}\n`
    const started = performance.now()
    const { value, diagnostics } = loadProtocol(text, { file: 'hostile.yaml' })
    const elapsedMs = performance.now() - started
    expect(value).toBeUndefined()
    expect(diagnostics).toHaveLength(MAX_DIAGNOSTICS + 1)
    const shown = diagnostics.slice(0, MAX_DIAGNOSTICS)
    for (const d of shown) {
      expect(d.code).toBe('E_SCHEMA_ADDITIONAL')
      expect(d.line).toEqual(expect.any(Number))
      expect(namedKeys(d.message).length).toBeLessThanOrEqual(8)
      expect(d.message.length).toBeLessThan(200)
    }
    const notice = diagnostics[MAX_DIAGNOSTICS]
    expect(notice).toMatchObject({ code: 'E_YAML_LIMIT', severity: 'error', file: 'hostile.yaml', line: expect.any(Number), column: 1 })
    expect(notice?.message).toMatch(/^24900 more errors not shown/)
    // Not a timing test: a generous guard against the quadratic behaviour (minutes) coming back.
    expect(elapsedMs).toBeLessThan(15_000)
  })

  it('a 1 MB nested flow sequence is refused before parsing, located', () => {
    const half = 500_000
    const text = `${'['.repeat(half)}${']'.repeat(half)}\n`
    const started = performance.now()
    const { value, diagnostics } = loadProtocol(text, { file: 'deep.yaml' })
    const elapsedMs = performance.now() - started
    expect(value).toBeUndefined()
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'E_YAML_LIMIT', file: 'deep.yaml', line: 1, column: expect.any(Number) })])
    expect(diagnostics[0]?.message).toMatch(/nesting deeper than \d+ levels/)
    expect(elapsedMs).toBeLessThan(5_000)
  })

  it.each([
    ['a compact block sequence', `${'- '.repeat(200_000)}x\n`],
    ['nested flow mappings under a key', `a: ${'{b: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`],
  ])('%s nested too deep gets E_YAML_LIMIT with a position', (_, text) => {
    const { diagnostics } = loadProtocol(text)
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'E_YAML_LIMIT', line: 1, column: expect.any(Number) })])
  })

  it('a text over the size limit gets E_YAML_LIMIT without being parsed', () => {
    const text = `# ${'x'.repeat(5 * 1024 * 1024)}\n`
    const { diagnostics } = loadProtocol(text)
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'E_YAML_LIMIT', line: 1, column: expect.any(Number) })])
    expect(diagnostics[0]?.message).toMatch(/characters long; the limit is/)
  })

  it('brackets inside quotes, comments and block scalars do not count as nesting', () => {
    const deep = '['.repeat(200)
    const text = `${BASE}# ${deep}\n`.replace('protocol:\n', `protocol:\n  # ${deep}\n`)
    expect(loadProtocol(text).diagnostics.filter(d => d.severity === 'error')).toEqual([])
    const quoted = BASE.replace(/title: .*\n/, line => `title: "${deep}"\n`.replace(/^/, line.match(/^\s*/)?.[0] ?? ''))
    expect(loadProtocol(quoted).diagnostics.filter(d => d.severity === 'error')).toEqual([])
  })

  it.each(protocolFiles)('the shipped %s still loads with no errors', file => {
    const { value, diagnostics } = loadProtocol(readFileSync(join(PROTOCOLS, file), 'utf8'), { file })
    expect(diagnostics.filter(d => d.severity === 'error')).toEqual([])
    expect(value).toBeDefined()
  })

  it('an ordinary unknown key still gets its suggestion', () => {
    const text = BASE.replace(/^criteria:/m, 'critera: []\ncriteria:')
    const { diagnostics } = loadProtocol(text, { file: 'typo.yaml' })
    const d = diagnostics.find(x => x.code === 'E_SCHEMA_ADDITIONAL')
    expect(d).toMatchObject({ path: 'critera', found: 'critera', line: expect.any(Number), column: 1 })
    expect(d?.message).toContain('did you mean "criteria"?')
    expect(namedKeys(d?.message ?? '').length).toBeLessThanOrEqual(8)
    expect(namedKeys(d?.message ?? '')).toContain('criteria')
  })
})
