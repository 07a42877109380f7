import { describe, expect, it } from 'vitest'
import { EGFR_EQUATION_INFO, egfrMdrd, MDRD_MIN_AGE_YEARS } from '../../../engine/calculators/index.ts'

describe('egfrMdrd (IDMS-traceable 4-variable MDRD, Levey 2006)', () => {
  // Reference values from an independent re-implementation of the published equation.
  it.each([
    { sex: 'male', scr: 1.0, age: 60, black: false, want: 76.22077 }, // 175 × 60^−0.203
    { sex: 'female', scr: 1.5, age: 35, black: false, want: 39.51726 }, // the woman: 39.5 by MDRD
    { sex: 'female', scr: 1.5, age: 35, black: true, want: 47.89492 },
    { sex: 'female', scr: 2.0, age: 70, black: false, want: 24.63193 },
    { sex: 'male', scr: 0.8, age: 25, black: true, want: 142.75555 },
  ] as const)('$sex $age y, Scr $scr, Black $black -> $want', ({ sex, scr, age, black, want }) => {
    expect(egfrMdrd({ creatinineMgDl: scr, ageYears: age, sex, black })).toBeCloseTo(want, 4)
  })

  it('factors: 0.742 female, 1.212 Black, Scr^−1.154, Age^−0.203', () => {
    const base = { creatinineMgDl: 1.2, ageYears: 40, sex: 'male' as const, black: false }
    const v = egfrMdrd(base)
    expect(egfrMdrd({ ...base, sex: 'female' }) / v).toBeCloseTo(0.742, 12)
    expect(egfrMdrd({ ...base, black: true }) / v).toBeCloseTo(1.212, 12)
    expect(egfrMdrd({ ...base, creatinineMgDl: 2.4 }) / v).toBeCloseTo(2 ** -1.154, 12)
    expect(egfrMdrd({ ...base, ageYears: 80 }) / v).toBeCloseTo(2 ** -0.203, 12)
  })

  it.each([
    { age: 17.99, throws: true },
    { age: 18, throws: false },
  ])('age $age throws: $throws', ({ age, throws }) => {
    expect(MDRD_MIN_AGE_YEARS).toBe(18)
    const call = () => egfrMdrd({ creatinineMgDl: 1, ageYears: age, sex: 'female', black: false })
    if (throws) expect(call).toThrow(RangeError)
    else expect(call()).toBeGreaterThan(0)
  })

  it.each([0, -0.5, Number.NaN])('creatinine %s throws', scr => {
    expect(() => egfrMdrd({ creatinineMgDl: scr, ageYears: 50, sex: 'male', black: false })).toThrow(RangeError)
  })

  it('the equation catalogue: each equation names its reported concept and whether it has a race coefficient', () => {
    expect(EGFR_EQUATION_INFO.ckd_epi_2021).toMatchObject({ label: 'CKD-EPI 2021', concept: 'egfr', raceCoefficient: false })
    expect(EGFR_EQUATION_INFO.ckd_epi_2009).toMatchObject({ label: 'CKD-EPI 2009', concept: 'egfr_ckd_epi_2009', raceCoefficient: true })
    expect(EGFR_EQUATION_INFO.mdrd).toMatchObject({ label: 'MDRD', concept: 'egfr_mdrd', raceCoefficient: true })
    const input = { creatinineMgDl: 1.5, ageYears: 35, sex: 'female' as const, black: true }
    // the race-free equation ignores race
    expect(EGFR_EQUATION_INFO.ckd_epi_2021.compute(input)).toBeCloseTo(EGFR_EQUATION_INFO.ckd_epi_2021.compute({ ...input, black: false }), 12)
    expect(EGFR_EQUATION_INFO.mdrd.compute(input)).toBeCloseTo(47.89492, 4)
  })
})
