/**
 * CTCAE v5.0 grades of lab and vital-sign adverse-event terms.
 *
 * Cut-offs are those of NCI CTCAE v5.0 (27 Nov 2017) as reproduced in
 * public copies of the v5.0 table. Ranges are read as written: "<LLN–75.0" is below LLN and at
 * least 75.0; ">ULN–1.5 × ULN" is above ULN and at most 1.5 × ULN. v6.0
 * changed some terms, so protocols pin the version ({@link CTCAE_VERSION}).
 * Each function returns 0 when the value is below grade 1 (within normal).
 * Grade 5 (death) is never derivable from a value.
 */
import { roundSignificant } from './units.ts'

/** The CTCAE version these grades follow: NCI CTCAE v5.0, 27 Nov 2017. */
export const CTCAE_VERSION = '5.0'

export type CtcaeGrade = 0 | 1 | 2 | 3 | 4

/** Significant digits kept in value/limit ratios, so 2.1 / 0.7 is 3, not 3.0000000000000004. */
const RATIO_DIGITS = 10

/** Creatinine increased, × ULN: G1 >1.0, G2 >1.5, G3 >3.0, G4 >6.0 (CTCAE v5.0). */
const CREATININE_ULN_CUTS = [1, 1.5, 3, 6] as const
/** Creatinine increased, × baseline: G2 >1.5, G3 >3.0; no G1 or G4 by baseline (CTCAE v5.0). */
const CREATININE_BASELINE_CUTS = [1.5, 3] as const
/** ALT/AST increased, baseline normal, × ULN: G1 >1.0, G2 >3.0, G3 >5.0, G4 >20.0 (CTCAE v5.0). */
const AMINOTRANSFERASE_ULN_CUTS = [1, 3, 5, 20] as const
/** ALT/AST increased, baseline abnormal, × baseline: G1 ≥1.5 (verify) (CTCAE v5.0). */
const AMINOTRANSFERASE_ABNORMAL_G1 = 1.5
/** ALT/AST increased, baseline abnormal, × baseline: G2 >3.0, G3 >5.0, G4 >20.0 (CTCAE v5.0). */
const AMINOTRANSFERASE_BASELINE_CUTS = [3, 5, 20] as const
/** Neutrophil count decreased, 10⁹/L: G2 <1.5, G3 <1.0, G4 <0.5 (CTCAE v5.0). */
const NEUTROPHIL_CUTS = [1.5, 1, 0.5] as const
/** Platelet count decreased, 10⁹/L: G2 <75.0, G3 <50.0, G4 <25.0 (CTCAE v5.0). */
const PLATELET_CUTS = [75, 50, 25] as const
/** The units in which CTCAE v5.0 "Anemia" states its haemoglobin cut-offs, side by side. */
export const ANEMIA_UNITS = ['g/dL', 'mmol/L', 'g/L'] as const
export type AnemiaUnit = (typeof ANEMIA_UNITS)[number]
/**
 * Anemia, Hgb G2 and G3 cut-offs in each column of the table: g/dL G2 <10.0,
 * G3 <8.0; mmol/L G2 <6.2, G3 <4.9; g/L G2 <100, G3 <80 (CTCAE v5.0). The
 * mmol/L column is the table's own rounding, not 10.0 and 8.0 g/dL converted
 * by a molar mass (which gives 6.21 and 4.96 mmol/L).
 */
const ANEMIA_CUTS: Record<AnemiaUnit, readonly [number, number]> = { 'g/dL': [10, 8], 'mmol/L': [6.2, 4.9], 'g/L': [100, 80] }
/** Fever: G1 38.0–39.0 °C, G2 >39.0, G3 >40.0 for ≤24 h, G4 >40.0 for >24 h (CTCAE v5.0). */
const FEVER = { grade1MinCelsius: 38, grade2AboveCelsius: 39, grade3AboveCelsius: 40, grade4AboveHours: 24 } as const

/**
 * Creatinine increased. The ULN-based grade (G1 >ULN–1.5 × ULN, G2
 * >1.5–3.0 × ULN, G3 >3.0–6.0 × ULN, G4 >6.0 × ULN) and, when a baseline is
 * given, the baseline-based grade (G2 >1.5–3.0 × baseline, G3 >3.0 ×
 * baseline) are both computed and the higher is returned. `value`, `uln` and
 * `baseline` must share one unit.
 *
 * @param input value, the lab's ULN, and optionally the patient's baseline
 * @throws RangeError for a negative or non-finite value or a non-positive limit
 * @example gradeCreatinineIncreased({ value: 1.5, uln: 1.0 }) // 1 (1.5 × ULN is still grade 1)
 * @example gradeCreatinineIncreased({ value: 1.0, uln: 1.2, baseline: 0.6 }) // 2 (>1.5 × baseline)
 */
