import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SchemaIndex, completeYaml, yamlContextAt, yamlScalar, type JsonSchema } from '../../web/editor/schema-completion.ts'
import { ROOT } from './root.ts'

const schema = (name: string) => JSON.parse(readFileSync(join(ROOT, 'engine/schema', name), 'utf8')) as { $id: string } & Record<string, unknown>
const protocolSchema = schema('protocol.schema.json')
const examplesSchema = schema('examples.schema.json')
const index = new SchemaIndex([protocolSchema, examplesSchema, schema('patient.schema.json'), schema('subject.schema.json')])
const PROTOCOL = protocolSchema.$id
const EXAMPLES = examplesSchema.$id
const SHIPPED = readFileSync(join(ROOT, 'protocols/nct05631717.yaml'), 'utf8')

/** Completions where `|` is in `doc` (the `|` removed). */
function at(doc: string, root = PROTOCOL) {
  const offset = doc.indexOf('|')
  const text = doc.slice(0, offset) + doc.slice(offset + 1)
  const list = completeYaml(index, root, text, offset)
  return { list, labels: list?.options.map(o => o.label) ?? [], text, offset }
}

const CRITERION = `criteria:
  - id: IN04
    kind: inclusion
    text: Urinary total protein / creatinine ratio > 1.0
`

describe('yamlContextAt: where the cursor is', () => {
  it.each([
    { doc: 'pro|', want: { kind: 'key', path: [], prefix: 'pro' } },
    { doc: 'protocol:\n  ti|', want: { kind: 'key', path: ['protocol'], prefix: 'ti' } },
    { doc: `${CRITERION}    lo|`, want: { kind: 'key', path: ['criteria', 0], prefix: 'lo', siblings: ['id', 'kind', 'text'] } },
    { doc: 'criteria:\n  - |', want: { kind: 'key', path: ['criteria', 0], prefix: '', item: true } },
    { doc: 'criteria:\n- id: IN01\n  ki|', want: { kind: 'key', path: ['criteria', 0], siblings: ['id'] } }, // compact sequence
    { doc: `${CRITERION}    kind: ex|`, want: { kind: 'value', path: ['criteria', 0, 'kind'], prefix: 'ex' } },
    { doc: 'x:\n  window: { weeks: 24, bef|', want: { kind: 'key', path: ['x', 'window'], prefix: 'bef', siblings: ['weeks'], flow: true } },
    { doc: 'x:\n  - { concept: a, op: "|', want: { kind: 'value', path: ['x', 0, 'op'], prefix: '"' } },
    { doc: 'x:\n  options: [exact, com|', want: { kind: 'value', path: ['x', 'options', 1], prefix: 'com' } },
  ])('$doc', ({ doc, want }) => {
    const offset = doc.indexOf('|')
    expect(yamlContextAt(doc.slice(0, offset) + doc.slice(offset + 1), offset)).toMatchObject(want)
  })

  it('nothing in a comment, in a block scalar, or after a closed flow collection', () => {
    for (const doc of ['# crit|', 'a: 1 # ki|', 'parameters:\n  p:\n    rationale: >-\n      The reg|', 'x: { a: 1 } |']) {
      const offset = doc.indexOf('|')
      expect(yamlContextAt(doc.slice(0, offset) + doc.slice(offset + 1), offset), doc).toBeUndefined()
    }
  })
})

