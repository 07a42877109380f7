/**
 * The subject page's charts from GET /subjects/:sid/series: one chart per
 * measure, x = study day (or the date when the record has no anchor date),
 * y in the measure's canonical unit, with the protocol's thresholds.
 */
import type { SubjectSeries, SubjectSeriesView } from '../api/subjects.ts'
import type { ChartSeries, ChartThreshold } from '../charts/series.ts'
import { formatUnit } from '../format.ts'

export interface SubjectChart {
  id: SubjectSeries['id']
  /** Accessible name and heading. */
  title: string
  xLabel: string
  yLabel: string
  xIsDate: boolean
  series: ChartSeries[]
  thresholds: ChartThreshold[]
  /** Values left out, and why (shown under the chart). */
  problems: string[]
}

const TITLES: Record<SubjectSeries['id'], string> = {
  upcr: 'UPCR',
  serum_creatinine: 'Serum creatinine',
  sledai_2k: 'SLEDAI-2K',
  glucocorticoid: 'Glucocorticoid dose',
}

/**
 * One chart per series of the view.
 *
 * @example subjectCharts(view)[0].series[0].points // [{ x: -15, y: 1.8 }] (study day, g/g)
 */
export function subjectCharts(view: SubjectSeriesView): SubjectChart[] {
  const byDay = view.anchor !== null
  // short enough for a phone's axis; the page says what day 1 is
  const xLabel = byDay ? 'Study day' : 'Date'
  return view.series.map(s => {
    const unit = s.id === 'glucocorticoid' ? 'mg/day prednisone-equivalent' : formatUnit(s.unit)
    const points = s.points.flatMap(p => {
      const x = byDay ? p.day : Date.parse(p.date)
      return x === null || !Number.isFinite(x) ? [] : [{ x, y: p.value }]
    })
    return {
      id: s.id,
      title: `${TITLES[s.id]} over time`,
      xLabel,
      // the heading names the measure: the axis says the unit, short enough for a phone
      yLabel: s.id === 'glucocorticoid' ? 'mg/day (prednisone-eq.)' : unit,
      xIsDate: !byDay,
      series: [{ label: `${TITLES[s.id]} (${unit})`, points, ...(s.step ? { step: true } : {}) }],
      thresholds: s.thresholds.map(t => ({ y: t.y, label: t.label })),
      problems: s.problems,
    }
  })
}
