/**
 * A protocol as an HL7 FHIR R4 or R5 `collection` Bundle: ResearchStudy and
 * sponsor Organization (fhir-study.ts), the eligibility as an
 * EvidenceVariable with the criteria's CodeSystem (fhir-criteria.ts), the
 * schedule as a PlanDefinition (fhir-schedule.ts) and each intervention as
 * an ActivityDefinition (fhir-dosing.ts). What FHIR cannot hold is an
 * ExportNote (fhir-notes.ts and beside each part), never dropped silently.
 * Ids are deterministic: the same protocol gives the same bundle.
 */
import type { ProtocolDocument } from '../types.ts'
import type { ProtocolExport } from './export-notes.ts'
import { fhirContext, releaseName } from './fhir-context.ts'
import { eligibilityResources } from './fhir-criteria.ts'
import { activityDefinitions } from './fhir-dosing.ts'
import { canonicalUrl, fhirId, pruned, type FhirBundle, type FhirRelease, type FhirResource } from './fhir-json.ts'
import { attestationNotes, bundleNote, definitionNotes, parameterNotes } from './fhir-notes.ts'
import { scheduleResource } from './fhir-schedule.ts'
import { studyResources } from './fhir-study.ts'

export type { FhirBundle, FhirBundleEntry, FhirRelease, FhirResource, Json, JsonObject } from './fhir-json.ts'

/**
 * Export a validated protocol (from `loadProtocol`) to FHIR.
 *
 * @example
 * const { document, notes } = toFhir(doc, 'R5')
 * document.entry.map(e => e.resource.resourceType)
 * // ['ResearchStudy', 'Organization', 'EvidenceVariable', 'CodeSystem', 'PlanDefinition', 'ActivityDefinition', …]
 */
export function toFhir(doc: ProtocolDocument, release: FhirRelease): ProtocolExport<FhirBundle> {
  const ctx = fhirContext(doc, release)
  bundleNote(ctx)
  const resources: FhirResource[] = [...studyResources(ctx), ...eligibilityResources(ctx), scheduleResource(ctx), ...activityDefinitions(ctx)]
  parameterNotes(ctx)
  attestationNotes(ctx)
  definitionNotes(ctx)
  const document: FhirBundle = {
    resourceType: 'Bundle',
    id: fhirId(`${ctx.ids.key}-${release.toLowerCase()}`),
    // bundle-type collection: a set of resources, nothing for a server to process (http://hl7.org/fhir/R4/codesystem-bundle-type.html)
    type: 'collection',
    entry: resources.map(r => ({ fullUrl: canonicalUrl(r.resourceType, r.id), resource: pruned(r) })),
  }
  return { standard: releaseName(release), document, notes: ctx.notes }
}
