/**
 * The CPU-bound work on patient data, run in the worker pool (cpu-pool.ts):
 * a FHIR Bundle read into a record, and an amendment's impact on the
 * screened records. Plain data in and out; a Problem thrown here reaches the
 * client as it would from a route.
 */
import { amendmentImpact } from '../../engine/diff/index.ts'
import { FhirBundleError, importFhirBundle } from '../../engine/fhir/index.ts'
import type { AmendmentImpact, FhirImport, PatientRecord } from '../../engine/index.ts'
import { badRequest, invalid } from '../errors.ts'
import { applyWhatIfToYaml, whatIfImpact, WhatIfError, type WhatIfEdits } from '../../engine/whatif/index.ts'
import type { ProtocolDocument } from '../../engine/index.ts'
import { safeJsonParse } from '../http/safe-json.ts'
import { loadedVersion } from '../protocol-cache.ts'
import type { ProtocolVersionRow } from '../storage/store.ts'

/**
 * A FHIR R4 Bundle read into a patient record, with what was mapped and what
 * was not. The body arrives as bytes, moved (not copied) to this thread and
 * decoded here, and the answer goes back as JSON text (a string crosses
 * threads far cheaper than an object graph): a bundle of tens of MB costs
 * the event loop next to nothing.
 */
export function importFhir(input: { bytes: ArrayBuffer }): string {
  const text = new TextDecoder('utf-8').decode(input.bytes)
  if (text.trim() === '') throw badRequest('the body is empty; send a FHIR Bundle')
  const parsed = safeJsonParse(text)
  if (!parsed.ok) throw badRequest(`the body is not valid JSON: ${parsed.error}`)
  try {
    return JSON.stringify(importFhirBundle(parsed.value) satisfies FhirImport)
  } catch (e) {
    if (e instanceof FhirBundleError) throw invalid('invalid-request', 'the body is not a FHIR R4 Bundle', e.diagnostics)
    throw e
  }
}

export interface ImpactInput {
  from: ProtocolVersionRow
  to: ProtocolVersionRow
  /** The screened records as logged (JSON text), keyed by their screening-log id. */
  screened: Array<{ key: number; patient: string }>
}

/** Each screened record re-evaluated under both versions: whose verdict changes, and how. */
export function impactOf(input: ImpactInput): Promise<AmendmentImpact<number>> {
  return amendmentImpact(
    loadedVersion(input.from).compiled,
    loadedVersion(input.to).compiled,
    input.screened.map(s => ({ key: s.key, patient: JSON.parse(s.patient) as PatientRecord })),
  )
}

export interface WhatIfInput {
  version: ProtocolVersionRow
  edits: WhatIfEdits
  /** The records re-evaluated (JSON text), keyed by their screening-log id or their place in an uploaded extract. */
  screened: Array<{ key: number; patient: string }>
}

/** The version with a designer's edits, and the records re-evaluated under both (nothing is saved). */
export async function whatIfOf(input: WhatIfInput): Promise<{ document: ProtocolDocument; yaml: string; impact: AmendmentImpact<number> }> {
  try {
    const result = await whatIfImpact(
      loadedVersion(input.version).compiled,
      input.edits,
      input.screened.map(s => ({ key: s.key, patient: JSON.parse(s.patient) as PatientRecord })),
    )
    // the version's own text with only the edits changed: what "save as draft amendment" opens in the editor
    return { ...result, yaml: applyWhatIfToYaml(input.version.yaml, input.edits) }
  } catch (e) {
    if (e instanceof WhatIfError) throw badRequest(e.message)
    throw e
  }
}
