/**
 * BILAG-2004 system grades: numeric score and new A/B domains versus baseline.
 *
 * Grades are taken as input per system; deriving them from the ~97 items
 * needs the full validated algorithm, which this module does not implement
 * (Isenberg DA et al., Rheumatology 2005;44:902-6).
 */
import { BILAG_SYSTEM_NAMES } from '../types/study.ts'

/** The 9 systems: Isenberg DA et al., Rheumatology 2005;44:902-6; the list lives with the subject-record types. */
export const BILAG_2004_SYSTEMS = BILAG_SYSTEM_NAMES
export type BilagSystem = (typeof BILAG_2004_SYSTEMS)[number]

/** A severe, B moderate, C mild stable, D previously involved now inactive, E never involved (Isenberg 2005). */
export type BilagGrade = 'A' | 'B' | 'C' | 'D' | 'E'

/** Grades per system, for those recorded. */
export type BilagGrades = Partial<Record<BilagSystem, BilagGrade>>

/** Numeric conversion: Yee CS et al., Rheumatology 2010;49:1665-9, doi:10.1093/rheumatology/keq026. */
export const BILAG_2004_NUMERIC: Readonly<Record<BilagGrade, number>> = { A: 12, B: 8, C: 1, D: 0, E: 0 }

/** Highest numeric value of one system (grade A), the most an unrecorded system could add (Yee 2010). */
const MAX_SYSTEM_SCORE = BILAG_2004_NUMERIC.A

/** Bounds of a BILAG-2004 numeric total given possibly unrecorded systems. */
export interface BilagScore {
  /** Sum over recorded systems. */
  min: number
  /** `min` plus 12 per unrecorded system (it could be grade A). */
  max: number
  /** Unrecorded systems, in form order. */
  missing: BilagSystem[]
}

/**
 * Numeric BILAG-2004 total (A=12, B=8, C=1, D=0, E=0 summed over the 9
 * systems, Yee 2010). An unrecorded system could score 0..12, so the total
 * is a range; `min === max` when every system is graded.
 *
 * @param grades system -> grade, for those recorded
 * @example scoreBilag2004({ renal: 'A', haematological: 'B' }) // { min: 20, max: 104, missing: [7 systems] }
 * @example
 * const allE = Object.fromEntries(BILAG_2004_SYSTEMS.map((s) => [s, 'E']))
 * scoreBilag2004({ ...allE, renal: 'A' }) // { min: 12, max: 12, missing: [] }
 */
export function scoreBilag2004(grades: BilagGrades): BilagScore {
  let min = 0
  const missing: BilagSystem[] = []
  for (const system of BILAG_2004_SYSTEMS) {
    const grade = grades[system]
    if (grade === undefined) missing.push(system)
    else min += BILAG_2004_NUMERIC[grade]
  }
  return { min, max: min + missing.length * MAX_SYSTEM_SCORE, missing }
}

/** Systems newly graded A or B at a visit, and those that cannot be decided. */
export interface NewBilagDomains {
  /** A at the visit and not A at baseline. */
  newA: BilagSystem[]
  /** B at the visit and neither A nor B at baseline. */
  newB: BilagSystem[]
  /**
   * Systems that could be new A or new B, depending on a missing grade:
   * visit A or B with baseline unrecorded, or visit unrecorded with
   * baseline not A. A system with baseline A is never new, whatever the visit.
   */
  unknown: BilagSystem[]
}

/**
 * Finds new BILAG A and B domains at a visit versus baseline, as used by
 * the SLE Responder Index (Furie RA et al., Arthritis Rheum 2009;61:1143-51):
 * "new A" = A at the visit and not A at baseline; "new B" = B at the visit
 * and not A or B at baseline. This reading is unverified ("verify per
 * protocol"); a protocol with another definition needs another function.
 *
 * @param baseline grades at baseline
 * @param visit grades at the visit
 * @example newBilagDomains({ renal: 'B', mucocutaneous: 'C' }, { renal: 'A', mucocutaneous: 'B' })
 * // { newA: ['renal'], newB: ['mucocutaneous'], unknown: [7 ungraded systems] }
 * @example newBilagDomains({ renal: 'A' }, { renal: 'B' }).newB // [] (A -> B is improvement)
 */
export function newBilagDomains(baseline: BilagGrades, visit: BilagGrades): NewBilagDomains {
  const newA: BilagSystem[] = []
  const newB: BilagSystem[] = []
  const unknown: BilagSystem[] = []
  for (const system of BILAG_2004_SYSTEMS) {
    const before = baseline[system]
    const now = visit[system]
    if (before === 'A') continue // not new whatever the visit grade
    if (now === 'A' || now === 'B' || now === undefined) {
      if (before === undefined || now === undefined) unknown.push(system)
      else if (now === 'A') newA.push(system)
      else if (before !== 'B') newB.push(system)
    }
  }
  return { newA, newB, unknown }
}
