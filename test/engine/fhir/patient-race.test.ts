import { describe, expect, it } from 'vitest'
import { importFhirBundle } from '../../../engine/fhir/index.ts'
import { validateAgainstSchema } from '../../../engine/index.ts'

const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition/'
const CDC = 'urn:oid:2.16.840.1.113883.6.238'
const omb = (code: string, display: string, system = CDC) => ({ url: 'ombCategory', valueCoding: { system, code, display } })
const race = (...parts: object[]) => ({ url: `${US_CORE}us-core-race`, extension: parts })
const observation = (id: string, loinc: string, value: number) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2026-02-01',
  valueQuantity: { value, unit: 'mL/min/{1.73_m2}', system: 'http://unitsofmeasure.org', code: 'mL/min/{1.73_m2}' },
})

function bundle(extension: object[], observations: object[] = []) {
  const patient = { resourceType: 'Patient', id: 'p1', birthDate: '1990-06-01', gender: 'female', extension }
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [patient, ...observations].map(resource => ({ fullUrl: `urn:uuid:${(resource as { id: string }).id}`, resource })),
  }
}

describe('FHIR import: whether the patient is Black (US Core race extension), for the eGFR race coefficients', () => {
  it.each([
    {
      name: 'OMB 2054-5 Black or African American',
      ext: [race(omb('2054-5', 'Black or African American'), { url: 'text', valueString: 'Black' })],
      want: true,
    },
    { name: 'several categories, one of them 2054-5', ext: [race(omb('2106-3', 'White'), omb('2054-5', 'Black or African American'))], want: true },
    { name: 'OMB 2106-3 White', ext: [race(omb('2106-3', 'White'))], want: false },
    { name: 'OMB 2028-9 Asian', ext: [race(omb('2028-9', 'Asian'))], want: false },
    { name: 'Other Race 2131-1 (Synthea)', ext: [race(omb('2131-1', 'Other Race'))], want: false },
  ])('$name -> black_race $want', ({ ext, want }) => {
    const r = importFhirBundle(bundle(ext))
    expect(r.record.black_race).toBe(want)
    expect(r.mapped).toContainEqual(expect.objectContaining({ resourceType: 'Patient', target: 'black_race', path: 'entry[0].resource.extension[0]' }))
    expect(validateAgainstSchema('patient', r.record, undefined)).toEqual([])
  })

  it('no race extension: not recorded, never assumed, nothing reported', () => {
    const r = importFhirBundle(bundle([]))
    expect(r.record).not.toHaveProperty('black_race')
    expect(r.unmapped.filter(u => u.resourceType === 'Patient')).toEqual([])
  })

  it.each([
    { name: 'only text', ext: [race({ url: 'text', valueString: 'Black' })] },
    { name: 'asked but unknown (UNK)', ext: [race(omb('UNK', 'Unknown', 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor'))] },
    { name: 'declined (ASKU)', ext: [race(omb('ASKU', 'Asked but no answer', 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor'))] },
  ])('$name: not recorded, and the race extension is reported as not imported', ({ ext }) => {
    const r = importFhirBundle(bundle(ext))
    expect(r.record).not.toHaveProperty('black_race')
    expect(r.unmapped).toContainEqual(expect.objectContaining({ resourceType: 'Patient', path: 'entry[0].resource.extension[0]', reason: 'UNSUPPORTED_VALUE' }))
  })

  it('an eGFR the lab computed for one race keeps its LOINC code (the engine applies it by the race coefficient)', () => {
    const r = importFhirBundle(bundle([], [observation('o1', '48643-1', 47.9), observation('o2', '88294-4', 44.7)]))
    expect(r.record.measurements).toEqual([
      { concept: 'egfr_mdrd', loinc: '48643-1', value: 47.9, unit: 'mL/min/{1.73_m2}', date: '2026-02-01' },
      { concept: 'egfr_ckd_epi_2009', loinc: '88294-4', value: 44.7, unit: 'mL/min/{1.73_m2}', date: '2026-02-01' },
    ])
    expect(r.mapped.find(m => m.id === 'o1')?.note).toContain('computed by the lab for a patient who is Black')
    expect(validateAgainstSchema('patient', r.record, undefined)).toEqual([])
  })

  it('imported eGFR observations keep their equation by LOINC', () => {
    const r = importFhirBundle(bundle([], [observation('o1', '98979-8', 46.3), observation('o2', '62238-1', 44.7), observation('o3', '33914-3', 39.5)]))
    const concepts = (r.record.measurements ?? []).map(m => [m.concept, m.value])
    expect(concepts).toEqual(
      expect.arrayContaining([
        ['egfr', 46.3],
        ['egfr_ckd_epi_2009', 44.7],
        ['egfr_mdrd', 39.5],
      ]),
    )
  })
})
