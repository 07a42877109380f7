/**
 * The CDISC Controlled Terminology codes the USDM export uses, with their
 * decodes. Source of each: the CDISC pilot study example published with USDM
 * 4.0.0 (cdisc-org/DDF-RA Documents/Examples/CDISC_Pilot), which uses CT
 * version 2024-09-27, unless its comment names another CDISC codelist.
 */

/** Where the codes come from, as USDM's Code.codeSystem / codeSystemVersion spell it. */
export const CDISC_CODE_SYSTEM = 'http://www.cdisc.org'
export const CDISC_CT_VERSION = '2024-09-27'

export interface CtCode {
  code: string
  decode: string
}

const ct = (code: string, decode: string): CtCode => ({ code, decode })

export const USDM_CODES = {
  // StudyTitle.type (pilot example)
  officialTitle: ct('C99905x2', 'Official Study Title'),
  // Organization.type (pilot example)
  sponsor: ct('C70793', 'Clinical Study Sponsor'),
  registry: ct('C93453', 'Study Registry'),
  // InterventionalStudyDesign.studyType and .model (pilot example; CDISC TRIAL DESIGN codelist)
  interventional: ct('C98388', 'Interventional Study'),
  parallel: ct('C82639', 'Parallel Study'),
  // StudyArm.type (pilot example; Experimental Arm C174266 is the same CDISC ARM TYPE codelist)
  experimentalArm: ct('C174266', 'Experimental Arm'),
  placeboArm: ct('C174268', 'Placebo Control Arm'),
  dataGeneratedWithinStudy: ct('C188866', 'Data Generated Within Study'),
  // StudyEpoch.type (pilot example)
  screeningEpoch: ct('C202487', 'Screening Epoch'),
  treatmentEpoch: ct('C101526', 'Treatment Epoch'),
  // Encounter.type (pilot example)
  visit: ct('C25716', 'Visit'),
  // EligibilityCriterion.category (pilot example)
  inclusion: ct('C25532', 'Inclusion Criteria'),
  exclusion: ct('C25370', 'Exclusion Criteria'),
  // Objective.level and Endpoint.level (pilot example)
  primaryObjective: ct('C85826', 'Primary Objective'),
  secondaryObjective: ct('C85827', 'Secondary Objective'),
  primaryEndpoint: ct('C94496', 'Primary Endpoint'),
  secondaryEndpoint: ct('C139173', 'Secondary Endpoint'),
  // Timing.type and Timing.relativeToFrom (pilot example)
  fixedReference: ct('C201358', 'Fixed Reference'),
  after: ct('C201356', 'After'),
  startToStart: ct('C201355', 'Start to Start'),
  // StudyIntervention.role and .type (pilot example)
  experimentalIntervention: ct('C41161', 'Experimental Intervention'),
  pharmacologicSubstance: ct('C1909', 'Pharmacologic Substance'),
  // StudyDesignPopulation.plannedSex (pilot example: Both; Female and Male are its ResponseCodes)
  bothSexes: ct('C49636', 'Both'),
  female: ct('C16576', 'Female'),
  male: ct('C20197', 'Male'),
  // units (pilot example)
  day: ct('C25301', 'Day'),
  milligram: ct('C28253', 'Milligram'),
} as const

/** Trial phases as the protocol files write them (`phase: "3"`): the CDISC TRIAL PHASE codelist (C66737); Phase II from the pilot example. */
export const PHASE_CODES: Readonly<Record<string, CtCode>> = {
  '1': ct('C15600', 'Phase I Trial'),
  '2': ct('C15601', 'Phase II Trial'),
  '3': ct('C15602', 'Phase III Trial'),
  '4': ct('C15603', 'Phase IV Trial'),
}

/** Masking as the protocol states it: the CDISC TRIAL BLINDING SCHEMA codelist (C66735); Double Blind from the pilot example. */
export const BLINDING_CODES: Readonly<Record<'open_label' | 'single_blind' | 'double_blind', CtCode>> = {
  open_label: ct('C49659', 'Open Label Study'),
  single_blind: ct('C28233', 'Single Blind Study'),
  double_blind: ct('C15228', 'Double Blind Study'),
}

/** Routes of administration: the CDISC ROUTE codelist (C66729); Oral from the pilot example. */
export const ROUTE_CODES: Readonly<Record<'subcutaneous' | 'intravenous' | 'oral' | 'intramuscular', CtCode>> = {
  subcutaneous: ct('C38299', 'Subcutaneous Route of Administration'),
  intravenous: ct('C38276', 'Intravenous Route of Administration'),
  oral: ct('C38288', 'Oral Route of Administration'),
  intramuscular: ct('C28161', 'Intramuscular Route of Administration'),
}
