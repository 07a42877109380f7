/**
 * One test per finding of the import tried on real third-party data (Synthea
 * R4 output, US Core 6.1 / 8.0 / 9.0 examples, published RxNorm codings).
 * The resources are written here in the shape those sources use, with their
 * real code systems; each test failed before the import kept what it could
 * not recognise.
 */
import { describe, expect, it } from 'vitest'
import { compileProtocol, evaluateEligibility, examplePatient, type PatientRecord, type Verdict } from '../../../engine/index.ts'
import { FhirBundleError, importFhirBundle } from '../../../engine/fhir/index.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm'
const SNOMED = 'http://snomed.info/sct'
const LOINC = 'http://loinc.org'
const UCUM = 'http://unitsofmeasure.org'

const shipped = shippedProtocol('NCT05631717')
const compiled = compileProtocol(shipped.doc)
/** Eligible on every criterion; screening 2026-01-05, randomisation 2026-01-19. */
const base = examplePatient(shipped.examples!, 'eligible-baseline')

type Resource = Record<string, unknown> & { resourceType: string }

/** A Synthea-style transaction bundle: urn:uuid fullUrls, POST requests, a Patient first. */
function bundle(...resources: Resource[]): Record<string, unknown> {
  const patient: Resource = { resourceType: 'Patient', id: 'p1', birthDate: '1990-05-01', gender: 'female' }
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [patient, ...resources].map((r, i) => ({
      fullUrl: `urn:uuid:0000000${i}-aaaa-4bbb-8ccc-000000000000`,
      resource: r,
      request: { method: 'POST', url: r.resourceType },
    })),
  }
}

const subject = { reference: 'urn:uuid:00000000-aaaa-4bbb-8ccc-000000000000' }

function medicationRequest(id: string, code: string, display: string, authoredOn: string, status = 'active'): Resource {
  return {
    resourceType: 'MedicationRequest',
    id,
    status,
    intent: 'order',
    subject,
    medicationCodeableConcept: { coding: [{ system: RXNORM, code, display }], text: display },
    authoredOn,
  }
}

function condition(id: string, code: string, display: string, onset: string): Resource {
  return {
    resourceType: 'Condition',
    id,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
    code: { coding: [{ system: SNOMED, code, display }], text: display },
    subject,
    onsetDateTime: `${onset}T09:30:00-05:00`,
  }
}

/** The base patient with the imported sections in place of its own. */
async function verdictWith(imported: PatientRecord): Promise<Verdict> {
  const record: PatientRecord = { ...structuredClone(base) }
  for (const key of ['medications', 'conditions', 'procedures', 'vaccinations', 'unrecognised'] as const) {
    if (imported[key] !== undefined) (record as Record<string, unknown>)[key] = imported[key]
  }
  if (imported.reproductive?.pregnancy_status) {
    record.reproductive = { ...record.reproductive }
    delete record.reproductive.pregnant
    record.reproductive.pregnancy_status = imported.reproductive.pregnancy_status
  }
  if (imported.sex !== undefined) record.sex = imported.sex
  return evaluateEligibility(compiled, record)
}

const truth = (v: Verdict, id: string) => v.criteria.find(c => c.id === id)!.truth

