import { LitElement, css, html, nothing, type PropertyValues } from 'lit'
import { base } from '../styles.ts'
import { formatNumber, hasData, lineStyleOf, mergeSeries, tableRows, type ChartSeries, type ChartThreshold, type MergedData } from '../charts/series.ts'
import type { DrawnChart } from '../charts/uplot-chart.ts'

export type { ChartSeries, ChartThreshold, ChartPoint } from '../charts/series.ts'

type ChartModule = typeof import('../charts/uplot-chart.ts')
let chartModule: Promise<ChartModule> | undefined
/** uPlot's stylesheet as one constructable sheet, shared by every chart. */
let chartSheet: CSSStyleSheet | undefined

/** uPlot and its stylesheet, fetched once on first use (not part of the shell chunk). */
const loadChartModule = (): Promise<ChartModule> => {
  chartModule ??= import('../charts/uplot-chart.ts').catch((e: unknown) => {
    chartModule = undefined // let a later chart try again
    throw e
  })
  return chartModule
}

/**
 * A line or step chart (uPlot, loaded lazily) of one or more series that may
 * have different x values. Accessible: the plot is an image named by `label`,
 * series differ by dash and marker as well as colour, the legend names them,
 * and "Show data as a table" lists every point.
 *
 * @example
 * html`<tp-chart label="UPCR over time" .series=${[{ label: 'UPCR (g/g)', points }]} xLabel="Study day" yLabel="UPCR (g/g)"
 *   .thresholds=${[{ y: 0.5, label: 'Complete response < 0.5' }]} .yMin=${0}></tp-chart>`
 */
export class TpChart extends LitElement {
  static override properties = {
    label: {},
    series: { attribute: false },
    xLabel: {},
    yLabel: {},
    xIsDate: { type: Boolean },
    thresholds: { attribute: false },
    yMin: { attribute: false },
    yMax: { attribute: false },
    height: { type: Number },
    _state: { state: true },
    _error: { state: true },
  }

  /** Accessible name of the chart, e.g. "UPCR over time". */
  declare label: string
  /** The lines to draw. */
  declare series: ChartSeries[]
  /** Axis titles, with units. */
  declare xLabel: string
  declare yLabel: string
  /** x values are UTC epoch milliseconds, shown as ISO dates. */
  declare xIsDate: boolean
  /** Horizontal reference lines (labelled on the chart and listed below it). */
  declare thresholds: ChartThreshold[]
  /** Fixed ends of the y axis; undefined fits the data and thresholds. */
  declare yMin: number | undefined
  declare yMax: number | undefined
  /** Height of the plot in CSS pixels. */
  declare height: number
  declare _state: 'loading' | 'drawn' | 'failed'
  declare _error: string

  private _chart: DrawnChart | undefined
  private _observer: ResizeObserver | undefined
  private _drawing = 0

  constructor() {
    super()
    this.label = 'Chart'
    this.series = []
    this.xLabel = 'x'
    this.yLabel = 'y'
    this.xIsDate = false
    this.thresholds = []
    this.yMin = undefined
    this.yMax = undefined
    this.height = 220
    this._state = 'loading'
    this._error = ''
  }

  static override styles = [
    base,
    css`
      :host { display: block; min-width: 0; }
      figure { margin: 0; }
      .plot { width: 100%; min-height: 2rem; overflow: hidden; }
      .legend-note, .thresholds { font-size: 0.9rem; color: var(--tp-muted); margin: 0.25rem 0; }
      details { margin-top: 0.25rem; }
      summary { cursor: pointer; color: var(--tp-accent); }
      .table-wrap { overflow-x: auto; }
      table { border-collapse: collapse; font-size: 0.9rem; margin-top: 0.4rem; }
      caption { text-align: left; color: var(--tp-muted); padding-bottom: 0.2rem; }
      th, td { padding: 0.2rem 0.6rem; border-top: 1px solid var(--tp-line); text-align: right; font-variant-numeric: tabular-nums; }
      th[scope='col'] { background: #f1f3f6; }
      th:first-child { text-align: left; }
      /* uPlot's legend: wrap on phones */
      .plot .u-legend { font-size: 0.85rem; text-align: left; }
      .plot .u-legend .u-series { display: inline-flex; flex-wrap: wrap; }
      .plot .u-legend .u-series.ci-band { display: none; }
    `,
  ]

  private get _merged(): MergedData {
    return mergeSeries(this.series)
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this._observer?.disconnect()
    this._observer = undefined
    this._chart?.destroy()
    this._chart = undefined
  }

  override connectedCallback(): void {
    super.connectedCallback()
    // re-attached after a disconnect: draw again
    if (this.hasUpdated) void this._draw()
  }

