/**
 * Screening results in words. Whether a subject may be randomized is the
 * engine's rule (engine/subject/randomization.ts), shared with the server.
 */

/** Words for a screening result; the symbol is extra, never the only sign. */
export const OVERALL_WORDS: Record<string, string> = { eligible: '✓ Eligible', ineligible: '✗ Ineligible', undetermined: '? Undetermined' }