describe('finding 1: exclusions no longer pass silently', () => {
  it('colon malignancy coded in SNOMED CT (Synthea 109838007) makes EX07 met or unknown, never not met', async () => {
    const { record } = importFhirBundle(bundle(condition('c1', '109838007', 'Overlapping malignant neoplasm of colon', '2019-03-02')))
    expect(['met', 'unknown']).toContain(truth(await verdictWith(record), 'EX07'))
  })

  it('a prostate metastasis named only in words ("Metastasis from malignant tumor of prostate") makes EX07 met or unknown', async () => {
    const { record } = importFhirBundle(bundle(condition('c2', '314994000', 'Metastasis from malignant tumor of prostate (disorder)', '2021-06-10')))
    expect(['met', 'unknown']).toContain(truth(await verdictWith(record), 'EX07'))
  })

  it.each([
    ['Osteosarcoma (disorder)', 'EX07'],
    ['Leiomyosarcoma of uterus (disorder)', 'EX07'],
    ['Urosepsis (disorder)', 'EX04'],
  ])('an unknown disorder "%s" is never dropped: %s met or unknown', async (display, criterion) => {
    const { record } = importFhirBundle(bundle(condition('x', '999999999', display, '2025-12-20')))
    expect(record.unrecognised?.conditions).toHaveLength(1)
    expect(['met', 'unknown']).toContain(truth(await verdictWith(record), criterion))
  })

  it('a social finding SNOMED CT tags as no disorder is reported as outside the dictionary, not kept', () => {
    const { record, unmapped } = importFhirBundle(bundle(condition('job', '160903007', 'Full-time employment (finding)', '2020-01-01')))
    expect(record.unrecognised).toBeUndefined()
    expect(unmapped).toContainEqual(expect.objectContaining({ id: 'job', reason: 'OUTSIDE_DICTIONARY' }))
  })

  it('a provisional malignancy is kept to review (EX07 unknown); a refuted one is not imported', async () => {
    const provisional = {
      ...condition('prov', '254837009', 'Malignant neoplasm of breast (disorder)', '2025-06-01'),
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'provisional' }] },
    }
    const { record } = importFhirBundle(bundle(provisional))
    expect(record.conditions).toEqual([])
    expect(record.unrecognised?.conditions).toEqual([expect.objectContaining({ possibly: ['breast_cancer'], reason: expect.stringContaining('provisional') })])
    expect(truth(await verdictWith(record), 'EX07')).toBe('unknown')
    const refuted = {
      ...provisional,
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'refuted' }] },
    }
    expect(importFhirBundle(bundle(refuted)).record.unrecognised).toBeUndefined()
  })

  it('"influenza, unspecified formulation" (CVX 88) may be the live vaccine: kept, EX06 unknown within its window', async () => {
    const flu: Resource = {
      resourceType: 'Immunization',
      id: 'flu',
      status: 'completed',
      patient: subject,
      vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '88', display: 'influenza virus vaccine, unspecified formulation' }] },
      occurrenceDateTime: '2025-12-20',
    }
    const { record } = importFhirBundle(bundle(flu))
    expect(record.unrecognised?.vaccinations).toHaveLength(1)
    expect(truth(await verdictWith(record), 'EX06')).toBe('unknown')
  })

  it('a contraceptive pack with inert tablets, saline and an abuse-deterrent product are all recognised: nothing kept', () => {
    const { record } = importFhirBundle(
      bundle(
        {
          ...medicationRequest('pack', '', '', '2025-06-01'),
          medicationCodeableConcept: {
            text: '{21 (Ethinyl Estradiol 0.03 MG / Levonorgestrel 0.15 MG Oral Tablet) / 7 (Inert Ingredients 1 MG Oral Tablet) } Pack',
          },
        },
        medicationRequest('saline', '313002', 'Sodium Chloride 9 MG/ML Injectable Solution', '2025-06-01'),
        medicationRequest('oxy', '1049621', 'Abuse-Deterrent 12 HR Oxycodone Hydrochloride 10 MG Extended Release Oral Tablet [Oxycontin]', '2025-06-01'),
      ),
    )
    expect(record.unrecognised).toBeUndefined()
    expect(record.medications?.map(m => m.drug)).toEqual(['ethinyl_estradiol', 'levonorgestrel', 'inert_ingredients', 'sodium_chloride', 'oxycodone'])
  })

  it('a rituximab product (RxNorm 1657864) ordered 6 weeks before screening makes EX01a met', async () => {
    const { record } = importFhirBundle(bundle(medicationRequest('r1', '1657864', '10 ML rituximab 10 MG/ML Injection [Rituxan]', '2025-11-24', 'completed')))
    expect(record.medications).toEqual([expect.objectContaining({ drug: 'rituximab', start: '2025-11-24' })])
    expect(truth(await verdictWith(record), 'EX01a')).toBe('met')
  })

  it('"cycloSPORINE, modified 100 MG Oral Capsule" (RxNorm 241834) started 4 weeks before screening makes EX01b met', async () => {
    const { record } = importFhirBundle(bundle(medicationRequest('cs', '241834', 'cycloSPORINE, modified 100 MG Oral Capsule', '2025-12-08')))
    expect(record.medications).toEqual([expect.objectContaining({ drug: 'ciclosporin', route: 'oral' })])
    expect(truth(await verdictWith(record), 'EX01b')).toBe('met')
  })

  it('a drug no dictionary knows, ordered in the windows, leaves the exposure exclusions unknown and is named for review', async () => {
    const { record, unmapped } = importFhirBundle(bundle(medicationRequest('x', '99999999', 'Zzfictimab 100 MG Injection', '2025-12-20')))
    expect(record.unrecognised?.medications).toEqual([
      expect.objectContaining({ text: 'Zzfictimab 100 MG Injection', codes: [`${RXNORM}|99999999`], start: '2025-12-20' }),
    ])
    expect(unmapped).toContainEqual(expect.objectContaining({ id: 'x', kept: 'unrecognised.medications[0]' }))
    const v = await verdictWith(record)
    for (const id of ['EX01a', 'EX01b', 'EX01c']) expect(truth(v, id), id).toBe('unknown')
    expect(v.criteria.find(c => c.id === 'EX01a')!.missing[0]).toMatchObject({
      key: 'unrecognised.medications[0]',
      description: expect.stringContaining('Zzfictimab'),
    })
  })
})

