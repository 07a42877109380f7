import { LitElement, css, html, nothing } from 'lit'
import { Task } from '@lit/task'
import { getScreeningFunnel, getStudyResults, type FunnelPopulation } from '../api/dashboard.ts'
import { base } from '../styles.ts'
import './tp-problem.ts'
import './tp-screening-funnel.ts'
import './tp-cohort-funnel.ts'
import './tp-what-if.ts'
import './tp-response-rates.ts'
import './tp-time-to-response.ts'

/**
 * The study dashboard of a protocol: the CONSORT-style screening funnel over
 * the screening log, the eligibility counted in the OMOP warehouse (on
 * request), response rates per arm with 95 % CIs and the
 * difference between arms, and time to response (Kaplan–Meier) per arm.
 * Each part loads on its own and says when there is nothing to show yet.
 * When the server answers blinded (server/routes/blinding.ts) the figures
 * are pooled over every randomized subject and a note says so.
 */
export class TpStudyDashboard extends LitElement {
  static override properties = {
    protocolId: {},
    canEdit: { type: Boolean },
    _population: { state: true },
  }

  /** The protocol whose study is shown. */
  declare protocolId: string
  /** Whether the reader may save a protocol version (the what-if's "save as draft amendment"). */
  declare canEdit: boolean
  /** Who the funnel counts: subjects' latest screenings, or also anonymous evaluations. */
  declare _population: FunnelPopulation

  constructor() {
    super()
    this.protocolId = ''
    this.canEdit = false
    this._population = 'subjects'
  }

  private readonly _funnel = new Task(this, {
    task: ([id, population], { signal }) => getScreeningFunnel(id, population, signal),
    args: () => [this.protocolId, this._population] as const,
  })

  private readonly _results = new Task(this, {
    task: ([id], { signal }) => getStudyResults(id, signal),
    args: () => [this.protocolId] as const,
  })

  static override styles = [
    base,
    css`
      :host { display: block; }
      header { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: baseline; justify-content: space-between; }
      h1 { margin: 0.2rem 0 0.6rem; }
      h2 { font-size: 1.25rem; margin: 1.6rem 0 0.4rem; padding-top: 0.8rem; border-top: 1px solid var(--tp-line); }
      section:first-of-type h2 { border-top: 0; padding-top: 0; }
      .controls { display: flex; flex-wrap: wrap; gap: 0.4rem 0.8rem; align-items: center; margin: 0.2rem 0 0.6rem; }
      select { font: inherit; padding: 0.3rem 0.4rem; border: 1px solid #8a94a3; border-radius: 4px; max-width: 100%; }
      label { font-weight: 600; }
      .blinded { margin: 0.4rem 0 0.6rem; padding: 0.5rem 0.75rem; border: 1px solid #8a94a3; border-left: 4px solid var(--tp-ink); border-radius: 4px; background: #f6f7f9; }
    `,
  ]

  override render() {
    return html`<header>
        <h1>Study dashboard</h1>
        <button type="button" class="secondary" @click=${this._refresh}>Refresh</button>
      </header>
      <section aria-labelledby="funnel-h">
        <h2 id="funnel-h">Screening funnel</h2>
        <div class="controls">
          <label for="population">Count</label>
          <select id="population" .value=${this._population} @change=${(e: Event) => (this._population = (e.target as HTMLSelectElement).value as FunnelPopulation)}>
            <option value="subjects">each subject’s latest screening</option>
            <option value="all">… and every evaluation filed under no subject</option>
          </select>
        </div>
        ${this._funnel.render({
          pending: () => html`<p role="status">Loading the screening funnel…</p>`,
          error: e => html`<tp-problem .error=${e} context="Loading the screening funnel"></tp-problem>`,
          complete: report => html`<tp-screening-funnel .report=${report}></tp-screening-funnel>`,
        })}
      </section>
      <section aria-labelledby="what-if-h">
        <h2 id="what-if-h">What if</h2>
        <tp-what-if .protocolId=${this.protocolId} .canEdit=${this.canEdit}></tp-what-if>
      </section>
      <section aria-labelledby="cohort-h">
        <h2 id="cohort-h">Feasibility in the data warehouse</h2>
        <tp-cohort-funnel .protocolId=${this.protocolId}></tp-cohort-funnel>
      </section>
      ${this._results.render({
        pending: () => html`<section aria-labelledby="rates-h">
          <h2 id="rates-h">Response rates</h2>
          <p role="status">Loading the study results…</p>
        </section>`,
        error: e => html`<section aria-labelledby="rates-h">
          <h2 id="rates-h">Response rates</h2>
          <tp-problem .error=${e} context="Loading the study results"></tp-problem>
        </section>`,
        complete: ({ results, document }) =>
          results.subjects === 0
            ? html`<section aria-labelledby="rates-h">
                <h2 id="rates-h">Response rates and time to response</h2>
                <p data-testid="results-empty">
                  No subjects randomized yet: rates and curves appear once subjects are randomized and their visits recorded (on the
                  <a href="#/protocols/${encodeURIComponent(this.protocolId)}/subjects">Subjects</a> tab).
                </p>
              </section>`
            : html`<section aria-labelledby="rates-h">
                  <h2 id="rates-h">${results.blinded ? 'Rates, all randomized subjects pooled' : 'Rates per arm'}</h2>
                  ${results.blinded ? this._blindedNote(results.blinding?.reason) : nothing}
                  <p class="note">
                    Over ${results.subjects} randomized subject${results.subjects === 1 ? '' : 's'}${results.blinded ? '' : ` (${results.arms.map(a => `${a.label} ${a.subjects}`).join(', ')})`}, endpoints
                    of version ${results.version}.
                  </p>
                  <tp-response-rates .results=${results} .document=${document}></tp-response-rates>
                </section>
                <section aria-labelledby="km-h">
                  <h2 id="km-h">Time to response</h2>
                  <p class="note">Kaplan–Meier cumulative incidence (1 − S) with pointwise 95 % band; a subject without the response is censored at their last graded visit.</p>
                  <tp-time-to-response .results=${results} .document=${document}></tp-time-to-response>
                </section>`,
      })}`
  }

  /** Said where the pooled figures are, so nobody reads the one group as an arm. */
  private _blindedNote(reason: string | undefined) {
    return html`<p class="blinded" role="note" data-testid="blinded-note">
      <strong>Blinded: per-arm results are shown only to unblinded users.</strong>
      ${reason ? html`<span>${reason[0]!.toUpperCase()}${reason.slice(1)}.</span>` : nothing}
    </p>`
  }

  private _refresh() {
    void this._funnel.run()
    void this._results.run()
  }
}
customElements.define('tp-study-dashboard', TpStudyDashboard)

declare global {
  interface HTMLElementTagNameMap {
    'tp-study-dashboard': TpStudyDashboard
  }
}
