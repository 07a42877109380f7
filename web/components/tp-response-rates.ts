import { LitElement, css, html, nothing, svg } from 'lit'
import type { ProtocolDocument, StudyResults } from '../api/dashboard.ts'
import { plotX, rateTables, SHAPE_SYMBOL, type ArmShape, type RateRow, type RateTable } from '../dashboard/rates.ts'
import { base } from '../styles.ts'

const PLOT_W = 150
const PAD = 6
const ROW_H = 13
const AXIS_H = 12

/** A marker of a given shape centred on (x, y); filled black so it shows in print and for colour-blind readers alike. */
function marker(shape: ArmShape, x: number, y: number) {
  if (shape === 'square') return svg`<rect x=${x - 3.5} y=${y - 3.5} width="7" height="7" />`
  if (shape === 'diamond') return svg`<polygon points="${x},${y - 4.5} ${x + 4.5},${y} ${x},${y + 4.5} ${x - 4.5},${y}" />`
  return svg`<circle cx=${x} cy=${y} r="3.8" />`
}

interface Whisker {
  shape: ArmShape
  estimate?: number
  lower: number
  upper: number
}

/**
 * A forest-style plot: one whisker per line (interval, end caps, the
 * estimate as a marker), an axis with three ticks, and a reference line.
 * Decorative to assistive technology: its accessible name says it in words.
 */