describe('finding 2: the codes US systems send are recognised', () => {
  it('serum creatinine LOINC 38483-4 (Synthea) is imported as creatinine', () => {
    const obs: Resource = {
      resourceType: 'Observation',
      id: 'cr',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '38483-4', display: 'Creatinine' }] },
      subject,
      effectiveDateTime: '2026-01-02T10:00:00-05:00',
      valueQuantity: { value: 0.9, unit: 'mg/dL', system: UCUM, code: 'mg/dL' },
    }
    const { record } = importFhirBundle(bundle(obs))
    expect(record.measurements).toEqual([{ concept: 'serum_creatinine', value: 0.9, unit: 'mg/dL', date: '2026-01-02' }])
  })

  it('an MDRD eGFR (33914-3) is recognised as MDRD, not as the CKD-EPI 2021 eGFR the protocols read', () => {
    const obs: Resource = {
      resourceType: 'Observation',
      id: 'gfr',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '33914-3' }] },
      subject,
      effectiveDateTime: '2026-01-02',
      valueQuantity: { value: 75, system: UCUM, code: 'mL/min/{1.73_m2}' },
    }
    const { record } = importFhirBundle(bundle(obs))
    expect(record.measurements).toEqual([expect.objectContaining({ concept: 'egfr_mdrd', value: 75 })])
  })

  it('an eGFR reported in mL/min, not per 1.73 m², is not converted by assumption: reported, not imported', () => {
    const obs: Resource = {
      resourceType: 'Observation',
      id: 'gfr-ml-min',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '33914-3' }] },
      subject,
      effectiveDateTime: '2026-01-02',
      valueQuantity: { value: 75, unit: 'mL/min', system: UCUM, code: 'mL/min' },
    }
    const { record, unmapped } = importFhirBundle(bundle(obs))
    expect(record.measurements).toBeUndefined()
    expect(unmapped).toContainEqual(expect.objectContaining({ id: 'gfr-ml-min', reason: 'UNIT_NOT_CONVERTIBLE' }))
  })

  it('RxNorm ingredient codes match by code; biosimilars, sirolimus and alemtuzumab products by their RxNorm names', () => {
    const { record, mapped } = importFhirBundle(
      bundle(
        {
          ...medicationRequest('ing', '121191', 'rituximab', '2025-01-01'),
          medicationCodeableConcept: { coding: [{ system: RXNORM, code: '121191', display: 'rituximab' }] },
        },
        medicationRequest('abbs', '2105831', '10 ML rituximab-abbs 10 MG/ML Injection [Truxima]', '2025-01-02'),
        medicationRequest('pvvr', '2273511', 'rituximab-pvvr 10 MG/ML Injectable Solution', '2025-01-03'),
        medicationRequest('arrx', '2472326', 'rituximab-arrx 10 MG/ML Injectable Solution', '2025-01-04'),
        { ...medicationRequest('inj', '', 'rituximab Injection', '2025-01-04'), medicationCodeableConcept: { text: 'rituximab Injection' } },
        medicationRequest('siro', '349208', 'sirolimus 1 MG Oral Tablet', '2025-01-05'),
        medicationRequest('alem', '1594663', '1.2 ML alemtuzumab 10 MG/ML Injection [Lemtrada]', '2025-01-06'),
      ),
    )
    expect(record.medications?.map(m => m.drug)).toEqual(['rituximab', 'rituximab', 'rituximab', 'rituximab', 'rituximab', 'sirolimus', 'alemtuzumab'])
    expect(mapped.find(m => m.id === 'ing')).toMatchObject({ match: 'code' })
    expect(record.unrecognised).toBeUndefined()
  })

  it('SNOMED CT conditions map by code, Synthea lupus (200936003) included', () => {
    const { record, mapped } = importFhirBundle(bundle(condition('sle', '200936003', 'Lupus erythematosus', '2020-04-01')))
    expect(record.conditions).toEqual([expect.objectContaining({ concept: 'systemic_lupus_erythematosus' })])
    expect(mapped.find(m => m.id === 'sle')).toMatchObject({ match: 'code' })
  })

  it('a multi-ingredient product maps to every ingredient', () => {
    const { record } = importFhirBundle(
      bundle(medicationRequest('combo', '1049221', 'Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet', '2025-06-01')),
    )
    const drugs = [...(record.medications ?? []).map(m => m.drug), ...(record.unrecognised?.medications ?? []).map(u => u.text)]
    expect(drugs).toHaveLength(2)
    expect(record.medications?.map(m => m.drug)).toContain('paracetamol')
  })
})

