/**
 * Trial subjects over HTTP (server/routes/subjects.ts): register, screen,
 * randomize, record visits and adverse events; read the dosing calendar,
 * endpoints and the series charted on the subject page.
 */
import { json } from '../api.ts'
import type { AdverseEvent, DoseChange, DosingSchedule, IsoDate, PlannedVisit, SubjectEndpointResults, SubjectRecord, Verdict } from '../../engine/index.ts'

export type { AdverseEvent, DosingSchedule, PlannedVisit, SubjectEndpointResults, SubjectRecord }

export type SubjectStatus = 'screened' | 'randomized' | (string & {})

/** A row of GET /protocols/:id/subjects. */
export interface SubjectSummary {
  id: string
  code: string
  status: SubjectStatus
  arm: string | null
  /** The arm's label in the protocol ("MSCs group"); null when no arm or blinded. */
  arm_label: string | null
  /** Screening evaluations of a subject still being screened (0: registered, not screened yet); null once past screening. */
  screenings: number | null
  /** The first planned visit after the last recorded one (randomized subjects only). */
  next_visit: PlannedVisit | null
  /** Labels of planned visits left unrecorded before a later one was recorded. */
  missed_visits: string[]
}

/** A screening evaluation as GET /subjects/:sid lists them (oldest first). */
export interface Screening {
  id: number
  created_at: string
  version: number
  overall: Verdict['overall']
  failing: string[]
  actor: string
}

export interface Subject {
  id: string
  protocol_id: string
  code: string
  status: SubjectStatus
  arm: string | null
  created_at: string
  updated_at: string
  record: SubjectRecord
  /** The number of the record's latest version: the base_version of an edit. */
  record_version: number
  screening: Screening[]
}

export type ScreeningResult = Verdict & { evaluation_id: number; version: number; subject_id: string }

export interface SubjectCalendar {
  version: number
  arm: string
  /** The arm's label in the protocol ("MSCs group"). */
  arm_label: string
  /** The arm's interventions: id -> product as the protocol names it. */
  interventions: Record<string, string>
  /** Null when no calendar can be made (`dosing_problems` say why). */
  dosing: DosingSchedule | null
  dosing_problems: string[]
  /** The arm doses per kg and no body weight is recorded: entering one makes the calendar. */
  needs_weight: boolean
  visits: PlannedVisit[]
  visit_problems: string[]
  /** Baseline visits not recorded as visits whose window holds measurements: visit -> the latest such date. */
  baseline_from_data: Record<string, IsoDate>
}

export type SubjectEndpoints = SubjectEndpointResults & {
  version: number
  /** The planned visits with their windows, and the visits recorded (for each row's status). */
  visits: PlannedVisit[]
  recorded_visits: Array<{ visit: string; date: IsoDate }>
  /** Baseline visits served by measurements in their window (as SubjectCalendar's). */
  baseline_from_data?: Record<string, IsoDate>
}

/** One charted measure (server/routes/subject-series.ts). */
export interface SubjectSeries {
  id: 'upcr' | 'serum_creatinine' | 'sledai_2k' | 'glucocorticoid'
  label: string
  /** UCUM unit of the values. */
  unit: string
  step: boolean
  points: Array<{ date: IsoDate; day: number | null; value: number | null; note: string }>
  problems: string[]
  thresholds: Array<{ y: number; label: string }>
}

export interface SubjectSeriesView {
  version: number
  /** Study day 1; null when the record has no randomization, screening or consent date. */
  anchor: { ref: string; date: IsoDate } | null
  series: SubjectSeries[]
}

/** Data recorded at a visit (POST /subjects/:sid/visits). */
export interface VisitInput {
  visit: string
  date: IsoDate
  measurements?: NonNullable<SubjectRecord['measurements']>
  sledai_2k?: NonNullable<SubjectRecord['sledai_2k']>
  bilag_2004?: NonNullable<SubjectRecord['bilag_2004']>
  /** Doses taken from the visit on, joined to the subject's current course of each drug (amount 0 = stopped). */
  dose_changes?: DoseChange[]
  attestations?: Record<string, boolean>
}

