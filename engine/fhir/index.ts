/**
 * FHIR R4 import: a Bundle (Patient, Observation, MedicationStatement,
 * MedicationRequest, Condition, Procedure, Immunization) into the engine's
 * patient record, with a precise account of what was mapped and what was not
 * (resource, path in the bundle, reason). Codes are mapped through the
 * engine's dictionaries, units by UCUM code through the engine's unit
 * conversion; dates are the calendar days written in the resources.
 */
import type { Bundle, Condition, Immunization, MedicationRequest, MedicationStatement, Observation, Patient, Procedure, Resource } from '@medplum/fhirtypes'
import { defaultDictionary, type Dictionary } from '../dictionary/index.ts'
import { FhirBundleError, readFhirBundle } from './bundle.ts'
import { ImportContext, referenceKeys, type Where } from './context.ts'
import { importCondition, importImmunization, importProcedure } from './events.ts'
import { importMedicationRequest, importMedicationStatement } from './medication.ts'
import { importObservation } from './observation.ts'
import { importPatient } from './patient.ts'
import type { FhirImport } from './types.ts'

export { FhirBundleError, readFhirBundle } from './bundle.ts'
export { RECORD_SYSTEM, SYSTEMS as FHIR_SYSTEMS } from './codes.ts'
export { fhirDate } from './dates.ts'
export type { FhirImport, MappedItem, UnmappedItem, UnmappedReason } from './types.ts'

export interface FhirImportOptions {
  /** Dictionaries to map codes with (default: the shipped ones). */
  dictionary?: Dictionary
}

type Importer = (ctx: ImportContext, where: Where, resource: never) => void
const IMPORTERS: Record<string, Importer> = {
  Observation: importObservation as (ctx: ImportContext, where: Where, r: Observation) => void,
  MedicationStatement: importMedicationStatement as (ctx: ImportContext, where: Where, r: MedicationStatement) => void,
  MedicationRequest: importMedicationRequest as (ctx: ImportContext, where: Where, r: MedicationRequest) => void,
  Condition: importCondition as (ctx: ImportContext, where: Where, r: Condition) => void,
  Procedure: importProcedure as (ctx: ImportContext, where: Where, r: Procedure) => void,
  Immunization: importImmunization as (ctx: ImportContext, where: Where, r: Immunization) => void,
}

/**
 * Converts a FHIR R4 Bundle into a patient record.
 *
 * Sections are present only when the bundle had something for them: a bundle
 * without MedicationStatements says nothing about medications, so
 * `medications` stays absent ("not recorded") rather than empty ("none").
 *
 * @param bundle parsed JSON of a FHIR Bundle (any type: collection, searchset, document...)
 * @param options dictionaries to use
 * @returns the record, what was mapped (and how), and what was not (and why)
 * @throws FhirBundleError with located diagnostics when the input is not a Bundle
 * @example
 * const { record, unmapped } = importFhirBundle(JSON.parse(text))
 * for (const u of unmapped) console.log(`${u.path} ${u.reason}: ${u.message}`)
 */
export function importFhirBundle(bundle: unknown, options: FhirImportOptions = {}): FhirImport {
  const read = readFhirBundle(bundle)
  if (!read.value) throw new FhirBundleError(read.diagnostics)
  const entries = read.value.entry ?? []

  const resources: Array<{ where: Where; resource: Resource }> = []
  const byReference = new Map<string, Resource>()
  const invalid: Array<{ path: string; message: string }> = []
  entries.forEach((entry: Bundle['entry'] extends Array<infer E> | undefined ? E : never, i) => {
    const path = `entry[${i}]`
    const resource = (entry as { resource?: unknown } | null)?.resource
    if (typeof resource !== 'object' || resource === null || typeof (resource as { resourceType?: unknown }).resourceType !== 'string') {
      invalid.push({
        path: resource === undefined ? path : `${path}.resource`,
        message: resource === undefined ? 'the entry has no resource' : 'the resource has no resourceType',
      })
      return
    }
    const r = resource as Resource
    resources.push({ where: { resourceType: r.resourceType, ...(r.id ? { id: r.id } : {}), path: `${path}.resource` }, resource: r })
    if (r.id) byReference.set(`${r.resourceType}/${r.id}`, r)
    if (typeof entry?.fullUrl === 'string') byReference.set(entry.fullUrl, r)
  })

  const patients = resources.filter(r => r.resource.resourceType === 'Patient')
  const patient = patients[0]
  const patientRefs = patient ? new Set([...byReference].filter(([, r]) => r === patient.resource).map(([k]) => k)) : undefined
  const ctx = new ImportContext(options.dictionary ?? defaultDictionary, byReference, patientRefs)
  for (const bad of invalid) ctx.unmapped.push({ resourceType: 'unknown', path: bad.path, reason: 'INVALID_ENTRY', message: bad.message, imported: false })
  if (!patient)
    ctx.unmapped.push({
      resourceType: 'Bundle',
      path: 'entry',
      reason: 'MISSING_VALUE',
      message: 'the bundle has no Patient: birth date and sex not imported',
      imported: true,
    })

  const referenced = new Set<Resource>()
  for (const { where, resource } of resources) {
    for (const key of referenceKeys(resource)) {
      const target = byReference.get(key)
      if (target) referenced.add(target)
    }
    if (resource === patient?.resource) importPatient(ctx, where, resource as Patient)
    else if (resource.resourceType === 'Patient') ctx.miss(where, '', 'OTHER_PATIENT', `a second Patient; only the first (${patient!.where.path}) is imported`)
    else if (IMPORTERS[resource.resourceType]) IMPORTERS[resource.resourceType]!(ctx, where, resource as never)
    else if (resource.resourceType !== 'Medication') ctx.miss(where, '', 'UNSUPPORTED_RESOURCE', `${resource.resourceType} has no place in the patient record`)
  }
  for (const { where, resource } of resources) {
    if (resource.resourceType !== 'Medication') continue
    if (referenced.has(resource)) ctx.hit(where, 'medications', 'field', undefined, 'read through the medicationReference that names it')
    else ctx.miss(where, '', 'UNSUPPORTED_RESOURCE', 'a Medication no MedicationStatement or MedicationRequest refers to')
  }
  return { record: ctx.record, mapped: ctx.mapped, unmapped: ctx.unmapped }
}
