import { describe, expect, it } from 'vitest'
import { checkDictionary, defaultDictionary, entriesInClass, hasClassOrItem, resolveEntry, resolveLabConcept } from '../../../engine/dictionary/index.ts'
import type { Dictionary } from '../../../engine/dictionary/index.ts'
import { isValidUnit } from '../../../engine/calculators/index.ts'

const ids = (entries: Array<{ id: string }>) => entries.map(e => e.id).sort()

describe('shipped dictionary', () => {
  it('has no problems', () => {
    expect(checkDictionary(defaultDictionary)).toEqual([])
  })

  it('every lab concept unit is valid UCUM', () => {
    for (const c of defaultDictionary.labConcepts) expect(isValidUnit(c.unit), `${c.id}: ${c.unit}`).toBe(true)
  })

  it('every entry has a source', () => {
    const all = [
      ...defaultDictionary.drugs,
      ...defaultDictionary.vaccines,
      ...defaultDictionary.conditions,
      ...defaultDictionary.procedures,
      ...defaultDictionary.labConcepts,
    ]
    for (const e of all) expect(e.source.trim(), e.id).not.toBe('')
  })

  it('names no specific trial', () => {
    expect(JSON.stringify(defaultDictionary)).not.toMatch(/NCT\d{8}/i)
  })
})

describe('drug classes', () => {
  it.each([
    // alemtuzumab (anti-CD52) depletes B as well as T lymphocytes
    { cls: 'b_cell_depleting', want: ['alemtuzumab', 'inebilizumab', 'obinutuzumab', 'ocrelizumab', 'ofatumumab', 'rituximab'] },
    { cls: 'mycophenolate', want: ['mycophenolate_mofetil', 'mycophenolic_acid'] },
    { cls: 'calcineurin_inhibitor', want: ['ciclosporin', 'tacrolimus', 'voclosporin'] },
    { cls: 'blys_april_inhibitor', want: ['belimumab', 'telitacicept'] },
    { cls: 'type1_ifn_receptor_antagonist', want: ['anifrolumab'] },
    { cls: 'tnf_inhibitor', want: ['adalimumab', 'certolizumab_pegol', 'etanercept', 'golimumab', 'infliximab'] },
    { cls: 'il6_receptor_antagonist', want: ['tocilizumab'] },
    { cls: 'jak_inhibitor', want: ['baricitinib', 'filgotinib', 'tofacitinib', 'upadacitinib'] },
    { cls: 'alkylating_agent', want: ['cyclophosphamide'] },
    { cls: 'antimalarial', want: ['hydroxychloroquine'] },
    { cls: 'interleukin_2', want: ['aldesleukin'] },
    {
      cls: 'glucocorticoid',
      // budesonide, fluticasone and mometasone are glucocorticoids too: the route decides systemic exposure
      want: [
        'betamethasone',
        'budesonide',
        'cortisone',
        'dexamethasone',
        'fluticasone',
        'hydrocortisone',
        'methylprednisolone',
        'mometasone',
        'prednisolone',
        'prednisone',
        'triamcinolone',
      ],
    },
  ])('$cls', ({ cls, want }) => {
    expect(ids(entriesInClass('drugs', cls))).toEqual(want)
  })

  it('conventional immunosuppressants include the mycophenolates, CYC, CNIs and the others', () => {
    const conv = ids(entriesInClass('drugs', 'conventional_immunosuppressant'))
    for (const id of [
      'mycophenolate_mofetil',
      'cyclophosphamide',
      'tacrolimus',
      'azathioprine',
      'methotrexate',
      'leflunomide',
      'tripterygium_wilfordii',
      'iguratimod',
    ]) {
      expect(conv).toContain(id)
    }
    expect(conv).not.toContain('hydroxychloroquine')
    expect(conv).not.toContain('prednisone')
    expect(conv).not.toContain('rituximab')
  })

  it('biologic immunomodulators do not include B-cell depleters or JAK inhibitors', () => {
    const bio = ids(entriesInClass('drugs', 'biologic_immunomodulator'))
    expect(bio).toContain('belimumab')
    expect(bio).toContain('tocilizumab')
    expect(bio).not.toContain('rituximab')
    expect(bio).not.toContain('tofacitinib')
  })

  it('unrelated drugs are in no immune class', () => {
    const losartan = resolveEntry('drugs', 'losartan')
    expect(losartan?.classes).toEqual(['renin_angiotensin_blocker', 'angiotensin_receptor_blocker'])
    expect(resolveEntry('drugs', 'ramipril')?.classes).toContain('renin_angiotensin_blocker')
  })
})

