/**
 * The creatinine eGFR equations a protocol can name (`equation:` on an eGFR
 * leaf): one home for their names, the dictionary concept that holds values a
 * lab reported by each, and how each is computed from serum creatinine.
 */
import type { EgfrEquation } from '../types.ts'
import { CKD_EPI_2021_MIN_AGE_YEARS, egfrCkdEpi2021 } from './egfr-ckd-epi-2021.ts'
import { CKD_EPI_2009_BLACK_FACTOR, CKD_EPI_2009_MIN_AGE_YEARS, egfrCkdEpi2009 } from './egfr-ckd-epi-2009.ts'
import { egfrMdrd, MDRD_BLACK_FACTOR, MDRD_MIN_AGE_YEARS } from './egfr-mdrd.ts'

/** Every equation, in the order a value reported by another equation is preferred (the CKD-EPI family first). */
export const EGFR_EQUATIONS: readonly EgfrEquation[] = ['ckd_epi_2021', 'ckd_epi_2009', 'mdrd']

/** A leaf that names no equation reads the race-free equation (Inker 2021), recommended by the NKF-ASN Task Force (Delgado C et al., Am J Kidney Dis 2022;79:268-88). */
export const DEFAULT_EGFR_EQUATION: EgfrEquation = 'ckd_epi_2021'

/** The lab concept an `equation` applies to: eGFR as a protocol means it, by the protocol's equation. */
export const EGFR_CONCEPT = 'egfr'

export interface EgfrComputeInput {
  creatinineMgDl: number
  ageYears: number
  sex: 'female' | 'male'
  /** Whether the patient is Black; only equations with a race coefficient read it. */
  black: boolean
}

export interface EgfrEquationInfo {
  /** How explanations name it ("CKD-EPI 2009"). */
  label: string
  /** The lab concept whose recorded values were reported by this equation (LOINC codes in lab-concepts.json). */
  concept: string
  /** The equation has a race coefficient: computing it needs whether the patient is Black. */
  raceCoefficient: boolean
  /** That coefficient: the value for a Black patient over the value for one who is not. */
  blackFactor?: number
  /** Youngest age (years) the equation applies to. */
  minAge: number
  compute(input: EgfrComputeInput): number
}

export const EGFR_EQUATION_INFO: Readonly<Record<EgfrEquation, EgfrEquationInfo>> = {
  ckd_epi_2021: {
    label: 'CKD-EPI 2021',
    concept: 'egfr',
    raceCoefficient: false,
    minAge: CKD_EPI_2021_MIN_AGE_YEARS,
    compute: ({ creatinineMgDl, ageYears, sex }) => egfrCkdEpi2021({ creatinineMgDl, ageYears, sex }),
  },
  ckd_epi_2009: {
    label: 'CKD-EPI 2009',
    concept: 'egfr_ckd_epi_2009',
    raceCoefficient: true,
    blackFactor: CKD_EPI_2009_BLACK_FACTOR,
    minAge: CKD_EPI_2009_MIN_AGE_YEARS,
    compute: egfrCkdEpi2009,
  },
  mdrd: {
    label: 'MDRD',
    concept: 'egfr_mdrd',
    raceCoefficient: true,
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

/** Whether a string names an equation (`ckd_epi_2009`). */
export function isEgfrEquation(x: unknown): x is EgfrEquation {
  return typeof x === 'string' && (EGFR_EQUATIONS as readonly string[]).includes(x)
}
