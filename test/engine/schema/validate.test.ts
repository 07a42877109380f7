import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseYamlText } from '../../../engine/parse/yaml-document.ts'
import { schemaFor, validateAgainstSchema } from '../../../engine/schema/validate.ts'
import type { SchemaKind } from '../../../engine/schema/validate.ts'
import { ACR_1997_ITEMS, SLEDAI_2K_DESCRIPTORS } from '../../../engine/types.ts'
import type { Diagnostic } from '../../../engine/types.ts'

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')

/** Parses YAML text and validates it, as the loader will. */
function check(kind: SchemaKind, text: string, file = 'test.yaml'): Diagnostic[] {
  const parsed = parseYamlText(text, file)
  expect(parsed.diagnostics).toEqual([])
  return validateAgainstSchema(kind, parsed.value, { doc: parsed.doc, lineCounter: parsed.lineCounter, file })
}

const HEAD = [
  'protocol: { registry_id: X, title: t, version: "1", sponsor: s, phase: "2", target_enrollment: 3 }',
  'reference_dates: { screening: { label: s } }',
  'criteria:',
  '  - id: IN01',
  '    kind: inclusion',
  '    text: t',
  '    logic:',
  '',
].join('\n')

/** Validates a protocol whose only criterion has the given logic (indented 6), starting on line 8. */
const checkLogic = (logic: string): Diagnostic[] => check('protocol', HEAD + logic)

describe('valid documents', () => {
  it('accepts a protocol using every leaf kind with zero diagnostics', () => {
    expect(check('protocol', fixture('schema-valid-all-leaves.yaml'))).toEqual([])
  })

  it('the all-leaves and study fixtures together really use every condition kind', () => {
    const { value } = parseYamlText(fixture('schema-valid-all-leaves.yaml'))
    const study = parseYamlText(fixture('schema-valid-study.yaml')).value as { endpoints: unknown }
    const defs = (schemaFor('protocol').$defs ?? {}) as Record<string, { oneOf?: Array<{ $ref: string }> }>
    const kinds = (defs.condition?.oneOf ?? []).map(b => {
      const leaf = defs[b.$ref.replace('#/$defs/', '')] as { required: string[] }
      return leaf.required[0]
    })
    expect(kinds).toHaveLength(19)
    const used = new Set<string>()
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk)
      else if (v !== null && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          used.add(k)
          walk(child)
        }
      }
    }
    walk((value as { criteria: unknown }).criteria)
    // `change` and `steroid_dose` are endpoint leaves: the study fixture has them
    walk(study.endpoints)
    for (const kind of kinds) expect(used, kind).toContain(kind)
    // and every window form
    for (const key of ['weeks', 'days', 'before', 'at', 'planned', 'visit']) expect(used, key).toContain(key)
  })

  it('accepts a full patient record', () => {
    expect(check('patient', fixture('schema-valid-patient.yaml'))).toEqual([])
  })

  it('accepts an examples file', () => {
    expect(check('examples', fixture('schema-valid-examples.yaml'))).toEqual([])
  })
})

describe('located schema errors', () => {
  const diagnostics = check('protocol', fixture('schema-errors-several.yaml'), 'schema-errors-several.yaml')

  it('collects all of them, one per problem, sorted by line', () => {
    expect(diagnostics.map(d => [d.line, d.column, d.code, d.path])).toEqual([
      [15, 46, 'E_SCHEMA_TYPE', 'criteria[0].logic.age.years'],
      [24, 9, 'E_SCHEMA_ADDITIONAL', 'criteria[1].logic.measurement.unitt'],
      [33, 17, 'E_SCHEMA_REQUIRED', 'criteria[2].logic.measurement.window.before'],
      [38, 7, 'E_SCHEMA_REQUIRED', 'criteria[3].logic'],
    ])
  })

  it('locates a wrong type at the value, with expected and got', () => {
    expect(diagnostics[0]).toEqual({
      code: 'E_SCHEMA_TYPE',
      severity: 'error',
      file: 'schema-errors-several.yaml',
      line: 15,
      column: 46,
      endLine: 15,
      endColumn: 51,
      path: 'criteria[0].logic.age.years',
      message: 'expected a number, got string "sixty"',
      expected: 'number',
      found: 'string "sixty"',
    })
  })

  it('locates an unknown key at the key, suggests the closest and lists the allowed keys', () => {
    expect(diagnostics[1]).toMatchObject({
      line: 24,
      column: 9,
      endColumn: 14,
      found: 'unitt',
      expected: 'concept, op, value, unit, window, select, consecutive, equation',
      message: 'unknown key "unitt"; did you mean "unit"? expected one of: concept, op, value, unit, window, select, consecutive, equation',
    })
  })

  it('reports a bad window shape as the missing key of the form it resembles', () => {
    expect(diagnostics[2]).toMatchObject({ message: 'missing required key "before"', expected: 'before' })
  })

  it('reports a missing required property on the parent mapping', () => {
    // a fact leaf takes `is`, or `op` with `value` (engine extensions): the message names both ways
    expect(diagnostics[3]).toMatchObject({ line: 38, column: 7, message: 'missing required key: give "is" or "op"' })
  })

  it('gives paths but no positions without the YAML document', () => {
    const { value } = parseYamlText(fixture('schema-errors-several.yaml'))
    const bare = validateAgainstSchema('protocol', value, undefined)
    expect(bare.map(d => d.path)).toEqual(diagnostics.map(d => d.path))
    expect(bare.every(d => d.line === undefined && d.file === undefined)).toBe(true)
  })
})

