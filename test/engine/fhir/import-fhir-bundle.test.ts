import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FACT_CATALOGUE, compileProtocol, evaluateEligibility, loadProtocol, validateAgainstSchema, type UnmappedItem } from '../../../engine/index.ts'
import { FhirBundleError, RECORD_SYSTEM, importFhirBundle } from '../../../engine/fhir/index.ts'
import { fhirFixture } from './helpers.ts'

const ROOT = join(import.meta.dirname, '../../..')
const protocol = compileProtocol(loadProtocol(readFileSync(join(ROOT, 'protocols/nct05631717.yaml'), 'utf8')).value!)

const byId = (unmapped: UnmappedItem[], id: string) => unmapped.filter(u => u.id === id)

describe('complete bundle (NCT05631717 base patient)', () => {
  const result = importFhirBundle(fhirFixture('complete.json'))

  it('gives a record the patient schema accepts', () => {
    expect(validateAgainstSchema('patient', result.record, undefined)).toEqual([])
  })

  it('round-trips into an ELIGIBLE verdict', async () => {
    const verdict = await evaluateEligibility(protocol, result.record)
    expect(verdict.overall).toBe('eligible')
    expect(verdict.missing).toEqual([])
  })

  it('maps Patient, dates in their own offset, labs in their own unit', () => {
    const r = result.record
    expect(r).toMatchObject({
      id: 'SYN-FHIR-1',
      birth_date: '1990-05-01',
      sex: 'female',
      dates: { consent: '2026-01-05', screening: '2026-01-05', randomization: '2026-01-19' },
    })
    // 2026-01-04T23:30:00-05:00 is the 4th where it was taken (the 5th in UTC)
    expect(r.measurements).toContainEqual({ concept: 'urine_protein_creatinine_ratio', value: 1.8, unit: 'g/g', date: '2026-01-04' })
    expect(r.measurements).toContainEqual({
      concept: 'serum_creatinine',
      value: 88,
      unit: 'umol/L',
      date: '2026-01-04',
      reference_range: { low: 45, high: 90 },
    })
    expect(r.reproductive?.pregnancy_tests).toEqual([
      { specimen: 'urine', result: 'negative', date: '2026-01-05' },
      { specimen: 'serum', result: 'negative', date: '2026-01-05' },
    ])
    // a dated status, current only when recorded shortly before screening (it is, here)
    expect(r.reproductive?.pregnancy_status).toEqual({ pregnant: false, date: '2026-01-05' })
    expect(r.sledai_2k).toEqual([{ date: '2026-01-05', score: 10 }])
  })

  it('maps medications by ATC code and by name, with doses and frequency', () => {
    expect(result.record.medications).toEqual([
      {
        drug: 'mycophenolate_mofetil',
        start: '2025-03-01',
        stop: '2025-05-31',
        ongoing: false,
        route: 'oral',
        doses: [{ date: '2025-03-01', amount: 1000, unit: 'mg', frequency: 'twice daily' }],
      },
      {
        drug: 'mycophenolate_mofetil',
        start: '2025-06-01',
        ongoing: true,
        route: 'oral',
        doses: [{ date: '2025-06-01', amount: 1500, unit: 'mg', frequency: 'twice daily' }],
      },
      // the route read from the RxNorm dose form (Oral Tablet)
      { drug: 'prednisone', start: '2025-03-01', ongoing: true, route: 'oral', doses: [{ date: '2025-03-01', amount: 10, unit: 'mg', frequency: 'daily' }] },
      { drug: 'hydroxychloroquine', start: '2024-06-01', ongoing: true },
    ])
    expect(result.mapped.find(m => m.id === 'mmf-1500')).toMatchObject({ match: 'code', matched: expect.stringContaining('L04AA06') })
    expect(result.mapped.find(m => m.id === 'prednisone')).toMatchObject({ match: 'name', matched: '"predniSONE 10 MG Oral Tablet"' })
    expect(result.mapped.find(m => m.id === 'hcq-order')).toMatchObject({ match: 'code', note: expect.stringContaining('authoredOn') })
  })

  it('reports AllergyIntolerance and Encounter as not mapped, and nothing else', () => {
    expect(result.unmapped).toEqual([
      expect.objectContaining({
        resourceType: 'AllergyIntolerance',
        id: 'penicillin',
        reason: 'UNSUPPORTED_RESOURCE',
        imported: false,
        path: expect.stringMatching(/^entry\[\d+\]\.resource$/),
      }),
      expect.objectContaining({ resourceType: 'Encounter', id: 'screening-visit', reason: 'UNSUPPORTED_RESOURCE' }),
    ])
  })

  it('accounts for every entry: each one is mapped or unmapped', () => {
    const entries = fhirFixture('complete.json').entry.length
    const paths = new Set([...result.mapped, ...result.unmapped].map(i => /^entry\[(\d+)\]/.exec(i.path)?.[1]))
    expect(paths.size).toBe(entries)
  })

  it('a live vaccine 7 weeks before randomization makes the patient ineligible (EX06)', async () => {
    const bundle = fhirFixture('complete.json')
    const mmr = fhirFixture('events.json').entry.find(e => e.resource.id === 'mmr-cvx')!
    bundle.entry.push({ ...mmr, resource: { ...mmr.resource, patient: { reference: bundle.entry[0]!.fullUrl } } })
    const { record } = importFhirBundle(bundle)
    expect(record.vaccinations).toContainEqual({ vaccine: 'mmr', date: '2025-12-01' })
    const verdict = await evaluateEligibility(protocol, record)
    expect(verdict.overall).toBe('ineligible')
    expect(verdict.criteria.find(c => c.id === 'EX06')?.truth).toBe('met')
  })

  it('the same bundle without its SLEDAI-2K observation is undetermined (IN03 unknown)', async () => {
    const bundle = fhirFixture('complete.json')
    bundle.entry = bundle.entry.filter(e => e.resource.id !== 'sledai')
    const verdict = await evaluateEligibility(protocol, importFhirBundle(bundle).record)
    expect(verdict.overall).toBe('undetermined')
    expect(verdict.criteria.find(c => c.id === 'IN03')?.truth).toBe('unknown')
  })
})

