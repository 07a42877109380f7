/** Subject calendars: dosing schedules from arms, visit windows from visit definitions. */
export { generateSchedule } from './dosing.ts'
export type { ScheduleInput, ScheduleResult } from './dosing.ts'
export { assignVisit, planVisits, visitWindowDays } from './visits.ts'
export type { VisitPlanResult } from './visits.ts'
export { baselineFromData, baselineVisitIds } from './baseline.ts'
