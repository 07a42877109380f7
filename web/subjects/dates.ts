/**
 * Today's date in the browser. Calendar-day arithmetic (parsing, day
 * numbers, differences) is the engine's, engine/calculators/dates.ts, which
 * the web imports directly (a pure module: test/web/boundaries.test.ts
 * WEB_SHARED), so a date reads and counts the same on both sides.
 */

/** Today's date where the user is (what "today" means at the bedside), as YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`
}
