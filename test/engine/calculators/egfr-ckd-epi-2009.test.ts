import { describe, expect, it } from 'vitest'
import { CKD_EPI_2009_MIN_AGE_YEARS, egfrCkdEpi2009, egfrCkdEpi2021 } from '../../../engine/calculators/index.ts'

describe('egfrCkdEpi2009 (Levey 2009)', () => {
  it("the issue's case: non-Black woman, 35 y, Scr 1.5 mg/dL -> 44.7 by 2009 against 46.3 by 2021", () => {
    const v2009 = egfrCkdEpi2009({ creatinineMgDl: 1.5, ageYears: 35, sex: 'female', black: false })
    const v2021 = egfrCkdEpi2021({ creatinineMgDl: 1.5, ageYears: 35, sex: 'female' })
    expect(Math.round(v2009 * 10) / 10).toBe(44.7)
    expect(Math.round(v2021 * 10) / 10).toBe(46.3)
    // AURORA 1 excludes eGFR ≤ 45: the equation decides
    expect(v2009 <= 45).toBe(true)
    expect(v2021 <= 45).toBe(false)
  })

  // Reference values from an independent re-implementation of the published equation.
  it.each([
    { sex: 'female', scr: 0.69, age: 40, black: false, want: 108.89119 }, // below the female knee (κ 0.7): α = −0.329
    { sex: 'female', scr: 0.7, age: 40, black: false, want: 108.37693 }, // at the knee: 141 × 0.993^40 × 1.018
    { sex: 'female', scr: 0.71, age: 40, black: false, want: 106.53419 }, // above the knee: exponent −1.209
    { sex: 'male', scr: 0.89, age: 40, black: false, want: 106.95065 }, // below the male knee (κ 0.9): α = −0.411
    { sex: 'male', scr: 0.9, age: 40, black: false, want: 106.46064 },
    { sex: 'male', scr: 0.91, age: 40, black: false, want: 105.04786 },
    { sex: 'male', scr: 1.2, age: 55, black: false, want: 67.66699 },
    { sex: 'male', scr: 1.2, age: 55, black: true, want: 78.42604 },
    { sex: 'female', scr: 2.0, age: 70, black: true, want: 28.59407 },
  ] as const)('$sex $age y, Scr $scr, Black $black -> $want', ({ sex, scr, age, black, want }) => {
    expect(egfrCkdEpi2009({ creatinineMgDl: scr, ageYears: age, sex, black })).toBeCloseTo(want, 4)
  })

  it.each([
    { sex: 'female', kappa: 0.7, alpha: -0.329 },
    { sex: 'male', kappa: 0.9, alpha: -0.411 },
  ] as const)('$sex: α applies below κ = $kappa, −1.209 above, continuous at κ', ({ sex, kappa, alpha }) => {
    const at = egfrCkdEpi2009({ creatinineMgDl: kappa, ageYears: 50, sex, black: false })
    const below = egfrCkdEpi2009({ creatinineMgDl: kappa - 0.01, ageYears: 50, sex, black: false })
    const above = egfrCkdEpi2009({ creatinineMgDl: kappa + 0.01, ageYears: 50, sex, black: false })
    expect(below / at).toBeCloseTo(((kappa - 0.01) / kappa) ** alpha, 12)
    expect(above / at).toBeCloseTo(((kappa + 0.01) / kappa) ** -1.209, 12)
  })

  it('race factor 1.159, female factor 1.018, age factor 0.993 per year', () => {
    const base = { creatinineMgDl: 1.1, ageYears: 50, sex: 'female' as const }
    expect(egfrCkdEpi2009({ ...base, black: true }) / egfrCkdEpi2009({ ...base, black: false })).toBeCloseTo(1.159, 12)
    const f = egfrCkdEpi2009({ creatinineMgDl: 0.7, ageYears: 50, sex: 'female', black: false })
    const m = egfrCkdEpi2009({ creatinineMgDl: 0.9, ageYears: 50, sex: 'male', black: false })
    expect(f / m).toBeCloseTo(1.018, 12)
    expect(egfrCkdEpi2009({ ...base, ageYears: 51, black: false }) / egfrCkdEpi2009({ ...base, black: false })).toBeCloseTo(0.993, 12)
  })

  it.each([
    { age: 17.99, throws: true },
    { age: 18, throws: false },
    { age: Number.NaN, throws: true },
  ])('age $age throws: $throws', ({ age, throws }) => {
    expect(CKD_EPI_2009_MIN_AGE_YEARS).toBe(18)
    const call = () => egfrCkdEpi2009({ creatinineMgDl: 1, ageYears: age, sex: 'female', black: false })
    if (throws) expect(call).toThrow(RangeError)
    else expect(call()).toBeGreaterThan(0)
  })

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('creatinine %s throws', scr => {
    expect(() => egfrCkdEpi2009({ creatinineMgDl: scr, ageYears: 50, sex: 'male', black: false })).toThrow(RangeError)
  })

  it('race must be given: an unrecorded race is never assumed here', () => {
    expect(() => egfrCkdEpi2009({ creatinineMgDl: 1, ageYears: 50, sex: 'male', black: undefined as unknown as boolean })).toThrow(RangeError)
  })
})
