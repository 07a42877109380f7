/** Pure clinical calculators: dates, units, SLEDAI-2K, steroids, ACR 1997, BILAG-2004, SRI, eGFR (CKD-EPI 2021, CKD-EPI 2009, MDRD), CTCAE v5.0. */
export {
  LEAP_DAY_BIRTHDAY_IN_COMMON_YEARS,
  addDays,
  addMonths,
  ageOn,
  compareIsoDates,
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
export { ACR_1997_CRITERIA_NEEDED, countAcr1997 } from './acr-1997.ts'
export type { Acr1997Count } from './acr-1997.ts'
export { BILAG_2004_NUMERIC, BILAG_2004_SYSTEMS, newBilagDomains, scoreBilag2004 } from './bilag-2004.ts'
export type { BilagGrade, BilagGrades, BilagScore, BilagSystem, NewBilagDomains } from './bilag-2004.ts'
export {
  SRI_DEFAULT_PGA_WORSENING_LIMIT,
  SRI_DEFAULT_PGA_WORSENING_PERCENT,
  SRI_DEFAULT_SLEDAI_REDUCTION,
  sriResponse,
} from './sri-4.ts'
export type { SriInput, SriOptions, SriResult } from './sri-4.ts'
export { CKD_EPI_2021_MIN_AGE_YEARS, egfrCkdEpi2021 } from './egfr-ckd-epi-2021.ts'
export type { EgfrCkdEpi2021Input } from './egfr-ckd-epi-2021.ts'
export { CKD_EPI_2009_BLACK_FACTOR, CKD_EPI_2009_MIN_AGE_YEARS, egfrCkdEpi2009 } from './egfr-ckd-epi-2009.ts'
export type { EgfrCkdEpi2009Input } from './egfr-ckd-epi-2009.ts'
export { egfrMdrd, MDRD_BLACK_FACTOR, MDRD_MIN_AGE_YEARS } from './egfr-mdrd.ts'
export type { EgfrMdrdInput } from './egfr-mdrd.ts'
export { DEFAULT_EGFR_EQUATION, EGFR_CONCEPT, EGFR_EQUATION_INFO, EGFR_EQUATIONS, EGFR_RACE_SPECIFIC_LOINC, isEgfrEquation } from './egfr-equations.ts'
export type { EgfrComputeInput, EgfrEquationInfo } from './egfr-equations.ts'
export {
  ANEMIA_UNITS,
  CTCAE_VERSION,
  gradeAltAstIncreased,
  gradeAnemia,
  gradeCreatinineIncreased,
  gradeFever,
  gradeNeutrophilCountDecreased,
  gradePlateletCountDecreased,
} from './ctcae-v5.ts'
export type { AltAstInput, AnemiaInput, AnemiaUnit, CtcaeGrade } from './ctcae-v5.ts'
export { DOSE_FREQUENCIES, dosesPerDay } from './dose-frequency.ts'
