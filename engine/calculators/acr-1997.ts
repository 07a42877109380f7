/**
 * ACR 1982 SLE classification criteria as revised in 1997, counted three-valued.
 */
import { ACR_1997_ITEMS, type Acr1997Item } from '../record-catalogue.ts'

/** Criteria needed to classify: "≥4 of the 11 criteria", Hochberg MC, Arthritis Rheum 1997;40:1725. */
export const ACR_1997_CRITERIA_NEEDED = 4

/** Count of ACR 1997 criteria met, with the classification it supports. */
export interface Acr1997Count {
  /** Criteria recorded `true`. */
  met: number
  /** Criteria not recorded (neither `true` nor `false`). */
  unknown: number
  /**
   * `true` when `met ≥ 4`; `false` when even every unknown criterion being
   * met would not reach 4; otherwise `undefined`.
   */
  classified: boolean | undefined
}

/**
 * Counts the 11 ACR 1997 criteria. A criterion recorded `true` is met,
 * `false` is not, and an unrecorded one could be either, so classification
 * ("≥4 of 11, serially or simultaneously") is decided only when the unknown
 * criteria cannot change it. Keys other than the 11 items are ignored; each
 * item counts once (a criterion is met if any of its sub-items is, which the
 * caller decides).
 *
 * @param items criterion -> present, for those assessed
 * @example countAcr1997({ malar_rash: true, arthritis: true, renal_disorder: true, antinuclear_antibody: true })
 * // { met: 4, unknown: 7, classified: true }
 * @example
 * const none = Object.fromEntries(ACR_1997_ITEMS.map((i) => [i, false]))
 * countAcr1997({ ...none, renal_disorder: true }) // { met: 1, unknown: 0, classified: false }
 */
export function countAcr1997(items: Partial<Record<Acr1997Item, boolean>>): Acr1997Count {
  let met = 0
  let unknown = 0
  for (const item of ACR_1997_ITEMS) {
    const present = items[item]
    if (present === true) met += 1
    else if (present === undefined) unknown += 1
  }
  const classified = met >= ACR_1997_CRITERIA_NEEDED ? true : met + unknown < ACR_1997_CRITERIA_NEEDED ? false : undefined
  return { met, unknown, classified }
}
