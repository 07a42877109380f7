import { describe, expect, it } from 'vitest'
import { EGFR_EQUATION_NAMES, EGFR_EQUATIONS, egfrConceptOf, needsRace } from '../../../engine/calculators/egfr-catalogue.ts'
import { EGFR_EQUATION_INFO } from '../../../engine/calculators/egfr-equations.ts'

// The eGFR equations as data, one home for the engine and the web's forms.
describe('eGFR catalogue', () => {
  it('names every equation the calculators compute, with the same concept and race coefficient', () => {
    expect(Object.keys(EGFR_EQUATION_NAMES)).toEqual([...EGFR_EQUATIONS])
    for (const eq of EGFR_EQUATIONS) {
      expect(EGFR_EQUATION_INFO[eq]).toMatchObject(EGFR_EQUATION_NAMES[eq])
      // a race coefficient has a factor to apply, and only then
      expect(EGFR_EQUATION_INFO[eq].blackFactor !== undefined).toBe(EGFR_EQUATION_NAMES[eq].raceCoefficient)
    }
  })
  it('asks race only for the equations with a race coefficient', () => {
    expect(needsRace('ckd_epi_2009')).toBe(true)
    expect(needsRace('mdrd')).toBe(true)
    expect(needsRace('ckd_epi_2021')).toBe(false)
    expect(needsRace('cockcroft_gault')).toBe(false)
    expect(needsRace(undefined)).toBe(false)
  })
  it("enters a value reported by an equation as that equation's concept; plain eGFR otherwise", () => {
    expect(egfrConceptOf('mdrd')).toBe('egfr_mdrd')
    expect(egfrConceptOf('ckd_epi_2009')).toBe('egfr_ckd_epi_2009')
    expect(egfrConceptOf('ckd_epi_2021')).toBe('egfr')
    expect(egfrConceptOf('{egfr_equation}')).toBe('egfr')
  })
})
