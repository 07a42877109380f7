import { LitElement, css, html, nothing } from 'lit'
import type { Arm } from '../../engine/index.ts'
import { randomizeSubject, screenSubject, type ScreeningResult, type Subject } from '../api/subjects.ts'
import { base } from '../styles.ts'
import { OVERALL_WORDS } from '../subjects/screening.ts'
import { canRandomize } from '../../engine/subject/randomization.ts'
import { todayIso } from '../subjects/dates.ts'
import { tableStyles } from '../subjects/table-css.ts'
import { isoDateInput, isoDateStyles, normaliseIsoDate } from './tp-iso-date.ts'
import './tp-problem.ts'
import './tp-verdict-panel.ts'
import { formatInstant, formatVersion } from '../format.ts'

/**
 * Screening and randomization of one subject: the screening history, "Screen
 * now" (against the latest protocol version, the record as stored) with the
 * verdict, and randomization to an arm, offered only when the latest
 * screening is eligible (else the reason is given). The record itself is
 * edited in its form (tp-subject-record-editor); a JSON Merge Patch stays
 * as an advanced option.
 *
 * @fires subject-changed - after a screening or randomization was saved
 */
export class TpSubjectScreening extends LitElement {
  static override properties = {
    subject: { attribute: false },
    arms: { attribute: false },
    canManage: { type: Boolean },
    _busy: { state: true },
    _error: { state: true },
    _verdict: { state: true },
    _randDate: { state: true },
  }

  declare subject: Subject | undefined
  /** The protocol's arms (undefined while the protocol loads). */
  declare arms: Arm[] | undefined
  declare canManage: boolean
  declare _busy: '' | 'screen' | 'randomize'
  declare _error: { action: string; error: unknown } | undefined
  declare _verdict: ScreeningResult | undefined
  /** The randomization date as typed (YYYY-MM-DD); undefined: the record's, else today. */
  declare _randDate: string | undefined

  constructor() {
    super()
    this.subject = undefined
    this.arms = undefined
    this.canManage = false
    this._busy = ''
    this._error = undefined
    this._verdict = undefined
    this._randDate = undefined
  }

  static override styles = [
    base,
    tableStyles,
    isoDateStyles,
    css`
      :host { display: block; }
      .eligible { color: var(--tp-ok); font-weight: 600; }
      .ineligible { color: var(--tp-bad); font-weight: 600; }
      .undetermined { color: var(--tp-unknown); font-weight: 600; }
      .row { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; margin: 0.5rem 0; }
      label { display: block; font-weight: 600; }
      select, input { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #8a94a3; border-radius: 4px; }
      .why { border-left: 4px solid var(--tp-unknown); background: var(--tp-unknown-bg); padding: 0.5rem 0.8rem; }
      h3 { font-size: 1.05rem; margin: 1rem 0 0.4rem; }
      details summary { cursor: pointer; color: var(--tp-accent); margin: 0.4rem 0; }
      textarea { width: 100%; min-height: 6rem; font-family: ui-monospace, monospace; font-size: 0.85rem; }
    `,
  ]

  override render() {
    const s = this.subject
    if (!s) return nothing
    return html`<h3>Screenings</h3>
      ${
        s.screening.length
          ? html`<div class="table-wrap"><table>
            <thead><tr><th scope="col">When</th><th scope="col">Protocol version</th><th scope="col">Result</th><th scope="col">Failing criteria</th><th scope="col">By</th></tr></thead>
            <tbody>
              ${s.screening.map(
                e => html`<tr data-evaluation=${e.id}>
                  <th scope="row">${formatInstant(e.created_at)}</th>
                  <td data-label="Protocol version">${formatVersion(e.version)}</td>
                  <td data-label="Result" class=${e.overall}>${OVERALL_WORDS[e.overall] ?? e.overall}</td>
                  <td data-label="Failing criteria">${e.failing.join(', ') || '—'}</td>
                  <td data-label="By">${e.actor}</td>
                </tr>`,
              )}
            </tbody>
          </table></div>`
          : html`<p>Not screened yet.</p>`
      }
      ${
        this.canManage && s.status === 'screened'
          ? html`<div class="row">
              <button type="button" @click=${() => this._screen()} ?disabled=${this._busy !== ''}>${this._busy === 'screen' ? 'Screening…' : 'Screen now'}</button>
              <span class="note">Evaluates the record as stored against the latest protocol version and saves the result (saving the record in its form screens it too).</span>
            </div>
            <details class="advanced">
              <summary>Advanced: screen with a JSON Merge Patch of the record</summary>
              <p class="note">The record is normally changed with "Edit record" above, which keeps each save as a version.</p>
              <label for="patch">Changes (JSON Merge Patch, RFC 7386: objects merge, arrays replace, null deletes)</label>
              <p class="note" id="patch-hint">e.g. <code>{"measurements": [...]}</code> to replace the measurements. The changed record is validated, saved with the screening, and evaluated; id and arm cannot change.</p>
              <textarea id="patch" aria-describedby="patch-hint" spellcheck="false"></textarea>
              <div class="row"><button type="button" class="secondary" @click=${this._screenWithPatch} ?disabled=${this._busy !== ''}>Screen with these changes</button></div>
            </details>`
          : nothing
      }
      ${this._error?.action === 'screen' ? html`<tp-problem .error=${this._error.error} context="Screening"></tp-problem>` : nothing}
      ${this._verdict ? html`<details open><summary>Verdict of evaluation ${this._verdict.evaluation_id}</summary><tp-verdict-panel .verdict=${this._verdict}></tp-verdict-panel></details>` : nothing}
      <h3>Randomization</h3>
      ${this._randomization(s)}`
  }

