/**
 * Draws merged chart data with uPlot. Loaded lazily by <tp-chart>
 * (`import('../charts/uplot-chart.ts')`), so uPlot and its stylesheet are in
 * their own chunk and not in the shell.
 */
import uPlot from 'uplot/dist/uPlot.esm.js'
import type UPlot from 'uplot'
import uplotCss from 'uplot/dist/uPlot.min.css?inline'
import { formatNumber, formatX, lineStyleOf, yRange, type ChartSeries, type ChartThreshold, type MergedData } from './series.ts'

/** Okabe–Ito colours (safe for colour-blind readers); series also differ by dash and marker. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000']

export interface DrawOptions {
  series: readonly ChartSeries[]
  merged: MergedData
  thresholds: readonly ChartThreshold[]
  xLabel: string
  yLabel: string
  xIsDate: boolean
  yMin?: number
  yMax?: number
  width: number
  height: number
}

export interface DrawnChart {
  resize(width: number): void
  destroy(): void
}

/** uPlot's stylesheet, to add once to a shadow root. */
export const stylesheet: string = uplotCss

/** Draw the chart into `target` (which it fills); throws if the browser cannot draw (no canvas). */
export function drawChart(target: HTMLElement, o: DrawOptions): DrawnChart {
  // uPlot draws in a microtask, where a missing canvas would be an uncaught error: check first
  if (!document.createElement('canvas').getContext('2d')) throw new Error('no 2D canvas')
  const series: UPlot.Series[] = [{ label: o.xLabel, value: (_u, v) => (v === null || v === undefined ? '—' : formatX(v, o.xIsDate)) }]
  const data: Array<Array<number | null>> = [o.merged.xs]
  const bands: UPlot.Band[] = []
  // the legend's marker border mirrors each line's dash (CSS border-style), so the legend too is readable without colour
  const markerStyles: string[] = ['solid']
  o.merged.columns.forEach((c, i) => {
    const s = o.series[i]!
    const stroke = COLOURS[i % COLOURS.length]!
    const { dash, hollow } = lineStyleOf(i, s)
    series.push({
      label: s.label,
      stroke,
      width: 2,
      dash,
      spanGaps: true,
      ...(s.step ? { paths: uPlot.paths.stepped!({ align: 1 }) } : {}),
      points: { show: true, size: 7, fill: hollow ? '#fff' : stroke, stroke, width: 2 },
      value: (_u, v) => (v === null || v === undefined ? '—' : formatNumber(v)),
    })
    data.push(c.ys)
    markerStyles.push(dash.length === 0 ? 'solid' : dash[0]! <= 2 ? 'dotted' : 'dashed')
    if (c.lower && c.upper) {
      const upperIdx = series.length
      for (const [name, arr] of [
        ['upper', c.upper],
        ['lower', c.lower],
      ] as const) {
        // a CI band follows its curve's shape (steps for Kaplan–Meier), and stays out of the legend: the table lists its values
        series.push({
          label: `${s.label}: 95 % CI ${name}`,
          class: 'ci-band',
          stroke,
          width: 1,
          dash: [1, 3],
          spanGaps: true,
          ...(s.step ? { paths: uPlot.paths.stepped!({ align: 1 }) } : {}),
          points: { show: false },
          value: (_u, v) => (v === null || v === undefined ? '—' : formatNumber(v)),
        })
        data.push(arr)
        markerStyles.push('dotted')
      }
      bands.push({ series: [upperIdx, upperIdx + 1], fill: `${stroke}22` })
    }
  })
  const [lo, hi] = yRange(o.merged, o.thresholds, o.yMin, o.yMax)
  const thresholds = o.thresholds
  const opts: UPlot.Options = {
    width: o.width,
    height: o.height,
    ms: 1,
    series,
    bands,
    ...(o.xIsDate ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts), 'Etc/UTC') } : {}),
    scales: {
      x: { time: o.xIsDate },
      y: { range: () => [lo, hi] },
    },
    axes: [
      { label: o.xLabel, ...(o.xIsDate ? {} : { values: (_u: UPlot, splits: number[]) => splits.map(v => formatNumber(v)) }) },
      { label: o.yLabel, values: (_u: UPlot, splits: number[]) => splits.map(v => formatNumber(v)) },
    ],
    cursor: { drag: { x: false, y: false } },
    legend: { live: false, markers: { width: 3, dash: (_u: UPlot, i: number) => markerStyles[i] ?? 'solid' } },
    hooks: {
      draw: [
        (u: UPlot) => {
          if (!thresholds.length) return
          const ctx = u.ctx
          const { left, width } = u.bbox
          ctx.save()
          ctx.strokeStyle = '#4a5360'
          ctx.fillStyle = '#1b1f24'
          ctx.lineWidth = Math.max(1, uPlot.pxRatio)
          ctx.setLineDash([4 * uPlot.pxRatio, 4 * uPlot.pxRatio])
          ctx.font = `${12 * uPlot.pxRatio}px system-ui, sans-serif`
          ctx.textAlign = 'right'
          ctx.textBaseline = 'bottom'
          for (const t of thresholds) {
            const y = Math.round(u.valToPos(t.y, 'y', true))
            ctx.beginPath()
            ctx.moveTo(left, y)
            ctx.lineTo(left + width, y)
            ctx.stroke()
            ctx.fillText(t.label, left + width - 4 * uPlot.pxRatio, y - 2 * uPlot.pxRatio)
          }
          ctx.restore()
        },
      ],
    },
  }
  const plot = new uPlot(opts, data as UPlot.AlignedData, target)
  return {
    resize: (width: number) => plot.setSize({ width, height: o.height }),
    destroy: () => plot.destroy(),
  }
}
