import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadExamples, loadProtocol, type DiagnosticCode } from '../../../engine/index.ts'
import { PROTOCOLS_DIR } from '../../helpers/protocols.ts'

const original = readFileSync(join(PROTOCOLS_DIR, 'nct05631717.yaml'), 'utf8')

/** Replace one exact snippet (it must occur) and report the 1-based line and column where the new text starts. */
function edit(text: string, from: string, to: string): { text: string; line: number; column: number } {
  const at = text.indexOf(from)
  if (at < 0) throw new Error(`snippet not found: ${from}`)
  const before = text.slice(0, at)
  const line = before.split('\n').length
  const column = at - before.lastIndexOf('\n')
  return { text: before + to + text.slice(at + from.length), line, column }
}

describe('semantic checks, located at file:line:column', () => {
  it.each<{ name: string; from: string; to: string; code: DiagnosticCode; offset: number; path: string; count?: number }>([
    {
      name: 'unknown fact',
      from: '{ fact: lactating, is: true }',
      to: '{ fact: lactatin, is: true }',
      code: 'E_UNKNOWN_FACT',
      offset: 8,
      path: 'criteria[16].logic.any[1].fact',
    },
    {
      name: 'unknown lab concept',
      from: 'concept: urine_protein_24h',
      to: 'concept: urine_protein_24hr',
      code: 'E_UNKNOWN_CONCEPT',
      offset: 9,
      path: 'criteria[3].logic.any[1].measurement.concept',
    },
    {
      name: 'unit that cannot convert',
      from: 'unit: g/(24.h)',
      to: 'unit: mL',
      code: 'E_UNIT_INCONVERTIBLE',
      offset: 6,
      path: 'criteria[3].logic.any[1].measurement.unit',
    },
    {
      name: 'unknown reference date',
      from: 'before: randomization } }',
      to: 'before: randomisation } }',
      code: 'E_UNKNOWN_REFERENCE_DATE',
      offset: 8,
      path: 'criteria[14].logic.any[0].vaccination.window.before',
    },
    {
      name: 'unknown named set',
      from: 'set: listed_infections',
      to: 'set: listed_infection',
      code: 'E_UNKNOWN_DEFINITION',
      offset: 5,
      path: 'criteria[12].logic.any[2].all[1].condition.set',
    },
    {
      name: 'unknown dictionary item',
      from: 'items: [rituximab]',
      to: 'items: [rituximabb]',
      code: 'E_UNKNOWN_DICTIONARY_ENTRY',
      offset: 8,
      path: 'definitions.drugs.b_cell_depletion_therapy.items[0]',
    },
    {
      name: 'unknown parameter',
      from: '{ param: screening_lookback_days }, before: screening }\n\n  - id: IN04',
      to: '{ param: screening_lookback }, before: screening }\n\n  - id: IN04',
      code: 'E_UNKNOWN_PARAMETER',
      offset: 9,
      path: 'criteria[2].logic.measurement.window.days.param',
    },
    {
      name: 'undeclared attestation',
      from: '{ attestation: willing_to_comply, is: true }',
      to: '{ attestation: will_comply, is: true }',
      code: 'E_UNKNOWN_ATTESTATION',
      offset: 15,
      path: 'criteria[6].logic.all[1].attestation',
    },
    {
      name: 'a word where a threshold goes',
      from: '        value: 6\n',
      to: '        value: six\n',
      code: 'E_SCHEMA_TYPE',
      offset: 15,
      path: 'criteria[2].logic.measurement.value',
    },
    { name: 'duplicate criterion id', from: '- id: EX02', to: '- id: EX01c', code: 'E_DUPLICATE_ID', offset: 6, path: 'criteria[10].id' },
    // also reported where the parameter is used (age basis must be exact or completed_years)
    {
      name: 'parameter value outside its options',
      from: 'value: completed_years',
      to: 'value: whole_years',
      code: 'E_PARAMETER_VALUE',
      offset: 7,
      path: 'parameters.age_upper_bound_basis.value',
      count: 2,
    },
  ])('$name -> $code at the offending node', ({ from, to, code, offset, path, count }) => {
    const e = edit(original, from, to)
    const { value, diagnostics } = loadProtocol(e.text, { file: 'protocols/nct05631717.yaml' })
    expect(value).toBeUndefined()
    expect(diagnostics).toHaveLength(count ?? 1)
    expect(diagnostics[0]).toMatchObject({ code, severity: 'error', file: 'protocols/nct05631717.yaml', path, line: e.line, column: e.column + offset })
  })

  it('collects every error in one pass, schema and semantic together, sorted by line', () => {
    let text = original
    text = edit(text, 'items: [rituximab]', 'items: [rituximabb]').text
    text = edit(text, 'years: 18, basis', 'years: eighteen, basis').text
    text = edit(text, 'concept: urine_protein_24h', 'concept: urine_protein_24hr').text
    text = edit(text, '{ fact: lactating, is: true }', '{ fact: lactatin, is: true }').text
    const { diagnostics } = loadProtocol(text, { file: 'p.yaml' })
    expect(diagnostics.map(d => d.code)).toEqual(['E_UNKNOWN_DICTIONARY_ENTRY', 'E_SCHEMA_TYPE', 'E_UNKNOWN_CONCEPT', 'E_UNKNOWN_FACT'])
    const lines = diagnostics.map(d => d.line!)
    expect(lines).toEqual([...lines].sort((a, b) => a - b))
  })

  it.each([
    ['{ fact: lactating, is: true }', '{ fact: lactatin, is: true }', 'unknown fact "lactatin"; did you mean "lactating"?'],
    ['set: listed_infections', 'set: listed_infection', 'did you mean "listed_infections"?'],
    ['{ fact: lactating, is: true }', '{ fact: breakfast, is: true }', 'unknown fact "breakfast"'],
  ])('suggests the closest known name only when it is plausibly a typo (%s -> %s)', (from, to, message) => {
    const [d] = loadProtocol(edit(original, from, to).text).diagnostics
    expect(d!.message).toContain(message)
    if (to.includes('breakfast')) expect(d!.message).not.toContain('did you mean')
  })

  it('accepts the shipped protocol with no errors (the linter warnings are tested apart)', () => {
    const { value, diagnostics } = loadProtocol(original)
    expect(value).toBeDefined()
    expect(diagnostics.filter(d => d.severity === 'error')).toEqual([])
  })
})