describe('units', () => {
  it('reports units that cannot convert or are not UCUM codes, and imports the rest', () => {
    const { record, unmapped } = importFhirBundle(fhirFixture('wrong-units.json'))
    expect(record.measurements).toEqual([{ concept: 'serum_creatinine', value: 0.9, unit: 'mg/dL', date: '2026-01-04' }])
    expect(byId(unmapped, 'creat-mg-h')).toEqual([
      expect.objectContaining({
        reason: 'UNIT_NOT_CONVERTIBLE',
        path: expect.stringMatching(/\.valueQuantity\.code$/),
        message: expect.stringContaining('mg/h'),
        imported: false,
      }),
    ])
    expect(byId(unmapped, 'upcr-no-ucum')).toEqual([expect.objectContaining({ reason: 'UNIT_NOT_UCUM', message: expect.stringContaining('"g/g"') })])
    expect(byId(unmapped, 'creat-bad-ucum')).toEqual([
      expect.objectContaining({ reason: 'UNIT_NOT_CONVERTIBLE', message: expect.stringContaining('not a valid UCUM unit') }),
    ])
    expect(byId(unmapped, 'upcr-less-than')).toEqual([expect.objectContaining({ reason: 'UNSUPPORTED_VALUE', path: expect.stringMatching(/comparator$/) })])
  })

  it('keeps umol/L creatinine and mg/mmol UPCR as measured and states the converted value', () => {
    const { record, mapped, unmapped } = importFhirBundle(fhirFixture('units-converted.json'))
    expect(unmapped).toEqual([])
    expect(record.measurements).toEqual([
      { concept: 'serum_creatinine', value: 88.4, unit: 'umol/L', date: '2026-01-04' },
      { concept: 'urine_protein_creatinine_ratio', value: 113.12, unit: 'mg/mmol', date: '2026-01-03' },
      { concept: 'urine_protein_creatinine_ratio', value: 115, unit: 'mg/mmol', date: '2026-01-04' },
      { concept: 'urine_protein_24h', value: 800, unit: 'mg/(24.h)', date: '2026-01-04' },
    ])
    expect(mapped.find(m => m.id === 'creat-umol')?.note).toBe('88.4 umol/L = 0.9999808 mg/dL') // 88.4 umol/L x 113.12 g/mol
    expect(mapped.find(m => m.id === 'upcr-mg-mmol-113')?.note).toBe('113.12 mg/mmol = 1 g/g')
    expect(mapped.find(m => m.id === 'upcr-mg-mmol-115')?.note).toMatch(/^115 mg\/mmol = 1\.01\d* g\/g$/)
  })

  it.each([
    { upcr: 113.12, want: 'not-met' }, // exactly 1.0 g/g: not above 1.0
    { upcr: 115, want: 'met' }, // 1.017 g/g
  ])('UPCR $upcr mg/mmol from FHIR -> IN04 $want', async ({ upcr, want }) => {
    const bundle = fhirFixture('complete.json')
    const obs = bundle.entry.find(e => e.resource.id === 'upcr')!.resource
    obs.valueQuantity = { value: upcr, unit: 'mg/mmol', system: 'http://unitsofmeasure.org', code: 'mg/mmol' }
    const verdict = await evaluateEligibility(protocol, importFhirBundle(bundle).record)
    const in04 = verdict.criteria.find(c => c.id === 'IN04')!
    // without a 24-h protein the either-path stays open at exactly 1.0
    expect(in04.truth).toBe(want === 'met' ? 'met' : 'unknown')
  })
})

