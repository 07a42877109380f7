import { describe, expect, it } from 'vitest'
import type { ProtocolDocument } from '../../engine/index.ts'
import { BILAG_SYSTEM_NAMES } from '../../engine/types/study.ts'
import { DOSE_FREQUENCIES as ENGINE_DOSE_FREQUENCIES } from '../../engine/calculators/dose-frequency.ts'
import labConcepts from '../../engine/dictionary/lab-concepts.json' with { type: 'json' }
import type { LabConceptInfo } from '../../web/patient-form/units.ts'
import { deriveVisitFields, latestValue, readAt, recordedBetween, type VisitFields } from '../../web/subjects/visit-fields.ts'
import { BILAG_SYSTEMS, DOSE_FREQUENCIES as WEB_DOSE_FREQUENCIES, bodyWeight, emptyVisitForm, visitInput } from '../../web/subjects/visit-input.ts'
import { shippedProtocol } from '../helpers/protocols.ts'

const labs = labConcepts as LabConceptInfo[]
const fieldsOf = (id: string) => deriveVisitFields(shippedProtocol(id).doc, labs)
const concepts = (f: VisitFields, visit = '') => f.measurements.filter(m => readAt(m, visit)).map(m => m.concept)
const field = (f: VisitFields, concept: string) => f.measurements.find(m => m.concept === concept)!