describe('condition alternatives (oneOf) reduced to one report', () => {
  it.each([
    {
      name: 'no discriminating key',
      logic: '      foo: 1\n      label: x\n',
      want: {
        code: 'E_SCHEMA_SHAPE',
        line: 8,
        column: 7,
        path: 'criteria[0].logic',
        message:
          'expected one of all, any, not, at_least, either, measurement, age, fact, attestation, parameter, medication, condition, procedure, vaccination, pregnancy_test, change, steroid_dose, biopsy, steroid_days; found keys foo, label',
      },
    },
    {
      name: 'a scalar where a condition goes',
      logic: '      "yes"\n',
      want: { code: 'E_SCHEMA_TYPE', line: 8, column: 7, path: 'criteria[0].logic' },
    },
    {
      name: 'two leaf keys: the first wins, the second is unknown',
      logic: '      fact: pregnant\n      is: true\n      attestation: fit\n',
      want: { code: 'E_SCHEMA_ADDITIONAL', line: 10, column: 7, found: 'attestation' },
    },
    {
      name: 'a shared key (`is`) checked by its own leaf only',
      logic: '      attestation: fit\n      is: "yes"\n',
      want: { code: 'E_SCHEMA_TYPE', line: 9, column: 11, message: 'expected a boolean (true or false), got string "yes"' },
    },
    {
      name: 'an error deep inside nested nodes',
      logic: '      not:\n        all:\n          - any:\n              - fact: x\n                is: true\n                extra: 1\n',
      want: { code: 'E_SCHEMA_ADDITIONAL', line: 13, column: 17, path: 'criteria[0].logic.not.all[0].any[0].extra' },
    },
    {
      name: 'a number-or-param given a boolean',
      logic: '      measurement: { concept: egfr, op: ">=", value: true }\n',
      want: {
        code: 'E_SCHEMA_TYPE',
        column: 54,
        message: 'expected a number, an object with one of param, times_upper_limit or a string, got boolean true',
      },
    },
    {
      name: 'a window with no form key',
      logic: '      medication: { set: x, window: { month: 3 } }\n',
      want: { code: 'E_SCHEMA_SHAPE', message: 'expected one of before, at, planned, visit, ref; found key month', column: 37 },
    },
  ])('$name', ({ logic, want }) => {
    const diagnostics = checkLogic(logic)
    expect(diagnostics).toHaveLength(1)
    expect(diagnostics[0]).toMatchObject(want)
  })

  it('a malformed param reference: the param form is checked, not the number form', () => {
    const diagnostics = checkLogic('      age: { at: screening, op: ">=", years: { parm: min_age }, basis: exact }\n')
    expect(diagnostics).toMatchObject([
      { code: 'E_SCHEMA_REQUIRED', line: 8, column: 46, path: 'criteria[0].logic.age.years.param' },
      { code: 'E_SCHEMA_ADDITIONAL', line: 8, column: 48, path: 'criteria[0].logic.age.years.parm', expected: 'param' },
    ])
  })
})