describe('codes', () => {
  it('reports an unknown LOINC code, a local code, and imports a panel by its components', () => {
    const { record, unmapped } = importFhirBundle(fhirFixture('unknown-loinc.json'))
    expect(byId(unmapped, 'glucose')).toEqual([
      expect.objectContaining({
        reason: 'UNKNOWN_CODE',
        path: expect.stringMatching(/resource\.code$/),
        message: expect.stringContaining('http://loinc.org|2345-7'),
      }),
    ])
    // SLEDAI-2K has no LOINC code: a local code is reported, not guessed from its text
    expect(byId(unmapped, 'sledai-local')).toEqual([expect.objectContaining({ reason: 'UNKNOWN_CODE', message: expect.stringContaining('SLEDAI2K') })])
    expect(record.sledai_2k).toBeUndefined()
    expect(record.measurements).toEqual([
      { concept: 'systolic_blood_pressure', value: 128, unit: 'mm[Hg]', date: '2026-01-05' },
      { concept: 'diastolic_blood_pressure', value: 82, unit: 'mm[Hg]', date: '2026-01-05' },
    ])
    expect(byId(unmapped, 'bp')).toEqual([expect.objectContaining({ reason: 'UNKNOWN_CODE', path: expect.stringMatching(/component\[2\]\.code$/) })])
  })

  it('medications: by ATC code, by RxNorm display name, unknown, not taken, dangling reference, no date', () => {
    const { record, mapped, unmapped } = importFhirBundle(fhirFixture('medications.json'))
    expect(record.medications).toEqual([
      { drug: 'rituximab', start: '2025-09-01', stop: '2025-09-15', ongoing: false },
      {
        drug: 'tacrolimus',
        start: '2025-11-01',
        ongoing: true,
        route: 'oral',
        doses: [{ date: '2025-11-01', amount: 2, unit: 'mg', frequency: 'twice daily' }],
      },
      { drug: 'prednisone', start: '2025-12-02', ongoing: true, doses: [{ date: '2025-12-02', amount: 5, unit: 'mg', frequency: 'daily' }] },
      { drug: 'hydroxychloroquine', ongoing: true },
    ])
    expect(mapped.find(m => m.id === 'ritux-atc')).toMatchObject({ match: 'code', target: 'medications[0]' })
    expect(mapped.find(m => m.id === 'tacro-name')).toMatchObject({ match: 'name', note: expect.stringContaining('check it') })
    // not dropped: kept as unrecognised, so exposure criteria it could decide stay unknown
    expect(byId(unmapped, 'unknown-drug')).toEqual([
      expect.objectContaining({ reason: 'UNKNOWN_CODE', kept: 'unrecognised.medications[0]', message: expect.stringContaining('Zzfictional') }),
    ])
    expect(record.unrecognised?.medications).toEqual([
      expect.objectContaining({
        text: 'Zzfictional 5 MG Oral Tablet',
        codes: ['http://www.nlm.nih.gov/research/umls/rxnorm|99999'],
        route: 'oral',
        ongoing: true,
      }),
    ])
    expect(byId(unmapped, 'not-taken')).toEqual([expect.objectContaining({ reason: 'EXCLUDED_STATUS' })])
    expect(byId(unmapped, 'dangling')).toEqual([
      expect.objectContaining({ reason: 'UNRESOLVED_REFERENCE', message: expect.stringContaining('Medication/absent') }),
    ])
    expect(byId(unmapped, 'no-date')).toEqual([expect.objectContaining({ reason: 'MISSING_DATE', imported: true })])
  })

  it('conditions, procedures and immunizations', () => {
    const { record, mapped, unmapped } = importFhirBundle(fhirFixture('events.json'))
    expect(record.conditions).toEqual([
      // abatement 2026-01-02T22:00-08:00 stays the 2nd (it is the 3rd in UTC)
      { concept: 'herpes_zoster', onset: '2025-12-20', resolved: '2026-01-02', ongoing: false, outcome: 'resolved', severity: 'moderate' },
      { concept: 'lupus_nephritis', onset: '2023-02-01', ongoing: true },
      { concept: 'hypertension', ongoing: true },
    ])
    expect(mapped.find(m => m.id === 'zoster')).toMatchObject({ match: 'code', matched: expect.stringContaining('B02.9') })
    // its SNOMED CT code is in the dictionary now
    expect(mapped.find(m => m.id === 'ln-by-name')).toMatchObject({ match: 'code', matched: expect.stringContaining('snomed.info/sct|68815009') })
    expect(byId(unmapped, 'refuted-tb')).toEqual([expect.objectContaining({ reason: 'EXCLUDED_STATUS', imported: false })])
    expect(byId(unmapped, 'htn-age')).toEqual([expect.objectContaining({ reason: 'IMPRECISE_DATE', path: expect.stringMatching(/onsetAge$/), imported: true })])

    expect(record.procedures).toEqual([
      { concept: 'plasmapheresis', date: '2025-12-10' },
      { concept: 'kidney_biopsy', planned: true },
    ])
    expect(byId(unmapped, 'not-done')).toEqual([expect.objectContaining({ reason: 'EXCLUDED_STATUS' })])

    expect(record.vaccinations).toEqual([
      { vaccine: 'mmr', date: '2025-12-01' },
      { vaccine: 'zoster_recombinant', date: '2025-11-01' },
    ])
    expect(mapped.find(m => m.id === 'mmr-cvx')).toMatchObject({ match: 'code', note: expect.stringContaining('live vaccine') })
    expect(byId(unmapped, 'vaccine-not-done')).toEqual([expect.objectContaining({ reason: 'EXCLUDED_STATUS' })])
  })

  it('every catalogue fact but sex can be set through the record code system and reads back', () => {
    for (const fact of Object.keys(FACT_CATALOGUE).filter(f => f !== 'sex')) {
      for (const value of [true, false]) {
        const { record, unmapped } = importFhirBundle({
          resourceType: 'Bundle',
          entry: [
            { resource: { resourceType: 'Observation', status: 'final', code: { coding: [{ system: RECORD_SYSTEM, code: fact }] }, valueBoolean: value } },
          ],
        })
        expect(
          unmapped.filter(u => u.resourceType === 'Observation'),
          fact,
        ).toEqual([])
        expect(FACT_CATALOGUE[fact]!.read(record), fact).toBe(value)
      }
    }
  })

  it('record code system: a later value supersedes an earlier one; an unknown code is reported', () => {
    const obs = (id: string, code: string, date: string, value: boolean) => ({
      resource: {
        resourceType: 'Observation',
        id,
        status: 'final',
        code: { coding: [{ system: RECORD_SYSTEM, code }] },
        effectiveDateTime: date,
        valueBoolean: value,
      },
    })
    const { record, unmapped } = importFhirBundle({
      resourceType: 'Bundle',
      entry: [obs('new', 'lactating', '2026-01-05', false), obs('old', 'lactating', '2025-06-01', true), obs('typo', 'lactatin', '2026-01-05', true)],
    })
    expect(record.reproductive).toEqual({ lactating: false })
    expect(unmapped).toEqual([
      expect.objectContaining({ resourceType: 'Bundle', reason: 'MISSING_VALUE' }), // no Patient
      expect.objectContaining({ id: 'old', reason: 'SUPERSEDED' }),
      expect.objectContaining({ id: 'typo', reason: 'UNKNOWN_CODE' }),
    ])
  })
})

