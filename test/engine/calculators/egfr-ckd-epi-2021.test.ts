import { describe, expect, it } from 'vitest'
import { CKD_EPI_2021_MIN_AGE_YEARS, egfrCkdEpi2021 } from '../../../engine/calculators/index.ts'

describe('egfrCkdEpi2021 (Inker 2021)', () => {
  it('test vector: male, 55 y, Scr 1.2 mg/dL -> 71', () => {
    const egfr = egfrCkdEpi2021({ creatinineMgDl: 1.2, ageYears: 55, sex: 'male' })
    expect(Math.round(egfr)).toBe(71)
    expect(egfr).toBeCloseTo(71.4178, 4)
  })

  // Reference values from an independent re-implementation of the published equation.
  it.each([
    { sex: 'female', scr: 0.69, age: 40, want: 112.44355 }, // below the female knee (κ 0.7): α = −0.241
    { sex: 'female', scr: 0.7, age: 40, want: 112.05431 }, // at the knee: 142 × 0.9938^40 × 1.012
    { sex: 'female', scr: 0.71, age: 40, want: 110.16311 }, // above the knee: exponent −1.200
    { sex: 'male', scr: 0.89, age: 40, want: 111.09986 }, // below the male knee (κ 0.9): α = −0.302
    { sex: 'male', scr: 0.9, age: 40, want: 110.7256 }, // at the knee: 142 × 0.9938^40
    { sex: 'male', scr: 0.91, age: 40, want: 109.26709 }, // above the knee
    { sex: 'female', scr: 0.9, age: 40, want: 82.88104 }, // same Scr, female κ: above her knee
    { sex: 'female', scr: 2.0, age: 70, want: 26.38032 },
    { sex: 'female', scr: 0.5, age: 30, want: 129.31696 },
  ] as const)('$sex $age y, Scr $scr -> $want', ({ sex, scr, age, want }) => {
    expect(egfrCkdEpi2021({ creatinineMgDl: scr, ageYears: age, sex })).toBeCloseTo(want, 4)
  })

  it.each([
    { sex: 'female', kappa: 0.7, alpha: -0.241 },
    { sex: 'male', kappa: 0.9, alpha: -0.302 },
  ] as const)('$sex: α applies below κ = $kappa, −1.200 above, continuous at κ', ({ sex, kappa, alpha }) => {
    const at = egfrCkdEpi2021({ creatinineMgDl: kappa, ageYears: 50, sex })
    const below = egfrCkdEpi2021({ creatinineMgDl: kappa - 0.01, ageYears: 50, sex })
    const above = egfrCkdEpi2021({ creatinineMgDl: kappa + 0.01, ageYears: 50, sex })
    expect(below / at).toBeCloseTo(((kappa - 0.01) / kappa) ** alpha, 12)
    expect(above / at).toBeCloseTo(((kappa + 0.01) / kappa) ** -1.2, 12)
  })

  it('female factor 1.012 at the same Scr/κ', () => {
    const f = egfrCkdEpi2021({ creatinineMgDl: 0.7, ageYears: 50, sex: 'female' })
    const m = egfrCkdEpi2021({ creatinineMgDl: 0.9, ageYears: 50, sex: 'male' })
    expect(f / m).toBeCloseTo(1.012, 12)
  })

  it.each([
    { age: 17.99, throws: true }, // just under 18: not an adult
    { age: 18, throws: false }, // 18 is an adult
    { age: 17, throws: true },
    { age: Number.NaN, throws: true },
  ])('age $age throws: $throws', ({ age, throws }) => {
    expect(CKD_EPI_2021_MIN_AGE_YEARS).toBe(18)
    const call = () => egfrCkdEpi2021({ creatinineMgDl: 1, ageYears: age, sex: 'female' })
    if (throws) expect(call).toThrow(RangeError)
    else expect(call()).toBeCloseTo(83.74683, 4)
  })

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('creatinine %s throws', scr => {
    expect(() => egfrCkdEpi2021({ creatinineMgDl: scr, ageYears: 50, sex: 'male' })).toThrow(RangeError)
  })
})
