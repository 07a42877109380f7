/**
 * UCUM unit conversion for lab values, via the NLM's ucum-lhc library.
 *
 * Mass <-> amount-of-substance conversions (creatinine mg/dL <-> umol/L, UPCR
 * g/g <-> mg/mmol) need the molar mass carried by the lab concept.
 */
import ucum from '@lhncbc/ucum-lhc'
import type { LabConcept } from '../dictionary/index.ts'

export type ConversionResult = { ok: true; value: number } | { ok: false; reason: string }

const utils = ucum.UcumLhcUtils.getInstance()

/**
 * Significant digits kept in a converted value. Unit factors are exact
 * decimals, but binary floating point is not: 113.12 mg/mmol of UPCR comes
 * back as 1.0000000000000002 g/g, which would wrongly fail `<= 1.0`. Ten
 * digits is far beyond any lab's precision and far above the ~16 digits where
 * such artefacts live, so rounding can only remove noise, never a real
 * difference.
 */
export const CONVERSION_SIGNIFICANT_DIGITS = 10

/**
 * Converts a value between UCUM units.
 *
 * When the two units differ by an amount of substance (mg vs mmol), the
 * concept's `molar_mass_g_per_mol`, or else `denominator_molar_mass_g_per_mol`,
 * is used; without one the conversion fails. Identical unit strings always
 * convert (also arbitrary units such as `[IU]/mL`, which UCUM never converts).
 *
 * @param value the number in `fromUnit`
 * @param fromUnit UCUM code as recorded (`umol/L`, `mg/mmol`...)
 * @param toUnit UCUM code wanted
 * @param concept lab concept giving the molar mass, when needed
 * @returns the converted value rounded to 10 significant digits, or why not
 * @example convertQuantity(88.4, 'umol/L', 'mg/dL', resolveLabConcept('serum_creatinine')) // { ok: true, value: 0.9999808... }
 * @example convertQuantity(113.12, 'mg/mmol', 'g/g', resolveLabConcept('urine_protein_creatinine_ratio')) // { ok: true, value: 1 }
 */
export function convertQuantity(value: number, fromUnit: string, toUnit: string, concept?: LabConcept): ConversionResult {
  if (!Number.isFinite(value)) return { ok: false, reason: `value ${value} is not a finite number` }
  for (const unit of [fromUnit, toUnit]) {
    if (!isValidUnit(unit)) return { ok: false, reason: `"${unit}" is not a valid UCUM unit` }
  }
  if (fromUnit.trim() === toUnit.trim()) return { ok: true, value }
  const differs = annotationsDiffer(fromUnit, toUnit)
  if (differs) return { ok: false, reason: differs }
  const molecularWeight = concept?.molar_mass_g_per_mol ?? concept?.denominator_molar_mass_g_per_mol
  const factor = proportionalFactor(fromUnit, toUnit, molecularWeight)
  if (factor !== undefined) return { ok: true, value: roundSignificant(value * factor, CONVERSION_SIGNIFICANT_DIGITS) }
  return convertWithUcum(value, fromUnit, toUnit, molecularWeight)
}

/**
 * The factor a conversion multiplies by, for a conversion that is a plain
 * proportion: `convertQuantity(v, from, to, concept)` is then
 * `roundSignificant(v * factor, CONVERSION_SIGNIFICANT_DIGITS)`, and `1` for
 * the same unit (not rounded). For the SQL backend, which converts in the
 * query. Undefined when the units do not convert or not by a proportion.
 *
 * @example conversionFactor('mg/g', 'g/g') // 0.001
 */
export function conversionFactor(fromUnit: string, toUnit: string, concept?: LabConcept): number | undefined {
  if (!isValidUnit(fromUnit) || !isValidUnit(toUnit)) return undefined
  if (fromUnit.trim() === toUnit.trim()) return 1
  if (annotationsDiffer(fromUnit, toUnit)) return undefined
  return proportionalFactor(fromUnit, toUnit, concept?.molar_mass_g_per_mol ?? concept?.denominator_molar_mass_g_per_mol)
}

/**
 * UCUM ignores annotations (`{1.73_m2}` is unity: UCUM §12), so ucum-lhc
 * converts mL/min into mL/min/{1.73_m2}. The annotation says what is
 * measured: an eGFR per 1.73 m² of body surface is not an absolute clearance.
 * Units whose annotations differ are not converted.
 *
 * @returns why not, or undefined when both carry the same annotations
 */
function annotationsDiffer(fromUnit: string, toUnit: string): string | undefined {
  const from = annotationsOf(fromUnit)
  const to = annotationsOf(toUnit)
  if (from === to) return undefined
  return `${fromUnit} and ${toUnit} differ in their annotations (${from || 'none'} vs ${to || 'none'}): UCUM ignores annotations, but they say what is measured, so the value is not converted`
}