function ciPlot(whiskers: Whisker[], scale: readonly [number, number], ticks: Array<{ at: number; label: string }>, reference: number, name: string) {
  const inner = PLOT_W - 2 * PAD
  const x = (v: number) => PAD + plotX(v, scale, inner)
  const height = whiskers.length * ROW_H + AXIS_H + 4
  const axisY = whiskers.length * ROW_H + 3
  return html`<svg class="plot" width=${PLOT_W} height=${height} viewBox="0 0 ${PLOT_W} ${height}" role="img" aria-label=${name}>
    ${ticks.map(t => svg`<line class="grid" x1=${x(t.at)} x2=${x(t.at)} y1="0" y2=${axisY} />`)}
    ${svg`<line class="ref" x1=${x(reference)} x2=${x(reference)} y1="0" y2=${axisY} />`}
    ${whiskers.map((w, i) => {
      const y = i * ROW_H + ROW_H / 2 + 1
      if (w.estimate === undefined) return svg`<text class="none" x=${PAD} y=${y + 3}>no data</text>`
      return svg`<g class="whisker">
        <line x1=${x(w.lower)} x2=${x(w.upper)} y1=${y} y2=${y} />
        <line x1=${x(w.lower)} x2=${x(w.lower)} y1=${y - 3} y2=${y + 3} />
        <line x1=${x(w.upper)} x2=${x(w.upper)} y1=${y - 3} y2=${y + 3} />
        ${marker(w.shape, x(w.estimate), y)}
      </g>`
    })}
    ${svg`<line class="axis" x1=${PAD} x2=${PLOT_W - PAD} y1=${axisY} y2=${axisY} />`}
    ${ticks.map((t, i) => svg`<text class="tick" x=${x(t.at)} y=${axisY + AXIS_H - 1} text-anchor=${i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle'}>${t.label}</text>`)}
  </svg>`
}

const RATE_TICKS = [
  { at: 0, label: '0 %' },
  { at: 0.5, label: '50 %' },
  { at: 1, label: '100 %' },
]
const DIFF_TICKS = [
  { at: -1, label: '−100' },
  { at: 0, label: '0' },
  { at: 1, label: '+100 pp' },
]

/**
 * Response rates per arm at each visit: n/N, percentage and exact 95 % CI
 * per arm, the difference between the first two arms with its 95 % CI, and
 * a small forest-style plot of each (arms told apart by marker shape). A
 * blinded answer has one pooled group: one column, no difference.
 */
export class TpResponseRates extends LitElement {
  static override properties = {
    results: { attribute: false },
    document: { attribute: false },
  }

  /** GET /protocols/:id/results. */
  declare results: StudyResults | undefined
  /** The protocol document of the same version (endpoint titles, visit labels). */
  declare document: ProtocolDocument | undefined

  constructor() {
    super()
    this.results = undefined
    this.document = undefined
  }

  static override styles = [
    base,
    css`
      :host { display: block; }
      h3 { font-size: 1.05rem; margin: 1.2rem 0 0.3rem; }
      .legend { margin: 0.2rem 0 0.5rem; display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; }
      .table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; }
      table { border-collapse: collapse; width: 100%; min-width: 52rem; }
      caption { text-align: left; padding: 0.5rem 0.75rem; color: var(--tp-muted); }
      th, td { text-align: left; padding: 0.35rem 0.6rem; border-top: 1px solid var(--tp-line); vertical-align: middle; }
      th[scope='col'] { background: #f1f3f6; font-weight: 600; }
      tr.first-of-visit > * { border-top: 2px solid #aab2bd; }
      .num { font-variant-numeric: tabular-nums; white-space: nowrap; }
      .ci { color: var(--tp-muted); font-size: 0.85rem; white-space: nowrap; }
      .shape { font-size: 0.8rem; }
      svg.plot { display: block; overflow: visible; }
      svg.plot .whisker line { stroke: var(--tp-ink); stroke-width: 1.5; }
      svg.plot .whisker { fill: var(--tp-ink); }
      svg.plot .grid { stroke: #e3e7ec; stroke-width: 1; }
      svg.plot .ref { stroke: var(--tp-muted); stroke-width: 1; stroke-dasharray: 3 2; }
      svg.plot .axis { stroke: #8a94a3; stroke-width: 1; }
      svg.plot .tick, svg.plot .none { font-size: 9px; fill: var(--tp-muted); font-family: inherit; }
      @media (max-width: 40rem) {
        table { min-width: 0; }
        thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        tr, td, th[scope='row'] { display: block; }
        th[scope='row'] { border-top: 1px solid var(--tp-line); }
        tr.first-of-visit > * { border-top: 0; }
        tr.first-of-visit > th[scope='row'] { border-top: 2px solid #aab2bd; }
        td { border-top: 0; padding: 0.15rem 0.6rem; }
        td[data-label]::before { content: attr(data-label) ': '; font-weight: 600; }
        tr > :last-child { padding-bottom: 0.6rem; }
      }
    `,
  ]

  override render() {
    if (!this.results || !this.document) return nothing
    const tables = rateTables(this.results, this.document)
    if (tables.length === 0)
      return html`<p class="note">This protocol defines no graded response, responder index or safety endpoint, so there are no rates to show.</p>`
    return tables.map(t => this._table(t))
  }

  private _table(t: RateTable) {
    const visits = new Set<string>()
    return html`<section aria-labelledby="rates-${t.endpoint}">
      <h3 id="rates-${t.endpoint}">${t.title}</h3>
      <p class="note">
        ${t.missingNote}
        ${
          this.results?.blinded
            ? 'Exact (Clopper–Pearson) 95 % CI, all randomized subjects pooled.'
            : 'Exact (Clopper–Pearson) 95 % CI per arm; difference with the Newcombe hybrid score 95 % CI.'
        }
      </p>
      <p class="legend" aria-hidden="true">${t.arms.map(a => html`<span><span class="shape">${SHAPE_SYMBOL[a.shape]}</span> ${a.label}</span>`)}</p>
      <div class="table-wrap">
        <table data-endpoint=${t.endpoint}>
          <caption>${t.caption}</caption>
          <thead>
            <tr>
              <th scope="col">Visit</th>
              <th scope="col">${t.outcomeHeader}</th>
              ${t.arms.map(a => html`<th scope="col"><span class="shape" aria-hidden="true">${SHAPE_SYMBOL[a.shape]}</span> ${a.label}</th>`)}
              <th scope="col">Rates, 95 % CI</th>
              ${t.arms.length >= 2 ? html`<th scope="col">Difference (${t.arms[0]!.label} − ${t.arms[1]!.label})</th>` : nothing}
            </tr>
          </thead>
          <tbody>
            ${t.rows.map(row => {
              const first = !visits.has(row.visit)
              visits.add(row.visit)
              return this._row(row, first, t.arms.length >= 2)
            })}
          </tbody>
        </table>
      </div>
    </section>`
  }

  private _row(row: RateRow, firstOfVisit: boolean, withDifference: boolean) {
    const d = row.difference
    return html`<tr class=${firstOfVisit ? 'first-of-visit' : ''} data-row=${row.key}>
      <th scope="row">${row.visitLabel}</th>
      <td data-label="Response">${row.levelLabel}</td>
      ${row.arms.map(
        c => html`<td data-label=${`${SHAPE_SYMBOL[c.shape]} ${c.label}`} data-arm=${c.arm}>
          <span class="num">${c.fraction} · ${c.percent}</span>
          <div class="ci">${c.n > 0 ? `95 % CI ${c.ci}` : c.ci}${c.unknown ? ` · ${c.unknown} ungraded` : ''}</div>
        </td>`,
      )}
      <td data-label="Rates, 95 % CI">${ciPlot(row.arms, [0, 1], RATE_TICKS, 0.5, row.summary)}</td>
      ${
        withDifference
          ? html`<td data-label="Difference" data-testid="difference">
            <span class="num">${d?.text ?? '—'}</span>
            <div class="ci">${d ? (d.estimate !== undefined ? `95 % CI ${d.ci}` : d.ci) : ''}</div>
            ${
              d && d.estimate !== undefined
                ? ciPlot(
                    [{ shape: 'diamond', estimate: d.estimate, lower: d.lower, upper: d.upper }],
                    [-1, 1],
                    DIFF_TICKS,
                    0,
                    `difference ${d.text}, 95 % CI ${d.ci}; the dashed line is no difference`,
                  )
                : nothing
            }
          </td>`
          : nothing
      }
    </tr>`
  }
}
customElements.define('tp-response-rates', TpResponseRates)

declare global {
  interface HTMLElementTagNameMap {
    'tp-response-rates': TpResponseRates
  }
}
