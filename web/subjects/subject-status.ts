/**
 * A subject's status in a coordinator's words. The server stores a
 * registered subject as `screened` from the start (it is in screening); until
 * a screening evaluation exists it reads "registered, not screened yet".
 */
import type { SubjectStatus } from '../api/subjects.ts'

export const NOT_SCREENED_WORDS = 'registered, not screened yet'

/**
 * @param screenings the subject's screening evaluations (a count or the list); unknown: the stored status as it is
 * @example subjectStatusWords('screened', 0) // 'registered, not screened yet'
 */
export function subjectStatusWords(status: SubjectStatus, screenings: number | readonly unknown[] | null | undefined): string {
  const n = Array.isArray(screenings) ? screenings.length : screenings
  return status === 'screened' && n === 0 ? NOT_SCREENED_WORDS : status
}
