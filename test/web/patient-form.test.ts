// @vitest-environment happy-dom
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { FACT_CATALOGUE, type PatientRecord, type ProtocolDocument } from '../../engine/index.ts'
import labConcepts from '../../engine/dictionary/lab-concepts.json' with { type: 'json' }
import { ACR_1997_LABELS, BOOLEAN_FACTS, SLEDAI_2K } from '../../web/patient-form/catalogue.ts'
import { deriveFields } from '../../web/patient-form/fields.ts'
import { buildRecord, emptyState, stateFromRecord } from '../../web/patient-form/record.ts'
import { unitChoices, type LabConceptInfo } from '../../web/patient-form/units.ts'
import type { TpPatientForm } from '../../web/components/tp-patient-form.ts'

const doc = parse(readFileSync(join(import.meta.dirname, '../../protocols/nct05631717.yaml'), 'utf8')) as ProtocolDocument
const examples = parse(readFileSync(join(import.meta.dirname, '../../protocols/nct05631717.examples.yaml'), 'utf8')) as { base_patient: PatientRecord }
const fields = deriveFields(doc, labConcepts as LabConceptInfo[])

describe('deriveFields (NCT05631717)', () => {
  it('asks for each measurement in the unit the protocol compares in, with convertible alternatives', () => {
    expect(fields.measurements.map(m => [m.concept, m.input, m.units])).toEqual([
      ['sledai_2k_score', 'sledai', ['{score}']],
      ['urine_protein_creatinine_ratio', 'number', ['g/g', 'mg/g', 'mg/mmol']],
      ['urine_protein_24h', 'number', ['g/(24.h)', 'mg/(24.h)']],
    ])
    expect(fields.measurements.find(m => m.concept === 'urine_protein_creatinine_ratio')).toMatchObject({
      unit: 'g/g',
      usedBy: ['IN04'],
      windows: ['within 28 days before screening'],
    })
  })

  it('asks for the birth date and the reference dates the windows and ages use, in the protocol order', () => {
    expect(fields.birthDate?.usedBy).toEqual(['IN02'])
    expect(fields.referenceDates.map(d => d.name)).toEqual(['consent', 'screening', 'randomization'])
    expect(fields.referenceDates[0]).toMatchObject({ label: 'informed consent', usedBy: ['IN02'] })
    expect(fields.referenceDates[2]!.usedBy).toEqual(['EX04', 'EX06'])
  })

  it('collects facts, the ACR 1997 checklist, pregnancy tests and attestations with their questions', () => {
    expect(fields.sex?.usedBy).toEqual(['IN05', 'IN06', 'EX08'])
    expect(fields.facts.map(f => f.name).sort()).toEqual(['childbearing_potential', 'contraception_agreed', 'informed_consent_signed', 'lactating', 'pregnant'])
    expect(fields.acr1997?.usedBy).toEqual(['IN01'])
    expect(fields.pregnancyTests.map(t => t.specimen)).toEqual(['urine', 'serum'])
    expect(fields.attestations.map(a => a.name)).toEqual([
      'willing_to_comply',
      'severe_uncontrolled_cardiovascular_disease',
      'severe_uncontrolled_nervous_system_disease',
      'severe_uncontrolled_lung_disease',
      'severe_uncontrolled_liver_disease',
      'severe_uncontrolled_endocrine_disease',
      'severe_uncontrolled_gastrointestinal_disease',
      'surgery_unacceptable_risk',
    ]) // other_deterioration is asked at follow-up visits only
    expect(fields.attestations[0]!.question).toBe('Does the patient agree to comply with the requirements of the research programme?')
    expect(fields.unsupported).toEqual([])
  })

  it('lists each event section with the sets the protocol names, for hints', () => {
    expect(Object.keys(fields.events)).toEqual(['medications', 'procedures', 'conditions', 'vaccinations'])
    expect(fields.events.medications!.map(h => h.label)).toEqual([
      'rituximab or any other B cell depletion therapy',
      'mycophenolate mofetil, cyclophosphamide or other immunosuppressants',
      'biological agents or small molecule targeted drugs for immune diseases',
    ])
    expect(fields.events.medications![1]).toMatchObject({
      window: 'within 12 weeks before screening',
      filters: ['started, stopped or dose changed'],
      usedBy: ['EX01b'],
    })
    expect(fields.events.conditions!.find(h => h.filters.includes('severe'))).toMatchObject({ window: 'within 4 weeks before random allocation' })
    expect(fields.events.procedures!.some(h => h.window === 'planned during the study' && h.filters.includes('major'))).toBe(true)
    expect(fields.suggestions.medications).toContain('rituximab')
  })

  it('needs every criterion: each one names at least one field', () => {
    const used = new Set(
      [
        fields.birthDate,
        fields.sex,
        fields.acr1997,
        ...fields.referenceDates,
        ...fields.facts,
        ...fields.measurements,
        ...fields.pregnancyTests,
        ...fields.attestations,
        ...Object.values(fields.events).flat(),
      ].flatMap(u => u?.usedBy ?? []),
    )
    expect([...used].sort()).toEqual(doc.criteria.map(c => c.id).sort())
  })

  it('works for any protocol: a local lab concept and an unknown fact', () => {
    const other = {
      protocol: { registry_id: 'X', title: 'x', version: '1', sponsor: 's', phase: '2', target_enrollment: 1 },
      reference_dates: { baseline: { label: 'baseline' } },
      definitions: { lab_concepts: { serum_x: { name: 'X in serum', unit: 'mg/dL', molar_mass_g_per_mol: 100, source: 't' } } },
      criteria: [
        { id: 'A', kind: 'inclusion', text: 'a', logic: { measurement: { concept: 'serum_x', op: '<', value: 2 } } },
        { id: 'B', kind: 'exclusion', text: 'b', logic: { fact: 'smoker', is: true } },
      ],
    } as unknown as ProtocolDocument
    const f = deriveFields(other, [])
    expect(f.measurements[0]).toMatchObject({ name: 'X in serum', unit: 'mg/dL', units: ['mg/dL', 'mg/L', 'g/L', 'umol/L', 'mmol/L'] })
    expect(f.unsupported).toEqual([{ what: 'fact smoker', usedBy: ['B'] }])
  })
})