describe('resolveEntry: drugs', () => {
  it.each([
    { text: 'rituximab', want: 'rituximab' },
    { text: 'RITUXIMAB', want: 'rituximab' },
    { text: 'Rituxan', want: 'rituximab' },
    { text: 'MabThera', want: 'rituximab' },
    { text: 'L01FA01', want: 'rituximab' }, // ATC
    { text: 'l01fa01', want: 'rituximab' },
    { text: 'Mycophenolate mofetil', want: 'mycophenolate_mofetil' },
    { text: 'mycophenolate_mofetil', want: 'mycophenolate_mofetil' },
    { text: 'CellCept', want: 'mycophenolate_mofetil' },
    { text: 'MMF', want: 'mycophenolate_mofetil' },
    { text: 'mycophenolate', want: 'mycophenolate_mofetil' },
    { text: 'Myfortic', want: 'mycophenolic_acid' },
    { text: 'L04AA06', want: 'mycophenolate_mofetil' }, // shared ATC: first entry, same classes
    { text: 'cyclosporine', want: 'ciclosporin' },
    { text: 'Cyclosporin', want: 'ciclosporin' },
    { text: 'Lupkynis', want: 'voclosporin' },
    { text: 'certolizumab pegol', want: 'certolizumab_pegol' },
    { text: 'Certolizumab-Pegol', want: 'certolizumab_pegol' },
    { text: 'L04AK01', want: 'leflunomide' },
    { text: 'L04AA13', want: 'leflunomide' }, // pre-2024 code
    { text: 'Tripterygium wilfordii Hook F', want: 'tripterygium_wilfordii' },
    { text: 'T-614', want: 'iguratimod' },
    { text: 'telitacimab', want: 'telitacicept' },
    { text: 'RC18', want: 'telitacicept' },
    { text: 'Saphnelo', want: 'anifrolumab' },
    { text: 'Medrol', want: 'methylprednisolone' },
    { text: 'H02AB07', want: 'prednisone' },
    { text: 'interleukin-2', want: 'aldesleukin' },
    { text: 'IL-2', want: 'aldesleukin' },
    { text: 'Proleukin®', want: 'aldesleukin' },
    { text: '  losartan  ', want: 'losartan' },
  ])('$text -> $want', ({ text, want }) => {
    expect(resolveEntry('drugs', text)?.id).toBe(want)
  })

  it.each(['zyxorabimab', 'ritux', 'L01FA', 'L01FA99', '', 'b_cell_depleting'])('%j is not an entry', text => {
    expect(resolveEntry('drugs', text)).toBeUndefined()
  })
})

describe('vaccines', () => {
  it('every live vaccine is in live_vaccine, the others in inactivated_or_non_live_vaccine', () => {
    for (const v of defaultDictionary.vaccines) {
      expect(v.classes.includes('live_vaccine'), v.id).toBe(v.live)
      expect(v.classes.includes('inactivated_or_non_live_vaccine'), v.id).toBe(!v.live)
    }
  })

  it('live vaccines (CDC ACIP General Best Practice Guidelines)', () => {
    expect(ids(entriesInClass('vaccines', 'live_vaccine'))).toEqual(
      expect.arrayContaining([
        'bcg',
        'cholera_oral_live',
        'dengue_live',
        'influenza_live_attenuated',
        'mmr',
        'oral_polio',
        'rotavirus',
        'smallpox_acam2000',
        'typhoid_oral_ty21a',
        'varicella',
        'yellow_fever',
        'zoster_live',
      ]),
    )
  })

  it('zoster vaccines: both, only one live', () => {
    expect(ids(entriesInClass('vaccines', 'zoster_vaccine'))).toEqual(['zoster_live', 'zoster_recombinant'])
    expect(resolveEntry('vaccines', 'Zostavax')?.live).toBe(true)
    expect(resolveEntry('vaccines', 'Shingrix')?.live).toBe(false)
  })

  it.each([
    { text: 'FluMist', want: 'influenza_live_attenuated', live: true },
    { text: 'J07BB03', want: 'influenza_live_attenuated', live: true },
    { text: 'Fluzone', want: 'influenza_inactivated', live: false },
    { text: 'Vivotif', want: 'typhoid_oral_ty21a', live: true },
    { text: 'M-M-R II', want: 'mmr', live: true },
    { text: 'J07BK03', want: 'zoster_recombinant', live: false },
    { text: 'Comirnaty', want: 'covid19_mrna', live: false },
    { text: 'Gardasil 9', want: 'hpv', live: false },
    { text: 'Engerix-B', want: 'hepatitis_b', live: false },
    { text: 'Prevnar 20', want: 'pneumococcal', live: false },
    { text: 'Boostrix', want: 'tetanus_diphtheria', live: false },
    { text: 'ACAM2000', want: 'smallpox_acam2000', live: true },
    { text: 'JYNNEOS', want: 'smallpox_mpox_mva', live: false },
    { text: 'Bacille Calmette-Guérin', want: 'bcg', live: true },
  ])('$text -> $want (live: $live)', ({ text, want, live }) => {
    const v = resolveEntry('vaccines', text)
    expect(v?.id).toBe(want)
    expect(v?.live).toBe(live)
  })

  it('"zoster vaccine" alone is ambiguous and resolves to nothing', () => {
    expect(resolveEntry('vaccines', 'zoster vaccine')).toBeUndefined()
  })
})

