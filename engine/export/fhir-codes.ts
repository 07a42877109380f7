/**
 * The terminology the FHIR export writes, each code with its source. Where
 * R4 and R5 name a code system differently (R5's core package keeps the
 * research-study systems under http://hl7.org/fhir/, R4 under
 * terminology.hl7.org), the release picks.
 */
import type { Intervention, MaskingValue } from '../types.ts'
import { coding, type FhirRelease, type JsonObject } from './fhir-json.ts'

/** Status of the definitional resources: publication-status `active` (http://hl7.org/fhir/R4/codesystem-publication-status.html, same in R5). */
export const ACTIVE = 'active'

/** ClinicalTrials.gov as the identifier system of NCT numbers (https://clinicaltrials.gov, as ClinicalTrials.gov's own FHIR mappings write it). */
export const CLINICALTRIALS_GOV = 'https://clinicaltrials.gov'
export const NCT_ID = /^NCT\d{8}$/

/** SNOMED CT (http://hl7.org/fhir/R4/snomedct.html). */
export const SNOMED = 'http://snomed.info/sct'
/** WHO ATC (http://hl7.org/fhir/R4/terminologies-systems.html). */
export const ATC = 'http://www.whocc.no/atc'
/** RxNorm (http://hl7.org/fhir/R4/rxnorm.html). */
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm'

/**
 * Routes of administration from the SNOMED CT route of administration value
 * set (http://hl7.org/fhir/R4/valueset-route-codes.html, the example binding
 * of Dosage.route in R4 and R5).
 */
export const ROUTES: Record<Intervention['route'], { code: string; display: string }> = {
  subcutaneous: { code: '34206005', display: 'Subcutaneous route' }, // SNOMED CT 34206005 |Subcutaneous route|
  intravenous: { code: '47625008', display: 'Intravenous route' }, // SNOMED CT 47625008 |Intravenous route|
  oral: { code: '26643006', display: 'Oral route' }, // SNOMED CT 26643006 |Oral route|
  intramuscular: { code: '78421000', display: 'Intramuscular route' }, // SNOMED CT 78421000 |Intramuscular route|
}

/** Research study phase: R4 http://hl7.org/fhir/R4/codesystem-research-study-phase.html, R5 http://hl7.org/fhir/R5/codesystem-research-study-phase.html. */
function phaseSystem(release: FhirRelease): string {
  return release === 'R4' ? 'http://terminology.hl7.org/CodeSystem/research-study-phase' : 'http://hl7.org/fhir/research-study-phase'
}

/** The registry's phase (`3`, `2/3`, `N/A`...) as a code of both releases' research-study-phase code system (same codes). */
const PHASES: Record<string, { code: string; display: string }> = {
  'n/a': { code: 'n-a', display: 'N/A' }, // research-study-phase n-a
  'early 1': { code: 'early-phase-1', display: 'Early Phase 1' }, // research-study-phase early-phase-1
  '0': { code: 'early-phase-1', display: 'Early Phase 1' }, // research-study-phase early-phase-1 (ClinicalTrials.gov "Phase 0" maps to Early Phase 1)
  '1': { code: 'phase-1', display: 'Phase 1' }, // research-study-phase phase-1
  '1/2': { code: 'phase-1-phase-2', display: 'Phase 1/Phase 2' }, // research-study-phase phase-1-phase-2
  '2': { code: 'phase-2', display: 'Phase 2' }, // research-study-phase phase-2
  '2/3': { code: 'phase-2-phase-3', display: 'Phase 2/Phase 3' }, // research-study-phase phase-2-phase-3
  '3': { code: 'phase-3', display: 'Phase 3' }, // research-study-phase phase-3
  '4': { code: 'phase-4', display: 'Phase 4' }, // research-study-phase phase-4
}

/** The phase as a CodeableConcept; a phase the code system lacks keeps its text alone. */
export function phaseConcept(phase: string, release: FhirRelease): { concept: JsonObject; coded: boolean } {
  const key = phase
    .trim()
    .toLowerCase()
    .replace(/^phase\s*/, '')
    .replace(/\s*\/\s*(phase\s*)?/, '/')
  const found = PHASES[key]
  const text = `Phase ${phase}`
  if (!found) return { concept: { text }, coded: false }
  return { concept: { coding: [coding(phaseSystem(release), found.code, found.display)], text }, coded: true }
}

/** Objective / outcome measure type: R4 http://hl7.org/fhir/R4/codesystem-research-study-objective-type.html, R5 http://hl7.org/fhir/R5/codesystem-research-study-objective-type.html. */
export function objectiveType(kind: 'primary' | 'secondary', release: FhirRelease): JsonObject {
  const system = release === 'R4' ? 'http://terminology.hl7.org/CodeSystem/research-study-objective-type' : 'http://hl7.org/fhir/research-study-objective-type'
  // research-study-objective-type primary | secondary
  return { coding: [coding(system, kind, kind === 'primary' ? 'Primary' : 'Secondary')] }
}

/** R5 ResearchStudy.associatedParty.role `sponsor` (http://hl7.org/fhir/R5/codesystem-research-study-party-role.html). */
export const SPONSOR_ROLE: JsonObject = { coding: [coding('http://hl7.org/fhir/research-study-party-role', 'sponsor', 'sponsor')] }

/** PlanDefinition.type `clinical-protocol` (http://terminology.hl7.org/CodeSystem/plan-definition-type, R4 and R5). */
export const CLINICAL_PROTOCOL: JsonObject = {
  coding: [coding('http://terminology.hl7.org/CodeSystem/plan-definition-type', 'clinical-protocol', 'Clinical Protocol')],
}

/**
 * HL7 Vulcan Schedule of Activities IG extension on
 * PlanDefinition.action.relatedAction: the acceptable range of the offset
 * (a visit window), beside the nominal offsetDuration
 * (http://hl7.org/fhir/uv/vulcan-schedule/StructureDefinition-AcceptableOffsetRangeSoa.html).
 */
export const ACCEPTABLE_OFFSET_RANGE = 'http://hl7.org/fhir/uv/vulcan-schedule/StructureDefinition/AcceptableOffsetRangeSoa'

/** R5 study design (http://hl7.org/fhir/R5/codesystem-study-design.html, SEVCO codes). */
const STUDY_DESIGN = 'http://hl7.org/fhir/study-design'

const MASKING_WORDS: Record<MaskingValue, string> = {
  open_label: 'open label (nobody is masked)',
  single_blind: 'single blind (participants are masked)',
  double_blind: 'double blind (participants and investigators are masked)',
  not_stated: 'masking not stated by the source',
}

export function maskingWords(value: MaskingValue): string {
  return MASKING_WORDS[value]
}

/**
 * R5 ResearchStudy.studyDesign for the masking: both single and double blind
 * mask the participants (protocol schema), which SEVCO codes; the
 * investigators of a double-blind trial have no one SEVCO code (providers,
 * outcome assessors and analysts are separate), so they stay in the text.
 */
export function maskingDesign(value: MaskingValue): JsonObject {
  const text = `Masking: ${MASKING_WORDS[value]}`
  if (value !== 'single_blind' && value !== 'double_blind') return { text }
  // SEVCO:01060 Blinding of study participants (http://hl7.org/fhir/study-design)
  return { coding: [coding(STUDY_DESIGN, 'SEVCO:01060', 'Blinding of study participants')], text }
}