describe('completeYaml with the protocol schema', () => {
  it('top level: the protocol sections, described, minus those written', () => {
    const { labels, list } = at('protocol:\n  title: x\n|')
    expect(labels).toEqual(expect.arrayContaining(['reference_dates', 'parameters', 'criteria', 'arms', 'visits', 'endpoints']))
    expect(labels).not.toContain('protocol') // already written
    const criteria = list!.options.find(o => o.label === 'criteria')!
    expect(criteria).toMatchObject({ type: 'property', detail: 'required', info: 'The eligibility criteria.', apply: 'criteria:\n  - ' })
  })

  it('inside a criterion: its keys with descriptions, without those already written', () => {
    const { labels, list } = at(`${CRITERION}    |`)
    expect(labels.sort()).toEqual(['applies_if', 'logic', 'notes', 'title'])
    expect(list!.options.find(o => o.label === 'logic')).toMatchObject({ detail: 'required', info: "The criterion's condition.", apply: 'logic:\n      ' })
    expect(list!.from).toBe(CRITERION.length + 4)
  })

  it('a partial key in criteria of the shipped protocol: offered where missing (IN04), not where written (IN05)', () => {
    const in04 = at(SHIPPED.replace('    kind: inclusion\n    title: UPCR', '    kind: inclusion\n    app|\n    title: UPCR'))
    expect(in04.labels).toEqual(['applies_if'])
    expect(in04.text.slice(in04.list!.from, in04.list!.from + 3)).toBe('app')
    // IN05 has applies_if (below the cursor) and every other key: nothing left to offer
    expect(at(SHIPPED.replace('    kind: inclusion\n    title: Fertile', '    kind: inclusion\n    app|\n    title: Fertile')).list).toBeUndefined()
  })

  it('at a logic node: every node kind (all, any, not, measurement, fact...)', () => {
    const { labels } = at(`${CRITERION}    logic:\n      |`)
    expect(labels).toEqual(expect.arrayContaining(['all', 'any', 'not', 'at_least', 'either', 'measurement', 'age', 'fact', 'medication', 'label']))
  })

  it('inside a measurement logic node: the measurement keys only', () => {
    const { labels, list } = at(
      `${CRITERION}    logic:\n      any:\n        - measurement:\n            concept: urine_protein_creatinine_ratio\n            |`,
    )
    // whatever the schema lists for a measurement today, except the concept written
    const defs = protocolSchema.$defs as { measurementLeaf: { properties: { measurement: { properties: object } } } }
    const keys = Object.keys(defs.measurementLeaf.properties.measurement.properties).filter(k => k !== 'concept')
    expect(keys).toEqual(expect.arrayContaining(['op', 'value', 'unit', 'window', 'select']))
    expect(labels.sort()).toEqual(keys.sort())
    expect(list!.options.find(o => o.label === 'unit')!.info).toMatch(/UCUM unit/)
  })

  it('a node that already has `measurement` offers only `label` beside it (other node kinds cannot share it)', () => {
    const { labels } = at(`${CRITERION}    logic:\n      measurement: { concept: x, op: ">", value: 1 }\n      |`)
    expect(labels).toEqual(['label'])
  })

  it('enum values for kind: inclusion or exclusion (and for endpoints, their own kinds)', () => {
    expect(at(`${CRITERION}    kind: |`).labels).toEqual(['inclusion', 'exclusion'])
    expect(at(`criteria:\n  - kind: ex|`).list?.from).toBe('criteria:\n  - kind: '.length)
    const endpoint = at('endpoints:\n  - kind: |').labels
    expect(endpoint.length).toBeGreaterThan(0)
    expect(endpoint).not.toContain('inclusion')
  })

  it('operators are quoted, in block and flow style', () => {
    const block = at(`${CRITERION}    logic:\n      measurement:\n        op: |`)
    expect(block.labels).toEqual(['">"', '">="', '"<"', '"<="', '"=="', '"!="'])
    const flow = at(`${CRITERION}    logic: { measurement: { concept: x, op: |`)
    expect(flow.labels).toEqual(block.labels)
    expect(at(`${CRITERION}    logic: { measurement: { concept: x, sel|`).labels).toContain('select')
  })

  it('`select` values, and a space added after a bare colon', () => {
    const r = at(`${CRITERION}    logic:\n      measurement:\n        select:|`)
    expect(r.labels).toEqual(['latest', 'highest', 'lowest', 'nearest'])
    expect(r.list!.options[0]!.apply).toBe(' latest')
  })

  it('units: the schema does not enumerate them (UCUM), so none are invented', () => {
    expect(at(`${CRITERION}    logic:\n      measurement:\n        unit: |`).list).toBeUndefined()
  })

  it('booleans for a boolean property', () => {
    expect(at('parameters:\n  p:\n    open: |').labels).toEqual(['true', 'false'])
  })

  it('no completion for an unknown key path', () => {
    expect(at('nonsense:\n  deeper:\n    |').list).toBeUndefined()
  })
})