const sid = (id: string) => `/subjects/${encodeURIComponent(id)}`

export const listSubjects = (protocolId: string, signal?: AbortSignal): Promise<SubjectSummary[]> =>
  json(`/protocols/${encodeURIComponent(protocolId)}/subjects`, { signal })

/** Register under a pseudonymous code; 400 (bad code), 409 (code taken) and 422 (record errors) reject with a ProblemError. */
export const registerSubject = (protocolId: string, code: string, record?: Record<string, unknown>): Promise<Omit<Subject, 'screening'>> =>
  json(`/protocols/${encodeURIComponent(protocolId)}/subjects`, { method: 'POST', json: record ? { code, record } : { code } })

export const getSubject = (id: string, signal?: AbortSignal): Promise<Subject> => json(sid(id), { signal })

/** Screen against the latest protocol version; `patch` (JSON Merge Patch of the record) is saved with the evaluation. */
export const screenSubject = (id: string, patch: Record<string, unknown> = {}): Promise<ScreeningResult> =>
  json(`${sid(id)}/screening`, { method: 'POST', json: patch })

export const randomizeSubject = (id: string, arm: string, date: IsoDate): Promise<Omit<Subject, 'screening'>> =>
  json(`${sid(id)}/randomize`, { method: 'POST', json: { arm, date } })

export const recordVisit = (id: string, visit: VisitInput): Promise<Omit<Subject, 'screening'> & { warnings: string[] }> =>
  json(`${sid(id)}/visits`, { method: 'POST', json: visit })

export const recordAdverseEvent = (id: string, event: AdverseEvent): Promise<Omit<Subject, 'screening'>> =>
  json(`${sid(id)}/adverse-events`, { method: 'POST', json: event })

export const getCalendar = (id: string, signal?: AbortSignal): Promise<SubjectCalendar> => json(`${sid(id)}/calendar`, { signal })

/** A protocol's planned visits with their windows counted from `start` (GET /protocols/:id/visits; no subject data). */
export const getVisitPlan = (
  protocolId: string,
  start: IsoDate,
  signal?: AbortSignal,
): Promise<{ version: number; visits: PlannedVisit[]; problems: string[] }> =>
  json(`/protocols/${encodeURIComponent(protocolId)}/visits?start=${encodeURIComponent(start)}`, { signal })

export const getEndpoints = (id: string, signal?: AbortSignal): Promise<SubjectEndpoints> => json(`${sid(id)}/endpoints`, { signal })

export const getSeries = (id: string, signal?: AbortSignal): Promise<SubjectSeriesView> => json(`${sid(id)}/series`, { signal })

/** A saved version of a subject's record (GET /subjects/:sid/record/versions). */
export interface RecordVersion {
  version: number
  /** Who saved it. */
  actor: string
  created_at: string
  /** What saved it: register, record edited (v3), visit week_4, randomize to msc… */
  action: string
  note: string | null
}

export interface RecordVersions {
  subject_id: string
  code: string
  latest: number
  versions: RecordVersion[]
}

/** PUT /subjects/:sid/record: the saved version and, while the subject is being screened, its new screening. */
export interface SavedRecord {
  subject: Omit<Subject, 'screening'>
  version: RecordVersion
  screening: ScreeningResult | null
  /** Why the record was not re-screened (a randomized subject). */
  not_rescreened_because?: string
}

/** Save the whole record as a new version on top of `baseVersion`; 409 (someone saved meanwhile) and 422 (record errors) reject with a ProblemError. */
export const saveSubjectRecord = (id: string, record: SubjectRecord, baseVersion: number, note?: string): Promise<SavedRecord> =>
  json(`${sid(id)}/record`, { method: 'PUT', json: { record, base_version: baseVersion, ...(note?.trim() ? { note: note.trim() } : {}) } })

export const getRecordVersions = (id: string, signal?: AbortSignal): Promise<RecordVersions> => json(`${sid(id)}/record/versions`, { signal })

export const getRecordVersion = (id: string, version: number, signal?: AbortSignal): Promise<RecordVersion & { record: SubjectRecord }> =>
  json(`${sid(id)}/record/versions/${version}`, { signal })
