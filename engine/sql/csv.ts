/** A CSV field (RFC 4180): NULL as empty, quoted when it holds a comma, a quote or a line break. */
export const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}
