/**
 * A protocol exported to the CDISC Unified Study Definitions Model 4.0.0:
 * the body of USDM's `POST /v4/studyDefinitions` (a Wrapper around the
 * Study), with the notes of what USDM could not carry. Pure; deterministic.
 *
 * The registry text is kept verbatim wherever USDM has a text field (criteria,
 * arms, endpoints); interpretation notes become comments (CommentAnnotation);
 * parameters, attestations, definitions and every computable rule are listed
 * in the notes.
 */
import { resolveParameters } from '../compile/resolve.ts'
import { describeProtocol } from '../describe/index.ts'
import type { ProtocolDocument } from '../types.ts'
import type { ExportNote, ProtocolExport } from './export-notes.ts'
import { usdmArms } from './usdm-arms.ts'
import { chain, UsdmBuilder } from './usdm-build.ts'
import { BLINDING_CODES, PHASE_CODES, USDM_CODES } from './usdm-codes.ts'
import { usdmEligibility } from './usdm-eligibility.ts'
import { usdmObjectives } from './usdm-objectives.ts'
import { usdmSchedule } from './usdm-schedule.ts'

export const USDM_VERSION = '4.0.0'

/** USDM's Wrapper: the study and the model version it is written in. */
export interface UsdmWrapper {
  study: Record<string, unknown>
  usdmVersion: string
  systemName: string | null
  systemVersion: string | null
}

