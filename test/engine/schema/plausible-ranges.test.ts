import { describe, expect, it } from 'vitest'
import { convertQuantity } from '../../../engine/calculators/units.ts'
import { defaultDictionary, resolveLabConcept } from '../../../engine/dictionary/index.ts'
import { examplePatient } from '../../../engine/index.ts'
import { exampleSubject } from '../../../engine/study.ts'
import { parseYamlText } from '../../../engine/parse/yaml-document.ts'
import { MAX_AGE_YEARS, PLAUSIBLE_RANGES, implausibleValues, plausibleRangeOf } from '../../../engine/schema/plausible-ranges.ts'
import { validateAgainstSchema } from '../../../engine/schema/validate.ts'
import { shippedProtocols } from '../../helpers/protocols.ts'

const measured = (concept: string, value: number, unit: string) => ({ measurements: [{ concept, value, unit, date: '2026-01-10' }] })
const problems = (concept: string, value: number, unit: string) => validateAgainstSchema('patient', measured(concept, value, unit), undefined)

/** A step just outside a bound, relative to its size (a bound of 0 steps by a small absolute amount). */
const beyond = (bound: number, sign: 1 | -1) => bound + sign * Math.max(Math.abs(bound) * 1e-3, 1e-3)

describe('the ranges data', () => {
  it.each(PLAUSIBLE_RANGES.map(r => [r.concept, r] as const))('%s names a dictionary concept, a unit its values convert into, and a source', (_, r) => {
    const concept = resolveLabConcept(r.concept)
    expect(concept, r.concept).toBeDefined()
    expect(convertQuantity(1, concept!.unit, r.unit, concept).ok).toBe(true)
    expect(r.source.length).toBeGreaterThan(20)
    expect(r.low !== undefined || r.high !== undefined).toBe(true)
    if (r.low !== undefined && r.high !== undefined) expect(r.low).toBeLessThan(r.high)
  })

  it('covers every quantity and bounded score concept of the shipped dictionary', () => {
    const uncovered = defaultDictionary.labConcepts.filter(c => !plausibleRangeOf(c)).map(c => c.id)
    expect(uncovered).toEqual([])
  })
})

describe('both sides of every bound', () => {
  const cases = defaultDictionary.labConcepts.flatMap(c => {
    const r = plausibleRangeOf(c)!
    return [
      ...(r.low !== undefined ? [[c.id, 'low', r.low, r.unit, beyond(r.low, -1)] as const] : []),
      ...(r.high !== undefined ? [[c.id, 'high', r.high, r.unit, beyond(r.high, 1)] as const] : []),
    ]
  })
  it.each(cases)('%s %s bound %d %s passes, %d is refused', (concept, _side, bound, unit, outside) => {
    expect(problems(concept, bound, unit)).toEqual([])
    const [d, ...rest] = problems(concept, outside, unit)
    expect(rest).toEqual([])
    expect(d).toMatchObject({
      code: 'E_IMPLAUSIBLE_VALUE',
      severity: 'error',
      path: 'measurements[0].value',
      found: `${Number(outside.toPrecision(6))} ${unit}`,
    })
    expect(d!.message).toContain(unit)
    expect(d!.expected).toContain(unit)
  })
})