describe("the form reads the engine's catalogue", () => {
  it('labels ACR 1997 items, SLEDAI-2K descriptors and yes/no facts from their names', () => {
    expect(ACR_1997_LABELS.hematologic_disorder).toBe('Haematologic disorder')
    expect(SLEDAI_2K.find(d => d.id === 'increased_dna_binding')).toEqual({ id: 'increased_dna_binding', label: 'Increased DNA binding', weight: 2 })
    expect(BOOLEAN_FACTS.informed_consent_signed).toEqual({ label: 'Informed consent signed', section: 'informed_consent', key: 'signed' })
    // every yes/no fact the form asks is one a protocol's `fact:` leaf may name
    for (const name of Object.keys(BOOLEAN_FACTS)) expect(FACT_CATALOGUE[name], name).toBeDefined()
  })

  it.each([
    { unit: 'mg/dL', concept: 'serum_creatinine', want: ['mg/dL', 'mg/L', 'g/L', 'umol/L', 'mmol/L'] },
    { unit: 'mg/dL', concept: 'complement_c3', want: ['mg/dL', 'mg/L', 'g/L'] }, // no molar mass: no umol/L
    { unit: 'mm[Hg]', concept: 'systolic_blood_pressure', want: ['mm[Hg]'] },
  ])('units for $concept in $unit', ({ unit, concept, want }) => {
    expect(
      unitChoices(
        unit,
        (labConcepts as LabConceptInfo[]).find(c => c.id === concept),
      ),
    ).toEqual(want)
  })
})

