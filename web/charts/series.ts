/**
 * The data of a chart, kept apart from drawing so it can be tested without a
 * canvas: series with their own x values are merged onto one sorted x axis
 * (uPlot draws "aligned" data: one x array shared by every series), and the
 * same merged rows make the accessible data table.
 */

/** One point; `y: null` is a known gap (drawn across for lines, listed as "—"). */
export interface ChartPoint {
  x: number
  y: number | null
}

/**
 * A line (or step line) of a chart.
 *
 * `x` is a plain number (e.g. study day) or, when the chart's `xIsDate` is
 * set, UTC epoch milliseconds (`Date.parse('2024-03-01')`); shown as ISO dates.
 */
export interface ChartSeries {
  /** Legend and table column text: says what the line is, with its unit. */
  label: string
  points: ChartPoint[]
  /** Draw as steps (a value holds until the next one), e.g. a dose. */
  step?: boolean
  /** Dashed line, to tell series apart without colour. */
  dash?: boolean
  /** Optional confidence band, aligned index by index with `points`. */
  band?: { lower: Array<number | null>; upper: Array<number | null> }
}

/** A horizontal reference line, e.g. a response threshold. */
export interface ChartThreshold {
  y: number
  label: string
}

/** One series after merging, with values at every merged x (null where it has none). */
export interface MergedColumn {
  label: string
  ys: Array<number | null>
  lower?: Array<number | null>
  upper?: Array<number | null>
}

export interface MergedData {
  /** Every distinct finite x of every series, ascending. */
  xs: number[]
  columns: MergedColumn[]
}

const finiteOrNull = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/**
 * Merge series with different x values onto one ascending x axis.
 * Points whose x is not a finite number are dropped; a non-finite y is a gap
 * (null). When a series has two points at the same x the later one wins (a
 * dose changed twice on one day holds the last value).
 *
 * @example
 * mergeSeries([{ label: 'a', points: [{ x: 0, y: 1 }, { x: 2, y: 3 }] }, { label: 'b', points: [{ x: 1, y: 5 }] }])
 * // { xs: [0, 1, 2], columns: [{ label: 'a', ys: [1, null, 3] }, { label: 'b', ys: [null, 5, null] }] }
 */
export function mergeSeries(series: readonly ChartSeries[]): MergedData {
  const all = new Set<number>()
  for (const s of series) for (const p of s.points) if (Number.isFinite(p.x)) all.add(p.x)
  const xs = [...all].sort((a, b) => a - b)
  const index = new Map(xs.map((x, i) => [x, i]))
  const columns = series.map((s): MergedColumn => {
    const ys: Array<number | null> = xs.map(() => null)
    const lower = s.band ? xs.map((): number | null => null) : undefined
    const upper = s.band ? xs.map((): number | null => null) : undefined
    s.points.forEach((p, k) => {
      const i = index.get(p.x)
      if (i === undefined) return
      ys[i] = finiteOrNull(p.y)
      if (lower && upper && s.band) {
        lower[i] = finiteOrNull(s.band.lower[k])
        upper[i] = finiteOrNull(s.band.upper[k])
      }
    })
    return { label: s.label, ys, ...(lower && upper ? { lower, upper } : {}) }
  })
  return { xs, columns }
}

/** Whether any series has a value to draw. */
export function hasData(series: readonly ChartSeries[]): boolean {
  return series.some(s => s.points.some(p => Number.isFinite(p.x) && finiteOrNull(p.y) !== null))
}

/** A number for people: at most 4 significant digits, no trailing zeros, no exponent for chart-sized values. */
export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v)
  const abs = Math.abs(v)
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 10 ? 2 : abs >= 1 ? 3 : 4
  return String(Number(v.toFixed(digits)))
}

/** An x value as shown on the axis and in the table: an ISO date (UTC, no time-zone drift) or a number. */
export function formatX(x: number, xIsDate: boolean): string {
  return xIsDate ? new Date(x).toISOString().slice(0, 10) : formatNumber(x)
}

/** A table cell: the value, its confidence interval when known, or "—" for none. */
export function formatCell(column: MergedColumn, i: number): string {
  const y = column.ys[i]
  if (y === null || y === undefined) return '—'
  const lo = column.lower?.[i]
  const hi = column.upper?.[i]
  return lo !== null && lo !== undefined && hi !== null && hi !== undefined
    ? `${formatNumber(y)} (${formatNumber(lo)} to ${formatNumber(hi)})`
    : formatNumber(y)
}

/** Rows of the data table: the x as text, then one cell per series. Rows where no series has a value are left out. */
export function tableRows(merged: MergedData, xIsDate: boolean): Array<{ x: string; cells: string[] }> {
  return merged.xs
    .map((x, i) => ({ i, x: formatX(x, xIsDate) }))
    .filter(({ i }) => merged.columns.some(c => c.ys[i] !== null))
    .map(({ i, x }) => ({ x, cells: merged.columns.map(c => formatCell(c, i)) }))
}

/**
 * The y range to draw: the data and thresholds (so a reference line is never
 * off the chart), padded by 10 %, with `yMin`/`yMax` overriding either end.
 */
export function yRange(merged: MergedData, thresholds: readonly ChartThreshold[], yMin?: number, yMax?: number): [number, number] {
  const values: number[] = thresholds.map(t => t.y).filter(Number.isFinite)
  for (const c of merged.columns) for (const arr of [c.ys, c.lower ?? [], c.upper ?? []]) for (const v of arr) if (v !== null) values.push(v)
  let lo = values.length ? Math.min(...values) : 0
  let hi = values.length ? Math.max(...values) : 1
  const pad = hi > lo ? (hi - lo) * 0.1 : Math.abs(hi) * 0.1 || 1
  lo -= pad
  hi += pad
  if (yMin !== undefined && Number.isFinite(yMin)) lo = yMin
  if (yMax !== undefined && Number.isFinite(yMax)) hi = yMax
  if (hi <= lo) hi = lo + 1
  return [lo, hi]
}

/** Line patterns in the order series get them; a series with `dash` set is always dashed. */
const LINE_STYLES = [
  { name: 'solid', dash: [] as number[] },
  { name: 'dashed', dash: [8, 4] },
  { name: 'dotted', dash: [2, 3] },
  { name: 'dash-dot', dash: [12, 4, 2, 4] },
]

/**
 * How the i-th series is drawn, in canvas terms and in words (for the
 * legend note), so series differ by more than colour.
 */
export function lineStyleOf(i: number, s: Pick<ChartSeries, 'dash' | 'step'>): { dash: number[]; hollow: boolean; words: string } {
  const style = s.dash ? LINE_STYLES[1]! : LINE_STYLES[i % LINE_STYLES.length]!
  const hollow = i % 2 === 1
  return { dash: style.dash, hollow, words: `${style.name} line, ${hollow ? 'hollow' : 'filled'} markers${s.step ? ', drawn as steps' : ''}` }
}