describe('deriveVisitFields on the four shipped protocols', () => {
  it('NCT05631717 (MSC / IL-2): renal labs with the creatinine ULN, safety labs with their limits, vital signs, SRI assessments, steroid dose, weight for the per-kg MSC dose', () => {
    const f = fieldsOf('NCT05631717')
    expect(concepts(f)).toEqual([
      'serum_creatinine',
      'urine_protein_creatinine_ratio',
      'urine_protein_24h',
      'alt',
      'ast',
      'neutrophils',
      'platelets',
      'hemoglobin',
      'systolic_blood_pressure',
      'diastolic_blood_pressure',
      'heart_rate',
      'body_temperature',
    ])
    // partial response compares creatinine with a multiple of the ULN; CTCAE grades ALT from the ULN and platelets from the LLN
    expect(field(f, 'serum_creatinine').limits).toEqual(['high'])
    expect(field(f, 'alt').limits).toEqual(['high'])
    expect(field(f, 'platelets').limits).toEqual(['low'])
    expect(field(f, 'urine_protein_creatinine_ratio')).toMatchObject({
      unit: 'g/g',
      units: ['g/g', 'mg/g', 'mg/mmol'],
      limits: [],
      name: 'Urine protein/creatinine ratio',
    })
    expect(field(f, 'serum_creatinine').units).toContain('umol/L')
    expect(f.sledai?.visits).toContain('week_4')
    expect(f.pga && f.bilag).toBeTruthy()
    expect(f.steroidDose?.usedBy).toEqual(['complete_response', 'steroid_dose_change'])
    expect(f.attestations.map(a => [a.id, a.visits])).toEqual([['other_deterioration', ['week_4', 'week_8', 'week_16', 'week_20', 'week_24']]])
    expect(f.bodyWeight).toEqual({ usedBy: ['MSCs group (Human umbilical cord mesenchymal stem cells)'] })
    expect(f.baselines).toEqual(['baseline'])
  })

  it('NCT02550652 (NOBILITY): UPCR, creatinine against the ULN, urine sediment; no steroid dose, SRI or weight', () => {
    const f = fieldsOf('NCT02550652')
    expect(concepts(f)).toEqual(['urine_protein_creatinine_ratio', 'serum_creatinine', 'urine_rbc_hpf', 'urine_rbc_casts_lpf'])
    expect(field(f, 'serum_creatinine').limits).toEqual(['high'])
    // casts are read at week 52 only; RBC/HPF also at baseline (its change)
    expect(concepts(f, 'baseline')).toEqual(['urine_protein_creatinine_ratio', 'serum_creatinine', 'urine_rbc_hpf'])
    expect([f.sledai, f.pga, f.bilag, f.steroidDose, f.bodyWeight]).toEqual([undefined, undefined, undefined, undefined, undefined])
    expect(f.attestations).toEqual([])
  })

  it('NCT03021499 (AURORA): UPCR and the eGFR of the protocol equation (CKD-EPI 2009), with creatinine to compute it; steroid days; two visit questions', () => {
    const f = fieldsOf('NCT03021499')
    expect(concepts(f)).toEqual(['urine_protein_creatinine_ratio', 'egfr_ckd_epi_2009', 'serum_creatinine'])
    expect(field(f, 'serum_creatinine').note).toBe('the eGFR is computed from it when no eGFR is entered')
    expect(field(f, 'egfr_ckd_epi_2009').visits).toEqual(['week_52', 'baseline'])
    expect(concepts(f, 'week_44')).toEqual([])
    expect(f.steroidDose?.visits).toEqual(['week_52'])
    expect(f.attestations.map(a => a.id)).toEqual(['egfr_decline_related_ae', 'rescue_medication_for_ln'])
    expect(f.bodyWeight).toBeUndefined()
  })

  it('NCT01639339 (BLISS-LN): UPCR and eGFR at the assessment visits, creatinine at every visit for its doubling, the renal-event question at each follow-up visit, weight for belimumab 10 mg/kg', () => {
    const f = fieldsOf('NCT01639339')
    expect(concepts(f, 'week_104')).toEqual(['urine_protein_creatinine_ratio', 'egfr_ckd_epi_2009', 'serum_creatinine'])
    // the time to a renal event reads a doubling of creatinine from baseline at every visit
    expect(field(f, 'serum_creatinine').visits).toEqual(expect.arrayContaining(['baseline', 'week_48', 'week_52', 'week_100', 'week_104']))
    expect(concepts(f, 'baseline')).toEqual(['serum_creatinine'])
    const renal = f.attestations.find(a => a.id === 'renal_worsening_or_renal_treatment_failure')!
    expect(renal.visits).toEqual(['week_48', 'week_52', 'week_100', 'week_104']) // not at baseline
    expect(f.attestations.find(a => a.id === 'treatment_failure_rescue')?.visits).toEqual(['week_104', 'week_52'])
    expect(f.bodyWeight?.usedBy).toEqual(['Belimumab 10 mg/kg IV + standard therapy (Belimumab)']) // once, though two interventions dose per kg
    expect([f.sledai, f.pga, f.bilag]).toEqual([undefined, undefined, undefined])
  }, 60_000)

  it('asks BILAG-2004 alone for a BILAG change endpoint, nothing for a protocol without endpoints', () => {
    const doc = (endpoints: unknown[]) => ({ ...shippedProtocol('NCT05631717').doc, endpoints }) as ProtocolDocument
    const bilag = deriveVisitFields(doc([{ id: 'b', type: 'change_from_baseline', measure: 'bilag_2004', baseline: 'baseline', visits: ['week_4'] }]))
    expect([!!bilag.bilag, !!bilag.pga, !!bilag.sledai]).toEqual([true, false, false])
    const none = deriveVisitFields({ ...doc([]), arms: [] } as ProtocolDocument)
    expect(none).toEqual({
      measurements: [],
      sledai: undefined,
      pga: undefined,
      bilag: undefined,
      steroidDose: undefined,
      attestations: [],
      bodyWeight: undefined,
      baselines: [],
    })
  })

  it('names concepts by id and keeps the protocol unit without the dictionary', () => {
    const f = deriveVisitFields(shippedProtocol('NCT02550652').doc)
    expect(field(f, 'urine_protein_creatinine_ratio')).toMatchObject({ name: 'urine protein creatinine ratio', unit: 'g/g' })
  })
})