describe('race for an eGFR equation with a race coefficient', () => {
  const aurora = parse(readFileSync(join(import.meta.dirname, '../../protocols/nct03021499.yaml'), 'utf8')) as ProtocolDocument
  it('asks whether the patient is Black only when a protocol eGFR uses CKD-EPI 2009 or MDRD', () => {
    expect(aurora.parameters!.egfr_equation!.value).toBe('ckd_epi_2009')
    const field = deriveFields(aurora, labConcepts as LabConceptInfo[]).facts.find(x => x.name === 'black_race')
    expect(field?.usedBy).toContain('EX01')
    const race2021 = { ...aurora, parameters: { ...aurora.parameters, egfr_equation: { ...aurora.parameters!.egfr_equation!, value: 'ckd_epi_2021' } } }
    expect(deriveFields(race2021, labConcepts as LabConceptInfo[]).facts.map(x => x.name)).not.toContain('black_race')
    expect(fields.facts.map(x => x.name)).not.toContain('black_race') // NCT05631717 has no eGFR leaf
  })
  it('an eGFR the protocol reads by CKD-EPI 2009 is entered as a CKD-EPI 2009 value', () => {
    const concepts = deriveFields(aurora, labConcepts as LabConceptInfo[]).measurements.map(m => m.concept)
    expect(concepts).toContain('egfr_ckd_epi_2009')
    expect(concepts).not.toContain('egfr')
  })
  it('writes black_race at the top of the record, and reads it back', () => {
    const record = buildRecord({ ...emptyState(), facts: { black_race: 'no' } })
    expect(record).toMatchObject({ black_race: false })
    expect(stateFromRecord({ black_race: true }, { concepts: [], attestations: [] }).facts.black_race).toBe('yes')
  })
})