describe('dates', () => {
  it('reports missing, partial and impossible dates', () => {
    const { record, unmapped } = importFhirBundle(fhirFixture('missing-dates.json'))
    expect(record.measurements).toBeUndefined()
    expect(byId(unmapped, 'upcr-no-date')).toEqual([
      expect.objectContaining({ reason: 'MISSING_DATE', imported: false, message: expect.stringContaining('effectiveDateTime') }),
    ])
    expect(byId(unmapped, 'upcr-month-only')).toEqual([
      expect.objectContaining({ reason: 'IMPRECISE_DATE', path: expect.stringMatching(/effectiveDateTime$/) }),
    ])
    expect(byId(unmapped, 'upcr-feb-30')).toEqual([
      expect.objectContaining({ reason: 'MISSING_DATE', message: expect.stringContaining('not a real calendar date') }),
    ])
    expect(record.conditions).toEqual([{ concept: 'systemic_lupus_erythematosus', ongoing: true }])
    expect(byId(unmapped, 'sle-no-onset')).toEqual([expect.objectContaining({ reason: 'MISSING_DATE', imported: true })])
    expect(record.vaccinations).toEqual([{ vaccine: 'influenza_inactivated' }])
    expect(byId(unmapped, 'flu-string-date')).toEqual([
      expect.objectContaining({ reason: 'MISSING_DATE', imported: true, message: expect.stringContaining('last autumn') }),
    ])
    expect(record.procedures).toEqual([{ concept: 'kidney_biopsy' }])
  })

  it('a birth date with only a year is reported, not made up', () => {
    const { record, unmapped } = importFhirBundle({
      resourceType: 'Bundle',
      entry: [{ resource: { resourceType: 'Patient', id: 'p', birthDate: '1990', gender: 'unknown' } }],
    })
    expect(record).toEqual({ id: 'p' })
    expect(unmapped).toEqual([
      expect.objectContaining({ reason: 'IMPRECISE_DATE', path: 'entry[0].resource.birthDate' }),
      expect.objectContaining({ reason: 'UNSUPPORTED_VALUE', path: 'entry[0].resource.gender' }),
    ])
  })
})