  protected override updated(changed: PropertyValues<this>): void {
    const drawn = ['series', 'thresholds', 'xLabel', 'yLabel', 'xIsDate', 'yMin', 'yMax', 'height'] as const
    if (drawn.some(k => changed.has(k))) void this._draw()
  }

  private async _draw(): Promise<void> {
    const run = ++this._drawing
    this._chart?.destroy()
    this._chart = undefined
    if (!hasData(this.series)) return
    this._state = 'loading'
    let mod: ChartModule
    try {
      mod = await loadChartModule()
    } catch (e) {
      if (run !== this._drawing) return
      this._state = 'failed'
      this._error = `the chart library could not be loaded (${e instanceof Error ? e.message : String(e)})`
      return
    }
    await this.updateComplete
    if (run !== this._drawing || !this.isConnected) return
    const plot = this.renderRoot.querySelector<HTMLElement>('.plot')
    if (!plot) return
    plot.replaceChildren()
    this._adoptChartStylesheet(mod.stylesheet)
    const width = () => Math.max(240, Math.floor(plot.clientWidth || this.clientWidth || 600))
    try {
      this._chart = mod.drawChart(plot, {
        series: this.series,
        merged: this._merged,
        thresholds: this.thresholds,
        xLabel: this.xLabel,
        yLabel: this.yLabel,
        xIsDate: this.xIsDate,
        yMin: this.yMin,
        yMax: this.yMax,
        width: width(),
        height: this.height,
      })
      this._state = 'drawn'
    } catch (e) {
      this._state = 'failed'
      this._error = `this browser could not draw it (${e instanceof Error ? e.message : String(e)})`
      return
    }
    if (typeof ResizeObserver !== 'undefined' && !this._observer) {
      let last = width()
      this._observer = new ResizeObserver(() => {
        const w = width()
        if (w !== last) {
          last = w
          this._chart?.resize(w)
        }
      })
      this._observer.observe(plot)
    }
  }

  /**
   * uPlot's stylesheet, adopted by the shadow root once (a constructable
   * stylesheet, which the Content-Security-Policy allows where an inline
   * <style> element would need its hash).
   */
  private _adoptChartStylesheet(css: string): void {
    const root = this.renderRoot as ShadowRoot
    if (!root.adoptedStyleSheets || typeof CSSStyleSheet === 'undefined' || !('replaceSync' in CSSStyleSheet.prototype)) return
    if (root.adoptedStyleSheets.some(s => s === chartSheet)) return
    chartSheet ??= new CSSStyleSheet()
    if (chartSheet.cssRules.length === 0) chartSheet.replaceSync(css)
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, chartSheet]
  }

  override render() {
    if (!hasData(this.series)) return html`<p class="empty">${this.label}: no values to chart yet.</p>`
    const merged = this._merged
    const rows = tableRows(merged, this.xIsDate)
    const styles = this.series.map((s, i) => `${s.label}: ${lineStyleOf(i, s).words}`)
    return html`<figure>
      <div class="plot" role="img" aria-label="${this.label}. ${this.yLabel} against ${this.xLabel}; ${rows.length} point${rows.length === 1 ? '' : 's'}. The data table below lists them."></div>
      ${this._state === 'loading' ? html`<p role="status" class="legend-note">Loading the chart…</p>` : nothing}
      ${this._state === 'failed' ? html`<p class="legend-note" role="status">⚠ The chart is not shown: ${this._error}. The data table below has every value.</p>` : nothing}
      ${this.series.length > 1 ? html`<p class="legend-note">${styles.join('; ')}.</p>` : nothing}
      ${
        this.thresholds.length
          ? html`<p class="thresholds">Reference line${this.thresholds.length === 1 ? '' : 's'} (dashed grey): ${this.thresholds.map(t => `${t.label} at ${formatNumber(t.y)}`).join('; ')}.</p>`
          : nothing
      }
      <details>
        <summary>Show data as a table</summary>
        <div class="table-wrap">
          <table>
            <caption>${this.label}</caption>
            <thead>
              <tr>
                <th scope="col">${this.xLabel}</th>
                ${merged.columns.map(c => html`<th scope="col">${c.label}${c.lower ? ' (95 % CI)' : ''}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${rows.map(r => html`<tr><th scope="row">${r.x}</th>${r.cells.map(v => html`<td>${v}</td>`)}</tr>`)}
            </tbody>
          </table>
        </div>
      </details>
    </figure>`
  }
}
customElements.define('tp-chart', TpChart)

declare global {
  interface HTMLElementTagNameMap {
    'tp-chart': TpChart
  }
}
