import { LitElement, css, html, nothing } from 'lit'
import { Task } from '@lit/task'
import { getSeries } from '../api/subjects.ts'
import { base } from '../styles.ts'
import { subjectCharts, type SubjectChart } from '../subjects/charts.ts'
import './tp-chart.ts'
import './tp-problem.ts'

/**
 * A subject's UPCR, serum creatinine, SLEDAI-2K and glucocorticoid dose over
 * study days (GET /subjects/:sid/series), each with the protocol's
 * complete-response threshold where it has one.
 */
export class TpSubjectCharts extends LitElement {
  static override properties = {
    subjectId: {},
    revision: { type: Number },
  }

  declare subjectId: string
  /** Bumped by the page after every change, to reload. */
  declare revision: number

  constructor() {
    super()
    this.subjectId = ''
    this.revision = 0
  }

  private readonly _series = new Task(this, {
    task: ([id], { signal }) => (id ? getSeries(id, signal) : Promise.resolve(undefined)),
    args: () => [this.subjectId, this.revision] as const,
  })

  static override styles = [
    base,
    css`
      :host { display: block; }
      .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr)); gap: 1rem; }
      article { background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; padding: 0.5rem 0.75rem; min-width: 0; }
      h3 { font-size: 1rem; margin: 0.2rem 0 0.4rem; }
      .problems { font-size: 0.9rem; color: var(--tp-unknown); margin: 0.3rem 0 0; padding-left: 1.1rem; }
    `,
  ]

  override render() {
    return this._series.render({
      pending: () => html`<p role="status">Loading the values over time…</p>`,
      error: e => html`<tp-problem .error=${e} context="Loading the values over time"></tp-problem>
        <button type="button" @click=${() => this._series.run()}>Try again</button>`,
      complete: view => {
        if (!view) return nothing
        const charts = subjectCharts(view)
        return html`${
          view.anchor
            ? html`<p class="note" data-testid="anchor">Study day 1 is the ${view.anchor.ref} date, ${view.anchor.date}; the day before is day −1 (there is no day 0).</p>`
            : html`<p class="note">The record has no randomization, screening or consent date, so values are shown by date.</p>`
        }
          <div class="charts">${charts.map(c => this._chart(c))}</div>`
      },
    })
  }

  private _chart(c: SubjectChart) {
    return html`<article data-chart=${c.id}>
      <h3>${c.title}</h3>
      <tp-chart label=${c.title} .series=${c.series} xLabel=${c.xLabel} yLabel=${c.yLabel} .xIsDate=${c.xIsDate} .thresholds=${c.thresholds} .yMin=${0}></tp-chart>
      ${c.problems.length ? html`<ul class="problems" aria-label="Values left out">${c.problems.map(p => html`<li>⚠ ${p}</li>`)}</ul>` : nothing}
    </article>`
  }
}
customElements.define('tp-subject-charts', TpSubjectCharts)

declare global {
  interface HTMLElementTagNameMap {
    'tp-subject-charts': TpSubjectCharts
  }
}
