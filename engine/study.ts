/**
 * The engine's study API, beside the core (engine/index.ts): arms, dosing
 * and visit schedules, a subject's endpoints, study summaries with their
 * statistics, synthetic studies and the screening funnel. Pure, as the core.
 *
 * @example
 * import { evaluateSubject, summarizeStudy } from './engine/study.ts'
 */
export { evaluateSubject, type EvaluateSubjectOptions } from './endpoints/evaluate-subject.ts'
export { POOLED_ARM, summarizeStudy, type StudySummary, type ResponseSummary, type ArmRates, type Rate } from './endpoints/study.ts'
export { subjectCalendar, type SubjectCalendar } from './endpoints/calendar.ts'
export { DEFAULT_INTERVAL_CONVENTION, INTERVAL_CONVENTION_WORDS, intervalConvention, intervalPoint, observedTime } from './endpoints/time-to-event.ts'
export { runSubjectExamples, exampleSubject, type SubjectExampleOutcome } from './endpoints/run-subject-examples.ts'
export {
  generateSchedule,
  planVisits,
  assignVisit,
  visitWindowDays,
  baselineFromData,
  baselineVisitIds,
  type ScheduleInput,
  type ScheduleResult,
  type VisitPlanResult,
} from './schedule/index.ts'
export * from './statistics/index.ts'
export { syntheticStudy, type SyntheticStudyOptions } from './synthetic/subjects.ts'
export { canRandomize, type RandomizeCheck, type ScreeningOutcome } from './subject/randomization.ts'
export { applyDoseChanges, type DoseChange, type DoseChangeResult } from './record/dose-changes.ts'
export {
  FunnelCounter,
  funnelOf,
  screeningFlowOf,
  type Funnel,
  type FunnelStep,
  type FunnelVerdict,
  type FunnelCriterion,
  type FlowStep,
  type ScreeningFlow,
  type FunnelPopulation,
  type ScreeningFunnelReport,
} from './screening/funnel.ts'