describe('finding 3: no false positives by name for local products', () => {
  it('ophthalmic ciclosporin (Restasis) and tacrolimus ointment (Protopic) are not systemic immunosuppressant exposure', async () => {
    const { record } = importFhirBundle(
      bundle(
        medicationRequest('restasis', '402092', 'cycloSPORINE 0.5 MG/ML Ophthalmic Emulsion [Restasis]', '2025-12-10'),
        medicationRequest('protopic', '284520', 'tacrolimus 1 MG/ML Topical Ointment [Protopic]', '2025-12-12'),
      ),
    )
    expect(record.medications).toEqual([
      expect.objectContaining({ drug: 'ciclosporin', route: 'ophthalmic' }),
      expect.objectContaining({ drug: 'tacrolimus', route: 'topical' }),
    ])
    const v = await verdictWith(record)
    expect(truth(v, 'EX01b')).toBe('not_met')
  })
})

describe('finding 4: a dated observation keeps its date', () => {
  const status = (date: string): Resource => ({
    resourceType: 'Observation',
    id: `preg-${date}`,
    status: 'final',
    code: { coding: [{ system: LOINC, code: '82810-3', display: 'Pregnancy status' }] },
    subject,
    effectiveDateTime: date,
    valueCodeableConcept: { coding: [{ system: SNOMED, code: '77386006', display: 'Pregnant' }] },
  })

  it('"pregnant" recorded in 2022 does not make the patient pregnant at screening in 2026: EX08 unknown, not met', async () => {
    const { record } = importFhirBundle(bundle(status('2022-05-01')))
    expect(record.reproductive?.pregnancy_status).toEqual({ pregnant: true, date: '2022-05-01' })
    const v = await verdictWith(record)
    expect(truth(v, 'EX08')).toBe('unknown')
    expect(
      v.criteria
        .find(c => c.id === 'EX08')!
        .explanation.children?.map(c => c.detail)
        .join(' ') ?? '',
    ).toMatch(/2022-05-01.*not current/)
  })

  it('"pregnant" recorded 28 days before screening counts (EX08 met); 29 days before does not', async () => {
    expect(truth(await verdictWith(importFhirBundle(bundle(status('2025-12-08'))).record), 'EX08')).toBe('met')
    expect(truth(await verdictWith(importFhirBundle(bundle(status('2025-12-07'))).record), 'EX08')).toBe('unknown')
  })
})