export function gradeCreatinineIncreased(input: { value: number; uln: number; baseline?: number }): CtcaeGrade {
  const value = checkValue(input.value, 'value')
  const byUln = countAbove(ratio(value, checkLimit(input.uln, 'uln')), CREATININE_ULN_CUTS)
  if (input.baseline === undefined) return byUln
  const r = ratio(value, checkLimit(input.baseline, 'baseline'))
  const byBaseline = r > CREATININE_BASELINE_CUTS[0] ? 1 + countAbove(r, CREATININE_BASELINE_CUTS) : 0
  return Math.max(byUln, byBaseline) as CtcaeGrade
}

/** Input of {@link gradeAltAstIncreased}: a baseline is required when it was abnormal. */
export type AltAstInput =
  | { value: number; uln: number; baselineAbnormal: false; baseline?: number }
  | { value: number; uln: number; baselineAbnormal: true; baseline: number }

/**
 * Alanine or aspartate aminotransferase increased. Baseline normal: G1
 * >ULN–3.0 × ULN, G2 >3.0–5.0 × ULN, G3 >5.0–20.0 × ULN, G4 >20.0 × ULN.
 * Baseline abnormal: G1 1.5–3.0 × baseline, G2 >3.0–5.0 ×, G3 >5.0–20.0 ×,
 * G4 >20.0 × baseline; a value below 1.5 × baseline is 0. The abnormal-baseline
 * G1 text is not verified against the v5.0 table, and v6.0 changed it.
 *
 * @param input value, ULN, whether baseline was abnormal, and that baseline
 * @throws RangeError for a negative or non-finite value or a non-positive limit
 * @example gradeAltAstIncreased({ value: 120, uln: 40, baselineAbnormal: false }) // 1 (3.0 × ULN)
 * @example gradeAltAstIncreased({ value: 90, uln: 40, baselineAbnormal: true, baseline: 60 }) // 1 (1.5 × baseline)
 */
export function gradeAltAstIncreased(input: AltAstInput): CtcaeGrade {
  const value = checkValue(input.value, 'value')
  const uln = checkLimit(input.uln, 'uln')
  if (!input.baselineAbnormal) return countAbove(ratio(value, uln), AMINOTRANSFERASE_ULN_CUTS)
  const r = ratio(value, checkLimit(input.baseline, 'baseline'))
  if (r < AMINOTRANSFERASE_ABNORMAL_G1) return 0
  return (1 + countAbove(r, AMINOTRANSFERASE_BASELINE_CUTS)) as CtcaeGrade
}

/**
 * Neutrophil count decreased: G1 <LLN–1.5, G2 <1.5–1.0, G3 <1.0–0.5,
 * G4 <0.5 × 10⁹/L. Grades 2-4 follow the absolute cut-offs even when the
 * lab's LLN is below 1.5 (the table gives them without reference to LLN).
 *
 * @param input count in 10⁹/L and the lab's LLN in 10⁹/L
 * @throws RangeError for a negative or non-finite value or a non-positive limit
 * @example gradeNeutrophilCountDecreased({ value10e9PerL: 1.0, lln: 2.0 }) // 2 (1.0 is not <1.0)
 */
export function gradeNeutrophilCountDecreased(input: { value10e9PerL: number; lln: number }): CtcaeGrade {
  return gradeBelow(checkValue(input.value10e9PerL, 'value10e9PerL'), checkLimit(input.lln, 'lln'), NEUTROPHIL_CUTS)
}

/**
 * Platelet count decreased: G1 <LLN–75.0, G2 <75.0–50.0, G3 <50.0–25.0,
 * G4 <25.0 × 10⁹/L. Grades 2-4 follow the absolute cut-offs whatever the LLN.
 *
 * @param input count in 10⁹/L and the lab's LLN in 10⁹/L
 * @throws RangeError for a negative or non-finite value or a non-positive limit
 * @example gradePlateletCountDecreased({ value10e9PerL: 25, lln: 150 }) // 3 (25 is not <25)
 */
export function gradePlateletCountDecreased(input: { value10e9PerL: number; lln: number }): CtcaeGrade {
  return gradeBelow(checkValue(input.value10e9PerL, 'value10e9PerL'), checkLimit(input.lln, 'lln'), PLATELET_CUTS)
}