describe('buildRecord', () => {
  it('leaves unknown answers and empty inputs out of the record', () => {
    const s = emptyState()
    s.facts = { pregnant: 'unknown', lactating: 'no', informed_consent_signed: 'yes' }
    s.attestations = { willing_to_comply: 'unknown', surgery_unacceptable_risk: 'no' }
    s.acr = { malar_rash: 'yes', arthritis: 'unknown' }
    s.measurements = { urine_protein_24h: { value: '', unit: 'g/(24.h)', date: '2026-01-04' } }
    expect(buildRecord(s)).toEqual({
      reproductive: { lactating: false },
      informed_consent: { signed: true },
      attestations: { surgery_unacceptable_risk: false },
      acr_1997: { malar_rash: true },
    })
  })

  it('keeps the unit as chosen and needs a date for a value', () => {
    const s = emptyState()
    s.measurements = {
      urine_protein_creatinine_ratio: { value: '150', unit: 'mg/mmol', date: '2026-01-04' },
      urine_protein_24h: { value: '0.9', unit: 'g/(24.h)', date: '' },
    }
    expect(buildRecord(s).measurements).toEqual([{ concept: 'urine_protein_creatinine_ratio', value: 150, unit: 'mg/mmol', date: '2026-01-04' }])
  })

  it('a list marked "none" is an empty list; a list not touched is absent; blank rows are drafts', () => {
    const s = emptyState()
    s.medications = { none: true, items: [] }
    s.conditions = { none: false, items: [{ concept: '' }] }
    s.procedures = { none: true, items: [{ concept: 'kidney_biopsy', date: '2025-02-20', major: false }] }
    const r = buildRecord(s)
    expect(r.medications).toEqual([])
    expect('conditions' in r).toBe(false)
    expect('vaccinations' in r).toBe(false)
    expect(r.procedures).toEqual([{ concept: 'kidney_biopsy', date: '2025-02-20', major: false }])
  })

  it('drops dose rows still being filled in', () => {
    const s = emptyState()
    s.medications.items = [
      {
        drug: 'prednisone',
        ongoing: true,
        doses: [
          { date: '2025-03-01', amount: 10, unit: 'mg' },
          { date: '', amount: NaN, unit: 'mg' },
        ],
      },
    ]
    expect(buildRecord(s).medications).toEqual([{ drug: 'prednisone', ongoing: true, doses: [{ date: '2025-03-01', amount: 10, unit: 'mg' }] }])
  })

  it('SLEDAI-2K as a total or as descriptors, with its date', () => {
    const s = emptyState()
    s.sledai = { date: '2026-01-05', mode: 'descriptors', score: '10', descriptors: { proteinuria: 'yes', rash: 'no', fever: 'unknown' } }
    expect(buildRecord(s).sledai_2k).toEqual([{ date: '2026-01-05', descriptors: { proteinuria: true, rash: false } }])
    s.sledai.mode = 'score'
    expect(buildRecord(s).sledai_2k).toEqual([{ date: '2026-01-05', score: 10 }])
  })

  it('round-trips the eligible example through the form state', () => {
    const shown = { concepts: fields.measurements.map(m => m.concept), attestations: fields.attestations.map(a => a.name) }
    const r = buildRecord(stateFromRecord(examples.base_patient, shown))
    const sort = (x: PatientRecord) => ({ ...x, measurements: [...(x.measurements ?? [])].sort((a, b) => String(a.concept).localeCompare(String(b.concept))) })
    expect(sort(r)).toEqual(sort(examples.base_patient))
  })

  it('keeps what an import could not recognise and a dated pregnancy status, which the form has no input for', () => {
    const shown = { concepts: fields.measurements.map(m => m.concept), attestations: fields.attestations.map(a => a.name) }
    const imported: PatientRecord = {
      ...structuredClone(examples.base_patient),
      reproductive: { pregnancy_status: { pregnant: true, date: '2022-05-01' } },
      unrecognised: { medications: [{ text: 'Zzfictimab 100 MG Injection', reason: 'not in the drug dictionary', start: '2025-12-20' }] },
    }
    const state = stateFromRecord(imported, shown)
    const r = buildRecord(state)
    expect(r.unrecognised).toEqual(imported.unrecognised)
    expect(r.reproductive?.pregnancy_status).toEqual({ pregnant: true, date: '2022-05-01' })
    // answering in the form adds the clinician's answer beside it (which the evaluator prefers)
    state.facts.pregnant = 'no'
    expect(buildRecord(state).reproductive).toMatchObject({ pregnant: false, pregnancy_status: { pregnant: true, date: '2022-05-01' } })
  })
})