describe('visitInput', () => {
  const fields = fieldsOf('NCT05631717')
  const base = { ...emptyVisitForm(), visit: 'week_4', date: '2026-02-16' }
  const m = (value: string, unit: string, high = '', low = '') => ({ value, unit, high, low })

  it('turns the form into measurements dated on the visit, in the unit chosen, with the lab limits asked', () => {
    const { value, errors } = visitInput(
      {
        ...base,
        measurements: { urine_protein_creatinine_ratio: m('0,4', 'g/g'), serum_creatinine: m('80', 'umol/L', '110') },
        sledai: '4',
        attestations: { other_deterioration: 'no', x: '' },
      },
      fields,
    )
    expect(errors).toEqual([])
    expect(value).toEqual({
      visit: 'week_4',
      date: '2026-02-16',
      measurements: [
        { concept: 'serum_creatinine', value: 80, unit: 'umol/L', date: '2026-02-16', reference_range: { high: 110 } },
        { concept: 'urine_protein_creatinine_ratio', value: 0.4, unit: 'g/g', date: '2026-02-16' },
      ],
      sledai_2k: [{ date: '2026-02-16', score: 4 }],
      attestations: { other_deterioration: false },
    })
  })

  it('sends only the visit and date when nothing else was entered', () => {
    expect(visitInput(base, fields).value).toEqual({ visit: 'week_4', date: '2026-02-16' })
  })

  it('sends only what the protocol reads at the visit chosen', () => {
    const nobility = fieldsOf('NCT02550652')
    const typed = { ...emptyVisitForm(), date: '2026-01-10', measurements: { urine_rbc_casts_lpf: m('0', '/[LPF]'), urine_rbc_hpf: m('12', '/[HPF]') } }
    expect(visitInput({ ...typed, visit: 'baseline' }, nobility).value?.measurements).toEqual([
      { concept: 'urine_rbc_hpf', value: 12, unit: '/[HPF]', date: '2026-01-10' },
    ])
    expect(visitInput({ ...typed, visit: 'week_52' }, nobility).value?.measurements).toHaveLength(2)
  })

  it('collects every problem and sends nothing', () => {
    const { value, errors } = visitInput(
      {
        ...emptyVisitForm(),
        date: '2026-02-30',
        measurements: { urine_protein_creatinine_ratio: m('-1', 'g/g'), serum_creatinine: m('', 'mg/dL', '1.1') },
        sledai: '106',
      },
      fields,
    )
    expect(value).toBeUndefined()
    expect(errors).toEqual([
      'Visit: choose the visit that took place',
      'Date: expected a calendar date YYYY-MM-DD, got "2026-02-30"',
      'Creatinine in serum or plasma: give the value the upper limit of normal belongs to',
      'Urine protein/creatinine ratio: expected a number ≥ 0, got "-1"',
      'SLEDAI-2K: expected a whole number from 0 to 105, got "106"',
    ])
  })

  it('an upper limit of normal must be above 0', () => {
    expect(visitInput({ ...base, measurements: { serum_creatinine: m('1', 'mg/dL', '0') } }, fields).errors).toEqual([
      'Creatinine in serum or plasma, upper limit of normal: expected a number > 0, got "0"',
    ])
  })

  it.each([
    { sledai: '0', ok: true },
    { sledai: '105', ok: true }, // the maximum
    { sledai: '4.5', ok: false },
  ])('SLEDAI-2K $sledai ok=$ok', ({ sledai, ok }) => expect(visitInput({ ...base, sledai }, fields).errors.length === 0).toBe(ok))

  it('a dose change: drug, amount and unit, with its frequency unless stopped (0)', () => {
    expect(visitInput({ ...base, doseDrug: ' prednisone ', doseAmount: '7,5', doseFrequency: 'every other day' }, fields).value?.dose_changes).toEqual([
      { drug: 'prednisone', amount: 7.5, unit: 'mg', frequency: 'every other day' },
    ])
    expect(visitInput({ ...base, doseDrug: 'prednisone', doseAmount: '0' }, fields).value?.dose_changes).toEqual([
      { drug: 'prednisone', amount: 0, unit: 'mg' },
    ])
  })

  it('a dose change needs both the drug and the dose', () => {
    expect(visitInput({ ...base, doseAmount: '5' }, fields).errors).toEqual(['Dose: name the drug whose dose changed'])
    expect(visitInput({ ...base, doseDrug: 'prednisone' }, fields).errors).toEqual(['Dose: give the prednisone dose from this visit on (0 if it was stopped)'])
    expect(visitInput({ ...base, doseDrug: 'prednisone', doseAmount: '-2' }, fields).errors).toEqual(['Dose: expected a number ≥ 0, got "-2"'])
  })

  it('PGA 0–3 becomes a score measurement; BILAG-2004 grades one assessment of the graded systems', () => {
    const { value } = visitInput({ ...base, pga: '1.5', bilag: { renal: 'B', mucocutaneous: 'C', ophthalmic: '' } }, fields)
    expect(value?.measurements).toEqual([{ concept: 'physician_global_assessment', value: 1.5, unit: '{score}', date: '2026-02-16' }])
    expect(value?.bilag_2004).toEqual([{ date: '2026-02-16', grades: { mucocutaneous: 'C', renal: 'B' } }])
    expect(visitInput({ ...base, bilag: { renal: '' } }, fields).value).toEqual({ visit: 'week_4', date: '2026-02-16' })
  })

  it.each([
    { pga: '0', ok: true },
    { pga: '3', ok: true }, // the top of the scale (Furie 2009)
    { pga: '3.1', ok: false },
    { pga: '-0.1', ok: false },
  ])('PGA $pga ok=$ok', ({ pga, ok }) => expect(visitInput({ ...base, pga }, fields).errors.length === 0).toBe(ok))

  it('a body weight in kg or lb when a dose is per kg; none asked otherwise', () => {
    expect(visitInput({ ...base, weight: '154', weightUnit: '[lb_av]' }, fields).value?.measurements).toEqual([
      { concept: 'body_weight', value: 154, unit: '[lb_av]', date: '2026-02-16' },
    ])
    expect(visitInput({ ...base, weight: '0' }, fields).errors).toEqual(['Body weight: expected a number > 0, got "0"'])
    const aurora = fieldsOf('NCT03021499')
    expect(visitInput({ ...base, visit: 'week_52', weight: '60' }, aurora).value).toEqual({ visit: 'week_52', date: '2026-02-16' })
  })

  it('names the nine BILAG-2004 systems as the engine does', () => {
    expect([...BILAG_SYSTEMS]).toEqual([...BILAG_SYSTEM_NAMES])
  })
  it('offers only frequencies the engine can turn into a daily dose', () => {
    for (const f of WEB_DOSE_FREQUENCIES) expect(ENGINE_DOSE_FREQUENCIES).toContain(f)
  })
})