export function toUsdm(doc: ProtocolDocument): ProtocolExport<UsdmWrapper> {
  const b = new UsdmBuilder()
  const params = resolveParameters(doc)
  const described = describeProtocol(doc)
  const p = doc.protocol
  const notes: ExportNote[] = []

  const sponsor = b.make('Organization', {
    name: p.sponsor,
    label: p.sponsor,
    type: b.code(USDM_CODES.sponsor),
    identifierScheme: 'name',
    identifier: p.sponsor,
    legalAddress: null,
    managedSites: [],
  })
  const registry = b.make('Organization', {
    name: registryName(p.registry_id),
    label: registryName(p.registry_id),
    type: b.code(USDM_CODES.registry),
    identifierScheme: 'name',
    identifier: registryName(p.registry_id),
    legalAddress: null,
    managedSites: [],
  })
  const eligibility = usdmEligibility(doc, b)
  const screening = b.make('StudyEpoch', {
    name: 'screening',
    label: 'Screening',
    description: 'Screening: eligibility is assessed',
    type: b.code(USDM_CODES.screeningEpoch),
    notes: [],
  })
  const treatment = b.make('StudyEpoch', {
    name: 'treatment',
    label: 'Treatment',
    description: 'Treatment and follow-up visits',
    type: b.code(USDM_CODES.treatmentEpoch),
    notes: [],
  })
  chain([screening, treatment])
  const arms = usdmArms(doc, described, params, [screening, treatment], b)
  const schedule = usdmSchedule(doc, described, params, { screening, treatment }, b)
  const objectives = usdmObjectives(doc, described, b)
  const phase = PHASE_CODES[p.phase]
  if (!phase) notes.push({ where: 'protocol.phase', note: `Phase "${p.phase}" has no code here: the study design has no studyPhase.` })
  const masking = p.masking?.value ?? 'not_stated'
  if (masking === 'not_stated')
    notes.push({
      where: 'protocol.masking',
      note: 'The masking is not stated: the study design has no blindingSchema (the engine handles the trial as blinded).',
    })

  const population = b.make('StudyDesignPopulation', {
    name: 'population',
    label: 'Study population',
    description: p.title,
    includesHealthySubjects: false,
    plannedEnrollmentNumber: b.quantity(p.target_enrollment),
    plannedCompletionNumber: null,
    plannedSex: [b.code(p.sex === 'female' ? USDM_CODES.female : p.sex === 'male' ? USDM_CODES.male : USDM_CODES.bothSexes)],
    criterionIds: eligibility.criteria.map(c => c.id),
    plannedAge: null,
    notes: [],
    cohorts: [],
  })
  notes.push(
    { where: 'population.plannedAge', note: 'The planned age range is left empty: ages are criteria (their text and reference date), exported as criteria.' },
    {
      where: 'protocol.model',
      note: 'The protocol states no design model: the study design is exported as a Parallel Study (arms given side by side after random allocation).',
    },
    { where: 'epochs', note: 'The protocol has no epochs: the export has a Screening epoch (eligibility) and a Treatment epoch (every visit).' },
  )
  const design = b.make('InterventionalStudyDesign', {
    name: `${p.registry_id} design`,
    label: p.title,
    description: null,
    studyType: b.code(USDM_CODES.interventional),
    studyPhase: phase ? b.aliasCode(phase) : null,
    therapeuticAreas: [],
    characteristics: [],
    encounters: schedule.encounters,
    activities: schedule.activities,
    arms: arms.arms,
    studyCells: arms.cells,
    rationale: `As registered: ${p.source ?? p.registry_id}`,
    epochs: [screening, treatment],
    elements: arms.elements,
    estimands: [],
    indications: [],
    studyInterventionIds: arms.interventions.map(i => i.id),
    objectives: objectives.objectives,
    population,
    scheduleTimelines: [schedule.timeline],
    biospecimenRetentions: [],
    documentVersionIds: [],
    eligibilityCriteria: eligibility.criteria,
    analysisPopulations: [],
    notes: [],
    subTypes: [],
    model: b.code(USDM_CODES.parallel),
    intentTypes: [],
    blindingSchema: masking === 'not_stated' ? null : b.aliasCode(BLINDING_CODES[masking]),
  })
  const version = b.make('StudyVersion', {
    versionIdentifier: p.version,
    rationale: `Encoding ${p.version} of ${p.registry_id}`,
    studyIdentifiers: [b.make('StudyIdentifier', { text: p.registry_id, scopeId: registry.id })],
    titles: [b.make('StudyTitle', { text: p.title, type: b.code(USDM_CODES.officialTitle) })],
    organizations: [sponsor, registry],
    eligibilityCriterionItems: eligibility.items,
    studyInterventions: arms.interventions,
    studyDesigns: [design],
  })
  // the Study's id is a UUID or null in USDM 4.0: left null, the registry id is its name
  const study = {
    id: null,
    extensionAttributes: [],
    name: p.registry_id,
    description: p.title,
    label: null,
    versions: [version],
    documentedBy: [],
    instanceType: 'Study',
  }
  notes.push(...eligibility.notes, ...arms.notes, ...schedule.notes, ...objectives.notes, ...notCarried(doc))
  return { standard: `CDISC USDM ${USDM_VERSION}`, document: { study, usdmVersion: USDM_VERSION, systemName: 'ln-trial-rules', systemVersion: null }, notes }
}

/** The registry an identifier belongs to, by its form (NCT numbers are ClinicalTrials.gov's). */
function registryName(registryId: string): string {
  return /^NCT\d{8}$/.test(registryId) ? 'ClinicalTrials.gov' : 'Study registry'
}

/** The parts of the protocol language USDM has no element for. */
function notCarried(doc: ProtocolDocument): ExportNote[] {
  const out: ExportNote[] = []
  const params = Object.keys(doc.parameters ?? {})
  if (params.length)
    out.push({
      where: 'parameters',
      note: `The ${params.length} named choices the registry text leaves open (${params.join(', ')}), with their rationale, are not exported; the numbers they set now are.`,
    })
  const attestations = Object.keys(doc.attestations ?? {})
  if (attestations.length) out.push({ where: 'attestations', note: `The investigator's yes/no questions (${attestations.join(', ')}) are not exported.` })
  const defs = Object.entries(doc.definitions ?? {}).filter(([, v]) => v && Object.keys(v).length > 0)
  if (defs.length)
    out.push({
      where: 'definitions',
      note: `The named drug, vaccine, condition, procedure and lab selections (${defs.map(([k]) => k).join(', ')}) are not exported: USDM's biomedical concepts describe collected data, not selections.`,
    })
  return out
}