describe('error codes', () => {
  it.each([
    { code: 'E_SCHEMA_ENUM', logic: '      measurement: { concept: egfr, op: "=>", value: 1 }\n', column: 41 },
    { code: 'E_SCHEMA_RANGE', logic: '      at_least: { n: 0, of: [{ fact: x, is: true }] }\n', column: 22 },
    { code: 'E_SCHEMA_RANGE', logic: '      all: []\n', column: 12 },
    { code: 'E_SCHEMA_RANGE', logic: '      medication: { set: x, window: { weeks: -2, before: screening } }\n', column: 46 },
    { code: 'E_SCHEMA_ENUM', logic: '      procedure: { set: x, window: { planned: soon } }\n', column: 47 },
    { code: 'E_SCHEMA_FORMAT', logic: '      parameter: Strict\n      is: true\n', column: 18 },
  ])('$code at column $column', ({ code, logic, column }) => {
    expect(checkLogic(logic)).toMatchObject([{ code, line: 8, column }])
  })

  it('E_SCHEMA_FORMAT for a criterion id and a map key, located at the key', () => {
    const text = HEAD.replace('id: IN01', 'id: in1').replace('screening: { label: s }', 'Screening: { label: s }')
    expect(check('protocol', `${text}      fact: x\n      is: true\n`)).toMatchObject([
      { code: 'E_SCHEMA_FORMAT', line: 2, column: 20, path: 'reference_dates.Screening', found: 'key "Screening"' },
      { code: 'E_SCHEMA_FORMAT', line: 4, column: 9, path: 'criteria[0].id' },
    ])
  })

  it('E_SCHEMA_REQUIRED for a missing top-level section, with the key in the path', () => {
    expect(
      check('protocol', 'protocol: { registry_id: X, title: t, version: "1", sponsor: s, phase: "2", target_enrollment: 3 }\ncriteria: []\n'),
    ).toMatchObject([
      { code: 'E_SCHEMA_REQUIRED', line: 1, column: 1, path: 'reference_dates' },
      { code: 'E_SCHEMA_RANGE', line: 2, column: 11, path: 'criteria' },
    ])
  })

  it('E_SCHEMA_TYPE for a document that is not a mapping', () => {
    expect(check('protocol', '- a\n')).toMatchObject([{ code: 'E_SCHEMA_TYPE', line: 1, column: 1, path: '' }])
  })
})

describe('patient record', () => {
  it.each([
    { code: 'E_SCHEMA_FORMAT', text: 'birth_date: 2026-02-30\n', line: 1, column: 13 }, // no 30 February
    { code: 'E_SCHEMA_ENUM', text: 'sex: f\n', line: 1, column: 6 },
    { code: 'E_SCHEMA_REQUIRED', text: 'measurements:\n  - { value: 1, unit: g, date: 2026-01-01 }\n', line: 2, column: 5 },
    { code: 'E_SCHEMA_ADDITIONAL', text: 'acr_1997: { malar_rashh: true }\n', line: 1, column: 13 },
    { code: 'E_SCHEMA_RANGE', text: 'sledai_2k: [{ date: 2026-01-01, score: 200 }]\n', line: 1, column: 40 },
    { code: 'E_SCHEMA_TYPE', text: 'measurements:\n  - { concept: egfr, value: "60", unit: x, date: 2026-01-01 }\n', line: 2, column: 29 },
  ])('$code', ({ code, text, line, column }) => {
    expect(check('patient', text)).toMatchObject([{ code, line, column }])
  })

  it('needs concept or loinc on a measurement, said once', () => {
    expect(check('patient', 'measurements:\n  - { value: 1, unit: g, date: 2026-01-01 }\n')).toMatchObject([
      { message: 'missing required key: give "concept" or "loinc"', path: 'measurements[0]' },
    ])
  })

  it('names exactly the SLEDAI-2K descriptors and ACR 1997 items of types.ts', () => {
    const props = schemaFor('patient').properties as Record<string, Record<string, unknown>>
    const sledai = props.sledai_2k as { items: { properties: { descriptors: { properties: object } } } }
    expect(Object.keys(sledai.items.properties.descriptors.properties)).toEqual([...SLEDAI_2K_DESCRIPTORS])
    expect(Object.keys((props.acr_1997 as { properties: object }).properties)).toEqual([...ACR_1997_ITEMS])
  })
})

describe('examples file', () => {
  it('checks base_patient against the patient schema and the expectations', () => {
    const text = [
      'protocol: NCT1',
      'base_patient: { sex: x }',
      'examples:',
      '  - id: a',
      '    description: d',
      '    patch: { anything: [1, 2] }',
      '    expect: { overall: maybe, criteria: { IN01: yes } }',
      '',
    ].join('\n')
    expect(check('examples', text).map(d => [d.line, d.column, d.code, d.path])).toEqual([
      [2, 22, 'E_SCHEMA_ENUM', 'base_patient.sex'],
      [7, 24, 'E_SCHEMA_ENUM', 'examples[0].expect.overall'],
      [7, 49, 'E_SCHEMA_ENUM', 'examples[0].expect.criteria.IN01'],
    ])
  })
})
