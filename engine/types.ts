/**
 * The shapes of the protocol language, the patient record and the verdict.
 *
 * This file is the contract between the YAML a trial designer writes, the
 * JSON Schemas in `engine/schema/` (which must accept exactly these shapes),
 * the compiler and the evaluator. Field names are snake_case because they are
 * what people type in YAML; TypeScript-only types are camelCase.
 */

import type { Arm, Endpoint, SubjectRecord, VisitDefinition } from './types-study.ts'
export type * from './types-study.ts'
export { BILAG_SYSTEM_NAMES } from './types-study.ts'

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

/** An ISO 8601 calendar date, `YYYY-MM-DD`. Never a timestamp. */
export type IsoDate = string

// ---------------------------------------------------------------------------
// Protocol document (what `protocols/*.yaml` contains)
// ---------------------------------------------------------------------------

export interface ProtocolDocument {
  /** Points editors at the published schema; ignored by the engine. */
  $schema?: string
  protocol: ProtocolIdentity
  /** Named anchors that windows and ages are measured from. */
  reference_dates: Record<string, ReferenceDateDefinition>
  /** Named choices the protocol text leaves open; referenced as `{ param: name }`. */
  parameters?: Record<string, ParameterDefinition>
  /** Judgement calls an investigator answers yes/no; referenced by `attestation:` leaves. */
  attestations?: Record<string, AttestationDefinition>
  definitions?: Definitions
  criteria: Criterion[]
  arms?: Arm[]
  visits?: VisitDefinition[]
  endpoints?: Endpoint[]
}

export interface ProtocolIdentity {
  /** Registry identifier, e.g. a ClinicalTrials.gov NCT number. */
  registry_id: string
  title: string
  /** Version of this encoding (semver-like string), not of the registry record. */
  version: string
  sponsor: string
  phase: string
  target_enrollment: number
  /** Sexes eligible as stated by the registry: `all`, `female` or `male`. */
  sex?: 'all' | 'female' | 'male'
  /** Where the encoded text comes from (URL or registry record name). */
  source?: string
}

export interface ReferenceDateDefinition {
  label: string
  description?: string
}

export type ParameterValue = number | string | boolean

export interface ParameterDefinition {
  value: ParameterValue
  /** Allowed values, when the choice is between named options. */
  options?: ParameterValue[]
  /** What the protocol text says and why this value was chosen. */
  rationale: string
  /**
   * The registry text does not settle this at all (an unstated cycle count, an
   * undefined "abnormal"): the linter reports it until the sponsor confirms.
   */
  open?: boolean
}

/** Use a protocol parameter where a literal would go. */
export interface ParamRef {
  param: string
}

export type NumberOrParam = number | ParamRef
export type StringOrParam = string | ParamRef

export interface AttestationDefinition {
  /** The yes/no question put to the investigator. */
  question: string
}

/**
 * Reusable named selections. Each refers to entries of the engine's
 * dictionaries (`engine/dictionary/*.json`) by id or class.
 */
export interface Definitions {
  drugs?: Record<string, SetDefinition>
  vaccines?: Record<string, SetDefinition>
  conditions?: Record<string, SetDefinition>
  procedures?: Record<string, SetDefinition>
  /** Lab concepts the engine's dictionary lacks, added for this protocol only. */
  lab_concepts?: Record<string, LabConceptDefinition>
}

/** A protocol-local lab concept (same fields as a dictionary lab concept, minus the id). */
export interface LabConceptDefinition {
  name: string
  loinc?: string[]
  /** Canonical UCUM unit. */
  unit: string
  kind?: 'quantity' | 'score'
  molar_mass_g_per_mol?: number
  denominator_molar_mass_g_per_mol?: number
  source: string
}

/** What counts as an unstable dose in a `medication` leaf with a dose event. */
export type MedicationEvent = 'exposure' | 'dose_change' | 'start_stop_or_dose_change'

/**
 * A selection of dictionary entries: everything in `classes` plus `items`,
 * minus `except`. Used both as a named definition and inline in a leaf.
 */
export interface SetDefinition {
  /** Plain-words name shown in explanations ("B cell depletion therapy"). */
  label?: string
  classes?: string[]
  items?: string[]
  except?: ExceptRule[]
}

/**
 * An exception. A string is a dictionary class or item id. The object form
 * narrows the exception to records with the given outcome, e.g. basal cell
 * carcinoma only when `excised` or `cured`.
 */
