/**
 * eGFR by the 4-variable MDRD Study equation re-expressed for IDMS-traceable
 * creatinine (leading coefficient 175), with its race coefficient.
 */
import { assertCreatinineEquationInput } from './egfr-inputs.ts'

/** Constants of Levey AS et al., Ann Intern Med 2006;145:247-54 and Clin Chem 2007;53:766-72 (IDMS-traceable re-expression). */
export const MDRD_IDMS = {
  // Leading coefficient for IDMS-traceable creatinine, mL/min/1.73 m² (Levey 2006/2007; 186 before re-expression).
  coefficient: 175,
  // Exponent of serum creatinine in mg/dL (Levey 2006).
  creatinineExponent: -1.154,
  // Exponent of age in years (Levey 2006).
  ageExponent: -0.203,
  // Female multiplier (Levey 2006).
  femaleFactor: 0.742,
  // Race multiplier for Black patients (Levey 2006).
  blackFactor: 1.212,
} as const

/** The race coefficient (Levey 2006): a value for a Black patient is 1.212 × the value for one who is not. */
export const MDRD_BLACK_FACTOR = MDRD_IDMS.blackFactor

/** The MDRD Study enrolled adults (Levey 2006: 18 to 70 years); children are out of its range. */
export const MDRD_MIN_AGE_YEARS = 18

export interface EgfrMdrdInput {
  /** IDMS-standardised serum creatinine, mg/dL (µmol/L ÷ 88.4 first). */
  creatinineMgDl: number
  /** Age in years at the sample date. */
  ageYears: number
  sex: 'female' | 'male'
  /** Whether the patient is Black: the equation's race coefficient. */
  black: boolean
}

/**
 * Estimated GFR (mL/min/1.73 m²), IDMS-traceable 4-variable MDRD equation
 * (Levey 2006): `175 × Scr^−1.154 × Age^−0.203 × 0.742 [female] × 1.212 [Black]`.
 * Returned unrounded; round for display only.
 *
 * @param input creatinine (mg/dL), age (years), sex, whether Black
 * @throws RangeError when age < 18, or an input is not a finite positive number
 * @example Math.round(egfrMdrd({ creatinineMgDl: 1.5, ageYears: 35, sex: 'female', black: false }) * 10) / 10 // 39.5
 */
export function egfrMdrd({ creatinineMgDl, ageYears, sex, black }: EgfrMdrdInput): number {
  assertCreatinineEquationInput('the MDRD equation', { creatinineMgDl, ageYears, sex, black }, MDRD_MIN_AGE_YEARS, true)
  const k = MDRD_IDMS
  return (
    k.coefficient * creatinineMgDl ** k.creatinineExponent * ageYears ** k.ageExponent * (sex === 'female' ? k.femaleFactor : 1) * (black ? k.blackFactor : 1)
  )
}