describe('examples file checks', () => {
  const protocol = loadProtocol(original).value!
  const examples = readFileSync(join(PROTOCOLS_DIR, 'nct05631717.examples.yaml'), 'utf8')

  it('rejects an example expecting a criterion the protocol does not have', () => {
    const e = edit(examples, 'expect: { overall: ineligible, criteria: { IN02: not_met } }', 'expect: { overall: ineligible, criteria: { IN09: not_met } }')
    const { value, diagnostics } = loadExamples(e.text, protocol, { file: 'x.examples.yaml' })
    expect(value).toBeUndefined()
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'E_EXAMPLE_UNKNOWN_CRITERION', line: e.line, path: expect.stringMatching(/^examples\[\d+\]\.expect\.criteria\.IN09$/) }),
    ])
  })

  it('rejects examples written for another protocol', () => {
    const e = edit(examples, 'protocol: NCT05631717', 'protocol: NCT00000000')
    expect(loadExamples(e.text, protocol).diagnostics).toMatchObject([{ code: 'E_EXAMPLE_PROTOCOL_MISMATCH', line: e.line, found: 'NCT00000000' }])
  })
})

describe('semantic checks on a document the schema rejected', () => {
  it.each([
    ['an empty arm', 'arms:\n  - id: il2', 'arms:\n  -\n  - id: il2'],
    ['an arm without interventions', '    interventions:\n      - id: il2_sc', '    interventions_:\n      - id: il2_sc'],
    ['a visit without an id', '  - { id: week_4,', '  - { label_: week_4,'],
  ])('%s: located schema errors, no crash', (_name, from, to) => {
    const { value, diagnostics } = loadProtocol(edit(original, from, to).text)
    expect(value).toBeUndefined()
    expect(diagnostics.length).toBeGreaterThan(0)
    expect(diagnostics.every(d => d.line !== undefined)).toBe(true)
  })
})
