/**
 * Prednisone-equivalent doses of systemic glucocorticoids.
 */
import { roundSignificant } from './units.ts'

/**
 * Dose (mg) equivalent in anti-inflammatory potency to 5 mg prednisone.
 * US prednisolone prescribing information: 15 mg prednisolone
 * = 75 cortisone = 60 hydrocortisone = 15 prednisone = 12 methylprednisolone
 * = 12 triamcinolone = 2.25 dexamethasone = 2.25 betamethasone.
 * Betamethasone is set per call ({@link GlucocorticoidOptions}).
 */
export const GLUCOCORTICOID_EQUIVALENT_DOSE_MG = {
  prednisone: 5,
  prednisolone: 5,
  methylprednisolone: 4,
  triamcinolone: 4,
  hydrocortisone: 20,
  cortisone: 25,
  dexamethasone: 0.75,
} as const

export type GlucocorticoidId = keyof typeof GLUCOCORTICOID_EQUIVALENT_DOSE_MG | 'betamethasone'

export interface GlucocorticoidOptions {
  /**
   * Betamethasone dose equivalent to 5 mg prednisone. Default 0.75, from the
   * US prednisolone prescribing information (the checked
   * source); 0.6 is the figure of other tables (Meikle & Tyler, Am J Med
   * 1977; verify) and gives a higher prednisone equivalent.
   */
  betamethasoneEquivalentMg?: 0.6 | 0.75
}

/** Default betamethasone equivalence: US prednisolone prescribing information. */
export const DEFAULT_BETAMETHASONE_EQUIVALENT_MG = 0.75

/**
 * Converts a glucocorticoid dose to prednisone-equivalent mg:
 * `dose × 5 / equivalent dose` (US prednisolone prescribing information), rounded to 10 significant
 * digits so that e.g. 1.5 mg dexamethasone is exactly 10 mg.
 *
 * IV methylprednisolone pulses are normally a separate protocol exception;
 * this function converts whatever it is given.
 *
 * @param drugId dictionary id of the glucocorticoid
 * @param doseMg dose in mg
 * @param options betamethasone equivalence
 * @returns prednisone-equivalent mg, or `undefined` for a drug with no equivalence
 * @example prednisoneEquivalentMg('methylprednisolone', 16) // 20
 * @example prednisoneEquivalentMg('betamethasone', 0.6, { betamethasoneEquivalentMg: 0.6 }) // 5
 */
export function prednisoneEquivalentMg(drugId: string, doseMg: number, options: GlucocorticoidOptions = {}): number | undefined {
  const equivalentMg = glucocorticoidEquivalentDoseMg(drugId, options)
  if (equivalentMg === undefined || !Number.isFinite(doseMg)) return undefined
  return roundSignificant((doseMg * 5) / equivalentMg, 10)
}

/**
 * The dose (mg) of a glucocorticoid equivalent to 5 mg prednisone.
 *
 * @example glucocorticoidEquivalentDoseMg('hydrocortisone') // 20
 * @example glucocorticoidEquivalentDoseMg('tacrolimus') // undefined
 */
export function glucocorticoidEquivalentDoseMg(drugId: string, options: GlucocorticoidOptions = {}): number | undefined {
  if (drugId === 'betamethasone') return options.betamethasoneEquivalentMg ?? DEFAULT_BETAMETHASONE_EQUIVALENT_MG
  return Object.hasOwn(GLUCOCORTICOID_EQUIVALENT_DOSE_MG, drugId)
    ? GLUCOCORTICOID_EQUIVALENT_DOSE_MG[drugId as keyof typeof GLUCOCORTICOID_EQUIVALENT_DOSE_MG]
    : undefined
}
