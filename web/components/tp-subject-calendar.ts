import { LitElement, css, html, nothing } from 'lit'
import { Task } from '@lit/task'
import { getCalendar, type Subject, type SubjectCalendar } from '../api/subjects.ts'
import { base } from '../styles.ts'
import { unitWords } from '../subjects/charts.ts'
import { todayIso } from '../subjects/dates.ts'
import { STATE_SYMBOL, visitTimeline } from '../subjects/timeline.ts'
import { tableStyles } from '../subjects/table-css.ts'
import './tp-problem.ts'

/**
 * A randomized subject's dosing calendar (date, study day, cycle, dose, unit,
 * route) and visit timeline (planned date and window beside the recorded
 * date, with missed and overdue visits said in words).
 */
export class TpSubjectCalendar extends LitElement {
  static override properties = {
    subject: { attribute: false },
    revision: { type: Number },
  }

  declare subject: Subject | undefined
  /** Bumped by the page after every change, to reload. */
  declare revision: number

  constructor() {
    super()
    this.subject = undefined
    this.revision = 0
  }

  private readonly _calendar = new Task(this, {
    task: ([id, randomized], { signal }) => (id && randomized ? getCalendar(id, signal) : Promise.resolve(undefined)),
    args: () => [this.subject?.id, this.subject?.status === 'randomized', this.revision] as const,
  })

  static override styles = [
    base,
    tableStyles,
    css`
      :host { display: block; }
      h3 { font-size: 1.05rem; margin: 1rem 0 0.4rem; }
      .state-missed, .state-late, .state-early { color: var(--tp-bad); font-weight: 600; }
      .state-due { color: var(--tp-unknown); font-weight: 600; }
      .state-in-window { color: var(--tp-ok); }
      .amount, table.compact th, table.compact td { white-space: nowrap; }
      /* the dosing calendar stays a table on phones (cards would make it a page per dose): it scrolls sideways in its frame */
      @media (max-width: 40rem) {
        table.compact thead { position: static; width: auto; height: auto; overflow: visible; clip: auto; }
        table.compact tr { display: table-row; }
        table.compact td, table.compact th[scope='row'] { display: table-cell; padding: 0.3rem 0.5rem; border-top: 1px solid var(--tp-line); }
        table.compact td[data-label]::before { content: none; }
        table.compact td.num { text-align: right; }
      }
    `,
  ]

  override render() {
    if (!this.subject) return nothing
    if (this.subject.status !== 'randomized') return html`<p>The dosing calendar and visit plan appear once the subject is randomized.</p>`
    return this._calendar.render({
      pending: () => html`<p role="status">Loading the dosing calendar…</p>`,
      error: (e) => html`<tp-problem .error=${e} context="Loading the dosing calendar"></tp-problem>
        <button type="button" @click=${() => this._calendar.run()}>Try again</button>`,
      complete: (cal) => (cal ? this._render(cal) : nothing),
    })
  }

  private _render(cal: SubjectCalendar) {
    const doses = cal.dosing.administrations
    const rows = visitTimeline(cal.visits, this.subject?.record.visits ?? [], todayIso())
    return html`<h3>Dosing calendar</h3>
      ${doses.length
        ? html`<p class="note">${doses.length} planned doses from ${cal.dosing.start} (arm ${cal.arm}); ${cal.dosing.totals.map((t) => `${t.intervention}: ${t.doses} doses, ${t.amount.toLocaleString('en')} ${unitWords(t.unit)} in total`).join('; ')}.</p>
          <div class="table-wrap">
            <table data-testid="dosing" class="compact">
              <caption class="visually-hidden">Dosing calendar</caption>
              <thead><tr><th scope="col">Date</th><th scope="col">Study day</th><th scope="col">Cycle</th><th scope="col">Dose in cycle</th><th scope="col">Dose</th><th scope="col">Unit</th><th scope="col">Route</th></tr></thead>
              <tbody>
                ${doses.map(
                  (d) => html`<tr>
                    <th scope="row">${d.date}</th>
                    <td class="num" data-label="Study day">${d.day}</td>
                    <td class="num" data-label="Cycle">${d.cycle}</td>
                    <td class="num" data-label="Dose in cycle">${d.dose_in_cycle}</td>
                    <td class="num amount" data-label="Dose" title=${d.basis}>${d.amount.toLocaleString('en')}</td>
                    <td data-label="Unit">${unitWords(d.unit)}</td>
                    <td data-label="Route">${d.route}${d.intervention ? html` <span class="note">(${d.intervention})</span>` : nothing}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : html`<p>No doses are planned for this arm.</p>`}
      <h3>Visit timeline</h3>
      ${cal.visit_problems.length ? html`<div class="error" role="alert"><strong>Some visits could not be placed:</strong><ul>${cal.visit_problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : nothing}
      ${rows.length
        ? html`<div class="table-wrap">
            <table data-testid="timeline">
              <caption>Planned visits and windows against the dates recorded (today is ${todayIso()})</caption>
              <thead><tr><th scope="col">Visit</th><th scope="col">Due (study day)</th><th scope="col">Window</th><th scope="col">Recorded</th><th scope="col">State</th></tr></thead>
              <tbody>
                ${rows.map(
                  (r) => html`<tr data-visit=${r.visit}>
                    <th scope="row">${r.label}</th>
                    <td data-label="Due">${r.planned ? `${r.planned.due} (day ${r.planned.day})` : '—'}</td>
                    <td data-label="Window">${r.planned ? `${r.planned.window_start} to ${r.planned.window_end}` : '—'}</td>
                    <td data-label="Recorded">${r.recorded ?? 'not recorded'}</td>
                    <td data-label="State" class="state-${r.state}">${STATE_SYMBOL[r.state]} ${r.words}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : html`<p>The protocol plans no visits.</p>`}`
  }
}
customElements.define('tp-subject-calendar', TpSubjectCalendar)

declare global {
  interface HTMLElementTagNameMap {
    'tp-subject-calendar': TpSubjectCalendar
  }
}
