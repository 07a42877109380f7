import { describe, expect, it } from 'vitest'
import { ingredientSpellings, parseDrugName } from '../../../engine/fhir/rxnorm-name.ts'
import { isSystemicRoute, routeBySnomed, routeOfDoseForm } from '../../../engine/dictionary/routes.ts'

describe('reading RxNorm product names', () => {
  it.each([
    ['10 ML rituximab 10 MG/ML Injection [Rituxan]', ['rituximab'], 'Injection', 'Rituxan'],
    ['Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet', ['Acetaminophen', 'Oxycodone Hydrochloride'], 'Oral Tablet', undefined],
    ['24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet', ['Metformin hydrochloride'], 'Extended Release Oral Tablet', undefined],
    ['cycloSPORINE, modified 100 MG Oral Capsule', ['cycloSPORINE, modified'], 'Oral Capsule', undefined],
    ['NDA020503 200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler', ['Albuterol'], 'Metered Dose Inhaler', undefined],
    ['rituximab Injection', ['rituximab'], 'Injection', undefined],
    ['tacrolimus 0.001 MG/MG Topical Ointment [Protopic]', ['tacrolimus'], 'Topical Ointment', 'Protopic'],
    ['MPA 500 mg', ['MPA'], undefined, undefined],
  ])('%s', (name, ingredients, doseForm, brand) => {
    const parsed = parseDrugName(name)
    expect(parsed.ingredients).toEqual(ingredients)
    expect(parsed.doseForm).toBe(doseForm)
    expect(parsed.brand).toBe(brand)
  })

  it('reads every part of a pack once', () => {
    const parsed = parseDrugName(
      '{21 (Ethinyl Estradiol 0.03 MG / Levonorgestrel 0.15 MG Oral Tablet) / 7 (Inert Ingredients 1 MG Oral Tablet) } Pack [Seasonique]',
    )
    expect(parsed.ingredients).toEqual(['Ethinyl Estradiol', 'Levonorgestrel', 'Inert Ingredients'])
    expect(parsed).toMatchObject({ doseForm: 'Oral Tablet', brand: 'Seasonique' })
  })

  it('spells an ingredient without its biosimilar suffix, qualifier and salt, most precise first', () => {
    expect(ingredientSpellings('rituximab-abbs')).toEqual(['rituximab-abbs', 'rituximab'])
    expect(ingredientSpellings('cycloSPORINE, modified')).toEqual(['cycloSPORINE, modified', 'cycloSPORINE'])
    expect(ingredientSpellings('Oxycodone Hydrochloride')).toEqual(['Oxycodone Hydrochloride', 'Oxycodone'])
    // only a four-letter suffix is a biosimilar's: `-pegol` stays
    expect(ingredientSpellings('certolizumab-pegol')).toEqual(['certolizumab-pegol'])
    expect(ingredientSpellings('rituximab')).toEqual(['rituximab'])
  })
})

describe('routes', () => {
  it('dose forms imply routes; the more specific words win', () => {
    expect(routeOfDoseForm('Ophthalmic Emulsion')?.route).toBe('ophthalmic')
    expect(routeOfDoseForm('Ophthalmic Ointment')?.route).toBe('ophthalmic')
    expect(routeOfDoseForm('Vaginal Cream')?.route).toBe('vaginal')
    expect(routeOfDoseForm('Topical Cream')?.route).toBe('topical')
    expect(routeOfDoseForm('Metered Dose Inhaler')?.route).toBe('inhaled')
    expect(routeOfDoseForm('Delayed Release Oral Tablet')?.route).toBe('oral')
    expect(routeOfDoseForm('Prefilled Syringe')?.route).toBe('injection')
    expect(routeOfDoseForm('Pellet')).toBeUndefined()
  })

  it('local routes are not systemic; unknown or absent routes are', () => {
    for (const r of ['topical', 'ophthalmic', 'otic', 'nasal', 'inhaled', 'Eye']) expect(isSystemicRoute(r), r).toBe(false)
    for (const r of ['oral', 'iv', 'sc', 'im', 'transdermal', 'vaginal', 'rectal', 'injection', 'intrathecal', undefined])
      expect(isSystemicRoute(r), String(r)).toBe(true)
  })

  it('SNOMED CT route codes', () => {
    expect(routeBySnomed('54485002')?.route).toBe('ophthalmic')
    expect(routeBySnomed('26643006')?.route).toBe('oral')
    expect(routeBySnomed('1')).toBeUndefined()
  })
})

describe('routes from free text', () => {
  it('whole words only: "sub-cutaneous" is not topical; a form naming a systemic and a local route is systemic', () => {
    expect(routeOfDoseForm('sub-cutaneous injection')?.route).toBe('injection')
    expect(routeOfDoseForm('Auto-Injector')?.route).toBe('injection')
    expect(routeOfDoseForm('Topical Cream')?.systemic).toBe(false)
    expect(routeOfDoseForm('Oral Paste')?.route).toBe('oral')
  })
})
