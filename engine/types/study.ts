/**
 * The study part of the protocol language (arms, visits, endpoints, safety)
 * and of the subject record (follow-up data), and what the engine computes
 * from them. The eligibility logic is in logic.ts; engine/types.ts re-exports both.
 */
import type { Condition, EventSelector } from './logic.ts'
import type { PatientRecord } from './record.ts'
import type { IsoDate, NumberOrParam, ParamRef } from './values.ts'
import type { Explanation, MissingData, Truth } from './verdict.ts'

// ---------------------------------------------------------------------------
// Arms and dosing
// ---------------------------------------------------------------------------

export interface Arm {
  /** snake_case id, e.g. `il2`. */
  id: string
  label: string
  /** The registry's description of the arm, verbatim. */
  text: string
  interventions: Intervention[]
  notes?: string[]
}

export interface Intervention {
  id: string
  /** Product as named by the registry ("Interleukin-2"). */
  product: string
  /** Dictionary drug id when the product is in the drug dictionary (e.g. `aldesleukin`). */
  drug?: string
  dose: DoseSpec
  route: 'subcutaneous' | 'intravenous' | 'oral' | 'intramuscular'
  /** What the product is given in, e.g. 30 mL saline. */
  vehicle?: { substance: string; volume: { amount: number; unit: string } }
  /** First dose: `day` of the study counted from the reference date (day 1 = the reference date itself). */
  start: { ref: string; day: NumberOrParam }
  /** Days between consecutive doses of a cycle (2 = every other day). Omit for a single dose per cycle. */
  every_days?: NumberOrParam
  doses_per_cycle: NumberOrParam
  /** Number of cycles. */
  cycles: NumberOrParam
  /**
   * Days from the first dose of one cycle to the first dose of the next.
   * Required when `cycles` > 1.
   */
  cycle_period_days?: NumberOrParam
  notes?: string[]
}

export interface DoseSpec {
  amount: NumberOrParam
  /** UCUM unit of the amount: `[IU]`, `{cells}`, `mg`... */
  unit: string
  /** `kg`: the amount is per kilogram of body weight. */
  per?: 'kg'
}

/** One planned administration in a subject's calendar. */
export interface Administration {
  intervention: string
  date: IsoDate
  /** Study day (day 1 = the reference date). */
  day: number
  cycle: number
  dose_in_cycle: number
  amount: number
  unit: string
  route: Intervention['route']
  vehicle?: Intervention['vehicle']
  /** How the amount was obtained ("2e6 {cells}/kg × 60 kg"). */
  basis: string
}

export interface DosingSchedule {
  arm: string
  start: IsoDate
  administrations: Administration[]
  /** Total per intervention and unit. */
  totals: Array<{ intervention: string; amount: number; unit: string; doses: number }>
}

// ---------------------------------------------------------------------------
// Visits
// ---------------------------------------------------------------------------

export interface VisitDefinition {
  /** snake_case id, e.g. `baseline`, `week_4`. */
  id: string
  label: string
  /** Reference date the visit is counted from (usually randomization). */
  ref: string
  /** Nominal study day (day 1 = the reference date; week 4 = day 29). */
  day: NumberOrParam
  /** Allowed days before and after the nominal day (inclusive). */
  window: { before_days: NumberOrParam; after_days: NumberOrParam }
}

/** A visit placed on one subject's calendar. */
export interface PlannedVisit {
  visit: string
  label: string
  day: number
  due: IsoDate
  window_start: IsoDate
  window_end: IsoDate
}

/** Which visit an observation date belongs to. */
export type VisitAssignment = { visit: string; label: string; offset_days: number } | { visit: undefined; reason: string }

// ---------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------

export interface EndpointBase {
  /** snake_case id. */
  id: string
  kind: 'primary' | 'secondary'
  title: string
  /** The registry's outcome-measure text, verbatim. */
  text: string
  /** The registry's time frame, verbatim ("24 Weeks"). */
  time_frame?: string
  notes?: string[]
}

/** A yes/no response defined by logic, evaluated at each listed visit against that visit's data and baseline. */
export interface ResponseEndpoint extends EndpointBase {
  type: 'response'
  visits: string[]
  logic: Condition
}

/** Graded response: the first level whose response endpoint is met, else `otherwise`. */
export interface ClassificationEndpoint extends EndpointBase {
  type: 'classification'
  visits: string[]
  levels: Array<{ level: string; endpoint: string }>
  otherwise: string
  /**
   * Study-level rates: a subject whose grade is unknown counts as `otherwise`
   * (non-responder imputation) or is `exclude`d from the denominator.
   */
  missing_as?: 'otherwise' | 'exclude' | ParamRef
}