export type ExceptRule =
  | string
  | {
      classes?: string[]
      items?: string[]
      /** Exception applies only when the record's outcome is one of these. */
      outcome?: string[]
    }

// ---------------------------------------------------------------------------
// Criteria and their logic
// ---------------------------------------------------------------------------

export type CriterionKind = 'inclusion' | 'exclusion'

export interface Criterion {
  /** Stable id, e.g. `IN01`, `EX04`. */
  id: string
  kind: CriterionKind
  /** The registry text, verbatim. */
  text: string
  /** Short plain-words title for tables. */
  title?: string
  /** The criterion only applies when this holds (e.g. women of childbearing potential). */
  applies_if?: Condition
  logic: Condition
  /** Interpretation notes: every ambiguity decision is written here. */
  notes?: string[]
}

/** Comparison operators, written as in the registry text. */
export type ComparisonOperator = '>' | '>=' | '<' | '<=' | '==' | '!='

/** Fields every logic node may carry. */
export interface NodeCommon {
  /** Plain-words name of this clause, shown in explanations. */
  label?: string
}

export type Condition =
  | AllNode
  | AnyNode
  | NotNode
  | AtLeastNode
  | EitherNode
  | MeasurementLeaf
  | AgeLeaf
  | FactLeaf
  | AttestationLeaf
  | ParameterLeaf
  | MedicationLeaf
  | ConditionLeaf
  | ProcedureLeaf
  | VaccinationLeaf
  | PregnancyTestLeaf
  | ChangeLeaf
  | SteroidDoseLeaf
  | BiopsyLeaf
  | SteroidDaysLeaf

export interface AllNode extends NodeCommon {
  all: Condition[]
}
export interface AnyNode extends NodeCommon {
  any: Condition[]
}
export interface NotNode extends NodeCommon {
  not: Condition
}
export interface AtLeastNode extends NodeCommon {
  at_least: { n: number; of: Condition[] }
}
/**
 * Alternative data paths for one quantity: met when any measured alternative
 * is met, not met when every measured one fails, unknown only when none was
 * measured. Children are leaves; cannot be negated.
 */
export interface EitherNode extends NodeCommon {
  either: Condition[]
}

/**
 * A time window relative to a reference date.
 *
 * - `{ weeks: 24, before: screening }`: from 24 weeks before the screening date
 *   up to and including it (both ends inclusive).
 * - `{ days: 0, before: screening }`: that day only. Weeks and days together add up.
 * - `{ months: 6, before: screening }`: calendar months (and `years`): from the
 *   same day of the month 6 months earlier (clamped to the month's last day),
 *   then `weeks` and `days` further back.
 * - `{ ref: randomization, from_day: 309, to_day: 365 }`: study days 309 to 365.
 * - `{ at: screening }`: ongoing on that date ("current").
 * - `{ planned: during_study }`: planned or expected during the study (records
 *   marked `planned: true`).
 * - omitted means at any time up to the evaluation (history, "ever").
 */
export type Window =
  | { years?: NumberOrParam; months?: NumberOrParam; weeks?: NumberOrParam; days?: NumberOrParam; before: string }
  /**
   * Study days `from_day` to `to_day` (both inclusive) counted from a reference
   * date, day 1 being the reference date itself ("during weeks 44 through 52").
   */
  | { ref: string; from_day: NumberOrParam; to_day: NumberOrParam }
  | { at: string }
  | { planned: 'during_study' }
  /** Endpoints: the window of a visit; `current` is the visit being evaluated. */
  | { visit: string }

/** Compare the selected measurement of a concept, converted to `unit`. */
export interface MeasurementLeaf extends NodeCommon {
  measurement: {
    /** Concept id from the lab-concept dictionary (e.g. `urine_protein_creatinine_ratio`). */
    concept: string
    op: ComparisonOperator
    /** A threshold, a category, or a multiple of the measurement's own upper limit of normal. */
    value: NumberOrParam | string | { times_upper_limit: NumberOrParam }
    /** UCUM unit of `value`; patient values are converted into it. */
    unit?: string
    /** Which measurements count; by default every one on or before the evaluation. */
    window?: Window
    /** Which one to use when several qualify. Default `latest`. */
    select?: 'latest' | 'highest' | 'lowest' | 'nearest'
    /**
     * Confirmed: the comparison must hold for each of the last `consecutive`
     * measurements in the window (2 = a value and its confirmation). Not met
     * when one of them fails, unknown when fewer were measured and none fails.
     */
    consecutive?: NumberOrParam
    /**
     * eGFR only (`concept: egfr`): the creatinine equation the protocol
     * specifies, usually `{ param: egfr_equation }`. Default `ckd_epi_2021`.
     * See {@link EgfrEquation} for which values are used.
     */
    equation?: EgfrEquation | ParamRef
  }
}

