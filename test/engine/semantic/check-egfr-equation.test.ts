import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProtocol, validateAgainstSchema } from '../../../engine/index.ts'
import { PROTOCOLS_DIR } from '../../helpers/protocols.ts'

// AURORA 1 wires every eGFR leaf to its egfr_equation parameter.
const original = readFileSync(join(PROTOCOLS_DIR, 'nct03021499.yaml'), 'utf8')
const EX01 = '        concept: egfr\n        equation: { param: egfr_equation }\n'

function load(from: string, to: string) {
  if (!original.includes(from)) throw new Error(`snippet not found: ${from}`)
  return loadProtocol(original.replace(from, to), { file: 'p.yaml' })
}

describe('`equation` on eGFR leaves: schema and semantic checks', () => {
  it('the shipped protocol is valid with its equation parameter', () => {
    expect(loadProtocol(original).diagnostics.filter(d => d.severity === 'error')).toEqual([])
  })

  it.each(['ckd_epi_2021', 'ckd_epi_2009', 'mdrd'])('a literal equation %s is accepted', eq => {
    expect(load(EX01, `        concept: egfr\n        equation: ${eq}\n`).diagnostics.filter(d => d.severity === 'error')).toEqual([])
  })

  it('an unknown literal equation is a schema error at the field', () => {
    const { value, diagnostics } = load(EX01, '        concept: egfr\n        equation: cockcroft_gault\n')
    expect(value).toBeUndefined()
    expect(diagnostics[0]).toMatchObject({ severity: 'error', path: expect.stringMatching(/^criteria\[4\]\.logic\.measurement\.equation/) })
  })

  it('a parameter holding no equation: E_PARAMETER_VALUE where it is used', () => {
    const { value, diagnostics } = load(
      '  egfr_equation:\n    value: ckd_epi_2009\n    options: [ckd_epi_2021, ckd_epi_2009, mdrd]\n',
      '  egfr_equation:\n    value: cockcroft_gault\n',
    )
    expect(value).toBeUndefined()
    expect(diagnostics.map(d => [d.code, d.path])).toContainEqual(['E_PARAMETER_VALUE', 'criteria[4].logic.measurement.equation.param'])
  })

  it('an undeclared parameter: E_UNKNOWN_PARAMETER', () => {
    const { diagnostics } = load(EX01, '        concept: egfr\n        equation: { param: egfr_formula }\n')
    expect(diagnostics.map(d => [d.code, d.path])).toContainEqual(['E_UNKNOWN_PARAMETER', 'criteria[4].logic.measurement.equation.param'])
  })

  it('an equation on a concept other than eGFR is rejected (a change leaf too)', () => {
    const onUpcr = load(
      '        concept: egfr\n        equation: { param: egfr_equation }\n        op: "<="\n        value: 45\n        unit: mL/min/{1.73_m2}\n',
      '        concept: serum_creatinine\n        equation: ckd_epi_2009\n        op: "<="\n        value: 45\n        unit: mg/dL\n',
    )
    expect(onUpcr.diagnostics.map(d => [d.code, d.path])).toContainEqual(['E_SCHEMA_SHAPE', 'criteria[4].logic.measurement.equation'])
    const onChange = load(
      '- change: { concept: egfr, equation: { param: egfr_equation }, from: baseline',
      '- change: { concept: serum_creatinine, equation: { param: egfr_equation }, from: baseline',
    )
    expect(onChange.diagnostics.map(d => d.code)).toContain('E_SCHEMA_SHAPE')
    expect(onChange.diagnostics.find(d => d.code === 'E_SCHEMA_SHAPE')!.message).toContain('an equation applies to eGFR (concept egfr) only')
  })

  it('the patient schema accepts black_race as a boolean only', () => {
    expect(validateAgainstSchema('patient', { black_race: true }, undefined)).toEqual([])
    expect(validateAgainstSchema('patient', { black_race: false }, undefined)).toEqual([])
    expect(validateAgainstSchema('patient', { black_race: 'yes' }, undefined)).not.toEqual([])
    expect(validateAgainstSchema('subject', { black_race: true }, undefined)).toEqual([])
  })
})
