/**
 * The ResearchStudy (identity, phase, sponsor, arms, outcome measures,
 * links to the eligibility and the schedule) and the sponsor's Organization.
 * R4 and R5 differ most here: R4 has `sponsor`, `arm`, `objective` (name and
 * type only) and no enrolment target nor eligibility link but `enrollment`
 * → Group; R5 has `associatedParty`, `comparisonGroup`, `outcomeMeasure` and
 * `recruitment` (target and eligibility).
 */
import type { Endpoint } from '../types.ts'
import { formatDescribedNode } from '../describe/index.ts'
import type { FhirContext } from './fhir-context.ts'
import { CLINICALTRIALS_GOV, maskingDesign, maskingWords, NCT_ID, objectiveType, phaseConcept, SPONSOR_ROLE } from './fhir-codes.ts'
import { canonicalUrl, fhirId, reference, type FhirResource, type JsonObject } from './fhir-json.ts'

/** The registry id; identifier-use official (http://hl7.org/fhir/R4/codesystem-identifier-use.html). */
function identifier(ctx: FhirContext): JsonObject {
  const id = ctx.doc.protocol.registry_id
  if (NCT_ID.test(id)) return { use: 'official', system: CLINICALTRIALS_GOV, value: id }
  ctx.note('protocol.registry_id', `${id} is not an NCT number: the identifier carries it without a system.`)
  return { use: 'official', value: id }
}

function sponsorOrganization(ctx: FhirContext): FhirResource {
  return { resourceType: 'Organization', id: ctx.ids.sponsor, active: true, name: ctx.doc.protocol.sponsor }
}

/** Time frames (both releases) and, for R4, the outcome-measure texts R4's objective cannot hold. */
function endpointAnnotations(ctx: FhirContext): JsonObject[] {
  return (ctx.doc.endpoints ?? []).flatMap(e => {
    const frame = e.time_frame ? `; time frame: ${e.time_frame}` : ''
    if (ctx.release === 'R4') return [{ text: `Outcome measure "${e.title}" (${e.kind}${frame}): ${e.text}` }]
    return e.time_frame ? [{ text: `Outcome measure "${e.title}": time frame ${e.time_frame}` }] : []
  })
}

function endpointNote(e: Endpoint, ctx: FhirContext): void {
  const carried =
    ctx.release === 'R4'
      ? 'R4 ResearchStudy.objective holds its title (name) and kind (type) only; its registry text and time frame are in ResearchStudy.note'
      : `ResearchStudy.outcomeMeasure holds its title (name), kind (type) and registry text (description)${e.time_frame ? '; its time frame is in ResearchStudy.note' : ''}`
  const { id, kind, title, text, time_frame, notes, ...definition } = e
  const words = ctx.words.endpoints.find(d => d.id === id)
  const left = Object.keys(definition).join(', ')
  const logic = words?.logic ? `\n${formatDescribedNode(words.logic, name => ctx.params[name]).join('\n')}` : ''
  ctx.note(
    `endpoints.${id}`,
    `${carried}. Its definition (${left}) has no FHIR form and is not carried${words ? `: ${words.summary}${logic}` : '.'}` +
      `${notes?.length ? `\nIts ${notes.length} interpretation note(s) are not carried either.` : ''}`,
  )
}

function armsAndOutcomes(ctx: FhirContext): JsonObject {
  const arms = ctx.doc.arms ?? []
  const endpoints = ctx.doc.endpoints ?? []
  for (const e of endpoints) endpointNote(e, ctx)
  if (ctx.release === 'R4') {
    return {
      // arm ids travel as element ids (R4 arms have no linkId); the PlanDefinition's arm actions carry the same ids
      arm: arms.map(a => ({ id: `arm-${fhirId(a.id)}`, name: a.label, description: a.text })),
      objective: endpoints.map(e => ({ name: e.title, type: objectiveType(e.kind, 'R4') })),
    }
  }
  return {
    comparisonGroup: arms.map(a => ({ linkId: `arm-${fhirId(a.id)}`, name: a.label, description: a.text })),
    outcomeMeasure: endpoints.map(e => ({ name: e.title, type: [objectiveType(e.kind, 'R5')], description: e.text })),
  }
}

function phase(ctx: FhirContext): JsonObject {
  const { concept, coded } = phaseConcept(ctx.doc.protocol.phase, ctx.release)
  if (!coded) ctx.note('protocol.phase', `Phase "${ctx.doc.protocol.phase}" has no code in research-study-phase: carried as text only.`)
  return concept
}