/** Input of {@link gradeAnemia}: haemoglobin in g/dL, or in one of the table's units; the LLN in the same unit. */
export type AnemiaInput = { hemoglobinGDl: number; lln: number } | { hemoglobin: number; unit: AnemiaUnit; lln: number }

/**
 * Anemia by haemoglobin: G1 <LLN–10.0, G2 <10.0–8.0, G3 <8.0 g/dL; or
 * G1 <LLN–6.2, G2 <6.2–4.9, G3 <4.9 mmol/L; or G1 <LLN–100, G2 <100–80,
 * G3 <80 g/L. A value is graded against the column of its own unit, as the
 * table prints them side by side: 6.2 mmol/L is grade 1 although it is
 * 9.99 g/dL by the monomer molar mass. Never returns 4: grade 4
 * ("life-threatening; urgent intervention indicated") is a clinical
 * judgement, as is the "transfusion indicated" alternative for grade 3.
 *
 * @param input haemoglobin in g/dL (`hemoglobinGDl`) or with its unit, and the lab's LLN in that unit
 * @throws RangeError for a negative or non-finite value or a non-positive limit
 * @example gradeAnemia({ hemoglobinGDl: 8.0, lln: 12 }) // 2 (8.0 is not <8.0)
 * @example gradeAnemia({ hemoglobin: 6.2, unit: 'mmol/L', lln: 7.4 }) // 1 (6.2 is not <6.2)
 */
export function gradeAnemia(input: AnemiaInput): Exclude<CtcaeGrade, 4> {
  const [hb, cuts] =
    'hemoglobinGDl' in input
      ? [checkValue(input.hemoglobinGDl, 'hemoglobinGDl'), ANEMIA_CUTS['g/dL']]
      : [checkValue(input.hemoglobin, 'hemoglobin'), anemiaCuts(input.unit)]
  if (hb >= checkLimit(input.lln, 'lln') && hb >= cuts[0]) return 0
  return (1 + cuts.filter(cut => hb < cut).length) as 1 | 2 | 3
}

function anemiaCuts(unit: AnemiaUnit): readonly [number, number] {
  if (!Object.hasOwn(ANEMIA_CUTS, unit)) throw new RangeError(`unit must be one of ${ANEMIA_UNITS.join(', ')}; got ${String(unit)}`)
  return ANEMIA_CUTS[unit]
}

/**
 * Fever: G1 38.0–39.0 °C, G2 >39.0–40.0 °C, G3 >40.0 °C for ≤24 h, G4
 * >40.0 °C for >24 h. Without `hoursAbove40` a temperature >40.0 °C grades
 * 3, the lower bound: grade 4 needs the duration. Convert °F first.
 *
 * @param input temperature in °C, and hours spent above 40.0 °C if known
 * @throws RangeError for a non-finite temperature or a negative duration
 * @example gradeFever({ celsius: 39.0 }) // 1
 * @example gradeFever({ celsius: 40.2, hoursAbove40: 30 }) // 4
 */
export function gradeFever(input: { celsius: number; hoursAbove40?: number }): CtcaeGrade {
  const { celsius, hoursAbove40 } = input
  if (!Number.isFinite(celsius)) throw new RangeError(`celsius must be a finite number; got ${celsius}`)
  if (celsius > FEVER.grade3AboveCelsius) {
    if (hoursAbove40 === undefined) return 3
    return checkValue(hoursAbove40, 'hoursAbove40') > FEVER.grade4AboveHours ? 4 : 3
  }
  if (celsius > FEVER.grade2AboveCelsius) return 2
  return celsius >= FEVER.grade1MinCelsius ? 1 : 0
}

/** Number of cuts the ratio exceeds (strictly): the grade of an "increased" term. */
function countAbove(r: number, cuts: readonly number[]): CtcaeGrade {
  return cuts.filter(cut => r > cut).length as CtcaeGrade
}

/** Grade of a "decreased" term: G1 below LLN, then one grade per absolute cut the value is strictly below. */
function gradeBelow(value: number, lln: number, cuts: readonly [number, number, number]): CtcaeGrade {
  const [g2] = cuts
  if (value >= lln && value >= g2) return 0
  return (1 + cuts.filter(cut => value < cut).length) as CtcaeGrade
}

function ratio(value: number, limit: number): number {
  return roundSignificant(value / limit, RATIO_DIGITS)
}

function checkValue(x: number, name: string): number {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`${name} must be a non-negative number; got ${x}`)
  return x
}

function checkLimit(x: number, name: string): number {
  if (!Number.isFinite(x) || x <= 0) throw new RangeError(`${name} must be a positive number; got ${x}`)
  return x
}