describe('measurement values', () => {
  it('refuses a negative UPCR and a weight of 1e23 kg, saying the range with its unit and the value found', () => {
    expect(problems('urine_protein_creatinine_ratio', -1, 'g/g')).toEqual([
      expect.objectContaining({
        path: 'measurements[0].value',
        expected: 'between 0 and 100 g/g',
        found: '-1 g/g',
        message: expect.stringMatching(/^Urine protein\/creatinine ratio: -1 g\/g is not physically possible; expected between 0 and 100 g\/g/),
      }),
    ])
    expect(problems('body_weight', 1e23, 'kg')).toEqual([expect.objectContaining({ expected: 'between 0.3 and 650 kg', found: '1e+23 kg' })])
  })

  it('passes very abnormal but real values', () => {
    const record = {
      measurements: [
        { concept: 'urine_protein_creatinine_ratio', value: 25, unit: 'mg/mg', date: '2026-01-10' },
        { concept: 'serum_creatinine', value: 15, unit: 'mg/dL', date: '2026-01-10' },
        { concept: 'platelets', value: 5, unit: '10*9/L', date: '2026-01-10' },
        { concept: 'hemoglobin', value: 3.5, unit: 'g/dL', date: '2026-01-10' },
        { concept: 'egfr', value: 4, unit: 'mL/min/{1.73_m2}', date: '2026-01-10' },
        { concept: 'body_temperature', value: 42, unit: 'Cel', date: '2026-01-10' },
        { concept: 'body_weight', value: 180, unit: 'kg', date: '2026-01-10' },
        { concept: 'systolic_blood_pressure', value: 260, unit: 'mm[Hg]', date: '2026-01-10' },
      ],
    }
    expect(validateAgainstSchema('patient', record, undefined)).toEqual([])
  })

  it('converts the recorded unit with the UCUM code before comparing, and shows both', () => {
    // 1500 lb is about 680 kg: over 650 kg
    expect(problems('body_weight', 1500, '[lb_av]')).toEqual([expect.objectContaining({ found: '1500 [lb_av] (680.389 kg)' })])
    expect(problems('body_weight', 1300, '[lb_av]')).toEqual([])
    // 9000 umol/L of creatinine is 101.808 mg/dL (molar mass 113.12 g/mol)
    expect(problems('serum_creatinine', 9000, 'umol/L')).toEqual([expect.objectContaining({ found: '9000 umol/L (101.808 mg/dL)' })])
    expect(problems('serum_creatinine', 1326, 'umol/L')).toEqual([])
    // 2827.8 mg/mmol of UPCR is 25 g/g: real
    expect(problems('urine_protein_creatinine_ratio', 2827.8, 'mg/mmol')).toEqual([])
    // temperatures convert with an offset: 120 degF is 48.9 Cel (possible), 130 degF is 54.4 Cel (not)
    expect(problems('body_temperature', 120, '[degF]')).toEqual([])
    expect(problems('body_temperature', 130, '[degF]')).toEqual([expect.objectContaining({ found: '130 [degF] (54.4444 Cel)' })])
    expect(problems('body_weight', 200_000, 'g')).toEqual([])
    expect(problems('body_weight', 200, 'g')).toHaveLength(1)
  })

  it('leaves a unit it cannot convert, and a concept the dictionary does not know, to the other checks', () => {
    expect(problems('body_weight', 1e23, 'mL')).toEqual([])
    expect(problems('body_weight', 1e23, 'not a unit')).toEqual([])
    expect(problems('egfr', 1e6, 'mL/min')).toEqual([])
    expect(problems('urine_albumin_creatinine_ratio', -5, 'mg/g')).toEqual([])
  })

  it('finds the concept by LOINC code too', () => {
    const record = { measurements: [{ loinc: '29463-7', value: -70, unit: 'kg', date: '2026-01-10' }] }
    expect(validateAgainstSchema('patient', record, undefined)).toEqual([
      expect.objectContaining({ code: 'E_IMPLAUSIBLE_VALUE', path: 'measurements[0].value' }),
    ])
  })

  it('uses a score concept’s own range from the dictionary', () => {
    expect(problems('physician_global_assessment', 3, '{score}')).toEqual([])
    expect(problems('physician_global_assessment', 4, '{score}')).toEqual([expect.objectContaining({ expected: 'between 0 and 3 {score}' })])
  })

  it('reports impossible values beside schema errors, located in the YAML source', () => {
    const text = [
      'id: p',
      'birth_date: "1990-01-01"',
      'measurements:',
      '  - { concept: body_weight, value: 1e23, unit: kg, date: "2026-01-10" }',
      '  - { concept: egfr, value: fast, unit: "mL/min/{1.73_m2}", date: "2026-01-10" }',
      '',
    ].join('\n')
    const parsed = parseYamlText(text, 'p.yaml')
    const diagnostics = validateAgainstSchema('patient', parsed.value, { ...parsed, file: 'p.yaml' })
    expect(diagnostics.map(d => [d.code, d.path, d.file, d.line, d.column])).toEqual([
      ['E_IMPLAUSIBLE_VALUE', 'measurements[0].value', 'p.yaml', 4, 36],
      ['E_SCHEMA_TYPE', 'measurements[1].value', 'p.yaml', 5, 29],
    ])
  })

  it('checks subject records and the records in an examples document', () => {
    expect(validateAgainstSchema('subject', { id: 'S-1', ...measured('platelets', -1, '10*9/L') }, undefined)).toEqual([
      expect.objectContaining({ path: 'measurements[0].value' }),
    ])
    const examples = {
      protocol: 'X',
      base_patient: measured('hemoglobin', 99, 'g/dL'),
      examples: [{ id: 'a', description: 'd', expect: { overall: 'eligible' }, patch: measured('heart_rate', -3, '/min') }],
    }
    expect(validateAgainstSchema('examples', examples, undefined).map(d => d.path)).toEqual([
      'base_patient.measurements[0].value',
      'examples[0].patch.measurements[0].value',
    ])
  })

  it('never throws on a record of the wrong shape', () => {
    for (const value of [null, 3, 'x', [], { measurements: 'x' }, { measurements: [null, 1, { concept: 7 }] }, { birth_date: 5, dates: [] }]) {
      expect(() => implausibleValues(value)).not.toThrow()
    }
  })
})

describe('dates and age', () => {
  const at = (birth: string, date: string) => validateAgainstSchema('patient', { birth_date: birth, dates: { screening: date } }, undefined)

  it('refuses a date before birth, and accepts the birth date itself', () => {
    expect(at('2000-05-10', '2000-05-10')).toEqual([])
    expect(at('2000-05-10', '2000-05-09')).toEqual([expect.objectContaining({ code: 'E_IMPLAUSIBLE_VALUE', path: 'dates.screening', found: '2000-05-09' })])
  })

  it(`refuses an age over ${MAX_AGE_YEARS} years at a recorded date`, () => {
    expect(at('1896-01-01', '2026-12-31')).toEqual([])
    expect(at('1895-01-01', '2026-01-01')).toEqual([expect.objectContaining({ path: 'dates.screening', found: 'age 131 years' })])
    const record = { birth_date: '1990-01-01', measurements: [{ concept: 'body_weight', value: 70, unit: 'kg', date: '1989-12-31' }] }
    expect(validateAgainstSchema('patient', record, undefined)).toEqual([expect.objectContaining({ path: 'measurements[0].date' })])
  })
})

describe('shipped example patients', () => {
  it('every example patient and subject of the shipped protocols has only possible values', () => {
    for (const p of shippedProtocols()) {
      for (const ex of p.examples?.examples ?? []) {
        expect(validateAgainstSchema('patient', examplePatient(p.examples!, ex.id), undefined), `${p.file} ${ex.id}`).toEqual([])
      }
      for (const s of p.examples?.subjects ?? []) {
        expect(validateAgainstSchema('subject', exampleSubject(p.examples!, s.id), undefined), `${p.file} ${s.id}`).toEqual([])
      }
    }
  })
})