describe('completeYaml with the examples schema (refs across schemas)', () => {
  it('expect.overall values and base_patient keys from patient.schema.json', () => {
    expect(at('examples:\n  - id: a\n    expect: { overall: |', EXAMPLES).labels).toEqual(['eligible', 'ineligible', 'undetermined'])
    expect(at('examples:\n  - id: a\n    expect:\n      criteria:\n        IN01: |', EXAMPLES).labels).toEqual(['met', 'not_met', 'unknown'])
    expect(at('base_patient:\n  |', EXAMPLES).labels).toEqual(expect.arrayContaining(['birth_date', 'sex', 'measurements', 'medications']))
  })
})

describe('schema walking details', () => {
  const local = new SchemaIndex([
    {
      $id: 'https://example.test/s.json',
      type: 'object',
      properties: {
        unit: { enum: ['mg/dL', 'umol/L'], description: 'Unit of the value.' },
        shape: {
          allOf: [{ $ref: '#/$defs/base' }],
          if: { properties: { kind: { const: 'circle' } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else, not a thenable
          then: { properties: { radius: { type: 'number' } } },
          else: { properties: { side: { type: 'number' } } },
        },
        loop: { $ref: '#/$defs/loop' },
        tags: { type: 'array', items: { enum: ['a', 'b'] } },
      },
      $defs: {
        base: { properties: { kind: { const: 'circle', description: 'The kind.' } } },
        loop: { anyOf: [{ $ref: '#/$defs/loop' }, { properties: { x: { type: 'boolean' } } }] },
      },
    } as JsonSchema,
  ])
  const id = 'https://example.test/s.json'
  const labels = (doc: string) => {
    const o = doc.indexOf('|')
    return completeYaml(local, id, doc.slice(0, o) + doc.slice(o + 1), o)?.options.map(x => x.label) ?? []
  }

  it('enumerated units are offered', () => expect(labels('unit: |')).toEqual(['mg/dL', 'umol/L']))
  it('allOf, if/then/else branches all contribute keys; const is a value', () => {
    expect(labels('shape:\n  |').sort()).toEqual(['kind', 'radius', 'side'])
    expect(labels('shape:\n  kind: |')).toEqual(['circle'])
  })
  it('a $ref cycle ends', () => expect(labels('loop:\n  |')).toEqual(['x']))
  it('scalar items of a sequence', () => expect(labels('tags:\n  - |')).toEqual(['a', 'b']))
})

describe('yamlScalar', () => {
  it.each([
    ['inclusion', 'inclusion'],
    ['>=', '">="'],
    ['true', '"true"'], // a string that would read as a boolean
    ['1.0', '"1.0"'],
    [true, 'true'],
    ['g/(24.h)', 'g/(24.h)'],
  ])('%s -> %s', (v, want) => expect(yamlScalar(v)).toBe(want))
})

describe('never throws', () => {
  it('on broken YAML at every offset', () => {
    const broken = `${CRITERION}    logic: { any: [ { measurement: { op: "> , value: [1, \n  - - : :\n\t- x\n"unterminated\n`
    for (let i = 0; i <= broken.length; i++) expect(() => completeYaml(index, PROTOCOL, broken, i)).not.toThrow()
  })

  it('on any text at any offset (fuzzed)', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(' ', '  ', '-', ':', '{', '}', '[', ']', ',', '"', "'", '#', '\n', '|', '>', 'a', 'kind', 'criteria', 'logic'),
          maxLength: 60,
        }),
        fc.nat(),
        (text, n) => {
          completeYaml(index, PROTOCOL, text, n % (text.length + 1))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('on the whole shipped protocol, at every line end', () => {
    let offset = SHIPPED.indexOf('\n')
    while (offset >= 0) {
      expect(() => completeYaml(index, PROTOCOL, SHIPPED, offset)).not.toThrow()
      offset = SHIPPED.indexOf('\n', offset + 1)
    }
  })
})
