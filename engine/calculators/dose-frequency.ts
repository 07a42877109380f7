/**
 * Administrations per day from a recorded dosing frequency, so a daily dose
 * can be computed from "10 mg twice daily". Abbreviations are the usual
 * prescription ones (qd, bid, tid, qid, qod); anything else is not guessed.
 */

const PER_DAY: Record<string, number> = {
  daily: 1,
  'once daily': 1,
  'once a day': 1,
  qd: 1,
  od: 1,
  'twice daily': 2,
  bid: 2,
  q12h: 2,
  'every 12 hours': 2,
  'three times daily': 3,
  tid: 3,
  q8h: 3,
  'four times daily': 4,
  qid: 4,
  q6h: 4,
  'every other day': 0.5,
  'alternate days': 0.5,
  qod: 0.5,
  weekly: 1 / 7,
  'once weekly': 1 / 7,
}

/** Recognised frequency phrases, for messages and schemas. */
export const DOSE_FREQUENCIES = Object.keys(PER_DAY)

/**
 * Administrations per day for a frequency phrase (case and dots ignored).
 *
 * @returns the count per day, or `undefined` for an unrecognised or missing phrase
 * @example dosesPerDay('twice daily') // 2
 * @example dosesPerDay('b.i.d.') // 2
 * @example dosesPerDay('as needed') // undefined
 */
export function dosesPerDay(frequency: string | undefined): number | undefined {
  if (frequency === undefined) return undefined
  return PER_DAY[frequency.trim().toLowerCase().replace(/\./g, '')]
}
