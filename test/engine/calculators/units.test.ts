import { describe, expect, it } from 'vitest'
import { canConvert, convertQuantity, isValidUnit, roundSignificant } from '../../../engine/calculators/index.ts'
import { resolveLabConcept } from '../../../engine/dictionary/index.ts'
import type { LabConcept } from '../../../engine/dictionary/index.ts'

function concept(id: string): LabConcept {
  const c = resolveLabConcept(id)
  if (!c) throw new Error(`no lab concept ${id}`)
  return c
}

function value(r: ReturnType<typeof convertQuantity>): number {
  if (!r.ok) throw new Error(r.reason)
  return r.value
}

const creatinine = concept('serum_creatinine')
const upcr = concept('urine_protein_creatinine_ratio')

describe('serum creatinine mg/dL <-> umol/L (KDIGO: 1 mg/dL = 88.4 umol/L)', () => {
  it('1 mg/dL is 88.4 umol/L within 0.01', () => {
    expect(value(convertQuantity(1, 'mg/dL', 'umol/L', creatinine))).toBeCloseTo(88.4, 2)
  })
  it('88.4 umol/L is 1 mg/dL within 0.001', () => {
    expect(value(convertQuantity(88.4, 'umol/L', 'mg/dL', creatinine))).toBeCloseTo(1, 3)
  })
  it('round-trips', () => {
    const umol = value(convertQuantity(1.2, 'mg/dL', 'umol/L', creatinine))
    expect(value(convertQuantity(umol, 'umol/L', 'mg/dL', creatinine))).toBe(1.2)
  })
  it('needs the molar mass: without a concept it fails', () => {
    const r = convertQuantity(1, 'mg/dL', 'umol/L')
    expect(r.ok).toBe(false)
  })
})

describe('urine protein/creatinine ratio', () => {
  it.each([
    { v: 1, from: 'g/g', to: 'mg/g', want: 1000 },
    { v: 1, from: 'g/g', to: 'mg/mg', want: 1 },
    { v: 500, from: 'mg/g', to: 'g/g', want: 0.5 },
    { v: 0.5, from: 'mg/mg', to: 'mg/g', want: 500 },
  ])('$v $from -> $want $to', ({ v, from, to, want }) => {
    expect(value(convertQuantity(v, from, to, upcr))).toBe(want)
  })

  it('1 g/g = 113.1 mg/mmol (creatinine 113.12 g/mol)', () => {
    expect(value(convertQuantity(1, 'g/g', 'mg/mmol', upcr))).toBeCloseTo(113.1, 1)
  })
  it('0.5 g/g = 56.6 mg/mmol', () => {
    expect(value(convertQuantity(0.5, 'g/g', 'mg/mmol', upcr))).toBeCloseTo(56.6, 1)
  })
  it('113.12 mg/mmol is exactly 1 g/g (no 1.0000000000000002 crossing a <= 1 threshold)', () => {
    const r = convertQuantity(113.12, 'mg/mmol', 'g/g', upcr)
    expect(r).toEqual({ ok: true, value: 1 })
    expect(value(r) <= 1).toBe(true)
  })
  it('50 mg/mmol is below 0.5 g/g (KDIGO rounding is not exact)', () => {
    expect(value(convertQuantity(50, 'mg/mmol', 'g/g', upcr))).toBeLessThan(0.5)
  })
  it('mg/mg -> mg/mmol uses the denominator molar mass', () => {
    expect(value(convertQuantity(1, 'mg/mg', 'mg/mmol', upcr))).toBeCloseTo(113.12, 6)
  })
})

describe('24-hour urine protein', () => {
  it.each([
    { v: 500, from: 'mg/(24.h)', to: 'g/(24.h)', want: 0.5 },
    { v: 1, from: 'g/d', to: 'g/(24.h)', want: 1 },
    { v: 0.7, from: 'g/(24.h)', to: 'mg/d', want: 700 },
  ])('$v $from -> $want $to', ({ v, from, to, want }) => {
    expect(value(convertQuantity(v, from, to))).toBe(want)
  })
})

describe('other lab units', () => {
  it('body temperature 100.4 [degF] = 38.0 Cel (CTCAE fever G1 boundary)', () => {
    expect(value(convertQuantity(100.4, '[degF]', 'Cel'))).toBe(38)
  })
  it('platelets 150 10*3/uL = 150 10*9/L', () => {
    expect(value(convertQuantity(150, '10*3/uL', '10*9/L'))).toBe(150)
  })
  it('haemoglobin 10 g/dL is 6.2 mmol/L (CTCAE v5.0)', () => {
    expect(value(convertQuantity(10, 'g/dL', 'mmol/L', concept('hemoglobin')))).toBeCloseTo(6.2, 1)
  })
  it('eGFR keeps its annotation', () => {
    expect(value(convertQuantity(60, 'mL/min/{1.73_m2}', 'mL/s/{1.73_m2}'))).toBe(1)
  })
  it('an arbitrary unit converts only to itself', () => {
    expect(convertQuantity(30, '[IU]/mL', '[IU]/mL')).toEqual({ ok: true, value: 30 })
    expect(convertQuantity(30, '[IU]/mL', '[IU]/L').ok).toBe(false)
  })
  it('scores convert to themselves', () => {
    expect(convertQuantity(4, '{score}', '{score}')).toEqual({ ok: true, value: 4 })
  })
})