describe('tp-patient-form', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-patient-form.ts')
  })

  async function mount(): Promise<{ el: TpPatientForm; root: ShadowRoot; records: PatientRecord[] }> {
    document.body.innerHTML = ''
    const el = document.createElement('tp-patient-form') as TpPatientForm
    el.fields = fields
    const records: PatientRecord[] = []
    el.addEventListener('patient-changed', e => records.push((e as CustomEvent<{ record: PatientRecord }>).detail.record))
    document.body.append(el)
    await el.updateComplete
    return { el, root: el.shadowRoot!, records }
  }

  it('labels every control', async () => {
    const { root } = await mount()
    const controls = [...root.querySelectorAll('input, select, textarea')]
    expect(controls.length).toBeGreaterThan(50)
    const unlabelled = controls.filter(c => {
      if (c.getAttribute('aria-label')) return false
      if (c.id && root.querySelector(`label[for="${c.id}"]`)) return false
      return !c.closest('label')
    })
    expect(unlabelled.map(c => c.outerHTML)).toEqual([])
  })

  it('emits the record as inputs change: dates, radio answers, unit chosen, "none" toggles', async () => {
    const { el, root, records } = await mount()
    const input = (sel: string) => root.querySelector<HTMLInputElement>(sel)!
    const birth = input('#f-birth_date')
    birth.value = '1990-05-01'
    birth.dispatchEvent(new Event('change'))
    input('input[name="fact-pregnant"][value="no"]').dispatchEvent(new Event('change'))
    await el.updateComplete
    const unit = root.querySelector<HTMLSelectElement>('#f-measurement-urine_protein_creatinine_ratio-unit')!
    expect([...unit.options].map(o => o.value)).toEqual(['g/g', 'mg/g', 'mg/mmol'])
    unit.value = 'mg/mmol'
    unit.dispatchEvent(new Event('change'))
    await el.updateComplete
    const value = input('#f-measurement-urine_protein_creatinine_ratio')
    value.value = '150'
    value.dispatchEvent(new Event('input'))
    const date = input('#f-measurement-urine_protein_creatinine_ratio-date')
    date.value = '2026-01-04'
    date.dispatchEvent(new Event('change'))
    await el.updateComplete
    const none = root.querySelector('[data-section="vaccinations"] input[type="checkbox"]') as HTMLInputElement
    none.checked = true
    none.dispatchEvent(new Event('change'))
    await el.updateComplete
    expect(records.at(-1)).toEqual({
      birth_date: '1990-05-01',
      reproductive: { pregnant: false },
      measurements: [{ concept: 'urine_protein_creatinine_ratio', value: 150, unit: 'mg/mmol', date: '2026-01-04' }],
      vaccinations: [],
    })
    // back to unknown: the answer leaves the record
    input('input[name="fact-pregnant"][value="unknown"]').dispatchEvent(new Event('change'))
    await el.updateComplete
    expect(records.at(-1)!.reproductive).toBeUndefined()
  })

  it('counts ACR 1997 items and sums SLEDAI-2K descriptors', async () => {
    const { el, root } = await mount()
    for (const item of ['malar_rash', 'arthritis'])
      root.querySelector<HTMLInputElement>(`input[name="acr-${item}"][value="yes"]`)!.dispatchEvent(new Event('change'))
    await el.updateComplete
    expect(root.querySelector('[data-testid="acr-count"]')!.textContent!.trim()).toBe('2 of 11 present, 9 not recorded')
    root.querySelector<HTMLInputElement>('input[name="sledai-mode"]:not(:checked)')!.dispatchEvent(new Event('change'))
    await el.updateComplete
    root.querySelector<HTMLInputElement>('input[name="sledai-proteinuria"][value="yes"]')!.dispatchEvent(new Event('change'))
    root.querySelector<HTMLInputElement>('input[name="sledai-low_complement"][value="yes"]')!.dispatchEvent(new Event('change'))
    await el.updateComplete
    expect(root.querySelector('[data-testid="sledai-total"]')!.textContent!.replace(/\s+/g, ' ').trim()).toBe(
      'Score 6 so far (up to 105; 22 of 24 not recorded)',
    )
    const markRest = [...root.querySelectorAll('button')].find(b => b.textContent!.includes('Mark the rest absent') && b.closest('[data-field="sledai"]'))!
    markRest.click()
    await el.updateComplete
    expect(root.querySelector('[data-testid="sledai-total"]')!.textContent!.trim()).toBe('Score 6')
    expect(el.record.sledai_2k).toBeUndefined() // no date yet
  })

  it('adds and edits list entries', async () => {
    const { el, root, records } = await mount()
    const add = [...root.querySelectorAll('[data-section="medications"] button')].find(b => b.textContent!.trim() === 'Add medication') as HTMLButtonElement
    add.click()
    await el.updateComplete
    const drug = root.querySelector<HTMLInputElement>('#medications-0-drug')!
    drug.value = 'rituximab'
    drug.dispatchEvent(new Event('input'))
    await el.updateComplete
    const start = root.querySelector<HTMLInputElement>('#medications-0-start')!
    start.value = '2025-12-01'
    start.dispatchEvent(new Event('change'))
    await el.updateComplete
    expect(records.at(-1)!.medications).toEqual([{ drug: 'rituximab', start: '2025-12-01' }])
  })
})