/** Masking: R5 studyDesign (coded where SEVCO allows), R4 only a note; the source always in words. */
function masking(ctx: FhirContext): { design?: JsonObject; annotation?: JsonObject } {
  const m = ctx.doc.protocol.masking
  if (!m) {
    ctx.note('protocol.masking', 'The protocol states no masking (read as not stated, handled as blinded): nothing is exported.')
    return {}
  }
  const words = `Masking: ${maskingWords(m.value)} (source: ${m.source})`
  if (ctx.release === 'R4') {
    ctx.note('protocol.masking', `R4 ResearchStudy has no masking element: "${m.value}" and its source are carried as text in ResearchStudy.note.`)
    return { annotation: { text: words } }
  }
  ctx.note(
    'protocol.masking',
    `R5 ResearchStudy has no masking element: carried in studyDesign (SEVCO:01060 for single and double blind; the investigators a double blind also masks have no one SEVCO code, so they are in its text) and the source in ResearchStudy.note.`,
  )
  return { design: maskingDesign(m.value), annotation: { text: words } }
}

function studyNotes(ctx: FhirContext): void {
  const { release, doc } = ctx
  ctx.note(
    'protocol',
    release === 'R4'
      ? 'ResearchStudy.status is required: `active` (R4 research-study-status) stands for "this protocol is in use"; the registry\'s recruitment status is not in the protocol document.'
      : "ResearchStudy.status is the publication status of the resource (`active`); the study's own state (R5 progressStatus) is not in the protocol document and is not exported.",
  )
  if (release === 'R4') {
    ctx.note(
      'protocol.target_enrollment',
      `R4 ResearchStudy has no enrolment target (enrollment is a Reference(Group) of criteria): the target of ${doc.protocol.target_enrollment} participants is not carried.`,
    )
    ctx.note(
      'protocol.version',
      `R4 ResearchStudy has no version: the encoding version ${doc.protocol.version} is carried by the bundle's canonical resources.`,
    )
  }
}

export function studyResources(ctx: FhirContext): FhirResource[] {
  const { doc, ids, release } = ctx
  studyNotes(ctx)
  const { design, annotation } = masking(ctx)
  const eligibilityUrl = canonicalUrl('EvidenceVariable', ids.eligibility)
  // related-artifact-type citation / depends-on (http://hl7.org/fhir/R4/codesystem-related-artifact-type.html, same in R5)
  const source = doc.protocol.source ? [{ type: 'citation', citation: doc.protocol.source, display: 'Source of the encoded text' }] : []
  const common: JsonObject = {
    identifier: [identifier(ctx)],
    title: doc.protocol.title,
    protocol: [reference('PlanDefinition', ids.schedule, `Schedule of ${doc.protocol.registry_id}`)],
    // R4 research-study-status / R5 publication-status `active`, both read as "in use" (the `protocol` note says which)
    status: 'active',
    phase: phase(ctx),
  }
  const notes = [...(annotation ? [annotation] : []), ...endpointAnnotations(ctx)]
  const study: FhirResource =
    release === 'R4'
      ? {
          resourceType: 'ResearchStudy',
          id: ids.study,
          ...common,
          // R4 links the eligibility by canonical: enrollment would need a Group (see the `bundle` note)
          relatedArtifact: [{ type: 'depends-on', label: 'eligibility', display: 'Eligibility criteria', resource: eligibilityUrl }, ...source],
          sponsor: reference('Organization', ids.sponsor, doc.protocol.sponsor),
          note: notes,
          ...armsAndOutcomes(ctx),
        }
      : {
          resourceType: 'ResearchStudy',
          id: ids.study,
          url: canonicalUrl('ResearchStudy', ids.study),
          version: ctx.version,
          ...common,
          relatedArtifact: source,
          studyDesign: design ? [design] : undefined,
          associatedParty: [{ name: doc.protocol.sponsor, role: SPONSOR_ROLE, party: reference('Organization', ids.sponsor, doc.protocol.sponsor) }],
          note: notes,
          recruitment: { targetNumber: doc.protocol.target_enrollment, eligibility: reference('EvidenceVariable', ids.eligibility, 'Eligibility criteria') },
          ...armsAndOutcomes(ctx),
        }
  return [study, sponsorOrganization(ctx)]
}
