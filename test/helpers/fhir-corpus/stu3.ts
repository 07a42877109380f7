/**
 * Small bundles in the shapes of earlier FHIR versions, which some servers
 * still send: STU3 (MedicationStatement.taken, Immunization.date and
 * notGiven, Condition.assertedDate and string statuses) and DSTU2
 * (MedicationOrder.dateWritten, MedicationStatement.wasNotTaken,
 * Immunization.date / wasNotGiven / reported, Condition.dateRecorded and
 * `patient`). The R4 import should refuse or flag them, not misread them.
 */
import { EVERYDAY_MEDS, EXCLUSION_MEDS, SYS, VACCINES, CONDITIONS, LABS } from './codes.ts'
import { coding, concept, quantity, type Json } from './fhir.ts'

const entry = (resource: Json): Json => ({ fullUrl: `urn:uuid:${String(resource.id)}`, resource })

export function stu3Bundle(): Json {
  const patient = 'urn:uuid:7c1c3b7e-5d0a-4f55-9b0e-3f2a6c1d9e01'
  return {
    resourceType: 'Bundle',
    id: 'stu3-example',
    meta: { profile: ['http://hl7.org/fhir/us/core/STU3.1/StructureDefinition/us-core-patient'] },
    type: 'collection',
    entry: [
      entry({
        resourceType: 'Patient',
        id: '7c1c3b7e-5d0a-4f55-9b0e-3f2a6c1d9e01',
        gender: 'female',
        birthDate: '1988-04-12',
        name: [{ family: 'Rivera', given: ['Ana'] }],
      }),
      entry({
        resourceType: 'MedicationStatement',
        id: 'b1f0c0de-0001-4000-8000-000000000001',
        status: 'active',
        taken: 'y',
        medicationCodeableConcept: concept(SYS.rxnorm, EXCLUSION_MEDS.mmf.code, EXCLUSION_MEDS.mmf.display),
        subject: { reference: patient },
        effectivePeriod: { start: '2026-06-01' },
        dosage: [{ text: '1000 mg twice daily', doseQuantity: quantity(1000, 'mg') }],
      }),
      entry({
        resourceType: 'MedicationStatement',
        id: 'b1f0c0de-0001-4000-8000-000000000002',
        status: 'completed',
        taken: 'n',
        medicationCodeableConcept: concept(SYS.rxnorm, EVERYDAY_MEDS[0]!.code, EVERYDAY_MEDS[0]!.display),
        subject: { reference: patient },
        effectiveDateTime: '2025-02-10',
      }),
      entry({
        resourceType: 'Immunization',
        id: 'b1f0c0de-0001-4000-8000-000000000003',
        status: 'completed',
        notGiven: false,
        vaccineCode: concept(SYS.cvx, VACCINES.mmr.code, VACCINES.mmr.display),
        patient: { reference: patient },
        date: '2026-09-20T10:15:00-04:00',
        primarySource: true,
      }),
      entry({
        resourceType: 'Condition',
        id: 'b1f0c0de-0001-4000-8000-000000000004',
        clinicalStatus: 'active',
        verificationStatus: 'confirmed',
        category: [{ coding: [coding('http://hl7.org/fhir/condition-category', 'problem-list-item', 'Problem List Item')] }],
        code: concept(SYS.snomed, CONDITIONS.sle.code, CONDITIONS.sle.display),
        subject: { reference: patient },
        onsetDateTime: '2019-03-02',
        assertedDate: '2019-03-15',
      }),
      entry({
        resourceType: 'Observation',
        id: 'b1f0c0de-0001-4000-8000-000000000005',
        status: 'final',
        category: [{ coding: [coding('http://hl7.org/fhir/observation-category', 'laboratory', 'Laboratory')] }],
        code: concept(SYS.loinc, LABS.creatinineSerum.loinc, LABS.creatinineSerum.display),
        subject: { reference: patient },
        effectiveDateTime: '2026-10-30T09:00:00-04:00',
        valueQuantity: quantity(0.9, 'mg/dL'),
      }),
    ],
  }
}

export function dstu2Bundle(): Json {
  const patient = 'Patient/dstu2-pt-1'
  return {
    resourceType: 'Bundle',
    id: 'dstu2-example',
    type: 'searchset',
    total: 6,
    entry: [
      {
        fullUrl: 'https://dstu2.example.org/Patient/dstu2-pt-1',
        resource: { resourceType: 'Patient', id: 'dstu2-pt-1', gender: 'female', birthDate: '1979-11-03', name: [{ family: ['Okafor'], given: ['Ngozi'] }] },
      },
      {
        fullUrl: 'https://dstu2.example.org/MedicationOrder/mo-1',
        resource: {
          resourceType: 'MedicationOrder',
          id: 'mo-1',
          status: 'active',
          patient: { reference: patient },
          dateWritten: '2026-08-14',
          medicationCodeableConcept: concept(SYS.rxnorm, EXCLUSION_MEDS.tacrolimus1.code, EXCLUSION_MEDS.tacrolimus1.display),
          dosageInstruction: [{ text: '2 mg twice daily', timing: { repeat: { frequency: 2, period: 1, periodUnits: 'd' } }, doseQuantity: quantity(2, 'mg') }],
        },
      },
      {
        fullUrl: 'https://dstu2.example.org/MedicationStatement/ms-1',
        resource: {
          resourceType: 'MedicationStatement',
          id: 'ms-1',
          status: 'active',
          wasNotTaken: false,
          patient: { reference: patient },
          medicationCodeableConcept: concept(SYS.rxnorm, EVERYDAY_MEDS[13]!.code, EVERYDAY_MEDS[13]!.display),
          effectiveDateTime: '2026-07-01',
        },
      },
      {
        fullUrl: 'https://dstu2.example.org/Immunization/im-1',
        resource: {
          resourceType: 'Immunization',
          id: 'im-1',
          status: 'completed',
          date: '2026-10-02',
          vaccineCode: concept(SYS.cvx, VACCINES.varicella.code, VACCINES.varicella.display),
          patient: { reference: patient },
          wasNotGiven: false,
          reported: false,
        },
      },
      {
        fullUrl: 'https://dstu2.example.org/Condition/cond-1',
        resource: {
          resourceType: 'Condition',
          id: 'cond-1',
          patient: { reference: patient },
          code: concept(SYS.snomed, CONDITIONS.colonCancer.code, CONDITIONS.colonCancer.display),
          category: { coding: [coding('http://hl7.org/fhir/condition-category', 'diagnosis', 'Diagnosis')] },
          clinicalStatus: 'active',
          verificationStatus: 'confirmed',
          onsetDateTime: '2021-05-20',
          dateRecorded: '2021-06-01',
        },
      },
      {
        fullUrl: 'https://dstu2.example.org/Observation/obs-1',
        resource: {
          resourceType: 'Observation',
          id: 'obs-1',
          status: 'final',
          code: concept(SYS.loinc, LABS.upcr.loinc, LABS.upcr.display),
          subject: { reference: patient },
          effectiveDateTime: '2026-10-30',
          valueQuantity: quantity(1450, 'mg/g'),
        },
      },
    ],
  }
}