describe('the patient', () => {
  it('resources about another patient are reported, not imported', () => {
    const bundle = fhirFixture('units-converted.json')
    bundle.entry.push({ resource: { resourceType: 'Patient', id: 'someone-else' } })
    ;(bundle.entry[1]!.resource as { subject: unknown }).subject = { reference: 'Patient/someone-else' }
    const { record, unmapped } = importFhirBundle(bundle)
    expect(record.measurements).toHaveLength(3)
    expect(unmapped).toEqual([
      expect.objectContaining({ id: 'creat-umol', reason: 'OTHER_PATIENT', path: 'entry[1].resource.subject' }),
      expect.objectContaining({ id: 'someone-else', reason: 'OTHER_PATIENT' }),
    ])
  })
})

describe('not a Bundle', () => {
  it.each([
    { input: fhirFixture('not-a-bundle.json'), path: 'resourceType', code: 'E_SCHEMA_ENUM', says: 'got a Patient resource' },
    { input: [], path: '', code: 'E_SCHEMA_TYPE', says: 'got an array' },
    { input: 'Bundle', path: '', code: 'E_SCHEMA_TYPE', says: 'got string "Bundle"' },
    { input: { entry: [] }, path: 'resourceType', code: 'E_SCHEMA_REQUIRED', says: 'missing' },
    { input: { resourceType: 'Bundle', entry: {} }, path: 'entry', code: 'E_SCHEMA_TYPE', says: 'array' },
  ])('$path $code', ({ input, path, code, says }) => {
    let thrown: unknown
    try {
      importFhirBundle(input)
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(FhirBundleError)
    expect((thrown as FhirBundleError).diagnostics).toEqual([
      expect.objectContaining({ path, code, severity: 'error', message: expect.stringContaining(says) }),
    ])
  })

  it('bad entries are reported one by one, the rest imported', () => {
    const { record, unmapped } = importFhirBundle({
      resourceType: 'Bundle',
      entry: [null, { fullUrl: 'x' }, { resource: { id: 'no-type' } }, { resource: { resourceType: 'Patient', id: 'p', gender: 'male' } }],
    })
    expect(record).toMatchObject({ id: 'p', sex: 'male' })
    expect(unmapped.filter(u => u.reason === 'INVALID_ENTRY').map(u => u.path)).toEqual(['entry[0]', 'entry[1]', 'entry[2].resource'])
  })
})
