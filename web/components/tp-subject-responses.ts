import { LitElement, css, html, nothing } from 'lit'
import { Task } from '@lit/task'
import { retryable } from '../api.ts'
import { getEndpoints } from '../api/subjects.ts'
import { base } from '../styles.ts'
import { todayIso } from '../subjects/dates.ts'
import { humanize, responseTable, type ResponseRow } from '../subjects/responses.ts'
import { tableStyles } from '../subjects/table-css.ts'
import { STATUS_SYMBOL, visitStatuses } from '../subjects/visit-status.ts'
import './tp-problem.ts'

/**
 * Response status of a randomized subject at each visit (GET /subjects/:sid/endpoints),
 * with what is still missing. A visit not yet due, or due and not recorded,
 * says so (visit-status.ts) rather than "unknown": nothing is wrong with it yet.
 */
export class TpSubjectResponses extends LitElement {
  static override properties = {
    subjectId: {},
    randomized: { type: Boolean },
    revision: { type: Number },
    titles: { attribute: false },
  }

  declare subjectId: string
  declare randomized: boolean
  /** Bumped by the page after every change, to reload. */
  declare revision: number
  /** Endpoint id -> the protocol's title ("Complete response (CR)"); ids are shown in words without it. */
  declare titles: Record<string, string>

  constructor() {
    super()
    this.subjectId = ''
    this.randomized = false
    this.revision = 0
    this.titles = {}
  }

  private _name(id: string): string {
    return this.titles[id] ?? humanize(id)
  }

  private readonly _endpoints = new Task(this, {
    task: ([id, randomized], { signal }) => (id && randomized ? getEndpoints(id, signal) : Promise.resolve(undefined)),
    args: () => [this.subjectId, this.randomized, this.revision] as const,
  })

  static override styles = [
    base,
    tableStyles,
    css`
      :host { display: block; }
      .level { font-weight: 700; }
      ul.missing { margin: 0; padding-left: 1.1rem; font-size: 0.9rem; color: var(--tp-muted); }
      details summary { cursor: pointer; color: var(--tp-accent); }
      .when { font-weight: normal; font-size: 0.9rem; color: var(--tp-muted); }
      .when-overdue, .when-missed { color: var(--tp-bad); }
      .when-due { color: var(--tp-unknown); font-weight: 600; }
    `,
  ]

  override render() {
    if (!this.randomized) return html`<p>Responses are assessed at the visits after randomization.</p>`
    return this._endpoints.render({
      pending: () => html`<p role="status">Loading the responses…</p>`,
      error: e => html`<tp-problem .error=${e} context="Loading the responses"></tp-problem>
        ${retryable(e) ? html`<button type="button" @click=${() => this._endpoints.run()}>Try again</button>` : nothing}`,
      complete: ep => {
        if (!ep) return nothing
        const { endpoints, rows } = responseTable(ep, visitStatuses(ep.visits ?? [], ep.recorded_visits ?? [], todayIso(), ep.baseline_from_data))
        if (!rows.length) return html`<p>The protocol defines no response endpoints.</p>`
        const times = ep.times_to_event
        return html`<div class="table-wrap">
            <table data-testid="responses">
              <caption>Response at each visit (protocol version ${ep.version})</caption>
              <thead>
                <tr>
                  <th scope="col">Visit</th>
                  <th scope="col">Response status</th>
                  ${endpoints.map(e => html`<th scope="col">${this._name(e)}</th>`)}
                  <th scope="col">Still needed</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map(r => this._row(r, endpoints))}
              </tbody>
            </table>
          </div>
          ${
            times.length
              ? html`<p>${times.map(t => `${this._name(t.endpoint)}: ${t.event ? (t.interval ? t.detail : `${t.days} days`) : t.censored_at_days !== undefined ? `not reached (censored at ${t.censored_at_days} days)` : `not known (${t.detail})`}`).join('; ')}.</p>`
              : nothing
          }`
      },
    })
  }

  private _row(r: ResponseRow, endpoints: string[]) {
    const when = r.when ? html`<div class="when when-${r.when.kind}">${STATUS_SYMBOL[r.when.kind]} ${r.when.words}</div>` : nothing
    const items = (label: string) =>
      html`<details><summary>${label}${r.missing.length} item${r.missing.length === 1 ? '' : 's'}</summary><ul class="missing">${r.missing.map(m => html`<li>${m}</li>`)}</ul></details>`
    if (r.pending) {
      // not recorded, window not closed: no verdict to give yet, only what the visit will need
      return html`<tr data-visit=${r.visit} class="pending">
        <th scope="row">${humanize(r.visit)}</th>
        <td data-label="Response status">${when}</td>
        ${endpoints.map(e => html`<td data-label=${this._name(e)}>—</td>`)}
        <td data-label="Still needed">${r.missing.length ? items('to collect: ') : '—'}</td>
      </tr>`
    }
    return html`<tr data-visit=${r.visit}>
      <th scope="row">${humanize(r.visit)}${r.when && r.when.kind !== 'done' ? when : nothing}</th>
      <td data-label="Response status" class="level">${r.status.map(s => s.words).join('; ') || '—'}</td>
      ${endpoints.map(e => html`<td data-label=${this._name(e)}>${r.truths[e] ?? '—'}</td>`)}
      <td data-label="Still needed">${r.missing.length ? items('') : 'nothing'}</td>
    </tr>`
  }
}
customElements.define('tp-subject-responses', TpSubjectResponses)

declare global {
  interface HTMLElementTagNameMap {
    'tp-subject-responses': TpSubjectResponses
  }
}
