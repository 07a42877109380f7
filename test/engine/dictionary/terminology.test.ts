import { describe, expect, it } from 'vitest'
import { checkDictionary, defaultDictionary, resolveEntry, resolveLabConcept } from '../../../engine/dictionary/index.ts'
import type { Dictionary } from '../../../engine/dictionary/index.ts'
import { AMBIGUOUS_NAMES, ambiguousCandidates } from '../../../engine/dictionary/ambiguous-names.ts'
import { UNRECOGNISED_HINTS, possibleClasses } from '../../../engine/dictionary/unrecognised-hints.ts'
import products from '../../../engine/dictionary/rxnorm-products.json' with { type: 'json' }
import { CODED_OBSERVATIONS } from '../../../engine/dictionary/coded-observations.ts'

const base: Dictionary = { drugs: [], vaccines: [], conditions: [], procedures: [], labConcepts: [] }
const drug = (id: string, extra: Partial<{ synonyms: string[]; classes: string[]; rxnorm: unknown; name: string }> = {}) =>
  ({
    id,
    name: extra.name ?? id,
    atc: [],
    classes: extra.classes ?? [],
    synonyms: extra.synonyms ?? [],
    source: 's',
    ...(extra.rxnorm === undefined ? {} : { rxnorm: extra.rxnorm }),
  }) as Dictionary['drugs'][number]
const cond = (id: string, snomed: string[], classes: string[] = []) => ({ id, name: id, classes, icd10: [], snomed, synonyms: [], source: 's' })
const proc = (id: string, snomed: string[], classes: string[] = []) => ({ id, name: id, classes, snomed, synonyms: [], source: 's' })

describe('shipped terminology', () => {
  it('the shipped dictionary, ambiguous names and hints have no problems', () => {
    expect(checkDictionary(defaultDictionary)).toEqual([])
    expect(checkDictionary(defaultDictionary, { ambiguousNames: AMBIGUOUS_NAMES, hints: UNRECOGNISED_HINTS })).toEqual([])
  })

  it('every immunosuppressant the protocols select has an RxNorm ingredient code where one is confirmed', () => {
    for (const id of [
      'rituximab',
      'mycophenolate_mofetil',
      'mycophenolic_acid',
      'cyclophosphamide',
      'ciclosporin',
      'tacrolimus',
      'azathioprine',
      'methotrexate',
      'sirolimus',
      'hydroxychloroquine',
      'prednisone',
    ]) {
      expect(resolveEntry('drugs', id)?.rxnorm?.length, id).toBeGreaterThan(0)
    }
  })

  it('new immunosuppressants are in the classes exclusions select', () => {
    expect(resolveEntry('drugs', 'Rapamune')?.classes).toEqual(expect.arrayContaining(['mtor_inhibitor', 'conventional_immunosuppressant']))
    expect(resolveEntry('drugs', 'Zortress')?.classes).toContain('conventional_immunosuppressant')
    expect(resolveEntry('drugs', 'Lemtrada')?.classes).toEqual(expect.arrayContaining(['anti_cd52', 'b_cell_depleting', 'biologic_immunomodulator']))
    for (const brand of ['Orencia', 'Kineret', 'Cosentyx', 'Stelara', 'Entyvio', 'Soliris']) {
      expect(resolveEntry('drugs', brand)?.classes, brand).toContain('biologic_immunomodulator')
    }
  })

  it('common primary-care drugs resolve and are in no immune class', () => {
    const immune = [
      'b_cell_depleting',
      'conventional_immunosuppressant',
      'biologic_immunomodulator',
      'jak_inhibitor',
      'small_molecule_targeted',
      'glucocorticoid',
    ]
    for (const text of [
      'aspirin',
      'Lipitor',
      'amLODIPine',
      'metformin hydrochloride',
      'acetaminophen',
      'Tylenol',
      'Percocet',
      'ProAir',
      'NuvaRing',
      'Eliquis',
      'Synthroid',
      'Zoloft',
      'Depo-Provera',
    ]) {
      const e = resolveEntry('drugs', text)
      expect(e, text).toBeDefined()
      for (const cls of immune) expect(e?.classes, `${text}: ${cls}`).not.toContain(cls)
    }
  })

  it('SNOMED-coded Synthea conditions map to the entries exclusions select', () => {
    const bySnomed = (code: string) => defaultDictionary.conditions.find(c => c.snomed?.includes(code))?.id
    expect(bySnomed('200936003')).toBe('systemic_lupus_erythematosus')
    expect(bySnomed('840539006')).toBe('covid19')
    expect(bySnomed('444814009')).toBe('viral_sinusitis')
    expect(bySnomed('363406005')).toBe('colorectal_cancer')
    expect(bySnomed('126906006')).toBe('prostate_cancer')
    expect(bySnomed('94260004')).toBe('metastatic_malignancy')
    expect(bySnomed('161665007')).toBe('kidney_transplant_status')
    for (const code of ['444814009', '40055000', '10509002', '195662009', '43878008', '65363002']) {
      expect(defaultDictionary.conditions.find(c => c.snomed?.includes(code))?.classes, code).toContain('infection')
    }
  })

  it('SNOMED-coded procedures: dialysis, transplant, surgery, assessments', () => {
    const bySnomed = (code: string) => defaultDictionary.procedures.find(c => c.snomed?.includes(code))
    expect(bySnomed('302497006')?.classes).toContain('dialysis')
    expect(bySnomed('265764009')?.classes).toContain('dialysis')
    expect(bySnomed('71192002')?.id).toBe('peritoneal_dialysis')
    expect(bySnomed('70536003')?.id).toBe('kidney_transplantation')
    expect(bySnomed('80146002')?.classes).toContain('surgery')
    expect(bySnomed('430193006')?.classes).toEqual(['assessment_or_screening'])
  })

  it('eGFR equations are separate concepts; Synthea creatinine in blood is serum creatinine', () => {
    expect(resolveLabConcept('98979-8')?.id).toBe('egfr')
    expect(resolveLabConcept('33914-3')?.id).toBe('egfr_mdrd')
    expect(resolveLabConcept('62238-1')?.id).toBe('egfr_ckd_epi_2009')
    expect(resolveLabConcept('38483-4')?.id).toBe('serum_creatinine')
  })

  it('no LOINC code is both a lab concept and a coded observation', () => {
    const labs = new Set(defaultDictionary.labConcepts.flatMap(c => c.loinc))
    for (const o of CODED_OBSERVATIONS) for (const code of o.loinc) expect(labs.has(code), code).toBe(false)
  })

  it('new vaccines are non-live', () => {
    for (const text of ['DTaP', 'Hib', 'Havrix', 'Menactra', 'Bexsero', 'Ad26.COV2.S']) expect(resolveEntry('vaccines', text)?.live, text).toBe(false)
  })
})

