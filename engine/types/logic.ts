/**
 * The logic of criteria and endpoints: the condition tree (all, any, not,
 * at_least, either) and its leaves, as a trial designer writes them in YAML.
 * Re-exported by engine/types.ts.
 */
import type { NumberOrParam, ParamRef, ParameterValue, StringOrParam } from './values.ts'

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
// Selections of dictionary entries
// ---------------------------------------------------------------------------

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