/** Days from a reference date to the first visit where a classification reaches one of `levels`. */
export interface TimeToEventEndpoint extends EndpointBase {
  type: 'time_to_event'
  classification: string
  levels: string[]
  from: string
  /**
   * The point an interval-censored time takes (in `days` and in the per-arm
   * Kaplan–Meier): `right`, the visit at which the event was first seen (the
   * default), or `midpoint` of the interval. See engine/endpoints/time-to-event.ts.
   */
  interval_censored_as?: IntervalConvention | ParamRef
}

/** How an interval-censored event time becomes one number. */
export type IntervalConvention = 'right' | 'midpoint'

/**
 * Days from a reference date to the first of several dated events ("time to
 * a renal-related event or death"): each source gives the day its first
 * event happened, from the record's own dates rather than from visit grades.
 * No event: censored at the last visit (or at `until_day`, whichever is
 * first). A source the record cannot decide (a history not recorded, an
 * unanswered visit question) makes a later event interval-censored and an
 * event-free subject unknown.
 */
export interface FirstEventEndpoint extends EndpointBase {
  type: 'time_to_first_event'
  /** Reference date of day 0. */
  from: string
  /** Last study day of follow-up (day 1 = `from`): later events do not count. */
  until_day: NumberOrParam
  /** What counts as the event: the first of these. */
  events: DatedEventSource[]
  /** As for `time_to_event`. */
  interval_censored_as?: IntervalConvention | ParamRef
}

/**
 * One kind of dated event.
 * - `death`: the subject record's `death.date`.
 * - `condition` / `procedure`: the first follow-up day a matching condition
 *   is present (from its onset) or a matching procedure is done.
 * - `ratio_to_baseline`: the first measurement of a concept, after the
 *   baseline visit, whose ratio to the baseline visit's value meets `op value`
 *   ("doubling of serum creatinine": `>= 2`); dated at that measurement.
 * - `attestation`: the first visit where the investigator answered yes.
 */
export type DatedEventSource = { label?: string } & (
  | { death: true }
  | { condition: Omit<EventSelector, 'window'> }
  | { procedure: Omit<EventSelector, 'window'> }
  | { ratio_to_baseline: { concept: string; baseline: string; op: '>=' | '>'; value: NumberOrParam; unit?: string } }
  | { attestation: string }
)

/** Change from the baseline visit of a score or dose. */
export interface ChangeEndpoint extends EndpointBase {
  type: 'change_from_baseline'
  measure: 'sledai_2k' | 'bilag_2004' | 'prednisone_equivalent_mg_per_day'
  baseline: string
  visits: string[]
}

/** SLE Responder Index (SRI-n). */
export interface ResponderIndexEndpoint extends EndpointBase {
  type: 'sle_responder_index'
  /** SLEDAI-2K reduction required (4 for SRI-4). */
  reduction: NumberOrParam
  /** Physician global assessment worsening that fails the response (0–3 scale). */
  pga_worsening_limit: NumberOrParam
  baseline: string
  visits: string[]
}

/** Subjects with at least one adverse event of a kind. */
export interface AdverseEventEndpoint extends EndpointBase {
  type: 'adverse_events'
  count: 'treatment_emergent' | 'serious'
  /** Events starting after the first dose up to this visit's window end count. */
  until_visit: string
}

/** Subjects whose CTCAE grade of a lab value rises from baseline. */
export interface LabShiftEndpoint extends EndpointBase {
  type: 'lab_shifts'
  baseline: string
  visits: string[]
  labs: Array<'creatinine_increased' | 'alt_increased' | 'ast_increased' | 'neutrophil_count_decreased' | 'platelet_count_decreased' | 'anemia'>
  /** A shift counts when the grade rises by at least this much (1 = any worsening). */
  min_grade_increase: NumberOrParam
}

/** Subjects with a vital-sign change beyond a threshold from baseline. */
export interface VitalSignEndpoint extends EndpointBase {
  type: 'vital_sign_changes'
  baseline: string
  visits: string[]
  rules: Array<{ concept: string; unit: string; change: 'increase' | 'decrease' | 'either'; by_at_least: NumberOrParam; label: string }>
}

