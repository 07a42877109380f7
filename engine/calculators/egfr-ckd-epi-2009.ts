/**
 * eGFR by the CKD-EPI 2009 creatinine equation (with its race coefficient),
 * the equation of trials run before the race-free 2021 refit.
 */
import { assertCreatinineEquationInput } from './egfr-inputs.ts'

/** Constants of Levey AS et al., Ann Intern Med 2009;150:604-12, doi:10.7326/0003-4819-150-9-200905050-00006. */
export const CKD_EPI_2009 = {
  // Leading coefficient, mL/min/1.73 m² (Levey 2009, Table 2).
  coefficient: 141,
  // κ, mg/dL: 0.7 female, 0.9 male (Levey 2009).
  kappa: { female: 0.7, male: 0.9 },
  // α, exponent of min(Scr/κ, 1): −0.329 female, −0.411 male (Levey 2009).
  alpha: { female: -0.329, male: -0.411 },
  // Exponent of max(Scr/κ, 1) (Levey 2009).
  aboveKneeExponent: -1.209,
  // Per-year age factor (Levey 2009).
  ageBase: 0.993,
  // Female multiplier (Levey 2009).
  femaleFactor: 1.018,
  // Race multiplier for Black patients (Levey 2009).
  blackFactor: 1.159,
} as const

/** The race coefficient (Levey 2009): a value for a Black patient is 1.159 × the value for one who is not. */
export const CKD_EPI_2009_BLACK_FACTOR = CKD_EPI_2009.blackFactor

/** Developed and validated in adults (Levey 2009: participants aged 18 years or older). */
export const CKD_EPI_2009_MIN_AGE_YEARS = 18

export interface EgfrCkdEpi2009Input {
  /** IDMS-standardised serum creatinine, mg/dL (µmol/L ÷ 88.4 first). */
  creatinineMgDl: number
  /** Age in years at the sample date. */
  ageYears: number
  sex: 'female' | 'male'
  /** Whether the patient is Black: the equation's race coefficient. */
  black: boolean
}

/**
 * Estimated GFR (mL/min/1.73 m²), CKD-EPI 2009 creatinine equation (Levey 2009):
 * `141 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.209 × 0.993^Age × 1.018 [female] × 1.159 [Black]`.
 * Returned unrounded; round for display only.
 *
 * @param input creatinine (mg/dL), age (years), sex, whether Black
 * @throws RangeError when age < 18, or an input is not a finite positive number
 * @example Math.round(egfrCkdEpi2009({ creatinineMgDl: 1.5, ageYears: 35, sex: 'female', black: false }) * 10) / 10 // 44.7
 */
export function egfrCkdEpi2009({ creatinineMgDl, ageYears, sex, black }: EgfrCkdEpi2009Input): number {
  assertCreatinineEquationInput('CKD-EPI 2009', { creatinineMgDl, ageYears, sex, black }, CKD_EPI_2009_MIN_AGE_YEARS, true)
  const k = CKD_EPI_2009
  const ratio = creatinineMgDl / k.kappa[sex]
  return (
    k.coefficient *
    Math.min(ratio, 1) ** k.alpha[sex] *
    Math.max(ratio, 1) ** k.aboveKneeExponent *
    k.ageBase ** ageYears *
    (sex === 'female' ? k.femaleFactor : 1) *
    (black ? k.blackFactor : 1)
  )
}