/**
 * A creatinine eGFR equation: `ckd_epi_2021` (Inker 2021, race-free),
 * `ckd_epi_2009` (Levey 2009) or `mdrd` (IDMS-traceable 4-variable MDRD,
 * Levey 2006); the last two have a race coefficient. An eGFR leaf uses, per
 * day: an eGFR reported by the protocol's equation; else one computed by it
 * from serum creatinine (age, sex and, for a race coefficient,
 * `black_race`: when not recorded both values are computed and the leaf is
 * decided only when both agree); else an eGFR reported by another equation,
 * compared as it is, the explanation naming both equations.
 */
export type EgfrEquation = 'ckd_epi_2021' | 'ckd_epi_2009' | 'mdrd'

/** Which value a change leaf takes when several qualify; `earliest` is the first dated one. */
export type ChangeSelect = 'latest' | 'earliest' | 'highest' | 'lowest'

/** A value of the change leaf's concept selected in a window (criteria and endpoints). */
export interface ChangeSelection {
  window: Window
  /** Default `latest`. May be a `{ param }` naming one of the four. */
  select?: ChangeSelect | ParamRef
}

/**
 * A span counted back from the date of the later (`to`) value: the earlier
 * value is dated from that date minus `years`/`months` (calendar, clamped to
 * the month's last day) minus `weeks`/`days`, up to the day before it.
 */
export interface SpanBeforeTo {
  years?: NumberOrParam
  months?: NumberOrParam
  weeks?: NumberOrParam
  days?: NumberOrParam
}

/**
 * A comparison between two values of one concept: an earlier one (`from`)
 * and a later one (`to`), as a ratio, a percentage or a difference. Usable in
 * eligibility criteria and in endpoints.
 *
 * - `ratio`: to / from ("doubled" is `ratio >= 2`); `percent_of_baseline`:
 *   to / from × 100; `percent_decrease`: (from − to) / from × 100
 *   (improvement when lower is better); `absolute_change`: to − from.
 *   Ratios and percentages are undefined (unknown) when `from` is 0.
 * - `to`: a visit id or `current` (default; endpoints), or `{ window, select }`:
 *   the value selected in a window, e.g. the latest at screening.
 * - `from`: a visit id (endpoints); `{ window, select }`: the value selected in
 *   a window relative to a reference date; or `{ before_to: span, select }`:
 *   in the span counted back from the `to` value's date.
 * - Unless the change is confirmed (`consecutive`, endpoints), a `from`
 *   selected in a window or span is chosen among values dated strictly
 *   before the `to` value's date: "UPCR doubled within 6 months before
 *   screening" is `to: { window: { days: 28, before: screening } }`,
 *   `from: { window: { months: 6, before: screening }, select: lowest }`,
 *   `measure: ratio, op: ">=", value: 2`.
 * - No `to` value, or no `from` value in its window (or none earlier than the
 *   `to` value): unknown, with the value to enter as missing data; never not met.
 */
export interface ChangeLeaf extends NodeCommon {
  change: {
    concept: string
    /** Visit id of the reference value (usually `baseline`), or a value selected in a window or span before `to`. */
    from: string | ChangeSelection | ({ before_to: SpanBeforeTo } & Pick<ChangeSelection, 'select'>)
    /** Visit id, `current` (default), or a value selected in a window. */
    to?: string | ChangeSelection
    measure: 'ratio' | 'percent_of_baseline' | 'percent_decrease' | 'absolute_change'
    op: ComparisonOperator
    value: NumberOrParam
    /** Unit both values are converted into before comparing (needed for absolute_change). */
    unit?: string
    /** Confirmed change (endpoints, `to` a visit): each of the last `consecutive` values in the `to` visit's window must satisfy the comparison. */
    consecutive?: NumberOrParam
    /** eGFR only: the creatinine equation both values are by (as on a measurement leaf). */
    equation?: EgfrEquation | ParamRef
  }
}

/** Daily glucocorticoid dose in prednisone-equivalent mg/day at a visit (endpoints). */
export interface SteroidDoseLeaf extends NodeCommon {
  steroid_dose: {
    /** Visit id, or `current`. */
    at: string
    op: ComparisonOperator
    value: NumberOrParam
    /**
     * Compare the highest daily dose over this many days up to and including
     * the visit date ("reduced to ≤ 10 mg/day" held for a period); 1, the
     * default, is the visit date only.
     */
    over_days?: NumberOrParam
  }
}

