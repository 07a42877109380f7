/**
 * SLEDAI-2K disease activity score from its 24 descriptors.
 */
import { SLEDAI_2K_DESCRIPTORS } from '../types.ts'
import type { SledaiDescriptor } from '../types.ts'

/** Descriptor weights: Gladman DD, Ibañez D, Urowitz MB, J Rheumatol 2002;29:288-91. */
export const SLEDAI_2K_WEIGHTS: Readonly<Record<SledaiDescriptor, number>> = {
  seizure: 8,
  psychosis: 8,
  organic_brain_syndrome: 8,
  visual_disturbance: 8,
  cranial_nerve_disorder: 8,
  lupus_headache: 8,
  cerebrovascular_accident: 8,
  vasculitis: 8,
  arthritis: 4,
  myositis: 4,
  urinary_casts: 4,
  hematuria: 4,
  proteinuria: 4,
  pyuria: 4,
  rash: 2,
  alopecia: 2,
  mucosal_ulcers: 2,
  pleurisy: 2,
  pericarditis: 2,
  low_complement: 2,
  increased_dna_binding: 2,
  fever: 1,
  thrombocytopenia: 1,
  leukopenia: 1,
}

/** Bounds of a SLEDAI-2K score given possibly incomplete descriptors. */
export interface SledaiScore {
  /** Sum of weights of descriptors recorded present. */
  min: number
  /** `min` plus the weights of descriptors not recorded (they could be present). */
  max: number
  /** Descriptors not recorded (neither true nor false), in form order. */
  missing: SledaiDescriptor[]
}

/**
 * Scores SLEDAI-2K three-valued: a descriptor recorded `true` counts its
 * weight, `false` counts nothing, and an unrecorded one could be either, so
 * the score is known only as a range. `min === max` when nothing is missing.
 *
 * @param descriptors descriptor -> present, for those assessed
 * @example scoreSledai2k({ proteinuria: true, hematuria: true }).min // 8
 * @example
 * const all = Object.fromEntries(SLEDAI_2K_DESCRIPTORS.map((d) => [d, false]))
 * scoreSledai2k({ ...all, rash: true }) // { min: 2, max: 2, missing: [] }
 */
export function scoreSledai2k(descriptors: Partial<Record<SledaiDescriptor, boolean>>): SledaiScore {
  let min = 0
  let max = 0
  const missing: SledaiDescriptor[] = []
  for (const d of SLEDAI_2K_DESCRIPTORS) {
    const present = descriptors[d]
    const weight = SLEDAI_2K_WEIGHTS[d]
    if (present === true) {
      min += weight
      max += weight
    } else if (present === undefined) {
      max += weight
      missing.push(d)
    }
  }
  return { min, max, missing }
}
