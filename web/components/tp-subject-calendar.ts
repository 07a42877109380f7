import { LitElement, css, html, nothing } from 'lit'
import { Task } from '@lit/task'
import { retryable } from '../api.ts'
import { getCalendar, saveSubjectRecord, type Subject, type SubjectCalendar } from '../api/subjects.ts'
import { formatUnit } from '../format.ts'
import { base } from '../styles.ts'
import { parseIsoDate } from '../../engine/calculators/dates.ts'
import { plural } from '../../engine/words/phrases.ts'
import { todayIso } from '../subjects/dates.ts'
import { STATE_SYMBOL, visitTimeline } from '../subjects/timeline.ts'
import { tableStyles } from '../subjects/table-css.ts'
import { bodyWeight, WEIGHT_UNITS } from '../subjects/visit-input.ts'
import { givenDose, givenForPlanned } from '../subjects/given-doses.ts'
import { isoDateInput, isoDateStyles } from './tp-iso-date.ts'
import './tp-problem.ts'

/**
 * A randomized subject's dosing calendar (date, study day, cycle, dose, unit,
 * route) and visit timeline (planned date and window beside the recorded
 * date, each visit's status in words: web/subjects/visit-status.ts).
 * When the arm doses per kg and no body weight is recorded, it says so and
 * offers the weight in place: saved as a new version of the subject's record
 * (PUT /subjects/:sid/record), a weight being data about the subject rather
 * than a visit. Each planned dose can be recorded as given (date, amount) the
 * same way: the record's `administrations`, whose first date makes adverse
 * events treatment-emergent (engine/endpoints/safety.ts); a dose given reads
 * "given (date)". Arms, interventions and visits are named by their labels.
 *
 * @fires subject-changed - after a body weight or a dose given was saved
 */
export class TpSubjectCalendar extends LitElement {
  static override properties = {
    subject: { attribute: false },
    revision: { type: Number },
    canManage: { type: Boolean },
    _weight: { state: true },
    _giving: { state: true },
  }

  declare subject: Subject | undefined
  /** Bumped by the page after every change, to reload. */
  declare revision: number
  /** Whether the signed-in role may record data (enter the body weight). */
  declare canManage: boolean
  declare _weight: { value: string; unit: string; date: string; errors: string[]; problem: unknown; saving: boolean }
  /** The planned dose (index) being recorded as given, and its form. */
  declare _giving: { index: number; date: string; amount: string; errors: string[]; problem: unknown; saving: boolean } | undefined

  constructor() {
    super()
    this.subject = undefined
    this.revision = 0
    this.canManage = false
    this._weight = { value: '', unit: 'kg', date: todayIso(), errors: [], problem: undefined, saving: false }
    this._giving = undefined
  }

  private readonly _calendar = new Task(this, {
    task: ([id, randomized], { signal }) => (id && randomized ? getCalendar(id, signal) : Promise.resolve(undefined)),
    args: () => [this.subject?.id, this.subject?.status === 'randomized', this.revision] as const,
  })

  static override styles = [
    base,
    tableStyles,
    isoDateStyles,
    css`
      :host { display: block; }
      h3 { font-size: 1.05rem; margin: 1rem 0 0.4rem; }
      .state-missed, .state-overdue { color: var(--tp-bad); font-weight: 600; }
      .state-due { color: var(--tp-unknown); font-weight: 600; }
      .state-done { color: var(--tp-ok); }
      .needs { border-left: 4px solid var(--tp-unknown); background: var(--tp-unknown-bg); padding: 0.6rem 0.8rem; margin: 0.5rem 0; }
      .needs form { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin-top: 0.4rem; }
      .needs label { display: block; font-weight: 600; }
      .needs input, .needs select { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #8a94a3; border-radius: 4px; }
      .needs input { width: 8rem; }
      .amount { white-space: nowrap; }
      .given { color: var(--tp-ok); }
      .give form { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; }
      .give { border-left: 4px solid var(--tp-accent); background: #fff; padding: 0.6rem 0.8rem; margin: 0.5rem 0; }
      .give label { display: block; font-weight: 600; }
      .give input { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #8a94a3; border-radius: 4px; width: 10rem; }
      /* on a phone each dose is a labelled card (tableStyles), so the dose never hides past the screen's edge */
      @media (min-width: 40.01rem) { table.compact th, table.compact td:not(.wrap) { white-space: nowrap; } }
      td.wrap { min-width: 9rem; }
    `,
  ]