/**
 * Days in a window on which the glucocorticoid dose (prednisone-equivalent
 * mg/day, from the medication record's dose history) was above `above_mg`:
 * the total number of such days, or the longest run of consecutive ones.
 */
export interface SteroidDaysLeaf extends NodeCommon {
  steroid_days: {
    /** Days with a dose strictly above this many mg/day prednisone-equivalent count. */
    above_mg: NumberOrParam
    count: 'total' | 'consecutive'
    op: ComparisonOperator
    value: NumberOrParam
    window: Window
  }
}

/** The ISN/RPS 2003 classes of lupus nephritis, as recorded on a kidney biopsy (IV-S and IV-G are class IV). */
export const ISN_RPS_CLASSES = ['I', 'II', 'III', 'IV', 'IV-S', 'IV-G', 'V', 'VI'] as const
export type IsnRpsClass = (typeof ISN_RPS_CLASSES)[number]

/**
 * ISN/RPS 2003 activity of class III and IV lesions: A active, A/C active and
 * chronic, C chronic inactive (Weening JJ et al., J Am Soc Nephrol 2004;15:241-50).
 */
export const ISN_RPS_ACTIVITIES = ['A', 'A/C', 'C'] as const
export type IsnRpsActivity = (typeof ISN_RPS_ACTIVITIES)[number]

/** Numeric findings a kidney biopsy report may give. */
export const BIOPSY_FINDINGS = ['sclerosed_glomeruli_percent', 'activity_index', 'chronicity_index'] as const
export type BiopsyFinding = (typeof BIOPSY_FINDINGS)[number]

/**
 * The latest kidney biopsy in a window: its ISN/RPS 2003 classes, or a
 * numeric finding. `classes` is met when the biopsy shows at least one of
 * them (`IV` also matches `IV-S` and `IV-G`); with `only`, every class it
 * shows must be one of them ("pure class V").
 */
export interface BiopsyLeaf extends NodeCommon {
  biopsy: {
    classes?: IsnRpsClass[]
    only?: boolean
    /**
     * When the biopsy shows class III or IV, its recorded activity must be one
     * of these ("active" LN: `[A, A/C]`); unknown when not recorded. A biopsy
     * without class III or IV is decided by `classes` alone.
     */
    activity?: IsnRpsActivity[]
    finding?: { name: BiopsyFinding; op: ComparisonOperator; value: NumberOrParam }
    window?: Window
  }
}

/** Age at a reference date. */
export interface AgeLeaf extends NodeCommon {
  age: {
    at: string
    op: ComparisonOperator
    years: NumberOrParam
    /**
     * `exact`: compare the exact calendar age (18 years and 1 day > 18).
     * `completed_years`: compare whole years (65 years 11 months is 65).
     */
    basis: StringOrParam
  }
}

/** A recorded fact about the patient from the fact catalogue (`sex`, `pregnant`, ACR items...). */
export interface FactLeaf extends NodeCommon {
  fact: string
  /** The value the fact must have; or `op` with `value`. */
  is?: boolean | string
  /** A comparison (`>`, `>=`, `<`, `<=`, `==`, `!=`) or a custom operator's name (engine extensions). */
  op?: string
  value?: unknown
}

export interface AttestationLeaf extends NodeCommon {
  attestation: string
  is: boolean
  /** Endpoints: answered at a visit (`current` or a visit id) rather than once. */
  at?: string
}

/** A protocol parameter's value: lets an ambiguity switch a branch on or off. */
export interface ParameterLeaf extends NodeCommon {
  parameter: string
  is: ParameterValue
}

/** Filters shared by the event leaves (medication, condition, procedure, vaccination). */
export interface EventSelector extends SetDefinition {
  /** A named set from `definitions`; `classes`/`items`/`except` add to it. */
  set?: string
  window?: Window
}

export interface MedicationLeaf extends NodeCommon {
  medication: EventSelector & {
    /**
     * `exposure` (default): the drug was taken during the window.
     * `dose_change`: its dose changed during the window while it was taken.
     * `start_stop_or_dose_change`: started, stopped or changed dose during the window.
     */
    event?: MedicationEvent | ParamRef
  }
}

export interface ConditionLeaf extends NodeCommon {
  condition: EventSelector & {
    severity?: Array<'mild' | 'moderate' | 'severe'>
    recurrent?: boolean
    hospitalized?: boolean
    iv_antibiotics?: boolean
    treated?: boolean
    outcome?: string[]
  }
}

