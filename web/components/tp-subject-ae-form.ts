import { LitElement, css, html, nothing } from 'lit'
import { recordAdverseEvent } from '../api/subjects.ts'
import { base } from '../styles.ts'
import { RELATEDNESS, SERIOUSNESS, adverseEventInput, emptyAeForm, type AeFormValues } from '../subjects/adverse-events.ts'
import './tp-problem.ts'

/**
 * Record an adverse event: term, onset and resolution, CTCAE v5.0 grade,
 * relatedness, and the ICH E2A seriousness criteria.
 *
 * @fires subject-changed - after the event was saved
 */
export class TpSubjectAeForm extends LitElement {
  static override properties = {
    subjectId: {},
    _values: { state: true },
    _errors: { state: true },
    _problem: { state: true },
    _saving: { state: true },
    _saved: { state: true },
  }

  declare subjectId: string
  declare _values: AeFormValues
  declare _errors: string[]
  declare _problem: unknown
  declare _saving: boolean
  declare _saved: string

  constructor() {
    super()
    this.subjectId = ''
    this._values = emptyAeForm()
    this._errors = []
    this._problem = undefined
    this._saving = false
    this._saved = ''
  }

  static override styles = [
    base,
    css`
      :host { display: block; }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 0.6rem 1rem; }
      label.field, legend { display: block; font-weight: 600; }
      select, input[type='text'], input[type='date'] { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #8a94a3; border-radius: 4px; width: 100%; }
      fieldset { border: 1px solid var(--tp-line); border-radius: 4px; margin: 0.6rem 0 0; }
      fieldset label, .check { display: inline-flex; gap: 0.3rem; margin-right: 0.9rem; align-items: center; }
      .actions { margin-top: 0.75rem; }
      .ok { border-left: 4px solid var(--tp-ok); background: var(--tp-ok-bg); padding: 0.5rem 0.8rem; }
    `,
  ]

  private _set(patch: Partial<AeFormValues>) {
    this._values = { ...this._values, ...patch }
  }

  override render() {
    const v = this._values
    const text = (key: 'term' | 'onset' | 'end') => (e: Event) => this._set({ [key]: (e.target as HTMLInputElement).value })
    return html`<form @submit=${this._submit} novalidate>
      <div class="grid">
        <div><label class="field" for="ae-term">Term</label><input id="ae-term" type="text" .value=${v.term} @input=${text('term')} /></div>
        <div><label class="field" for="ae-onset">Onset</label><input id="ae-onset" type="date" .value=${v.onset} @input=${text('onset')} /></div>
        <div><label class="field" for="ae-end">Resolved on</label><input id="ae-end" type="date" .value=${v.end} @input=${text('end')} /></div>
        <div>
          <label class="field" for="ae-grade">CTCAE grade</label>
          <select id="ae-grade" .value=${v.grade} @change=${(e: Event) => this._set({ grade: (e.target as HTMLSelectElement).value })}>
            <option value="">Not graded</option>
            ${[1, 2, 3, 4, 5].map((g) => html`<option value=${String(g)} ?selected=${v.grade === String(g)}>Grade ${g}</option>`)}
          </select>
        </div>
        <div>
          <label class="field" for="ae-related">Relatedness to study treatment</label>
          <select id="ae-related" .value=${v.relatedness} @change=${(e: Event) => this._set({ relatedness: (e.target as HTMLSelectElement).value })}>
            <option value="">Choose…</option>
            ${RELATEDNESS.map((r) => html`<option value=${r.value} ?selected=${v.relatedness === r.value}>${r.words}</option>`)}
          </select>
        </div>
        <div><label class="check"><input type="checkbox" .checked=${v.ongoing} @change=${(e: Event) => this._set({ ongoing: (e.target as HTMLInputElement).checked })} />Ongoing</label></div>
      </div>
      <fieldset>
        <legend>Seriousness (ICH E2A): tick every criterion met; none means not serious</legend>
        ${SERIOUSNESS.map(
          (s) => html`<label><input type="checkbox" .checked=${v.serious.includes(s.key)}
            @change=${(e: Event) => this._set({ serious: (e.target as HTMLInputElement).checked ? [...v.serious, s.key] : v.serious.filter((k) => k !== s.key) })} />${s.words}</label>`,
        )}
      </fieldset>
      <div class="actions"><button type="submit" ?disabled=${this._saving}>${this._saving ? 'Saving…' : 'Record the adverse event'}</button></div>
      ${this._errors.length
        ? html`<div class="error" role="alert"><strong>Nothing was sent: the form has ${this._errors.length} problem${this._errors.length === 1 ? '' : 's'}</strong><ul>${this._errors.map((e) => html`<li>${e}</li>`)}</ul></div>`
        : nothing}
      ${this._problem ? html`<tp-problem .error=${this._problem} context="Recording the adverse event"></tp-problem>` : nothing}
      ${this._saved ? html`<p class="ok" role="status">${this._saved}</p>` : nothing}
    </form>`
  }

  private async _submit(e: Event) {
    e.preventDefault()
    const { value, errors } = adverseEventInput(this._values)
    this._errors = errors
    this._problem = undefined
    this._saved = ''
    if (!value) return
    this._saving = true
    try {
      await recordAdverseEvent(this.subjectId, value)
      this._saved = `✓ Recorded ${value.term} (onset ${value.onset}).`
      this._values = emptyAeForm()
      this.dispatchEvent(new CustomEvent('subject-changed', { bubbles: true, composed: true }))
    } catch (error) {
      this._problem = error
    } finally {
      this._saving = false
    }
  }
}
customElements.define('tp-subject-ae-form', TpSubjectAeForm)

declare global {
  interface HTMLElementTagNameMap {
    'tp-subject-ae-form': TpSubjectAeForm
  }
}
