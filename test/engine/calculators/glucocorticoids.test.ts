import { describe, expect, it } from 'vitest'
import { DEFAULT_BETAMETHASONE_EQUIVALENT_MG, glucocorticoidEquivalentDoseMg, prednisoneEquivalentMg } from '../../../engine/calculators/index.ts'
import { entriesInClass } from '../../../engine/dictionary/index.ts'

describe('prednisone-equivalent mg (US prednisolone prescribing information)', () => {
  it.each([
    { drug: 'prednisone', dose: 10, want: 10 },
    { drug: 'prednisolone', dose: 7.5, want: 7.5 },
    { drug: 'methylprednisolone', dose: 4, want: 5 },
    { drug: 'methylprednisolone', dose: 8, want: 10 },
    { drug: 'triamcinolone', dose: 8, want: 10 },
    { drug: 'hydrocortisone', dose: 20, want: 5 },
    { drug: 'hydrocortisone', dose: 30, want: 7.5 },
    { drug: 'cortisone', dose: 25, want: 5 },
    { drug: 'dexamethasone', dose: 0.75, want: 5 },
    { drug: 'dexamethasone', dose: 1.5, want: 10 }, // exactly 10, not 10.000000000000002
    { drug: 'betamethasone', dose: 0.75, want: 5 }, // default 0.75 (US prednisolone PI)
    { drug: 'prednisone', dose: 0, want: 0 },
  ])('$dose mg $drug = $want mg prednisone', ({ drug, dose, want }) => {
    expect(prednisoneEquivalentMg(drug, dose)).toBe(want)
  })

  it('betamethasone factor is configurable (0.6 or 0.75)', () => {
    expect(DEFAULT_BETAMETHASONE_EQUIVALENT_MG).toBe(0.75)
    expect(prednisoneEquivalentMg('betamethasone', 1.2, { betamethasoneEquivalentMg: 0.6 })).toBe(10)
    expect(prednisoneEquivalentMg('betamethasone', 1.2, { betamethasoneEquivalentMg: 0.75 })).toBe(8)
    expect(prednisoneEquivalentMg('betamethasone', 1.2)).toBe(8)
  })

  it('a 10 mg/day prednisone-equivalent boundary stays exact', () => {
    expect(prednisoneEquivalentMg('methylprednisolone', 8)! <= 10).toBe(true)
    expect(prednisoneEquivalentMg('methylprednisolone', 8.1)! > 10).toBe(true)
  })

  it.each(['tacrolimus', 'unknown_drug', 'toString', 'constructor', ''])('undefined for %j', drug => {
    expect(prednisoneEquivalentMg(drug, 10)).toBeUndefined()
    expect(glucocorticoidEquivalentDoseMg(drug)).toBeUndefined()
  })

  it('undefined for a non-finite dose', () => {
    expect(prednisoneEquivalentMg('prednisone', Number.NaN)).toBeUndefined()
  })

  it('covers every glucocorticoid in the drug dictionary but those used locally (inhaled, nasal, skin), which have no equivalence', () => {
    const local = entriesInClass('drugs', 'local_glucocorticoid').map(e => e.id)
    expect(local.sort()).toEqual(['budesonide', 'fluticasone', 'mometasone'])
    for (const e of entriesInClass('drugs', 'glucocorticoid')) {
      if (local.includes(e.id)) expect(glucocorticoidEquivalentDoseMg(e.id), e.id).toBeUndefined()
      else expect(glucocorticoidEquivalentDoseMg(e.id), e.id).toBeGreaterThan(0)
    }
  })
})