describe('finding 5: US Core conventions and FHIR versions', () => {
  it('a US Core 8 Patient with sex only in the us-core-sex extension has its sex imported', () => {
    const patient = {
      resourceType: 'Patient',
      id: 'uscore8',
      birthDate: '1988-02-11',
      extension: [
        { url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex', valueCoding: { system: SNOMED, code: '248152002', display: 'Female' } },
      ],
    }
    const { record, mapped } = importFhirBundle({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient }] })
    expect(record.sex).toBe('female')
    expect(mapped.find(m => m.target === 'sex')).toMatchObject({ note: expect.stringContaining('US Core sex') })
  })

  it('the US Core 6.1 birth-sex extension (valueCode F/M) is read when there is no gender', () => {
    const patient = {
      resourceType: 'Patient',
      id: 'uscore6',
      birthDate: '1988-02-11',
      extension: [{ url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex', valueCode: 'M' }],
    }
    expect(importFhirBundle({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient }] }).record.sex).toBe('male')
  })

  it('a contained Medication (#med2) is resolved', () => {
    const request: Resource = {
      resourceType: 'MedicationRequest',
      id: 'contained',
      status: 'active',
      intent: 'order',
      subject,
      contained: [
        {
          resourceType: 'Medication',
          id: 'med2',
          code: { coding: [{ system: RXNORM, code: '1657864', display: '10 ML rituximab 10 MG/ML Injection [Rituxan]' }] },
        },
      ],
      medicationReference: { reference: '#med2' },
      authoredOn: '2025-12-01',
    }
    const { record, unmapped } = importFhirBundle(bundle(request))
    expect(record.medications).toEqual([expect.objectContaining({ drug: 'rituximab', start: '2025-12-01' })])
    expect(unmapped.filter(u => u.id === 'contained')).toEqual([])
  })

  it('an STU3 bundle is refused with a located problem instead of losing its immunization dates', () => {
    const stu3 = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: { resourceType: 'Patient', id: 'p' } },
        {
          resource: {
            resourceType: 'Immunization',
            id: 'i',
            status: 'completed',
            notGiven: false,
            vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '03' }] },
            date: '2025-12-01',
          },
        },
      ],
    }
    expect(() => importFhirBundle(stu3)).toThrow(FhirBundleError)
    try {
      importFhirBundle(stu3)
    } catch (e) {
      expect((e as FhirBundleError).diagnostics).toEqual([
        expect.objectContaining({ code: 'E_FHIR_VERSION', path: 'entry[1].resource.notGiven', message: expect.stringContaining('STU3') }),
      ])
    }
  })

  it.each([
    ['a string clinicalStatus', { resourceType: 'Condition', id: 'c', clinicalStatus: 'active', code: { text: 'Lupus' } }, 'entry[0].resource.clinicalStatus'],
    [
      'a dose directly in the dosage',
      { resourceType: 'MedicationStatement', id: 'm', status: 'active', dosage: [{ doseQuantity: { value: 5 } }] },
      'entry[0].resource.dosage',
    ],
  ])('STU3 without the obvious markers is refused too: %s', (_what, resource, path) => {
    expect(() => importFhirBundle({ resourceType: 'Bundle', entry: [{ resource }] })).toThrow(FhirBundleError)
    try {
      importFhirBundle({ resourceType: 'Bundle', entry: [{ resource }] })
    } catch (e) {
      expect((e as FhirBundleError).diagnostics[0]).toMatchObject({ code: 'E_FHIR_VERSION', path })
    }
  })

  it('a DSTU2 bundle (MedicationOrder) is refused too; an R4 bundle with the same patient is not', () => {
    const dstu2 = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'MedicationOrder', id: 'm' } }] }
    expect(() => importFhirBundle(dstu2)).toThrow(/DSTU2/)
    expect(() => importFhirBundle(bundle())).not.toThrow()
  })
})