describe('conditions', () => {
  it.each([
    { cls: 'viral_infection', has: ['hepatitis_b', 'hepatitis_c', 'hiv_infection', 'herpes_zoster', 'influenza', 'covid19'] },
    { cls: 'fungal_infection', has: ['onychomycosis', 'candidiasis'] },
    { cls: 'parasitic_infection', has: ['malaria'] },
    { cls: 'mycobacterial_infection', has: ['tuberculosis', 'atypical_mycobacterial_infection'] },
    { cls: 'bacterial_infection', has: ['urinary_tract_infection', 'cellulitis', 'tuberculosis'] },
    { cls: 'hematologic_malignancy', has: ['lymphoma', 'leukemia', 'multiple_myeloma'] },
    { cls: 'skin_cancer', has: ['basal_cell_carcinoma_skin', 'squamous_cell_carcinoma_skin', 'melanoma'] },
    { cls: 'solid_tumor', has: ['breast_cancer', 'lung_cancer', 'colorectal_cancer', 'cervical_cancer', 'melanoma'] },
  ])('$cls has $has', ({ cls, has }) => {
    expect(ids(entriesInClass('conditions', cls))).toEqual(expect.arrayContaining(has))
  })

  it('every infection subclass entry is also an infection; every malignancy subclass entry a malignancy', () => {
    for (const c of defaultDictionary.conditions) {
      if (c.classes.some(k => k.endsWith('_infection'))) expect(c.classes, c.id).toContain('infection')
      if (c.classes.some(k => ['solid_tumor', 'hematologic_malignancy', 'skin_cancer'].includes(k))) {
        expect(c.classes, c.id).toContain('malignancy')
      }
    }
  })

  it('non-infection, non-malignancy conditions exist', () => {
    for (const id of ['hypertension', 'type_2_diabetes', 'cardiovascular_disease']) {
      const c = resolveEntry('conditions', id)
      expect(c?.classes).not.toContain('infection')
      expect(c?.classes).not.toContain('malignancy')
    }
  })

  it.each([
    { text: 'B02.9', want: 'herpes_zoster' }, // prefix of B02
    { text: 'B02', want: 'herpes_zoster' },
    { text: 'b029', want: 'herpes_zoster' },
    { text: 'A15.0', want: 'tuberculosis' },
    { text: 'A31.0', want: 'atypical_mycobacterial_infection' },
    { text: 'B18.1', want: 'hepatitis_b' },
    { text: 'B18.2', want: 'hepatitis_c' },
    { text: 'B35.1', want: 'onychomycosis' },
    { text: 'N39.0', want: 'urinary_tract_infection' },
    { text: 'U07.1', want: 'covid19' },
    { text: 'C44.311', want: 'basal_cell_carcinoma_skin' }, // ICD-10-CM BCC of nose
    { text: 'C44.92', want: 'squamous_cell_carcinoma_skin' },
    { text: 'C50.911', want: 'breast_cancer' },
    { text: 'C90.00', want: 'multiple_myeloma' },
    { text: 'M32.14', want: 'lupus_nephritis' }, // most specific code wins over M32
    { text: 'M32.10', want: 'systemic_lupus_erythematosus' },
    { text: 'N18.6', want: 'end_stage_kidney_disease' }, // over N18
    { text: 'N18.4', want: 'chronic_kidney_disease' },
    { text: 'shingles', want: 'herpes_zoster' },
    { text: 'Herpes Zoster', want: 'herpes_zoster' },
    { text: 'TB', want: 'tuberculosis' },
    { text: 'BCC', want: 'basal_cell_carcinoma_skin' },
    { text: 'SARS-CoV-2 infection', want: 'covid19' },
  ])('$text -> $want', ({ text, want }) => {
    expect(resolveEntry('conditions', text)?.id).toBe(want)
  })

  it.each([
    'B18', // chronic viral hepatitis, type not given
    'C44', // skin cancer, type not given
    'C4', // too short to be a code
    'B0', // too short
    'Z99.9',
  ])('%j resolves to nothing', text => {
    expect(resolveEntry('conditions', text)).toBeUndefined()
  })

  it('ATC codes are not matched in conditions; ICD-10 codes not in drugs', () => {
    expect(resolveEntry('conditions', 'L01FA01')).toBeUndefined()
    expect(resolveEntry('drugs', 'B02.9')).toBeUndefined()
  })
})

