/**
 * What the patient record can hold, in words: the facts a `fact:` leaf may
 * name (engine/evaluate/facts/record-facts.ts), the ACR 1997 items and the
 * SLEDAI-2K descriptors with their weights (engine/calculators/sledai-2k.ts).
 * Copied, not imported, because web/ never bundles engine runtime code;
 * test/web/patient-form.test.ts checks that the copies match the engine.
 */
import type { Acr1997Item, SledaiDescriptor } from '../../engine/index.ts'

/** Where a boolean fact lives in the record. */
export type FactPath = 'reproductive' | 'informed_consent' | 'record'

export interface FactInfo {
  label: string
  /** Record section and key the fact is read from. */
  section: FactPath
  key: string
}

/** Boolean facts of the catalogue (`sex` and `acr_1997.*` have their own controls). */
export const BOOLEAN_FACTS: Record<string, FactInfo> = {
  childbearing_potential: { label: 'Fertile (of childbearing potential)', section: 'reproductive', key: 'childbearing_potential' },
  pregnant: { label: 'Pregnant', section: 'reproductive', key: 'pregnant' },
  lactating: { label: 'Lactating', section: 'reproductive', key: 'lactating' },
  contraception_agreed: { label: 'Agrees to use effective contraception during the trial', section: 'reproductive', key: 'contraception_agreed' },
  informed_consent_signed: { label: 'Informed consent signed', section: 'informed_consent', key: 'signed' },
  black_race: { label: 'Black (race coefficient of the CKD-EPI 2009 / MDRD eGFR equation)', section: 'record', key: 'black_race' },
}

export const ACR_1997_LABELS: Record<Acr1997Item, string> = {
  malar_rash: 'Malar rash',
  discoid_rash: 'Discoid rash',
  photosensitivity: 'Photosensitivity',
  oral_ulcers: 'Oral ulcers',
  arthritis: 'Arthritis',
  serositis: 'Serositis',
  renal_disorder: 'Renal disorder',
  neurologic_disorder: 'Neurologic disorder',
  hematologic_disorder: 'Haematologic disorder',
  immunologic_disorder: 'Immunologic disorder',
  antinuclear_antibody: 'Antinuclear antibody',
}
/** The 11 items in the order of Hochberg 1997. */
export const ACR_1997: readonly Acr1997Item[] = Object.keys(ACR_1997_LABELS) as Acr1997Item[]

/** Descriptor weights: Gladman DD, Ibañez D, Urowitz MB, J Rheumatol 2002;29:288-91. */
export const SLEDAI_2K: ReadonlyArray<{ id: SledaiDescriptor; label: string; weight: number }> = [
  { id: 'seizure', label: 'Seizure', weight: 8 },
  { id: 'psychosis', label: 'Psychosis', weight: 8 },
  { id: 'organic_brain_syndrome', label: 'Organic brain syndrome', weight: 8 },
  { id: 'visual_disturbance', label: 'Visual disturbance', weight: 8 },
  { id: 'cranial_nerve_disorder', label: 'Cranial nerve disorder', weight: 8 },
  { id: 'lupus_headache', label: 'Lupus headache', weight: 8 },
  { id: 'cerebrovascular_accident', label: 'Cerebrovascular accident', weight: 8 },
  { id: 'vasculitis', label: 'Vasculitis', weight: 8 },
  { id: 'arthritis', label: 'Arthritis', weight: 4 },
  { id: 'myositis', label: 'Myositis', weight: 4 },
  { id: 'urinary_casts', label: 'Urinary casts', weight: 4 },
  { id: 'hematuria', label: 'Haematuria', weight: 4 },
  { id: 'proteinuria', label: 'Proteinuria', weight: 4 },
  { id: 'pyuria', label: 'Pyuria', weight: 4 },
  { id: 'rash', label: 'Rash', weight: 2 },
  { id: 'alopecia', label: 'Alopecia', weight: 2 },
  { id: 'mucosal_ulcers', label: 'Mucosal ulcers', weight: 2 },
  { id: 'pleurisy', label: 'Pleurisy', weight: 2 },
  { id: 'pericarditis', label: 'Pericarditis', weight: 2 },
  { id: 'low_complement', label: 'Low complement', weight: 2 },
  { id: 'increased_dna_binding', label: 'Increased DNA binding', weight: 2 },
  { id: 'fever', label: 'Fever', weight: 1 },
  { id: 'thrombocytopenia', label: 'Thrombocytopenia', weight: 1 },
  { id: 'leukopenia', label: 'Leukopenia', weight: 1 },
]

/** Measurement concepts entered through a structured instrument rather than a number. */
export const INSTRUMENT_CONCEPTS = { sledai_2k_score: 'sledai' } as const

/**
 * SLEDAI-2K from descriptors, three-valued as the engine scores it: present
 * counts its weight, absent nothing, unrecorded could be either.
 *
 * @example scoreSledai({ proteinuria: true, low_complement: true }) // { min: 6, max: 105, missing: 22 }
 */
export function scoreSledai(descriptors: Partial<Record<SledaiDescriptor, boolean>>): { min: number; max: number; missing: number } {
  let min = 0
  let max = 0
  let missing = 0
  for (const d of SLEDAI_2K) {
    const v = descriptors[d.id]
    if (v === true) {
      min += d.weight
      max += d.weight
    } else if (v === undefined) {
      max += d.weight
      missing++
    }
  }
  return { min, max, missing }
}