/** A unit's annotations (`{1.73_m2}`), sorted, as one string. */
const annotationsOf = (u: string) => (u.match(/\{[^}]*\}/g) ?? []).sort().join(' ')

function convertWithUcum(value: number, fromUnit: string, toUnit: string, molecularWeight: number | undefined): ConversionResult {
  const options = molecularWeight === undefined ? {} : { molecularWeight }
  let result: ReturnType<typeof utils.convertUnitTo>
  try {
    result = utils.convertUnitTo(fromUnit, value, toUnit, options)
  } catch (err) {
    return { ok: false, reason: `cannot convert ${fromUnit} to ${toUnit}: ${err instanceof Error ? err.message : String(err)}` }
  }
  if (result.status !== 'succeeded' || result.toVal === null || !Number.isFinite(result.toVal)) {
    const why = result.msg.length > 0 ? result.msg.join(' ') : 'units are not commensurable'
    return { ok: false, reason: `cannot convert ${fromUnit} to ${toUnit}: ${why}` }
  }
  return { ok: true, value: roundSignificant(result.toVal, CONVERSION_SIGNIFICANT_DIGITS) }
}

const PROPORTIONAL_REMEMBERED = 1000
/** Factor by unit pair and molar mass; null when the conversion is not a plain proportion (or fails). */
const proportional = new Map<string, number | null>()

/**
 * The factor of a conversion that is a plain proportion (every lab unit pair
 * we meet: mg/dL to umol/L, mg/mmol to g/g), so that screening converts by one
 * multiplication instead of a UCUM parse per value. A pair with an offset or a
 * non-linear scale (Cel, pH) is not proportional and always goes through
 * ucum-lhc. Proportional means: 0 maps to 0 and 2 to twice what 1 maps to.
 */
function proportionalFactor(fromUnit: string, toUnit: string, molecularWeight: number | undefined): number | undefined {
  const key = `${fromUnit}\u0000${toUnit}\u0000${molecularWeight ?? ''}`
  let factor = proportional.get(key)
  if (factor === undefined) {
    const one = convertWithUcum(1, fromUnit, toUnit, molecularWeight)
    const two = convertWithUcum(2, fromUnit, toUnit, molecularWeight)
    const zero = convertWithUcum(0, fromUnit, toUnit, molecularWeight)
    const isProportion = one.ok && two.ok && zero.ok && zero.value === 0 && one.value !== 0 && Math.abs(two.value - 2 * one.value) <= 1e-9 * Math.abs(one.value)
    factor = isProportion ? unroundedFactor(fromUnit, toUnit, molecularWeight) : null
    if (proportional.size < PROPORTIONAL_REMEMBERED) proportional.set(key, factor)
  }
  return factor ?? undefined
}

/** ucum-lhc's own factor for 1 unit, before our rounding (the rounding is applied to each converted value). */
function unroundedFactor(fromUnit: string, toUnit: string, molecularWeight: number | undefined): number | null {
  const result = utils.convertUnitTo(fromUnit, 1, toUnit, molecularWeight === undefined ? {} : { molecularWeight })
  return result.status === 'succeeded' && result.toVal !== null && Number.isFinite(result.toVal) ? result.toVal : null
}

/**
 * Whether `fromUnit` can be converted to `toUnit` (with the concept's molar mass).
 *
 * @example canConvert('g/L', 'mL') // false
 */
export function canConvert(fromUnit: string, toUnit: string, concept?: LabConcept): boolean {
  return convertQuantity(1, fromUnit, toUnit, concept).ok
}

/**
 * Whether a string is a valid UCUM unit expression (case-sensitive, as UCUM is).
 *
 * @example isValidUnit('mg/dL') // true
 * @example isValidUnit('mg per dL') // false
 */
export function isValidUnit(unit: string): boolean {
  const cached = validUnitCache.get(unit)
  if (cached !== undefined) return cached
  const valid = validateUnit(unit)
  // Records use a handful of units; the cap only guards against unbounded input.
  if (validUnitCache.size < 1000) validUnitCache.set(unit, valid)
  return valid
}

const validUnitCache = new Map<string, boolean>()

function validateUnit(unit: string): boolean {
  // UCUM forbids spaces; checking here also keeps ucum-lhc from logging to the console.
  if (unit.trim() === '' || /\s/.test(unit.trim())) return false
  try {
    return utils.validateUnitString(unit).status === 'valid'
  } catch {
    return false
  }
}

/**
 * Rounds to `digits` significant digits.
 *
 * @example roundSignificant(1.0000000000000002, 10) // 1
 */
export function roundSignificant(value: number, digits: number): number {
  if (value === 0 || !Number.isFinite(value)) return value
  return Number(value.toPrecision(digits))
}