describe('rxnorm-products.json', () => {
  it('rxcuis are digits, unique, and every product has a name and source', () => {
    const seen = new Set<string>()
    for (const p of products) {
      expect(p.rxcui).toMatch(/^\d+$/)
      expect(seen.has(p.rxcui), p.rxcui).toBe(false)
      seen.add(p.rxcui)
      expect(p.name.trim()).not.toBe('')
      expect(p.source.trim()).not.toBe('')
    }
  })

  it('holds the immunosuppressant products Synthea writes', () => {
    const names = new Map(products.map(p => [p.rxcui, p.name]))
    expect(names.get('241834')).toBe('cycloSPORINE, modified 100 MG Oral Capsule')
    expect(names.get('1664463')).toBe('24 HR tacrolimus 1 MG Extended Release Oral Tablet [Envarsus]')
    expect(names.get('860975')).toBe('24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet')
  })
})

describe('ambiguous names', () => {
  it('MPA is mycophenolic acid or medroxyprogesterone, and resolves to neither', () => {
    expect(ambiguousCandidates('drugs', 'MPA')).toEqual(['mycophenolic_acid', 'medroxyprogesterone'])
    expect(ambiguousCandidates('drugs', ' mpa ')).toEqual(['mycophenolic_acid', 'medroxyprogesterone'])
    expect(resolveEntry('drugs', 'MPA')).toBeUndefined()
  })

  it('"MPA" is no name of either candidate, while the unambiguous names of mycophenolic acid still resolve', () => {
    for (const id of ['mycophenolic_acid', 'medroxyprogesterone']) {
      const e = defaultDictionary.drugs.find(d => d.id === id)!
      expect([e.id, e.name, ...(e.synonyms ?? [])].map(n => n.toLowerCase())).not.toContain('mpa')
    }
    for (const text of ['mycophenolic acid', 'Mycophenolic Acid', 'Myfortic', 'mycophenolate sodium', 'EC-MPS'])
      expect(resolveEntry('drugs', text)?.id).toBe('mycophenolic_acid')
    expect(resolveEntry('drugs', 'medroxyprogesterone acetate')?.id).toBe('medroxyprogesterone')
    expect(resolveEntry('drugs', 'DMPA')?.id).toBe('medroxyprogesterone')
  })

  it('is per domain, and undefined for unambiguous text', () => {
    expect(ambiguousCandidates('vaccines', 'Zoster Vaccine')).toEqual(['zoster_live', 'zoster_recombinant'])
    expect(ambiguousCandidates('conditions', 'MPA')).toBeUndefined()
    expect(ambiguousCandidates('drugs', 'rituximab')).toBeUndefined()
  })

  it('returns a copy', () => {
    ambiguousCandidates('drugs', 'MPA')?.push('x')
    expect(ambiguousCandidates('drugs', 'MPA')).toHaveLength(2)
  })
})

