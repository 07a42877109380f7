/**
 * Whether a subject may be randomized now, and why not, as the server
 * decides it (POST /subjects/:sid/randomize answers 409 otherwise): only a
 * screened subject whose latest screening found them eligible.
 */
import type { Screening, SubjectStatus } from '../api/subjects.ts'

export type RandomizeCheck = { allowed: true } | { allowed: false; why: string }

/** @example canRandomize('screened', [{ overall: 'eligible', ... }]) // { allowed: true } */
export function canRandomize(status: SubjectStatus, screening: readonly Pick<Screening, 'id' | 'overall' | 'failing' | 'version'>[]): RandomizeCheck {
  if (status === 'randomized') return { allowed: false, why: 'The subject is already randomized.' }
  if (status !== 'screened') return { allowed: false, why: `The subject is ${status}; only a screened subject can be randomized.` }
  const latest = screening.at(-1)
  if (!latest) return { allowed: false, why: 'The subject has not been screened yet: screen them first; randomization needs an eligible screening.' }
  if (latest.overall === 'eligible') return { allowed: true }
  const failing = latest.failing.length ? ` (failing: ${latest.failing.join(', ')})` : ''
  return {
    allowed: false,
    why: `The latest screening (evaluation ${latest.id}, protocol version ${latest.version}) found the subject ${latest.overall}${failing}; randomization needs the latest screening to be eligible. Complete or correct the record and screen again.`,
  }
}

/** Words for a screening result; the symbol is extra, never the only sign. */
export const OVERALL_WORDS: Record<string, string> = { eligible: '✓ Eligible', ineligible: '✗ Ineligible', undetermined: '? Undetermined' }
