/**
 * The creatinine eGFR equations a protocol can name (`equation:` on an eGFR
 * leaf): one home for their names, the dictionary concept that holds values a
 * lab reported by each, and how each is computed from serum creatinine.
 * The names and concepts are data in egfr-catalogue.ts, which the web's
 * forms import too.
 */
import type { EgfrEquation } from '../types.ts'
import { EGFR_EQUATION_NAMES, type EgfrEquationName } from './egfr-catalogue.ts'
import { CKD_EPI_2021_MIN_AGE_YEARS, egfrCkdEpi2021 } from './egfr-ckd-epi-2021.ts'
import { CKD_EPI_2009_BLACK_FACTOR, CKD_EPI_2009_MIN_AGE_YEARS, egfrCkdEpi2009 } from './egfr-ckd-epi-2009.ts'
import { egfrMdrd, MDRD_BLACK_FACTOR, MDRD_MIN_AGE_YEARS } from './egfr-mdrd.ts'

export { DEFAULT_EGFR_EQUATION, EGFR_CONCEPT, EGFR_EQUATIONS, isEgfrEquation } from './egfr-catalogue.ts'

export interface EgfrComputeInput {
  creatinineMgDl: number
  ageYears: number
  sex: 'female' | 'male'
  /** Whether the patient is Black; only equations with a race coefficient read it. */
  black: boolean
}

export interface EgfrEquationInfo extends EgfrEquationName {
  /** The race coefficient: the value for a Black patient over the value for one who is not. */
  blackFactor?: number
  /** Youngest age (years) the equation applies to. */
  minAge: number
  compute(input: EgfrComputeInput): number
}

export const EGFR_EQUATION_INFO: Readonly<Record<EgfrEquation, EgfrEquationInfo>> = {
  ckd_epi_2021: {
    ...EGFR_EQUATION_NAMES.ckd_epi_2021,
    minAge: CKD_EPI_2021_MIN_AGE_YEARS,
    compute: ({ creatinineMgDl, ageYears, sex }) => egfrCkdEpi2021({ creatinineMgDl, ageYears, sex }),
  },
  ckd_epi_2009: {
    ...EGFR_EQUATION_NAMES.ckd_epi_2009,
    blackFactor: CKD_EPI_2009_BLACK_FACTOR,
    minAge: CKD_EPI_2009_MIN_AGE_YEARS,
    compute: egfrCkdEpi2009,
  },
  mdrd: {
    ...EGFR_EQUATION_NAMES.mdrd,
    blackFactor: MDRD_BLACK_FACTOR,
    minAge: MDRD_MIN_AGE_YEARS,
    compute: egfrMdrd,
  },
}

/**
 * LOINC codes whose value a lab computed for one race (true: for a Black
 * patient), as labs reported the race-coefficient equations before 2021; the
 * value applies to the patient only by their race. LOINC 48643-1 / 48642-3
 * "GFR/1.73 sq M.predicted among blacks / among non-blacks ... by
 * Creatinine-based formula (MDRD)"; 88293-6 / 88294-4 the same "(CKD-EPI)"
 * (loinc.org, verify).
 */
export const EGFR_RACE_SPECIFIC_LOINC: Readonly<Record<string, boolean>> = {
  '48643-1': true,
  '48642-3': false,
  '88293-6': true,
  '88294-4': false,
}
