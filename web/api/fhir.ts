/**
 * FHIR import over HTTP: POST /fhir/patient turns a FHIR R4 Bundle into a
 * patient record, with what was mapped and what was not.
 */
import { json } from '../api.ts'
import type { FhirImport, HistorySection, MappedItem, UnmappedItem, UnmappedReason, UnrecognisedEntry } from '../../engine/index.ts'

export type { FhirImport, HistorySection, MappedItem, UnmappedItem, UnmappedReason, UnrecognisedEntry }

/**
 * Import a Bundle (already parsed JSON). Sent as application/json, which the
 * route accepts besides application/fhir+json.
 */
export function importFhirBundle(bundle: unknown, signal?: AbortSignal): Promise<FhirImport> {
  return json<FhirImport>('/fhir/patient', { method: 'POST', json: bundle, ...(signal ? { signal } : {}) })
}
