/** Pure clinical calculators: dates, units, SLEDAI-2K, glucocorticoid equivalents. */
export {
  LEAP_DAY_BIRTHDAY_IN_COMMON_YEARS,
  addDays,
  ageOn,
  daysBetween,
  formatIsoDate,
  intervalsOverlap,
  parseIsoDate,
  windowFrom,
} from './dates.ts'
export { CONVERSION_SIGNIFICANT_DIGITS, canConvert, convertQuantity, isValidUnit, roundSignificant } from './units.ts'
export type { ConversionResult } from './units.ts'
export { SLEDAI_2K_WEIGHTS, scoreSledai2k } from './sledai-2k.ts'
export type { SledaiScore } from './sledai-2k.ts'
export {
  DEFAULT_BETAMETHASONE_EQUIVALENT_MG,
  GLUCOCORTICOID_EQUIVALENT_DOSE_MG,
  glucocorticoidEquivalentDoseMg,
  prednisoneEquivalentMg,
} from './glucocorticoids.ts'
export type { GlucocorticoidId, GlucocorticoidOptions } from './glucocorticoids.ts'
