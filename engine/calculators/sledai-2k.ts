/**
 * SLEDAI-2K disease activity score from its 24 descriptors. Pure, importing
 * only the record catalogue, so the web's patient form scores with it too
 * (test/web/boundaries.test.ts WEB_SHARED).
 */
import { SLEDAI_2K, SLEDAI_2K_DESCRIPTORS, type SledaiDescriptor } from '../record-catalogue.ts'

/** Descriptor weights (Gladman DD, Ibañez D, Urowitz MB, J Rheumatol 2002;29:288-91), from the one catalogue. */
export const SLEDAI_2K_WEIGHTS: Readonly<Record<SledaiDescriptor, number>> = Object.fromEntries(SLEDAI_2K.map(d => [d.id, d.weight])) as Record<
  SledaiDescriptor,
  number
>

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
