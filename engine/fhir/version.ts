/**
 * Which FHIR version a bundle is written in, from elements that exist only in
 * an earlier one. The import reads R4 (and R4B, whose resources it reads are
 * the same); an STU3 or DSTU2 bundle read as R4 silently loses data (its
 * Immunization.date is no R4 occurrenceDateTime), so it is refused instead.
 */
import type { Diagnostic } from '../types.ts'

export type OlderFhirVersion = 'STU3' | 'DSTU2'

interface Marker {
  version: OlderFhirVersion
  resourceType: string
  /** An element that exists in that version but not in R4; undefined: the resource type itself. */
  element?: string
  /** When the element exists in R4 too, what only the older version writes in it (a string where R4 has a CodeableConcept). */
  older?: (value: unknown) => boolean
  /** What R4 has instead. */
  r4: string
}

/** A dosage list whose entries carry doseQuantity directly (STU3) rather than in doseAndRate (R4). */
const doseQuantityAtTop = (v: unknown) => Array.isArray(v) && v.some(d => typeof d === 'object' && d !== null && 'doseQuantity' in d)

/** Elements and resource types removed or renamed in R4 (FHIR R4 "Changes from STU3" and STU3 "Changes from DSTU2" pages of each resource). */
const MARKERS: readonly Marker[] = [
  { version: 'DSTU2', resourceType: 'MedicationOrder', r4: 'MedicationRequest' },
  { version: 'DSTU2', resourceType: 'DiagnosticOrder', r4: 'ServiceRequest' },
  { version: 'DSTU2', resourceType: 'Order', r4: 'Task / ServiceRequest' },
  { version: 'DSTU2', resourceType: 'Immunization', element: 'wasNotGiven', r4: 'status "not-done"' },
  { version: 'DSTU2', resourceType: 'MedicationStatement', element: 'wasNotTaken', r4: 'status "not-taken"' },
  { version: 'DSTU2', resourceType: 'Condition', element: 'dateRecorded', r4: 'recordedDate' },
  { version: 'DSTU2', resourceType: 'Condition', element: 'patient', r4: 'subject' },
  { version: 'DSTU2', resourceType: 'MedicationStatement', element: 'patient', r4: 'subject' },
  { version: 'STU3', resourceType: 'ProcedureRequest', r4: 'ServiceRequest' },
  { version: 'STU3', resourceType: 'ReferralRequest', r4: 'ServiceRequest' },
  { version: 'STU3', resourceType: 'Immunization', element: 'notGiven', r4: 'status "not-done"' },
  { version: 'STU3', resourceType: 'Immunization', element: 'date', r4: 'occurrenceDateTime' },
  { version: 'STU3', resourceType: 'MedicationStatement', element: 'taken', r4: 'status' },
  { version: 'STU3', resourceType: 'Condition', element: 'assertedDate', r4: 'recordedDate' },
  { version: 'STU3', resourceType: 'Procedure', element: 'notDone', r4: 'status "not-done"' },
  { version: 'STU3', resourceType: 'Observation', element: 'context', r4: 'encounter' },
  { version: 'STU3', resourceType: 'Condition', element: 'clinicalStatus', older: v => typeof v === 'string', r4: 'a CodeableConcept' },
  { version: 'STU3', resourceType: 'Condition', element: 'verificationStatus', older: v => typeof v === 'string', r4: 'a CodeableConcept' },
  { version: 'STU3', resourceType: 'MedicationStatement', element: 'dosage', older: doseQuantityAtTop, r4: 'dosage[].doseAndRate[].doseQuantity' },
  {
    version: 'STU3',
    resourceType: 'MedicationRequest',
    element: 'dosageInstruction',
    older: doseQuantityAtTop,
    r4: 'dosageInstruction[].doseAndRate[].doseQuantity',
  },
]

/**
 * The first sign that the bundle is not R4, as a located diagnostic.
 *
 * @param entries the bundle's entries
 * @returns undefined when nothing in it belongs to an earlier version
 * @example olderVersionProblem([{ resource: { resourceType: 'Immunization', date: '2015-04-01' } }])?.message
 * // 'this bundle is FHIR STU3, not R4: entry[0].resource, an Immunization with "date" (R4: occurrenceDateTime). ...'
 */
export function olderVersionProblem(entries: readonly unknown[]): Diagnostic | undefined {
  for (let i = 0; i < entries.length; i++) {
    const resource = (entries[i] as { resource?: Record<string, unknown> } | null)?.resource
    if (typeof resource !== 'object' || resource === null) continue
    const type = resource.resourceType
    const marker = MARKERS.find(
      m => m.resourceType === type && (m.element === undefined || (m.element in resource && (m.older?.(resource[m.element]) ?? true))),
    )
    if (!marker) continue
    const path = `entry[${i}].resource${marker.element ? `.${marker.element}` : '.resourceType'}`
    const what = marker.element ? `an ${type} with "${marker.element}" (R4: ${marker.r4})` : `a ${type} resource (R4: ${marker.r4})`
    return {
      code: 'E_FHIR_VERSION',
      severity: 'error',
      path,
      message: `this bundle is FHIR ${marker.version}, not R4: ${path.replace(/\.[^.]+$/, '')}, ${what}. Importing it as R4 would lose data (dates, statuses); convert it to R4 first (for example with the HL7 FHIR version converter) and import the result`,
      expected: 'a FHIR R4 (or R4B) Bundle',
      found: `FHIR ${marker.version} (${what})`,
    }
  }
  return undefined
}
