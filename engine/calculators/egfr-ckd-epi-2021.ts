/**
 * eGFR by the race-free CKD-EPI 2021 creatinine equation.
 */
import { assertCreatinineEquationInput } from './egfr-inputs.ts'

/** Constants of Inker LA et al., N Engl J Med 2021;385:1737-49, doi:10.1056/NEJMoa2102953. */
export const CKD_EPI_2021 = {
  // Leading coefficient, mL/min/1.73 m² (Inker 2021).
  coefficient: 142,
  // κ, mg/dL: 0.7 female, 0.9 male (Inker 2021).
  kappa: { female: 0.7, male: 0.9 },
  // α, exponent of min(Scr/κ, 1): −0.241 female, −0.302 male (Inker 2021).
  alpha: { female: -0.241, male: -0.302 },
  // Exponent of max(Scr/κ, 1) (Inker 2021).
  aboveKneeExponent: -1.2,
  // Per-year age factor (Inker 2021).
  ageBase: 0.9938,
  // Female multiplier (Inker 2021).
  femaleFactor: 1.012,
} as const

/** The equation is for adults "(≥18 y) only" (Inker 2021). */
export const CKD_EPI_2021_MIN_AGE_YEARS = 18

export interface EgfrCkdEpi2021Input {
  /** IDMS-standardised serum creatinine, mg/dL (µmol/L ÷ 88.4 first). */
  creatinineMgDl: number
  /** Age in years at the sample date. */
  ageYears: number
  sex: 'female' | 'male'
}

/**
 * Estimated GFR (mL/min/1.73 m²), CKD-EPI 2021 creatinine equation without
 * a race term (Inker 2021):
 * `142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^Age × 1.012 [female]`.
 * Returned unrounded; round for display only, after any comparison the
 * protocol makes.
 *
 * Throws rather than returning `undefined` because every input is required
 * and an out-of-range one is a caller bug: check age and creatinine first.
 *
 * @param input creatinine (mg/dL), age (years), sex
 * @throws RangeError when age < 18 (the equation is not validated in children), or an input is not a finite positive number
 * @example Math.round(egfrCkdEpi2021({ creatinineMgDl: 1.2, ageYears: 55, sex: 'male' })) // 71
 */
export function egfrCkdEpi2021({ creatinineMgDl, ageYears, sex }: EgfrCkdEpi2021Input): number {
  assertCreatinineEquationInput('CKD-EPI 2021', { creatinineMgDl, ageYears, sex }, CKD_EPI_2021_MIN_AGE_YEARS)
  const k = CKD_EPI_2021
  const ratio = creatinineMgDl / k.kappa[sex]
  return (
    k.coefficient *
    Math.min(ratio, 1) ** k.alpha[sex] *
    Math.max(ratio, 1) ** k.aboveKneeExponent *
    k.ageBase ** ageYears *
    (sex === 'female' ? k.femaleFactor : 1)
  )
}
