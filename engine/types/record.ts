/**
 * The patient record: one patient's data as a clinician enters it or an
 * import writes it, independent of any protocol. Re-exported by engine/types.ts.
 */
import type { IsnRpsActivity, IsnRpsClass } from './logic.ts'
import type { IsoDate } from './values.ts'
import type { Acr1997Item, SledaiDescriptor } from '../record-catalogue.ts'

// ---------------------------------------------------------------------------
// Patient record (protocol-independent)
// ---------------------------------------------------------------------------

/**
 * One patient's data as a clinician enters it. A section that is absent means
 * "not recorded": criteria needing it are unknown. A section present but empty
 * (`medications: []`) means "recorded, none".
 *
 * A history section (medications, conditions, procedures, vaccinations) is
 * complete when it is present and `unrecognised` lists nothing for it. A
 * hand-written record that does not mention `unrecognised` states complete
 * histories: what it lists is all there is. An import writes what it could
 * not recognise under `unrecognised`, so that a criterion needing the absence
 * of something answers unknown while one of those items could be it.
 */
export interface PatientRecord {
  id?: string
  birth_date?: IsoDate
  sex?: 'female' | 'male'
  /**
   * Whether the patient is Black (self-reported), as the race coefficients of
   * the CKD-EPI 2009 and MDRD eGFR equations need it. Absent: not recorded
   * (never assumed); an eGFR computed by those equations is then both values.
   */
  black_race?: boolean
  /** Dates of the protocol's reference dates for this patient (consent, screening...). */
  dates?: Record<string, IsoDate>
  reproductive?: ReproductiveStatus
  measurements?: Measurement[]
  sledai_2k?: SledaiAssessment[]
  /** ACR 1997 SLE classification items documented in the records (true/false per item). */
  acr_1997?: Partial<Record<Acr1997Item, boolean>>
  medications?: MedicationRecord[]
  conditions?: ConditionRecord[]
  procedures?: ProcedureRecord[]
  vaccinations?: VaccinationRecord[]
  /** Kidney biopsies with their ISN/RPS 2003 classification. */
  kidney_biopsies?: KidneyBiopsyRecord[]
  /** Whether consent was signed; its date is a reference date under `dates` (entered once). */
  informed_consent?: { signed: boolean }
  /** Investigator answers to the protocol's attestation questions. */
  attestations?: Record<string, boolean>
  /**
   * What the record's source held but could not recognise, per history
   * section: each entry keeps its section incomplete for the criteria it could
   * decide. Absent: every present section is complete as written.
   */
  unrecognised?: Partial<Record<HistorySection, UnrecognisedEntry[]>>
}

/** The record sections that list events: histories that can be incomplete. */
export type HistorySection = 'medications' | 'conditions' | 'procedures' | 'vaccinations'
export const HISTORY_SECTIONS: readonly HistorySection[] = ['medications', 'conditions', 'procedures', 'vaccinations']

/**
 * An item a source held that no dictionary entry could be matched to (a code
 * the dictionary lacks, an ambiguous name). It has the dates of its section's
 * entries, so a criterion whose window it cannot fall in is still decided.
 */
export interface UnrecognisedEntry {
  /** What the source wrote: a display or text, or the code when there is nothing else. */
  text: string
  /** The source's codings, as `system|code`. */
  codes?: string[]
  /**
   * What it could be: ids or class names of its section's dictionary (an
   * ambiguous name's candidates; `malignancy` for an unknown code whose words
   * say malignant). Absent: anything in its section.
   */
  possibly?: string[]
  /** Why it was not recognised, in plain words. */
  reason: string
  /** Where in the source it came from (a FHIR bundle path). */
  source?: string
  /** medications: first and last day taken, still taken, route. */
  start?: IsoDate
  stop?: IsoDate
  ongoing?: boolean
  route?: string
  /** conditions: onset and resolution. */
  onset?: IsoDate
  resolved?: IsoDate
  /** procedures and vaccinations: the day done or given, or planned. */
  date?: IsoDate
  planned?: boolean
}

export interface ReproductiveStatus {
  /** Fertile / of childbearing potential. */
  childbearing_potential?: boolean
  /** Pregnant now, as the clinician states it at screening (undated: current). */
  pregnant?: boolean
  /**
   * A dated pregnancy status (an EHR's pregnancy-status observation): it
   * answers "pregnant" only when dated shortly before screening; `pregnant`,
   * when given, wins.
   */
  pregnancy_status?: { pregnant: boolean; date: IsoDate }
  lactating?: boolean
  contraception_agreed?: boolean
  pregnancy_tests?: PregnancyTest[]
}

export interface PregnancyTest {
  specimen: 'urine' | 'serum'
  result: 'negative' | 'positive'
  date: IsoDate
}

export interface Measurement {
  /** Concept id from the lab-concept dictionary; or give `loinc`. */
  concept?: string
  loinc?: string
  value: number
  /** UCUM unit as recorded (`mg/dL`, `umol/L`, `mg/mmol`...). */
  unit: string
  date: IsoDate
  /** The lab's reference range, in the measurement's own unit. */
  reference_range?: { low?: number; high?: number }
}

// the SLEDAI-2K descriptors and ACR 1997 items, with their words and weights, live in one catalogue the web shares
export { ACR_1997_ITEMS, SLEDAI_2K_DESCRIPTORS } from '../record-catalogue.ts'
export type { Acr1997Item, SledaiDescriptor } from '../record-catalogue.ts'

/** A SLEDAI-2K assessment: a total score, or the descriptors (the engine scores them). */
export interface SledaiAssessment {
  date: IsoDate
  score?: number
  descriptors?: Partial<Record<SledaiDescriptor, boolean>>
}

export interface MedicationRecord {
  /** Dictionary drug id, name, synonym or ATC code. */
  drug: string
  start?: IsoDate
  /** Last day taken; absent with `ongoing: true` means still taken. */
  stop?: IsoDate
  ongoing?: boolean
  route?: string
  /** Dose history: each entry is the dose from its date on. */
  doses?: Array<{ date: IsoDate; amount: number; unit: string; frequency?: string }>
}

export interface ConditionRecord {
  /** Dictionary condition id, name or ICD-10 code. */
  concept: string
  onset?: IsoDate
  /** Date resolved; absent with `ongoing: true` means still present. */
  resolved?: IsoDate
  ongoing?: boolean
  severity?: 'mild' | 'moderate' | 'severe'
  recurrent?: boolean
  hospitalized?: boolean
  iv_antibiotics?: boolean
  treated?: boolean
  /** e.g. `excised`, `cured`, `resolved`, `active`. */
  outcome?: string
}

export interface ProcedureRecord {
  /** Dictionary procedure id or name. */
  concept: string
  date?: IsoDate
  planned?: boolean
  major?: boolean
}

export interface KidneyBiopsyRecord {
  date: IsoDate
  /** ISN/RPS 2003 classes shown (e.g. `[IV-G, V]`); absent means not reported. */
  classes?: IsnRpsClass[]
  /** ISN/RPS 2003 activity of the class III or IV lesions; absent means not reported. */
  activity?: IsnRpsActivity
  /** Percentage of glomeruli with global sclerosis. */
  sclerosed_glomeruli_percent?: number
  /** NIH activity index (0–24). */
  activity_index?: number
  /** NIH chronicity index (0–12). */
  chronicity_index?: number
}

export interface VaccinationRecord {
  /** Dictionary vaccine id, product name or ATC code. */
  vaccine: string
  date?: IsoDate
  planned?: boolean
}