export interface ProcedureLeaf extends NodeCommon {
  procedure: EventSelector & { major?: boolean }
}

export interface VaccinationLeaf extends NodeCommon {
  vaccination: EventSelector
}

export interface PregnancyTestLeaf extends NodeCommon {
  pregnancy_test: {
    specimen: 'urine' | 'serum'
    result: 'negative' | 'positive'
    window?: Window
  }
}

// ---------------------------------------------------------------------------
// Example patients (the protocol's own tests), `protocols/<id>.examples.yaml`
// ---------------------------------------------------------------------------

export interface ExamplesDocument {
  $schema?: string
  /** `registry_id` of the protocol these examples test. */
  protocol: string
  /** Record every example starts from. */
  base_patient: PatientRecord
  examples: ExamplePatient[]
  /** Subject every follow-up example starts from (endpoints). */
  base_subject?: SubjectRecord
  subjects?: ExampleSubject[]
}

/** A subject with follow-up and the endpoint results worked out by hand; `null` means unknown / no event. */
export interface ExampleSubject {
  id: string
  description: string
  arm: string
  /** JSON Merge Patch applied to `base_subject`. */
  record: Record<string, unknown>
  expect: {
    responses?: Record<string, Record<string, Truth>>
    classifications?: Record<string, Record<string, string>>
    /** A number: exact days; `{ after, by }`: interval-censored (TimeToEventResult.interval); null: no event or unknown. */
    time_to_event?: Record<string, number | null | { after: number; by: number }>
    changes?: Record<string, Record<string, number | null>>
    responder_index?: Record<string, Record<string, boolean | null>>
    safety?: Record<string, boolean | null>
  }
}

export type Truth = 'met' | 'not_met' | 'unknown'
export type Overall = 'eligible' | 'ineligible' | 'undetermined'

export interface ExamplePatient {
  id: string
  description: string
  /** JSON Merge Patch (RFC 7386) applied to `base_patient`: objects merge, arrays replace, null deletes. */
  patch?: Record<string, unknown>
  expect: {
    overall: Overall
    /** Expected truth of the named criteria; criteria not named are not checked. */
    criteria?: Record<string, Truth>
  }
}

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

export const SLEDAI_2K_DESCRIPTORS = [
  'seizure',
  'psychosis',
  'organic_brain_syndrome',
  'visual_disturbance',
  'cranial_nerve_disorder',
  'lupus_headache',
  'cerebrovascular_accident',
  'vasculitis',
  'arthritis',
  'myositis',
  'urinary_casts',
  'hematuria',
  'proteinuria',
  'pyuria',
  'rash',
  'alopecia',
  'mucosal_ulcers',
  'pleurisy',
  'pericarditis',
  'low_complement',
  'increased_dna_binding',
  'fever',
  'thrombocytopenia',
  'leukopenia',
] as const
export type SledaiDescriptor = (typeof SLEDAI_2K_DESCRIPTORS)[number]

/** A SLEDAI-2K assessment: a total score, or the descriptors (the engine scores them). */
export interface SledaiAssessment {
  date: IsoDate
  score?: number
  descriptors?: Partial<Record<SledaiDescriptor, boolean>>
}

export const ACR_1997_ITEMS = [
  'malar_rash',
  'discoid_rash',
  'photosensitivity',
  'oral_ulcers',
  'arthritis',
  'serositis',
  'renal_disorder',
  'neurologic_disorder',
  'hematologic_disorder',
  'immunologic_disorder',
  'antinuclear_antibody',
] as const
export type Acr1997Item = (typeof ACR_1997_ITEMS)[number]

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

// ---------------------------------------------------------------------------
// Diagnostics (located errors and warnings)
// ---------------------------------------------------------------------------

