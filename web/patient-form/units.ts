/**
 * Units a clinician may enter a measurement in, derived from the unit the
 * protocol compares in (UCUM codes, converted by the server's engine).
 * Mass <-> substance alternatives (umol/L, mg/mmol) are offered only when the
 * lab concept carries the molar mass that converts them.
 */

/** A lab concept as the engine's dictionary (engine/dictionary/lab-concepts.json) or a protocol's `definitions.lab_concepts` describe it. */
export interface LabConceptInfo {
  id: string
  name: string
  unit: string
  kind?: 'quantity' | 'score'
  molar_mass_g_per_mol?: number
  denominator_molar_mass_g_per_mol?: number
}

/** Same-dimension alternatives of a unit, whatever the concept. */
const SAME_DIMENSION: Record<string, string[]> = {
  'g/g': ['g/g', 'mg/g'],
  'mg/g': ['mg/g', 'g/g'],
  'g/(24.h)': ['g/(24.h)', 'mg/(24.h)'],
  'mg/(24.h)': ['mg/(24.h)', 'g/(24.h)'],
  'mg/dL': ['mg/dL', 'mg/L', 'g/L'],
  'g/dL': ['g/dL', 'g/L'],
  'g/L': ['g/L', 'g/dL', 'mg/dL'],
  '10*9/L': ['10*9/L', '10*3/uL'],
  Cel: ['Cel', '[degF]'],
  kg: ['kg', '[lb_av]'],
}

/** Alternatives that need the concept's molar mass (whole quantity) or the denominator's (ratios). */
const BY_MOLAR_MASS: Record<string, string[]> = { 'mg/dL': ['umol/L', 'mmol/L'], 'g/dL': ['mmol/L'] }
const BY_DENOMINATOR_MOLAR_MASS: Record<string, string[]> = { 'g/g': ['mg/mmol'], 'mg/g': ['mg/mmol'] }

/**
 * The units to offer for a concept: the protocol's unit first, then the
 * others it converts from. A unit already in the record is kept as chosen.
 *
 * @param unit the unit the protocol compares in (or the concept's canonical unit)
 * @param concept the lab concept, for its molar masses
 * @example unitChoices('g/g', { id: 'upcr', name: '', unit: 'g/g', denominator_molar_mass_g_per_mol: 113.12 }) // ['g/g', 'mg/g', 'mg/mmol']
 */
export function unitChoices(unit: string, concept?: LabConceptInfo): string[] {
  const out = [...(SAME_DIMENSION[unit] ?? [unit])]
  if (concept?.molar_mass_g_per_mol !== undefined) out.push(...(BY_MOLAR_MASS[unit] ?? []))
  if (concept?.denominator_molar_mass_g_per_mol !== undefined) out.push(...(BY_DENOMINATOR_MOLAR_MASS[unit] ?? []))
  return [...new Set(out)]
}