describe('bodyWeight', () => {
  it.each([
    { text: '62,5', unit: 'kg', errors: [] },
    { text: '', unit: 'kg', errors: ['Body weight: enter the weight (the per-kg dose is counted from it)'] },
    { text: '0', unit: 'kg', errors: ['Body weight: expected a number > 0, got "0"'] },
    { text: 'heavy', unit: 'kg', errors: ['Body weight: expected a number ≥ 0, got "heavy"'] },
    { text: '60', unit: 'st', errors: ['Body weight: the unit must be kg or lb, got "st"'] },
  ])('"$text" $unit', ({ text, unit, errors }) => {
    const r = bodyWeight(text, unit, '2026-01-19')
    expect(r.errors).toEqual(errors)
    expect(r.value === undefined).toBe(errors.length > 0)
  })
})

describe('recordedBetween and latestValue', () => {
  const fields = fieldsOf('NCT05631717')
  const record = {
    measurements: [
      { concept: 'urine_protein_creatinine_ratio', value: 2.1, unit: 'g/g', date: '2026-01-05' },
      { concept: 'urine_protein_creatinine_ratio', value: 3, unit: 'g/g', date: '2025-12-21' }, // the day before the window
      { concept: 'body_weight', value: 60, unit: 'kg', date: '2026-01-04' },
      { concept: 'body_weight', value: 61, unit: 'kg', date: '2026-01-18' },
      { concept: 'serum_creatinine', value: 0.9, unit: 'mg/dL', date: '2026-01-19' }, // the last day
    ],
    sledai_2k: [{ date: '2026-01-05', score: 12 }],
  }
  it('lists the form values dated in the window, edges included, oldest first', () => {
    expect(recordedBetween(record, fields, '2025-12-22', '2026-01-19').map(v => [v.name, v.value, v.date])).toEqual([
      ['Urine protein/creatinine ratio', 2.1, '2026-01-05'],
      ['SLEDAI-2K total', 12, '2026-01-05'],
      ['Creatinine in serum or plasma', 0.9, '2026-01-19'],
    ])
  })
  it('gives the latest weight', () => {
    expect(latestValue(record, 'body_weight')).toEqual({ concept: 'body_weight', value: 61, unit: 'kg', date: '2026-01-18' })
    expect(latestValue({}, 'body_weight')).toBeUndefined()
  })
})