describe('procedures', () => {
  it.each([
    { text: 'therapeutic plasma exchange', want: 'plasmapheresis' },
    { text: 'plasmapheresis', want: 'plasmapheresis' },
    { text: 'immunoadsorption', want: 'immunoadsorption' },
    { text: 'renal biopsy', want: 'kidney_biopsy' },
    { text: 'haemodialysis', want: 'hemodialysis' },
    { text: 'surgery', want: 'surgery' },
  ])('$text -> $want', ({ text, want }) => {
    expect(resolveEntry('procedures', text)?.id).toBe(want)
  })

  it('classes', () => {
    expect(ids(entriesInClass('procedures', 'plasma_exchange_or_immunoadsorption'))).toEqual(['immunoadsorption', 'plasmapheresis'])
    expect(ids(entriesInClass('procedures', 'biopsy'))).toEqual(['kidney_biopsy'])
    expect(ids(entriesInClass('procedures', 'dialysis'))).toContain('hemodialysis')
    expect(ids(entriesInClass('procedures', 'surgery'))).toContain('surgery')
  })
})

describe('hasClassOrItem', () => {
  it.each([
    { domain: 'drugs', id: 'rituximab', want: true },
    { domain: 'drugs', id: 'b_cell_depleting', want: true },
    { domain: 'drugs', id: 'glucocorticoid', want: true },
    { domain: 'drugs', id: 'Rituximab', want: false }, // protocols use exact ids
    { domain: 'drugs', id: 'Rituxan', want: false }, // a synonym is not a protocol name
    { domain: 'drugs', id: 'live_vaccine', want: false }, // other domain
    { domain: 'vaccines', id: 'live_vaccine', want: true },
    { domain: 'vaccines', id: 'zoster_recombinant', want: true },
    { domain: 'conditions', id: 'infection', want: true },
    { domain: 'conditions', id: 'non_melanoma_skin_cancer', want: true },
    { domain: 'procedures', id: 'plasma_exchange_or_immunoadsorption', want: true },
    { domain: 'procedures', id: 'nope', want: false },
  ] as const)('$domain/$id -> $want', ({ domain, id, want }) => {
    expect(hasClassOrItem(domain, id)).toBe(want)
  })
})

describe('resolveLabConcept', () => {
  it.each([
    { key: 'serum_creatinine', want: 'serum_creatinine' },
    { key: '2160-0', want: 'serum_creatinine' },
    { key: '14682-9', want: 'serum_creatinine' },
    { key: '2890-2', want: 'urine_protein_creatinine_ratio' },
    { key: '2889-4', want: 'urine_protein_24h' },
    { key: '98979-8', want: 'egfr' },
    { key: 'EGFR', want: 'egfr' },
    { key: '13945-1', want: 'urine_rbc_hpf' },
    { key: 'sledai_2k_score', want: 'sledai_2k_score' },
    { key: 'physician_global_assessment', want: 'physician_global_assessment' },
  ])('$key -> $want', ({ key, want }) => {
    expect(resolveLabConcept(key)?.id).toBe(want)
  })

  it('unknown', () => {
    expect(resolveLabConcept('glucose')).toBeUndefined()
    expect(resolveLabConcept('')).toBeUndefined()
  })

  it('canonical units and molar masses', () => {
    expect(resolveLabConcept('serum_creatinine')).toMatchObject({ unit: 'mg/dL', molar_mass_g_per_mol: 113.12 })
    expect(resolveLabConcept('urine_protein_creatinine_ratio')).toMatchObject({ unit: 'g/g', denominator_molar_mass_g_per_mol: 113.12 })
    expect(resolveLabConcept('urine_protein_24h')).toMatchObject({ unit: 'g/(24.h)' })
    expect(resolveLabConcept('egfr')).toMatchObject({ unit: 'mL/min/{1.73_m2}' })
    expect(resolveLabConcept('sledai_2k_score')).toMatchObject({ kind: 'score', unit: '{score}', loinc: [], min: 0, max: 105 })
    expect(resolveLabConcept('physician_global_assessment')).toMatchObject({ kind: 'score', min: 0, max: 3 })
  })
})