export type DiagnosticCode =
  | 'E_YAML_SYNTAX'
  | 'E_JSON_SYNTAX'
  | 'E_YAML_DUPLICATE_KEY'
  | 'E_YAML_LIMIT'
  | 'E_SCHEMA_TYPE'
  | 'E_SCHEMA_REQUIRED'
  | 'E_SCHEMA_ADDITIONAL'
  | 'E_SCHEMA_ENUM'
  | 'E_SCHEMA_FORMAT'
  | 'E_SCHEMA_RANGE'
  | 'E_SCHEMA_SHAPE'
  | 'E_IMPLAUSIBLE_VALUE'
  | 'E_FHIR_VERSION'
  | 'E_UNKNOWN_FACT'
  | 'E_UNKNOWN_OPERATOR'
  | 'E_UNKNOWN_CONCEPT'
  | 'E_UNKNOWN_DEFINITION'
  | 'E_UNKNOWN_DICTIONARY_ENTRY'
  | 'E_UNKNOWN_REFERENCE_DATE'
  | 'E_UNKNOWN_PARAMETER'
  | 'E_UNKNOWN_ATTESTATION'
  | 'E_UNIT_INCONVERTIBLE'
  | 'E_PARAMETER_VALUE'
  | 'E_DUPLICATE_ID'
  | 'E_EXAMPLE_UNKNOWN_CRITERION'
  | 'E_EXAMPLE_PROTOCOL_MISMATCH'
  | 'W_UNRECOGNISED_ENTRY'
  | 'W_OPEN_PARAMETER'
  | 'W_VISIT_NOT_SCHEDULED'
  | 'W_SCHEDULE_GAP'
  | 'W_MIXED_REFERENCE_DATES'
  | 'W_THRESHOLD_WITHOUT_UNIT'
  | 'W_STALE_NUMBER'
  | 'E_UNKNOWN_VISIT'
  | 'E_UNKNOWN_ENDPOINT'
  | 'E_UNKNOWN_ARM'
  | 'E_DOSE_DATE'
  | 'E_DOSE_AMOUNT'
  | 'E_DOSE_FREQUENCY'
  | 'E_DOSE_AMBIGUOUS'
  | 'E_DOSE_NOTHING_TO_STOP'
  | 'E_DOSE_SAME_DAY'

export type Severity = 'error' | 'warning'

export interface Diagnostic {
  code: DiagnosticCode
  severity: Severity
  /** Human message: what was expected, what was found. */
  message: string
  /** File name as given by the caller (for `file:line:col`). */
  file?: string
  /** 1-based line and column of the offending node; absent when unknown. */
  line?: number
  column?: number
  /** End of the offending node's range (1-based), for editor squiggles. */
  endLine?: number
  endColumn?: number
  /** Path inside the document, e.g. `criteria[3].logic.any[0].measurement.unit`. */
  path: string
  expected?: string
  found?: string
}

// ---------------------------------------------------------------------------
// Evaluation results
// ---------------------------------------------------------------------------

/** A piece of data the evaluation needed but did not have. */
export interface MissingData {
  /** Stable key, e.g. `measurement:urine_protein_creatinine_ratio` or `dates.randomization`. */
  key: string
  /** What to enter, in plain words. */
  description: string
  /**
   * true: not data to enter but an item the record's source could not
   * recognise (`unrecognised.medications[0]`), which a person has to review.
   */
  review?: boolean
}

/** How one clause of a criterion came out, with the data it used. */
export interface Explanation {
  /** Path of the clause within the criterion's logic, e.g. `logic.any[1]`. */
  path: string
  kind: 'all' | 'any' | 'not' | 'at_least' | 'either' | 'leaf'
  truth: Truth
  /** Plain-words statement of the clause ("urine protein/creatinine ratio > 1.0 g/g"). */
  label: string
  /** For leaves: what was found ("1.4 g/g on 2026-01-10"), or why it is unknown. */
  detail?: string
  missing?: MissingData[]
  children?: Explanation[]
}

export interface CriterionResult {
  id: string
  kind: CriterionKind
  title?: string
  text: string
  /**
   * Whether the criterion holds as a whole, its "if" included: an inclusion
   * that does not apply is met, an exclusion that does not apply is not met.
   * The logic's own truth is `explanation.truth`.
   */
  truth: Truth
  /** Whether the criterion applies to this patient (`applies_if`). */
  applicable: Truth
  /** What it means for eligibility: inclusion must be met, exclusion must not be. */
  outcome: 'pass' | 'fail' | 'unknown'
  /** One-line reason for the table. */
  reason: string
  explanation: Explanation
  applicability?: Explanation
  missing: MissingData[]
}

export interface Verdict {
  protocol: { registry_id: string; version: string }
  patient_id?: string
  overall: Overall
  /** Criteria that make the patient ineligible. */
  failing: string[]
  /** Criteria still undecided. */
  undecided: string[]
  /** Data still needed to decide the undecided criteria (deduplicated). */
  missing: MissingData[]
  criteria: CriterionResult[]
  /** Problems with the patient record that did not stop evaluation (unrecognised drug names...). */
  warnings: string[]
}
