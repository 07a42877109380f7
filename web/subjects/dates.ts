/**
 * Calendar dates (YYYY-MM-DD) as whole days, in UTC so no time zone can
 * move a date (a visit on 2026-03-29 stays on that day everywhere).
 */

/** Day number of an ISO date (days since 1970-01-01), or undefined when it is not a calendar date. */
export function dayOf(iso: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (!m) return undefined
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  const d = new Date(t)
  // 2026-02-30 rolls over to March: not a date
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return undefined
  return t / 86_400_000
}

/** Days from `a` to `b` (positive when b is later). */
export function daysFrom(a: string, b: string): number | undefined {
  const x = dayOf(a)
  const y = dayOf(b)
  return x === undefined || y === undefined ? undefined : y - x
}

/** Today's date where the user is (what "today" means at the bedside), as YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`
}

/** "1 day" / "3 days". */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