describe('checkDictionary finds problems', () => {
  const base: Dictionary = { drugs: [], vaccines: [], conditions: [], procedures: [], labConcepts: [] }
  const drug = (id: string, extra: Partial<{ synonyms: string[]; classes: string[]; atc: string[]; name: string }> = {}) => ({
    id,
    name: extra.name ?? id,
    atc: extra.atc ?? [],
    classes: extra.classes ?? [],
    synonyms: extra.synonyms ?? [],
    source: 'test',
  })

  it('accepts an empty dictionary', () => {
    expect(checkDictionary(base)).toEqual([])
  })

  it('duplicate ids', () => {
    const problems = checkDictionary({ ...base, drugs: [drug('a'), drug('a')] })
    expect(problems).toContainEqual(expect.objectContaining({ domain: 'drugs', id: 'a', message: expect.stringMatching(/duplicate id/) }))
  })

  it('a synonym shared by two entries (after folding)', () => {
    const problems = checkDictionary({ ...base, drugs: [drug('a', { synonyms: ['Foo-Bar'] }), drug('b', { synonyms: ['foo bar'] })] })
    expect(problems).toEqual([expect.objectContaining({ id: 'b', message: expect.stringMatching(/also belongs to "a"/) })])
  })

  it('a synonym equal to another entry id', () => {
    const problems = checkDictionary({ ...base, drugs: [drug('a_b'), drug('c', { synonyms: ['A B'] })] })
    expect(problems).toHaveLength(1)
  })

  it('a class named like an entry', () => {
    const problems = checkDictionary({ ...base, drugs: [drug('a', { classes: ['b'] }), drug('b')] })
    expect(problems).toEqual([expect.objectContaining({ id: 'a', message: expect.stringMatching(/class "b" is also an entry id/) })])
  })

  it('a class named like an entry inside it is fine (generic surgery in class surgery)', () => {
    expect(checkDictionary({ ...base, drugs: [drug('a', { classes: ['b'] }), drug('b', { classes: ['b'] })] })).toEqual([])
  })

  it('non-snake-case id, malformed ATC', () => {
    const problems = checkDictionary({ ...base, drugs: [drug('Bad-Id', { atc: ['L01'] })] })
    expect(problems.map(p => p.message)).toEqual([expect.stringMatching(/snake_case/), expect.stringMatching(/ATC code "L01"/)])
  })

  it('shared ATC codes are allowed', () => {
    expect(checkDictionary({ ...base, drugs: [drug('a', { atc: ['L04AA06'] }), drug('b', { atc: ['L04AA06'] })] })).toEqual([])
  })

  it('duplicate ICD-10 codes', () => {
    const cond = (id: string, icd10: string[]) => ({ id, name: id, classes: [], icd10, synonyms: [], source: 's' })
    const problems = checkDictionary({ ...base, conditions: [cond('a', ['B02']), cond('b', ['b02'])] })
    expect(problems).toEqual([expect.objectContaining({ id: 'b', message: expect.stringMatching(/ICD-10 code/) })])
  })

  it('live flag disagreeing with its class', () => {
    const v = { id: 'v', name: 'v', atc: [], live: true, classes: ['inactivated_or_non_live_vaccine'], synonyms: [], source: 's' }
    expect(checkDictionary({ ...base, vaccines: [v] })).toHaveLength(1)
  })

  it('lab concepts: duplicate LOINC, bad kind', () => {
    const lab = (id: string, loinc: string[], kind = 'quantity') =>
      ({ id, name: id, loinc, unit: 'mg', kind, source: 's' }) as Dictionary['labConcepts'][number]
    const problems = checkDictionary({ ...base, labConcepts: [lab('a', ['1-1']), lab('b', ['1-1'], 'ratio')] })
    expect(problems.map(p => p.message)).toEqual([expect.stringMatching(/kind/), expect.stringMatching(/LOINC code "1-1"/)])
  })
})