describe('possibleClasses', () => {
  it('a metastasis is possibly a malignancy', () => {
    expect(possibleClasses('conditions', 'Metastasis from malignant tumor of prostate (disorder)')).toContain('malignancy')
  })

  it.each(['Full-time employment (finding)', 'Part-time employment (finding)', 'Medication review due (situation)', 'Social isolation (finding)'])(
    '%s suggests nothing',
    text => {
      expect(possibleClasses('conditions', text)).toEqual([])
    },
  )

  it.each([
    { domain: 'conditions' as const, text: 'Suspected disease caused by Severe acute respiratory coronavirus 2 (situation)', want: 'infection' },
    { domain: 'conditions' as const, text: 'Awaiting transplantation of kidney (situation)', want: 'transplant_status' },
    { domain: 'conditions' as const, text: 'Chronic kidney disease stage 5 (disorder)', want: 'kidney_disease' },
    { domain: 'conditions' as const, text: 'Non-Hodgkin lymphoma (disorder)', want: 'hematologic_malignancy' },
    { domain: 'procedures' as const, text: 'Laparoscopic appendectomy (procedure)', want: 'surgery' },
    { domain: 'procedures' as const, text: 'Total knee arthroplasty', want: 'surgery' },
    { domain: 'procedures' as const, text: 'Intermittent hemodialysis (procedure)', want: 'dialysis' },
    { domain: 'procedures' as const, text: 'Therapeutic plasmapheresis', want: 'plasma_exchange_or_immunoadsorption' },
    { domain: 'drugs' as const, text: 'obinutuzumab-xyz 1000 MG', want: 'b_cell_depleting' },
    { domain: 'drugs' as const, text: 'deucravacitinib', want: 'small_molecule_targeted' },
    { domain: 'drugs' as const, text: 'temsirolimus', want: 'conventional_immunosuppressant' },
  ])('$text: possibly $want', ({ domain, text, want }) => {
    expect(possibleClasses(domain, text)).toContain(want)
  })

  it('word-start, word-end and whole-word matching', () => {
    const hints = [
      { domain: 'conditions' as const, class: 'a', words: ['malign'], source: 's' },
      { domain: 'conditions' as const, class: 'b', words: ['-ectomy'], source: 's' },
      { domain: 'conditions' as const, class: 'c', words: ['=tb'], source: 's' },
    ]
    expect(possibleClasses('conditions', 'Premalignant', hints)).toEqual([])
    expect(possibleClasses('conditions', 'MALIGNANT tumour', hints)).toEqual(['a'])
    expect(possibleClasses('conditions', 'Status post appendectomy', hints)).toEqual(['b'])
    expect(possibleClasses('conditions', 'Ectomyosis', hints)).toEqual([])
    expect(possibleClasses('conditions', 'TBI', hints)).toEqual([])
    expect(possibleClasses('conditions', 'history of TB.', hints)).toEqual(['c'])
    expect(possibleClasses('vaccines', 'malignant', hints)).toEqual([])
  })
})

