/**
 * The creatinine eGFR equations a protocol can name (`equation:` on an eGFR
 * leaf) as data: their names, the lab concept holding values a lab reported
 * by each, and which have a race coefficient. The computations live in
 * egfr-equations.ts; this part is pure, importing only types, so the patient
 * and visit forms import it too (test/web/boundaries.test.ts WEB_SHARED)
 * instead of keeping a copy.
 */
import type { EgfrEquation } from '../types.ts'

/** Every equation, in the order a value reported by another equation is preferred (the CKD-EPI family first). */
export const EGFR_EQUATIONS: readonly EgfrEquation[] = ['ckd_epi_2021', 'ckd_epi_2009', 'mdrd']

/** A leaf that names no equation reads the race-free equation (Inker 2021), recommended by the NKF-ASN Task Force (Delgado C et al., Am J Kidney Dis 2022;79:268-88). */
export const DEFAULT_EGFR_EQUATION: EgfrEquation = 'ckd_epi_2021'

/** The lab concept an `equation` applies to: eGFR as a protocol means it, by the protocol's equation. */
export const EGFR_CONCEPT = 'egfr'

export interface EgfrEquationName {
  /** How explanations name it ("CKD-EPI 2009"). */
  label: string
  /** The lab concept whose recorded values were reported by this equation (LOINC codes in lab-concepts.json). */
  concept: string
  /** The equation has a race coefficient: computing it needs whether the patient is Black (CKD-EPI 2009: Levey 2009; MDRD: Levey 2006). */
  raceCoefficient: boolean
}

export const EGFR_EQUATION_NAMES: Readonly<Record<EgfrEquation, EgfrEquationName>> = {
  ckd_epi_2021: { label: 'CKD-EPI 2021', concept: 'egfr', raceCoefficient: false },
  ckd_epi_2009: { label: 'CKD-EPI 2009', concept: 'egfr_ckd_epi_2009', raceCoefficient: true },
  mdrd: { label: 'MDRD', concept: 'egfr_mdrd', raceCoefficient: true },
}

/** Whether a string names an equation (`ckd_epi_2009`). */
export function isEgfrEquation(x: unknown): x is EgfrEquation {
  return typeof x === 'string' && (EGFR_EQUATIONS as readonly string[]).includes(x)
}

/**
 * The lab concept an eGFR leaf reading `equation` is entered as ("egfr_mdrd"),
 * so the engine knows which equation reported it; `egfr` for a name that is
 * no equation.
 */
export function egfrConceptOf(equation: unknown): string {
  return isEgfrEquation(equation) ? EGFR_EQUATION_NAMES[equation].concept : EGFR_CONCEPT
}

/** Whether computing `equation` needs to know whether the patient is Black. */
export function needsRace(equation: unknown): boolean {
  return isEgfrEquation(equation) && EGFR_EQUATION_NAMES[equation].raceCoefficient
}