  override render() {
    if (!this.subject) return nothing
    if (this.subject.status !== 'randomized') return html`<p>The dosing calendar and visit plan appear once the subject is randomized.</p>`
    return this._calendar.render({
      pending: () => html`<p role="status">Loading the dosing calendar…</p>`,
      error: e => html`<tp-problem .error=${e} context="Loading the dosing calendar"></tp-problem>
        ${retryable(e) ? html`<button type="button" @click=${() => this._calendar.run()}>Try again</button>` : nothing}`,
      complete: cal => (cal ? this._render(cal) : nothing),
    })
  }

  private _render(cal: SubjectCalendar) {
    const rows = visitTimeline(cal.visits, this.subject?.record.visits ?? [], todayIso(), cal.baseline_from_data ?? {})
    return html`<h3>Dosing calendar</h3>
      ${this._dosing(cal)}
      <h3>Visit timeline</h3>
      ${cal.visit_problems.length ? html`<div class="error" role="alert"><strong>Some visits could not be placed:</strong><ul>${cal.visit_problems.map(p => html`<li>${p}</li>`)}</ul></div>` : nothing}
      ${
        rows.length
          ? html`<div class="table-wrap">
            <table data-testid="timeline">
              <caption>Planned visits and windows against the dates recorded (today is ${todayIso()})</caption>
              <thead><tr><th scope="col">Visit</th><th scope="col">Due (study day)</th><th scope="col">Window</th><th scope="col">Recorded</th><th scope="col">Status</th></tr></thead>
              <tbody>
                ${rows.map(
                  r => html`<tr data-visit=${r.visit}>
                    <th scope="row">${r.label}</th>
                    <td data-label="Due">${r.planned ? `${r.planned.due} (day ${r.planned.day})` : '—'}</td>
                    <td data-label="Window">${r.planned ? `${r.planned.window_start} to ${r.planned.window_end}` : '—'}</td>
                    <td data-label="Recorded">${r.recorded ?? 'not recorded'}</td>
                    <td data-label="Status" class="state-${r.state}">${STATE_SYMBOL[r.state]} ${r.words}${r.note ? html`<div class="note">${r.note}</div>` : nothing}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
          : html`<p>The protocol plans no visits.</p>`
      }`
  }

  /** The doses, or what stops the calendar: a body weight to enter in place, or the protocol's problems. */
  private _dosing(cal: SubjectCalendar) {
    if (!cal.dosing) {
      if (cal.needs_weight) return this._weightForm(cal)
      return html`<div class="error" role="alert"><strong>No dosing calendar for arm ${armName(cal)}:</strong><ul>${cal.dosing_problems.map(p => html`<li>${p}</li>`)}</ul></div>`
    }
    const doses = cal.dosing.administrations
    if (!doses.length) return html`<p>No doses are planned for this arm.</p>`
    const given = givenForPlanned(doses, this.subject?.record.administrations ?? [])
    const product = (id: string) => cal.interventions?.[id] ?? id
    return html`<p class="note">${plural(doses.length, 'planned dose')} from ${cal.dosing.start} (arm ${armName(cal)}); ${cal.dosing.totals.map(t => `${product(t.intervention)}: ${plural(t.doses, 'dose')}, ${t.amount.toLocaleString('en')} ${formatUnit(t.unit)} in total`).join('; ')}.</p>
      <!-- a tab stop, so that a keyboard can scroll the doses sideways in a narrow frame (axe: scrollable-region-focusable) -->
      <div class="table-wrap" tabindex="0" role="region" aria-label="Dosing calendar">
        <table data-testid="dosing" class="compact">
          <caption class="visually-hidden">Dosing calendar</caption>
          <thead><tr><th scope="col">Date</th><th scope="col">Study day</th><th scope="col">Cycle</th><th scope="col">Dose in cycle</th><th scope="col">Dose</th><th scope="col">Unit</th><th scope="col">Route</th><th scope="col">Given</th></tr></thead>
          <tbody>
            ${doses.map((d, i) => {
              const g = given.get(i)
              return html`<tr data-dose=${i + 1} data-intervention=${d.intervention}>
                <th scope="row">${d.date}</th>
                <td class="num" data-label="Study day">${d.day}</td>
                <td class="num" data-label="Cycle">${d.cycle}</td>
                <td class="num" data-label="Dose in cycle">${d.dose_in_cycle}</td>
                <td class="num amount" data-label="Dose" title=${d.basis}>${d.amount.toLocaleString('en')}</td>
                <td data-label="Unit">${formatUnit(d.unit)}</td>
                <td data-label="Route" class="wrap">${d.route}${d.intervention ? html` <span class="note">(${product(d.intervention)})</span>` : nothing}</td>
                <td data-label="Given" class="wrap">${
                  g
                    ? html`<span class="given" data-given=${g.date}>✓ given (${g.date})${g.amount !== undefined && g.amount !== d.amount ? html`<span class="note">: ${g.amount.toLocaleString('en')} ${formatUnit(g.unit ?? d.unit)}</span>` : nothing}</span>`
                    : this.canManage
                      ? html`<button type="button" aria-label="Record as given: dose ${i + 1} (${d.date})" @click=${() => this._startGiving(i, d.amount)}>Record as given</button>`
                      : html`<span class="note">not recorded as given</span>`
                }</td>
              </tr>`
            })}
          </tbody>
        </table>
      </div>
      ${this._giving && doses[this._giving.index] && !given.has(this._giving.index) ? this._givenForm(cal, this._giving.index) : nothing}`
  }

  private _startGiving(index: number, amount: number) {
    const planned = this._calendar.value?.dosing?.administrations[index]
    // the planned date when it has come, else today: a dose is recorded once given
    const date = planned && planned.date <= todayIso() ? planned.date : todayIso()
    this._giving = { index, date, amount: String(amount), errors: [], problem: undefined, saving: false }
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#given-date')?.focus())
  }

  /** The "Record as given" form of one planned dose: date given, amount (the planned one, editable) in its unit. */
  private _givenForm(cal: SubjectCalendar, index: number) {
    const g = this._giving!
    const d = cal.dosing!.administrations[index]!
    const set = (patch: Partial<NonNullable<typeof this._giving>>) => (this._giving = { ...this._giving!, ...patch })
    return html`<div class="give" role="group" aria-labelledby="give-h">
      <p id="give-h"><strong>Dose ${index + 1} given</strong> (planned ${d.date}, ${d.amount.toLocaleString('en')} ${formatUnit(d.unit)} of ${cal.interventions?.[d.intervention] ?? d.intervention})</p>
      <form @submit=${this._saveGiven} novalidate aria-label="Dose ${index + 1} given">
        <div>
          <label for="given-date">Date given (YYYY-MM-DD)</label>
          ${isoDateInput({ id: 'given-date', value: g.date, onChange: date => set({ date }) })}
        </div>
        <div>
          <label for="given-amount">Dose given (${formatUnit(d.unit)})</label>
          <input id="given-amount" inputmode="decimal" autocomplete="off" .value=${g.amount} @input=${(e: Event) => set({ amount: (e.target as HTMLInputElement).value })} />
        </div>
        <div><button type="submit" ?disabled=${g.saving}>${g.saving ? 'Saving…' : 'Save the dose given'}</button> <button type="button" @click=${() => (this._giving = undefined)}>Cancel</button></div>
      </form>
      <p class="note">Saved as a new version of the subject's record; the first dose given dates treatment emergence of adverse events.</p>
      ${g.errors.length ? html`<div class="error" role="alert"><strong>Nothing was saved:</strong><ul>${g.errors.map(e => html`<li>${e}</li>`)}</ul></div>` : nothing}
      ${g.problem ? html`<tp-problem .error=${g.problem} context="Saving the dose given"></tp-problem>` : nothing}
    </div>`
  }

  private async _saveGiven(e: Event) {
    e.preventDefault()
    const s = this.subject
    const g = this._giving
    const cal = this._calendar.value
    const planned = g && cal?.dosing?.administrations[g.index]
    if (!s || !g || !planned) return
    const checked = givenDose(planned, g.date, g.amount, todayIso())
    if (!checked.value) return void (this._giving = { ...g, errors: checked.errors, problem: undefined })
    this._giving = { ...g, errors: [], problem: undefined, saving: true }
    try {
      const record = { ...s.record, administrations: [...(s.record.administrations ?? []), checked.value] }
      // the note names no product: record versions are read by users blinded to the arm (server/routes/blinding.ts)
      await saveSubjectRecord(s.id, record, s.record_version, `dose ${g.index + 1} of the calendar (planned ${planned.date}) given`)
      this._giving = undefined
      this.dispatchEvent(new CustomEvent('subject-changed', { bubbles: true, composed: true }))
    } catch (err) {
      this._giving = { ...this._giving!, saving: false, problem: err }
    }
  }

  /** Arm dosed per kg, no weight recorded: say what to enter, and take it here. */
  private _weightForm(cal: SubjectCalendar) {
    const w = this._weight
    const why = html`<p><strong>The dosing calendar needs the body weight.</strong> Arm ${armName(cal)} is dosed per kg of body weight and no body weight is recorded for this subject.</p>`
    if (!this.canManage) return html`<div class="needs" role="status">${why}<p>A clinician or admin can enter it on this page.</p></div>`
    return html`<div class="needs">
      ${why}
      <form @submit=${this._saveWeight} novalidate aria-label="Body weight for the dosing calendar">
        <div>
          <label for="cal-weight">Body weight</label>
          <input id="cal-weight" inputmode="decimal" autocomplete="off" .value=${w.value} @input=${(e: Event) => (this._weight = { ...this._weight, value: (e.target as HTMLInputElement).value })} />
        </div>
        <div>
          <label for="cal-weight-unit">Unit</label>
          <select id="cal-weight-unit" @change=${(e: Event) => (this._weight = { ...this._weight, unit: (e.target as HTMLSelectElement).value })}>
            ${WEIGHT_UNITS.map(u => html`<option value=${u} ?selected=${u === w.unit}>${formatUnit(u)}</option>`)}
          </select>
        </div>
        <div>
          <label for="cal-weight-date">Weighed on (YYYY-MM-DD)</label>
          ${isoDateInput({ id: 'cal-weight-date', value: w.date, onChange: date => (this._weight = { ...this._weight, date }) })}
        </div>
        <div><button type="submit" ?disabled=${w.saving}>${w.saving ? 'Saving…' : 'Save the weight'}</button></div>
      </form>
      <p class="note">Saved as a new version of the subject's record; lb is converted to kg for the dose.</p>
      ${w.errors.length ? html`<div class="error" role="alert"><strong>Nothing was saved:</strong><ul>${w.errors.map(e => html`<li>${e}</li>`)}</ul></div>` : nothing}
      ${w.problem ? html`<tp-problem .error=${w.problem} context="Saving the body weight"></tp-problem>` : nothing}
    </div>`
  }

  private async _saveWeight(e: Event) {
    e.preventDefault()
    const s = this.subject
    if (!s) return
    const w = this._weight
    const checked = bodyWeight(w.value, w.unit, w.date)
    if (parseIsoDate(w.date) === undefined) checked.errors.push(`Weighed on: expected a calendar date YYYY-MM-DD, got "${w.date}"`)
    if (checked.errors.length || !checked.value) return void (this._weight = { ...w, errors: checked.errors, problem: undefined })
    this._weight = { ...w, errors: [], problem: undefined, saving: true }
    try {
      const record = { ...s.record, measurements: [...(s.record.measurements ?? []), checked.value] }
      await saveSubjectRecord(s.id, record, s.record_version, 'body weight for the per-kg dose')
      this._weight = { value: '', unit: 'kg', date: todayIso(), errors: [], problem: undefined, saving: false }
      this.dispatchEvent(new CustomEvent('subject-changed', { bubbles: true, composed: true }))
    } catch (err) {
      this._weight = { ...this._weight, saving: false, problem: err }
    }
  }
}
/** The arm as the protocol labels it (its id only when the server sent no label). */
const armName = (cal: SubjectCalendar) => cal.arm_label ?? cal.arm

customElements.define('tp-subject-calendar', TpSubjectCalendar)

declare global {
  interface HTMLElementTagNameMap {
    'tp-subject-calendar': TpSubjectCalendar
  }
}