export type Endpoint =
  | ResponseEndpoint
  | ClassificationEndpoint
  | TimeToEventEndpoint
  | FirstEventEndpoint
  | ChangeEndpoint
  | ResponderIndexEndpoint
  | AdverseEventEndpoint
  | LabShiftEndpoint
  | VitalSignEndpoint

// ---------------------------------------------------------------------------
// Subject record: a patient record plus follow-up
// ---------------------------------------------------------------------------

export const BILAG_SYSTEM_NAMES = [
  'constitutional',
  'mucocutaneous',
  'neuropsychiatric',
  'musculoskeletal',
  'cardiorespiratory',
  'gastrointestinal',
  'ophthalmic',
  'renal',
  'haematological',
] as const
export type BilagSystemName = (typeof BILAG_SYSTEM_NAMES)[number]

export interface BilagAssessment {
  date: IsoDate
  grades: Partial<Record<BilagSystemName, 'A' | 'B' | 'C' | 'D' | 'E'>>
}

/** ICH E2A seriousness criteria; any true makes the event serious. */
export interface SeriousnessCriteria {
  death?: boolean
  life_threatening?: boolean
  hospitalization?: boolean
  disability?: boolean
  congenital_anomaly?: boolean
  important_medical_event?: boolean
}

export interface AdverseEvent {
  term: string
  onset: IsoDate
  end?: IsoDate
  ongoing?: boolean
  seriousness: SeriousnessCriteria
  relatedness: 'related' | 'possibly_related' | 'unlikely_related' | 'not_related'
  /** CTCAE grade 1–5 as assessed. */
  ctcae_grade?: 1 | 2 | 3 | 4 | 5
  /** Present before the first dose and worsened in severity after it (counts as treatment-emergent). */
  worsened_after_first_dose?: boolean
}

export interface SubjectRecord extends PatientRecord {
  /** Arm id the subject was randomised to. */
  arm?: string
  /** Actual visit dates and per-visit investigator answers. */
  visits?: Array<{ visit: string; date: IsoDate; attestations?: Record<string, boolean> }>
  bilag_2004?: BilagAssessment[]
  /** Doses actually given (the first one anchors treatment emergence). */
  administrations?: Array<{ intervention: string; date: IsoDate; amount?: number; unit?: string }>
  adverse_events?: AdverseEvent[]
  /** A recorded death. Absent: none known, the subject alive at the last visit. */
  death?: { date: IsoDate; cause?: string }
}

// ---------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------

export interface ExplainedValue<T> {
  value: T | undefined
  /** How it was obtained: values, baseline, thresholds, branch taken. */
  detail: string
  missing: MissingData[]
}

export interface ResponseAtVisit {
  endpoint: string
  visit: string
  truth: Truth
  explanation: Explanation
  missing: MissingData[]
}

export interface ClassificationAtVisit {
  endpoint: string
  visit: string
  /** A level, the `otherwise` level, or `unknown`. */
  level: string
  /** When unknown: the best level already reached, if any ("at least PR"). */
  at_least?: string
  /** When unknown: the levels (`otherwise` included) it can still be, in order. */
  possible?: string[]
  detail: string
  missing: MissingData[]
}

/**
 * One subject's time to event. `event: true` with `days` alone: exact (the
 * visit before the event visit was decided as no event, or the event is at
 * the first scheduled visit). With `interval`: the event happened after
 * `after_days` (the last visit known to be no event, or 0 = the reference
 * date) and by `by_days` (the first visit known to be an event), visits in
 * between being not evaluable; `days` is then the endpoint's
 * `interval_censored_as` point (`days_as`). `event: false` with
 * `censored_at_days`: right-censored at the last visit known to be no event.
 * Neither: unknown (no reference date, no evaluable visit).
 */
export interface TimeToEventResult {
  endpoint: string
  event: boolean
  days?: number
  /** Present with an interval: which point of it `days` is. */
  days_as?: IntervalConvention
  interval?: { after_days: number; by_days: number }
  censored_at_days?: number
  detail: string
}

export interface SubjectEndpointResults {
  subject: string
  arm?: string
  responses: ResponseAtVisit[]
  classifications: ClassificationAtVisit[]
  times_to_event: TimeToEventResult[]
  changes: Array<{ endpoint: string; visit: string } & ExplainedValue<number>>
  responder_index: Array<{ endpoint: string; visit: string } & ExplainedValue<boolean>>
  safety: Array<{ endpoint: string } & ExplainedValue<boolean>>
}
