/**
 * Whether a subject may be randomized now, and why not: only a screened
 * subject whose latest screening found them eligible. One rule and one
 * wording for the server, which refuses anything else (POST
 * /subjects/:sid/randomize answers 409), and the web, which offers
 * randomization only when it would be accepted. Pure, with no runtime
 * import, so the browser bundle may import it (test/web/boundaries.test.ts
 * WEB_SHARED).
 */

/** A screening as the rule reads it: the evaluation's id, the protocol version, its verdict and failing criteria. */
export interface ScreeningOutcome {
  id: number
  version: number
  overall: 'eligible' | 'ineligible' | 'undetermined'
  failing: readonly string[]
}

/** Allowed, or refused because of the subject's status or its latest screening, with the reason in words (sentence form, after a colon). */
export type RandomizeCheck = { allowed: true } | { allowed: false; reason: 'status' | 'screening'; why: string }

/**
 * @param status the subject's status (`screened`, `randomized`, `withdrawn`)
 * @param screenings the subject's screenings, oldest first
 * @example canRandomize('screened', [{ id: 7, version: 1, overall: 'eligible', failing: [] }]) // { allowed: true }
 */
export function canRandomize(status: string, screenings: readonly ScreeningOutcome[]): RandomizeCheck {
  if (status === 'randomized') return { allowed: false, reason: 'status', why: 'the subject is already randomized; only a screened subject can be randomized.' }
  if (status !== 'screened') return { allowed: false, reason: 'status', why: `the subject is ${status}; only a screened subject can be randomized.` }
  const latest = screenings.at(-1)
  if (!latest)
    return { allowed: false, reason: 'screening', why: 'the subject has not been screened yet: screen them first; randomization needs an eligible screening.' }
  if (latest.overall === 'eligible') return { allowed: true }
  const failing = latest.failing.length ? ` (failing: ${latest.failing.join(', ')})` : ''
  return {
    allowed: false,
    reason: 'screening',
    why: `the latest screening (evaluation ${latest.id}, protocol version ${latest.version}) found the subject ${latest.overall}${failing}; randomization needs the latest screening to be eligible. Complete or correct the record and screen again.`,
  }
}