describe('failures', () => {
  it('invalid unit', () => {
    const r = convertQuantity(1, 'milligrams', 'mg')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason).toMatch(/milligrams/)
  })
  it('inconvertible units (g/L -> mL)', () => {
    const r = convertQuantity(1, 'g/L', 'mL')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason).toMatch(/g\/L.*mL/)
  })
  it('non-finite value', () => {
    expect(convertQuantity(Number.NaN, 'mg', 'g').ok).toBe(false)
  })
  it('same invalid unit on both sides is still invalid', () => {
    expect(convertQuantity(1, 'foo', 'foo').ok).toBe(false)
  })
})

describe('canConvert / isValidUnit', () => {
  it.each([
    { from: 'mg/dL', to: 'umol/L', c: creatinine, want: true },
    { from: 'mg/dL', to: 'umol/L', c: undefined, want: false },
    { from: 'g/g', to: 'mg/mmol', c: upcr, want: true },
    { from: 'g/L', to: 'mL', c: undefined, want: false },
    { from: 'g/(24.h)', to: 'g/g', c: undefined, want: false }, // 24-h protein is not a ratio
  ])('$from -> $to: $want', ({ from, to, c, want }) => {
    expect(canConvert(from, to, c)).toBe(want)
  })

  it.each([
    { unit: 'mg/dL', want: true },
    { unit: 'umol/L', want: true },
    { unit: 'mL/min/{1.73_m2}', want: true },
    { unit: 'g/(24.h)', want: true },
    { unit: '10*9/L', want: true },
    { unit: '/[HPF]', want: true },
    { unit: '[IU]/mL', want: true },
    { unit: 'mg per dL', want: false },
    { unit: '', want: false },
  ])('isValidUnit($unit) = $want', ({ unit, want }) => {
    expect(isValidUnit(unit)).toBe(want)
  })
})

describe('roundSignificant', () => {
  it.each([
    { v: 1.0000000000000002, want: 1 },
    { v: 0.49999999999999994, want: 0.5 },
    { v: 113.11999999999999, want: 113.12 },
    { v: 0.123456789012, want: 0.123456789 },
    { v: 0, want: 0 },
  ])('$v -> $want', ({ v, want }) => {
    expect(roundSignificant(v, 10)).toBe(want)
  })
})

describe('proportional conversions are remembered as a factor', () => {
  // the factor path must give what ucum-lhc gives value by value, rounded the same way
  const ucumDirect = async (value: number, from: string, to: string, mw?: number) => {
    const ucum = (await import('@lhncbc/ucum-lhc')).default
    const r = ucum.UcumLhcUtils.getInstance().convertUnitTo(from, value, to, mw === undefined ? {} : { molecularWeight: mw })
    return roundSignificant(r.toVal as number, 10)
  }
  const creatinine = resolveLabConcept('serum_creatinine')
  const upcr = resolveLabConcept('urine_protein_creatinine_ratio')
  it.each([
    [0.5, 'mg/dL', 'umol/L', creatinine],
    [1.0000001, 'mg/dL', 'umol/L', creatinine],
    [88.4, 'umol/L', 'mg/dL', creatinine],
    [113.12, 'mg/mmol', 'g/g', upcr],
    [0.037, 'g/L', 'mg/dL', undefined],
    [12345.678, 'mg/g', 'g/g', upcr],
  ])('%s %s -> %s equals ucum-lhc value by value', async (value, from, to, concept) => {
    const mw = concept?.molar_mass_g_per_mol ?? concept?.denominator_molar_mass_g_per_mol
    for (const v of [value, value * 3, value / 7]) {
      const r = convertQuantity(v, from, to, concept)
      expect(r.ok && r.value).toBe(await ucumDirect(v, from, to, mw))
    }
  })
  it('a conversion with an offset (Celsius to Fahrenheit) is not a proportion and stays exact', () => {
    // 0 °C = 32 °F and 100 °C = 212 °F: a factor would give 0 and 180
    expect(convertQuantity(0, 'Cel', '[degF]')).toEqual({ ok: true, value: 32 })
    expect(convertQuantity(100, 'Cel', '[degF]')).toEqual({ ok: true, value: 212 })
    expect(convertQuantity(37, 'Cel', '[degF]')).toEqual({ ok: true, value: 98.6 })
  })
  it('a pair that cannot convert keeps failing with its reason after being tried', () => {
    for (let i = 0; i < 2; i++) expect(convertQuantity(1, 'g/L', 'mL').ok).toBe(false)
  })
})

describe('annotations (UCUM ignores them; they say what is measured)', () => {
  it('an eGFR per 1.73 m² is not an absolute clearance: mL/min does not convert to mL/min/{1.73_m2}, nor back', () => {
    const to = convertQuantity(75, 'mL/min', 'mL/min/{1.73_m2}')
    expect(to.ok).toBe(false)
    if (!to.ok) expect(to.reason).toMatch(/annotations/)
    expect(convertQuantity(75, 'mL/min/{1.73_m2}', 'mL/min').ok).toBe(false)
  })

  it('the same annotations convert as their units do', () => {
    expect(convertQuantity(75, 'mL/min/{1.73_m2}', 'mL/min/{1.73_m2}')).toEqual({ ok: true, value: 75 })
    expect(convertQuantity(1.25, 'mL/s/{1.73_m2}', 'mL/min/{1.73_m2}')).toEqual({ ok: true, value: 75 })
  })
})
