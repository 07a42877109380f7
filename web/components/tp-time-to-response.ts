import { LitElement, css, html, nothing } from 'lit'
import type { ProtocolDocument, StudyResults } from '../api/dashboard.ts'
import { kmPanels, type KmPanel } from '../dashboard/km.ts'
import { base } from '../styles.ts'
import './tp-chart.ts'

/**
 * Time to response per arm: Kaplan–Meier cumulative incidence curves (step
 * lines with the pointwise 95 % band, drawn by <tp-chart>) and, per arm,
 * subjects, responses (and how many of them are interval-censored), censored,
 * median time and the final incidence. A blinded answer has one curve and
 * one row: every randomized subject pooled.
 */
export class TpTimeToResponse extends LitElement {
  static override properties = {
    results: { attribute: false },
    document: { attribute: false },
  }

  /** GET /protocols/:id/results. */
  declare results: StudyResults | undefined
  /** The protocol document of the same version (endpoint titles, reference dates). */
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
      .panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr)); gap: 1rem 1.5rem; }
      section { min-width: 0; background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; padding: 0.6rem 0.8rem; }
      h3 { font-size: 1.05rem; margin: 0 0 0.4rem; }
      .table-wrap { overflow-x: auto; }
      table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin-top: 0.5rem; }
      caption { text-align: left; color: var(--tp-muted); padding-bottom: 0.2rem; }
      th, td { text-align: left; padding: 0.25rem 0.5rem; border-top: 1px solid var(--tp-line); }
      th[scope='col'] { background: #f1f3f6; font-weight: 600; }
      .num { text-align: right; font-variant-numeric: tabular-nums; }
      @media (max-width: 40rem) {
        thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        tr { display: flex; flex-wrap: wrap; border-top: 1px solid var(--tp-line); }
        th[scope='row'] { flex: 1 1 100%; border-top: 0; }
        td, td.num { flex: 0 0 50%; border-top: 0; padding: 0.1rem 0.5rem; text-align: left; }
        td[data-label]::before { content: attr(data-label) ': '; font-weight: 600; }
      }
    `,
  ]

  override render() {
    if (!this.results || !this.document) return nothing
    const panels = kmPanels(this.results, this.document)
    if (panels.length === 0) return html`<p class="note">This protocol defines no time-to-event endpoint.</p>`
    return html`<div class="panels">${panels.map(p => this._panel(p))}</div>`
  }

  private _panel(p: KmPanel) {
    return html`<section aria-labelledby="km-${p.endpoint}" data-endpoint=${p.endpoint}>
      <h3 id="km-${p.endpoint}">${p.title}</h3>
      ${
        p.hasData
          ? html`<tp-chart
            label="${p.title}: cumulative incidence of response ${this.results?.blinded ? 'over all randomized subjects pooled' : 'by arm'} (Kaplan–Meier)"
            .series=${p.series}
            xLabel="Days since ${p.from}"
            yLabel="Responded (%)"
            .yMin=${0}
            .yMax=${100}
          ></tp-chart>`
          : html`<p class="note">No subject with a known time yet.</p>`
      }
      <!-- a tab stop, so that a keyboard can scroll the table sideways when it is wider than the screen (axe: scrollable-region-focusable); named by its heading, as tp-amendment-impact's tables -->
      <div class="table-wrap" tabindex="0" role="region" aria-labelledby="km-${p.endpoint}">
        <table>
          <caption>
            ${this.results?.blinded ? 'All randomized subjects pooled' : 'Per arm'}; days since ${p.from}${p.excluded ? `; ${p.excluded} subject${p.excluded === 1 ? '' : 's'} left out (time unknown)` : ''};
            an interval-censored response (visits before it not evaluable) is counted ${p.intervalCensoredAs}
          </caption>
          <thead>
            <tr>
              <th scope="col">${this.results?.blinded ? 'Group' : 'Arm'}</th>
              <th scope="col" class="num">Subjects</th>
              <th scope="col" class="num">Responded</th>
              <th scope="col" class="num">Of which interval-censored</th>
              <th scope="col" class="num">Censored</th>
              <th scope="col" class="num">Median time</th>
              <th scope="col" class="num">Responded by the last time</th>
            </tr>
          </thead>
          <tbody>
            ${p.arms.map(
              a => html`<tr data-arm=${a.arm}>
                <th scope="row">${a.label}</th>
                <td class="num" data-label="Subjects">${a.subjects}</td>
                <td class="num" data-label="Responded">${a.events}</td>
                <td class="num" data-label="Interval-censored">${a.interval_censored}</td>
                <td class="num" data-label="Censored">${a.censored}</td>
                <td class="num" data-label="Median">${a.median}</td>
                <td class="num" data-label="By the last time">${a.final}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`
  }
}
customElements.define('tp-time-to-response', TpTimeToResponse)

declare global {
  interface HTMLElementTagNameMap {
    'tp-time-to-response': TpTimeToResponse
  }
}