  private _randomization(s: Subject) {
    if (s.status === 'randomized')
      return html`<p>Randomized to <strong>${this._armLabel(s.arm)}</strong> on ${s.record.dates?.randomization ?? 'an unrecorded date'}.</p>`
    const check = canRandomize(s.status, s.screening)
    if (!check.allowed) return html`<p class="why" data-testid="randomize-why">Randomization is not offered: ${check.why}</p>`
    if (!this.canManage) return html`<p class="note">Eligible; randomizing needs a clinician or admin token.</p>`
    if (this.arms === undefined) return html`<p role="status">Loading the protocol's arms…</p>`
    if (this.arms.length === 0) return html`<p class="why">The protocol defines no arms, so the subject cannot be randomized.</p>`
    return html`<form @submit=${this._randomize}>
      <p class="note">The latest screening is eligible. Record the arm the randomization system allocated and the date (study day 1).</p>
      <div class="row">
        <div>
          <label for="arm">Arm</label>
          <select id="arm" name="arm" required>
            ${this.arms.map(a => html`<option value=${a.id}>${a.label} (${a.id})</option>`)}
          </select>
        </div>
        <div>
          <label for="rand-date">Randomization date</label>
          ${isoDateInput({ id: 'rand-date', value: this._randDate ?? s.record.dates?.randomization ?? todayIso(), onChange: d => (this._randDate = d) })}
        </div>
        <button type="submit" ?disabled=${this._busy !== ''}>${this._busy === 'randomize' ? 'Randomizing…' : 'Randomize'}</button>
      </div>
      ${this._error?.action === 'randomize' ? html`<tp-problem .error=${this._error.error} context="Randomizing"></tp-problem>` : nothing}
    </form>`
  }

  private _armLabel(arm: string | null) {
    const a = this.arms?.find(x => x.id === arm)
    return a ? `${a.label} (${a.id})` : (arm ?? 'no arm')
  }

  private _changed() {
    this.dispatchEvent(new CustomEvent('subject-changed', { bubbles: true, composed: true }))
  }

  private _screenWithPatch = () => {
    const text = (this.renderRoot.querySelector('#patch') as HTMLTextAreaElement | null)?.value.trim() ?? ''
    let patch: Record<string, unknown> = {}
    try {
      const parsed: unknown = text ? JSON.parse(text) : {}
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object { … }')
      patch = parsed as Record<string, unknown>
    } catch (error) {
      this._error = { action: 'screen', error: new Error(`The changes are not a JSON object: ${error instanceof Error ? error.message : String(error)}`) }
      return
    }
    void this._screen(patch)
  }

  private async _screen(patch: Record<string, unknown> = {}) {
    if (!this.subject) return
    this._busy = 'screen'
    this._error = undefined
    try {
      this._verdict = await screenSubject(this.subject.id, patch)
      this._changed()
    } catch (error) {
      this._error = { action: 'screen', error }
    } finally {
      this._busy = ''
    }
  }

  private async _randomize(e: Event) {
    e.preventDefault()
    if (!this.subject) return
    const form = e.currentTarget as HTMLFormElement
    const arm = (form.elements.namedItem('arm') as HTMLSelectElement).value
    const date = normaliseIsoDate((form.querySelector('#rand-date') as HTMLInputElement).value)
    this._busy = 'randomize'
    this._error = undefined
    try {
      await randomizeSubject(this.subject.id, arm, date)
      this._verdict = undefined
      this._changed()
    } catch (error) {
      this._error = { action: 'randomize', error }
    } finally {
      this._busy = ''
    }
  }
}
customElements.define('tp-subject-screening', TpSubjectScreening)

declare global {
  interface HTMLElementTagNameMap {
    'tp-subject-screening': TpSubjectScreening
  }
}
