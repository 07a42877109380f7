/**
 * What every part of the FHIR export shares: the protocol, the release, the
 * resolved parameters, the protocol in plain words (engine/describe, so the
 * export says things as the rest of the tool does), the resources' ids and
 * the notes collected on the way.
 */
import type { ProtocolDocument } from '../types.ts'
import type { ExportNote } from './export-notes.ts'
import { resolveParameters } from '../compile/resolve.ts'
import type { ResolvedParameters } from '../compile/ir.ts'
import { describeProtocol, type ProtocolDescription } from '../describe/index.ts'
import { canonicalUrl, fhirId, type FhirRelease } from './fhir-json.ts'

/** The ids of the bundle's resources, all derived from the registry id (lower-cased: `nct01234567`). */
export interface FhirIds {
  /** Lower-case registry id: the ResearchStudy's id and every other id's prefix. */
  key: string
  study: string
  sponsor: string
  eligibility: string
  criteriaCodeSystem: string
  schedule: string
  /** ActivityDefinition of an arm's intervention (intervention ids are unique within their arm only). */
  activity: (arm: string, intervention: string) => string
}

export interface FhirContext {
  doc: ProtocolDocument
  release: FhirRelease
  params: ResolvedParameters
  words: ProtocolDescription
  ids: FhirIds
  /** The protocol's encoding version, given to every canonical resource. */
  version: string
  notes: ExportNote[]
  note: (where: string, note: string) => void
}

export function fhirIds(registryId: string): FhirIds {
  const key = fhirId(registryId.toLowerCase())
  return {
    key,
    study: key,
    sponsor: fhirId(`${key}-sponsor`),
    eligibility: fhirId(`${key}-eligibility`),
    criteriaCodeSystem: fhirId(`${key}-criteria`),
    schedule: fhirId(`${key}-schedule`),
    // `.` joins arm and intervention: both are snake_case, so `a_b`+`c` and `a`+`b_c` stay apart
    activity: (arm, intervention) => fhirId(`${key}-${arm}.${intervention}`),
  }
}

/** The code system whose codes are the criterion ids: how R4 (no characteristic linkId) keeps them. */
export function criteriaSystem(ids: FhirIds): string {
  return canonicalUrl('CodeSystem', ids.criteriaCodeSystem)
}

export function fhirContext(doc: ProtocolDocument, release: FhirRelease): FhirContext {
  const notes: ExportNote[] = []
  return {
    doc,
    release,
    params: resolveParameters(doc),
    words: describeProtocol(doc),
    ids: fhirIds(doc.protocol.registry_id),
    version: doc.protocol.version,
    notes,
    note: (where, note) => {
      notes.push({ where, note })
    },
  }
}

/** `R4` or `R5` with its published version, for notes and the export's `standard`. */
export function releaseName(release: FhirRelease): string {
  return release === 'R4' ? 'HL7 FHIR R4 (4.0.1)' : 'HL7 FHIR R5 (5.0.0)'
}
