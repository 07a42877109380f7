import { LitElement, css, html } from 'lit'
import { Task } from '@lit/task'
import { latestScreeningLog } from '../api/screening-log.ts'
import { base } from '../styles.ts'
import { OVERALL_WORDS } from '../subjects/screening.ts'
import { tableStyles } from '../subjects/table-css.ts'
import './tp-problem.ts'
import { formatInstant, formatVersion } from '../format.ts'

/** Rows shown: the recent screenings, not the trial master file (that is the CSV export). */
const SHOWN = 25

/**
 * A protocol's latest screening-log entries, newest first: when, protocol
 * version, result, failing criteria, who; an entry filed under a subject
 * links to the subject's page, an anonymous evaluation (Evaluate's "Record
 * in the screening log") says so.
 */
export class TpScreeningLog extends LitElement {
  static override properties = {
    protocolId: {},
    revision: { type: Number },
  }

  declare protocolId: string
  /** Bump to reload (after a registration or screening elsewhere on the page). */
  declare revision: number

  constructor() {
    super()
    this.protocolId = ''
    this.revision = 0
  }

  private readonly _log = new Task(this, {
    task: ([id], { signal }) => latestScreeningLog(id, SHOWN, signal),
    args: () => [this.protocolId, this.revision] as const,
  })

  static override styles = [
    base,
    tableStyles,
    css`
      :host { display: block; }
      .eligible { color: var(--tp-ok); font-weight: 600; }
      .ineligible { color: var(--tp-bad); font-weight: 600; }
      .undetermined { color: var(--tp-unknown); font-weight: 600; }
    `,
  ]

  override render() {
    return this._log.render({
      pending: () => html`<p role="status">Loading the screening log…</p>`,
      error: e => html`<tp-problem .error=${e} context="Loading the screening log"></tp-problem>`,
      complete: ({ entries, total }) =>
        entries.length
          ? html`<p class="note">${total > entries.length ? `The latest ${entries.length} of ${total} entries, newest first.` : `${total} ${total === 1 ? 'entry' : 'entries'}, newest first.`}</p>
              <div class="table-wrap"><table data-testid="screening-log">
                <thead><tr><th scope="col">Entry</th><th scope="col">When</th><th scope="col">Subject</th><th scope="col">Protocol version</th><th scope="col">Result</th><th scope="col">Failing criteria</th><th scope="col">By</th></tr></thead>
                <tbody>
                  ${entries.map(
                    e => html`<tr data-entry=${e.id}>
                      <th scope="row">${e.id}</th>
                      <td data-label="When">${formatInstant(e.created_at)}</td>
                      <td data-label="Subject">${
                        e.subject_id
                          ? html`<a href="#/subjects/${encodeURIComponent(e.subject_id)}">${e.subject_code ?? e.subject_id}</a>`
                          : html`<span class="note">not filed under a subject</span>`
                      }</td>
                      <td data-label="Protocol version">${formatVersion(e.version)}</td>
                      <td data-label="Result" class=${e.overall}>${OVERALL_WORDS[e.overall] ?? e.overall}</td>
                      <td data-label="Failing criteria">${e.failing.join(', ') || '—'}</td>
                      <td data-label="By">${e.actor}</td>
                    </tr>`,
                  )}
                </tbody>
              </table></div>`
          : html`<p>No screenings logged for ${this.protocolId} yet.</p>`,
    })
  }
}
customElements.define('tp-screening-log', TpScreeningLog)

declare global {
  interface HTMLElementTagNameMap {
    'tp-screening-log': TpScreeningLog
  }
}