describe('checkDictionary: terminology problems', () => {
  it('malformed and duplicate RxNorm codes', () => {
    const problems = checkDictionary({ ...base, drugs: [drug('a', { rxnorm: ['12a'] }), drug('b', { rxnorm: ['5'] }), drug('c', { rxnorm: ['5'] })] })
    expect(problems).toEqual([
      expect.objectContaining({ id: 'a', message: expect.stringMatching(/RxNorm code "12a" is malformed/) }),
      expect.objectContaining({ id: 'c', message: expect.stringMatching(/RxNorm code "5" also belongs to "b"/) }),
    ])
  })

  it('rxnorm that is not a list', () => {
    expect(checkDictionary({ ...base, drugs: [drug('a', { rxnorm: '5' })] })).toEqual([expect.objectContaining({ message: 'rxnorm is not a list' })])
  })

  it('malformed and duplicate SNOMED codes (6-18 digits, one entry per domain)', () => {
    const problems = checkDictionary({
      ...base,
      conditions: [cond('a', ['12345', '123456']), cond('b', ['123456'])],
      procedures: [proc('p', ['1234567890123456789', '123456'])],
    })
    expect(problems.map(p => [p.domain, p.id, p.message])).toEqual([
      ['conditions', 'a', expect.stringMatching(/SNOMED CT code "12345" is malformed/)],
      ['conditions', 'b', expect.stringMatching(/SNOMED CT code "123456" also belongs to "a"/)],
      ['procedures', 'p', expect.stringMatching(/SNOMED CT code "1234567890123456789" is malformed/)],
    ])
  })

  it('duplicate CVX codes', () => {
    const v = (id: string, cvx: string[]) => ({
      id,
      name: id,
      atc: [],
      cvx,
      live: false,
      classes: ['inactivated_or_non_live_vaccine'],
      synonyms: [],
      source: 's',
    })
    expect(checkDictionary({ ...base, vaccines: [v('a', ['20']), v('b', ['20'])] })).toEqual([
      expect.objectContaining({ id: 'b', message: expect.stringMatching(/CVX code "20" also belongs to "a"/) }),
    ])
  })

  it('an ambiguous name that is also a synonym, and a candidate that is no entry', () => {
    const drugs = [drug('mycophenolic_acid', { synonyms: ['MPA'] }), drug('medroxyprogesterone')]
    const ambiguousNames = [{ domain: 'drugs' as const, name: 'mpa', candidates: ['mycophenolic_acid', 'medroxyprogesterone', 'nope'], source: 's' }]
    const problems = checkDictionary({ ...base, drugs }, { ambiguousNames })
    expect(problems).toEqual([
      expect.objectContaining({ domain: 'drugs', id: 'mpa', message: expect.stringMatching(/also the id, name or a synonym of "mycophenolic_acid"/) }),
      expect.objectContaining({ domain: 'drugs', id: 'mpa', message: expect.stringMatching(/candidate "nope" is not an entry id/) }),
    ])
  })

  it('an ambiguous name with one candidate', () => {
    const ambiguousNames = [{ domain: 'drugs' as const, name: 'x', candidates: ['a', 'a'], source: 's' }]
    expect(checkDictionary({ ...base, drugs: [drug('a')] }, { ambiguousNames })).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/fewer than two/) }),
    ])
  })

  it('a hint for a class no entry has, a bad word, and a class without hints', () => {
    const hints = [
      { domain: 'conditions' as const, class: 'malignancy', words: ['malignan'], source: 's' },
      { domain: 'conditions' as const, class: 'no_such_class', words: ['Bad Word'], source: 's' },
    ]
    const problems = checkDictionary(
      { ...base, conditions: [cond('a', [], ['malignancy']), cond('b', [], ['infection'])], procedures: [proc('p', [], ['surgery'])] },
      { hints },
    )
    expect(problems.map(p => [p.domain, p.id, p.message])).toEqual([
      ['conditions', 'no_such_class', expect.stringMatching(/which no conditions entry has/)],
      ['conditions', 'no_such_class', expect.stringMatching(/hint word "Bad Word"/)],
      ['conditions', 'infection', expect.stringMatching(/has no unrecognised-code hint/)],
      ['procedures', 'surgery', expect.stringMatching(/has no unrecognised-code hint/)],
    ])
  })

  it('a fixture dictionary is checked without the shipped lists unless they are passed', () => {
    expect(checkDictionary({ ...base, conditions: [cond('a', [], ['infection'])] })).toEqual([])
  })
})
