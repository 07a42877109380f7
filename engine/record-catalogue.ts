/**
 * What a patient record holds besides measurements and events, in words:
 * the ACR 1997 items, the SLEDAI-2K descriptors with their weights, and the
 * yes/no facts a `fact:` leaf may name with where each is recorded. The one
 * home of these lists: the record's types, the engine's calculators and fact
 * catalogue, and the web's patient form all read them from here.
 *
 * Names are in sentence form ("malar rash"); a form label is the name with
 * a capital (`upperFirst`). Pure, with no runtime import, so the browser
 * bundle may import it (test/web/boundaries.test.ts WEB_SHARED).
 */

/** The 11 items in the order of Hochberg MC, Arthritis Rheum 1997;40:1725. */
export const ACR_1997 = [
  { id: 'malar_rash', name: 'malar rash' },
  { id: 'discoid_rash', name: 'discoid rash' },
  { id: 'photosensitivity', name: 'photosensitivity' },
  { id: 'oral_ulcers', name: 'oral ulcers' },
  { id: 'arthritis', name: 'arthritis' },
  { id: 'serositis', name: 'serositis' },
  { id: 'renal_disorder', name: 'renal disorder' },
  { id: 'neurologic_disorder', name: 'neurologic disorder' },
  { id: 'hematologic_disorder', name: 'haematologic disorder' },
  { id: 'immunologic_disorder', name: 'immunologic disorder' },
  { id: 'antinuclear_antibody', name: 'antinuclear antibody' },
] as const
export type Acr1997Item = (typeof ACR_1997)[number]['id']
/** The ACR 1997 item ids, in order. */
export const ACR_1997_ITEMS: readonly Acr1997Item[] = ACR_1997.map(i => i.id)

/** The 24 descriptors in form order; weights: Gladman DD, Ibañez D, Urowitz MB, J Rheumatol 2002;29:288-91. */
export const SLEDAI_2K = [
  { id: 'seizure', name: 'seizure', weight: 8 },
  { id: 'psychosis', name: 'psychosis', weight: 8 },
  { id: 'organic_brain_syndrome', name: 'organic brain syndrome', weight: 8 },
  { id: 'visual_disturbance', name: 'visual disturbance', weight: 8 },
  { id: 'cranial_nerve_disorder', name: 'cranial nerve disorder', weight: 8 },
  { id: 'lupus_headache', name: 'lupus headache', weight: 8 },
  { id: 'cerebrovascular_accident', name: 'cerebrovascular accident', weight: 8 },
  { id: 'vasculitis', name: 'vasculitis', weight: 8 },
  { id: 'arthritis', name: 'arthritis', weight: 4 },
  { id: 'myositis', name: 'myositis', weight: 4 },
  { id: 'urinary_casts', name: 'urinary casts', weight: 4 },
  { id: 'hematuria', name: 'haematuria', weight: 4 },
  { id: 'proteinuria', name: 'proteinuria', weight: 4 },
  { id: 'pyuria', name: 'pyuria', weight: 4 },
  { id: 'rash', name: 'rash', weight: 2 },
  { id: 'alopecia', name: 'alopecia', weight: 2 },
  { id: 'mucosal_ulcers', name: 'mucosal ulcers', weight: 2 },
  { id: 'pleurisy', name: 'pleurisy', weight: 2 },
  { id: 'pericarditis', name: 'pericarditis', weight: 2 },
  { id: 'low_complement', name: 'low complement', weight: 2 },
  { id: 'increased_dna_binding', name: 'increased DNA binding', weight: 2 },
  { id: 'fever', name: 'fever', weight: 1 },
  { id: 'thrombocytopenia', name: 'thrombocytopenia', weight: 1 },
  { id: 'leukopenia', name: 'leukopenia', weight: 1 },
] as const
export type SledaiDescriptor = (typeof SLEDAI_2K)[number]['id']
/** The SLEDAI-2K descriptor ids, in form order. */
export const SLEDAI_2K_DESCRIPTORS: readonly SledaiDescriptor[] = SLEDAI_2K.map(d => d.id)

/** Where a yes/no fact is recorded: a section of the record and its key (`record`: the record's top level). */
export interface RecordFactPlace {
  section: 'reproductive' | 'informed_consent' | 'record'
  key: string
}

/** The yes/no facts a `fact:` leaf may name (`sex` and `acr_1997.*` have their own shapes), described in sentence form. */
export const YES_NO_FACTS = {
  childbearing_potential: { description: 'fertile (of childbearing potential)', section: 'reproductive', key: 'childbearing_potential' },
  pregnant: { description: 'pregnant', section: 'reproductive', key: 'pregnant' },
  lactating: { description: 'lactating', section: 'reproductive', key: 'lactating' },
  contraception_agreed: { description: 'agrees to use effective contraception during the trial', section: 'reproductive', key: 'contraception_agreed' },
  informed_consent_signed: { description: 'informed consent signed', section: 'informed_consent', key: 'signed' },
  black_race: { description: 'Black (the race coefficient of the CKD-EPI 2009 and MDRD eGFR equations)', section: 'record', key: 'black_race' },
} as const satisfies Record<string, RecordFactPlace & { description: string }>
