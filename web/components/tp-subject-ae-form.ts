import { LitElement, css, html } from 'lit'
import { recordAdverseEvent } from '../api/subjects.ts'
import { base } from '../styles.ts'
import { RELATEDNESS, SERIOUSNESS, adverseEventInput, emptyAeForm, type AeFormValues } from '../subjects/adverse-events.ts'
import { FormSubmission } from '../subjects/form-submission.ts'
import { isoDateInput, isoDateStyles } from './tp-iso-date.ts'
import type { AdverseEvent } from '../../engine/index.ts'

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
  }

  declare subjectId: string
  declare _values: AeFormValues

  private readonly _submission = new FormSubmission<AdverseEvent>(this, 'Recording the adverse event')

  constructor() {
    super()
    this.subjectId = ''
    this._values = emptyAeForm()
  }

  static override styles = [
    base,
    isoDateStyles,
    css`
      :host { display: block; }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 0.6rem 1rem; }
      label.field, legend { display: block; font-weight: 600; }
      select, input[type='text'] { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #8a94a3; border-radius: 4px; width: 100%; }
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
    const text = (key: 'term') => (e: Event) => this._set({ [key]: (e.target as HTMLInputElement).value })
    // dates typed as YYYY-MM-DD in one field (tp-iso-date), as everywhere else
    return html`<form @submit=${this._submit} novalidate>
      <div class="grid">
        <div><label class="field" for="ae-term">Term</label><input id="ae-term" type="text" .value=${v.term} @input=${text('term')} /></div>
        <div><label class="field" for="ae-onset">Onset</label>${isoDateInput({ id: 'ae-onset', value: v.onset, onChange: d => this._set({ onset: d }) })}</div>
        <div><label class="field" for="ae-end">Resolved on</label>${isoDateInput({ id: 'ae-end', value: v.end, onChange: d => this._set({ end: d }) })}</div>
        <div>
          <label class="field" for="ae-grade">CTCAE grade</label>
          <select id="ae-grade" .value=${v.grade} @change=${(e: Event) => this._set({ grade: (e.target as HTMLSelectElement).value })}>
            <option value="">Not graded</option>
            ${[1, 2, 3, 4, 5].map(g => html`<option value=${String(g)} ?selected=${v.grade === String(g)}>Grade ${g}</option>`)}
          </select>
        </div>
        <div>
          <label class="field" for="ae-related">Relatedness to study treatment</label>
          <select id="ae-related" .value=${v.relatedness} @change=${(e: Event) => this._set({ relatedness: (e.target as HTMLSelectElement).value })}>
            <option value="">Choose…</option>
            ${RELATEDNESS.map(r => html`<option value=${r.value} ?selected=${v.relatedness === r.value}>${r.words}</option>`)}
          </select>
        </div>
        <div><label class="check"><input type="checkbox" .checked=${v.ongoing} @change=${(e: Event) => this._set({ ongoing: (e.target as HTMLInputElement).checked })} />Ongoing</label></div>
      </div>
      <fieldset>
        <legend>Seriousness (ICH E2A): tick every criterion met; none means not serious</legend>
        ${SERIOUSNESS.map(
          s => html`<label><input type="checkbox" .checked=${v.serious.includes(s.key)}
            @change=${(e: Event) => this._set({ serious: (e.target as HTMLInputElement).checked ? [...v.serious, s.key] : v.serious.filter(k => k !== s.key) })} />${s.words}</label>`,
        )}
      </fieldset>
      ${this._submission.render('Record the adverse event')}
    </form>`
  }

  private async _submit(e: Event) {
    e.preventDefault()
    const saved = await this._submission.submit(adverseEventInput(this._values), async value => {
      await recordAdverseEvent(this.subjectId, value)
      return `✓ Recorded ${value.term} (onset ${value.onset}).`
    })
    if (!saved) return
    this._values = emptyAeForm()
    this.dispatchEvent(new CustomEvent('subject-changed', { bubbles: true, composed: true }))
  }
}
customElements.define('tp-subject-ae-form', TpSubjectAeForm)

declare global {
  interface HTMLElementTagNameMap {
    'tp-subject-ae-form': TpSubjectAeForm
  }
}
