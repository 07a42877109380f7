import { LitElement, css, html, nothing } from 'lit'
import { Task, TaskStatus } from '@lit/task'
import type { PatientRecord } from '../../engine/index.ts'
import { getProtocolDocument } from '../api.ts'
import { getLabConcepts } from '../api/dictionary.ts'
import { getRecordVersions, saveSubjectRecord, type SavedRecord, type Subject } from '../api/subjects.ts'
import { deriveFields, type PatientFormFields } from '../patient-form/fields.ts'
import { buildRecord, stateFromRecord, type FormState } from '../patient-form/record.ts'
import type { LabConceptInfo } from '../patient-form/units.ts'
import { base } from '../styles.ts'
import { editedRecord } from '../subjects/record-edit.ts'
import { OVERALL_WORDS } from '../subjects/screening.ts'
import { tableStyles } from '../subjects/table-css.ts'
import './tp-patient-form.ts'
import './tp-problem.ts'
import './tp-verdict-panel.ts'
import { formatInstant } from '../format.ts'

/** The form as it was opened: its inputs, the record they gave, and the version they came from. */
interface Editing {
  state: FormState
  filled: PatientRecord
  base: number
}

/**
 * A subject's record through the protocol's generated form (the one Evaluate
 * uses): "Edit record" fills the form with the stored record; Save sends the
 * whole record, changed only where the form was changed, as a new version on
 * top of the one opened (someone else's save meanwhile is refused, 409), and
 * shows the new screening verdict (or why a randomized subject is not
 * re-screened). Below: every version with who saved it, when, what and the
 * note.
 *
 * @fires subject-changed - after a save
 */
export class TpSubjectRecordEditor extends LitElement {
  static override properties = {
    subject: { attribute: false },
    canManage: { type: Boolean },
    _editing: { state: true },
    _note: { state: true },
    _saving: { state: true },
    _error: { state: true },
    _saved: { state: true },
  }

  declare subject: Subject | undefined
  /** Whether the signed-in role may change the record. */
  declare canManage: boolean
  declare _editing: Editing | undefined
  declare _note: string
  declare _saving: boolean
  declare _error: unknown
  declare _saved: SavedRecord | undefined

  constructor() {
    super()
    this.subject = undefined
    this.canManage = false
    this._editing = undefined
    this._note = ''
    this._saving = false
    this._error = undefined
    this._saved = undefined
  }

  /** The form's fields, as Evaluate derives them from the protocol's latest version (for those who may edit). */
  private readonly _fields = new Task(this, {
    task: async ([protocolId], { signal }) => {
      if (!protocolId) return undefined
      const [{ document }, labConcepts] = await Promise.all([getProtocolDocument(protocolId, signal), getLabConcepts()])
      return deriveFields(document, labConcepts as LabConceptInfo[])
    },
    args: () => [this.canManage ? this.subject?.protocol_id : undefined] as const,
  })

  private readonly _versions = new Task(this, {
    task: ([id], { signal }) => (id ? getRecordVersions(id, signal) : Promise.resolve(undefined)),
    args: () => [this.subject?.id, this.subject?.record_version] as const,
  })

  static override styles = [
    base,
    tableStyles,
    css`
      :host { display: block; }
      .row { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; margin: 0.5rem 0; }
      label { display: block; font-weight: 600; }
      input[type='text'] { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #8a94a3; border-radius: 4px; width: min(30rem, 100%); }
      h3 { font-size: 1.05rem; margin: 1rem 0 0.4rem; }
      .ok { color: var(--tp-ok); }
      .why { border-left: 4px solid var(--tp-unknown); background: var(--tp-unknown-bg); padding: 0.5rem 0.8rem; }
      details summary { cursor: pointer; color: var(--tp-accent); margin: 0.4rem 0; }
    `,
  ]

  override render() {
    const s = this.subject
    if (!s) return nothing
    return html`${
      this.canManage && !this._editing
        ? html`<div class="row">
            <button type="button" @click=${this._open} ?disabled=${this._fields.status === TaskStatus.PENDING}>Edit record</button>
            <span class="note">Opens the protocol's form filled with the stored record (version ${s.record_version}).${s.status === 'screened' ? ' Saving re-screens the subject.' : ' A randomized subject is not re-screened: corrections are kept as new versions.'}</span>
          </div>`
        : nothing
    }
      ${this.canManage && this._fields.error ? html`<tp-problem .error=${this._fields.error} context="Loading the protocol's form"></tp-problem>` : nothing}
      ${this._editing ? this._form(this._editing) : nothing}
      <tp-problem .error=${this._error} context="Saving the record"></tp-problem>
      ${this._saved ? this._result(this._saved) : nothing}
      <h3>Record versions</h3>
      ${this._versions.render({
        pending: () => html`<p role="status">Loading the versions…</p>`,
        error: e => html`<tp-problem .error=${e} context="Loading the record versions"></tp-problem>`,
        complete: v =>
          v
            ? html`<div class="table-wrap"><table data-testid="record-versions">
                <thead><tr><th scope="col">Version</th><th scope="col">When</th><th scope="col">By</th><th scope="col">What</th><th scope="col">Note</th></tr></thead>
                <tbody>
                  ${[...v.versions].reverse().map(
                    r => html`<tr data-version=${r.version}>
                      <th scope="row">v${r.version}${r.version === v.latest ? ' (current)' : ''}</th>
                      <td data-label="When">${formatInstant(r.created_at)}</td>
                      <td data-label="By">${r.actor}</td>
                      <td data-label="What">${r.action}</td>
                      <td data-label="Note">${r.note ?? '—'}</td>
                    </tr>`,
                  )}
                </tbody>
              </table></div>`
            : nothing,
      })}`
  }

  private _form(editing: Editing) {
    const fields = this._fields.value
    return fields ? this._filledForm(fields, editing) : nothing
  }

  private _filledForm(fields: PatientFormFields, editing: Editing) {
    return html`<form @submit=${this._save} data-testid="record-form">
      <tp-patient-form .fields=${fields} .state=${editing.state} @patient-changed=${this._onChange}></tp-patient-form>
      <label for="record-note">Note (why the record changed, kept with the version)</label>
      <input id="record-note" type="text" maxlength="500" .value=${this._note} @input=${(e: InputEvent) => (this._note = (e.target as HTMLInputElement).value)} />
      <div class="row">
        <button type="submit" ?disabled=${this._saving}>${this._saving ? 'Saving…' : 'Save record'}</button>
        <button type="button" class="secondary" ?disabled=${this._saving} @click=${this._close}>Cancel</button>
      </div>
    </form>`
  }

  /**
   * What the last save in this editor did. Once the stored record moved on
   * (a randomization, a visit, another save), it reports an earlier version:
   * said so, so that "Saved as version 2" never reads as the record's state.
   */
  private _result(saved: SavedRecord) {
    const now = this.subject?.record_version ?? saved.version.version
    const earlier = now > saved.version.version
    return html`${
      earlier
        ? html`<p class="note" data-testid="record-saved" data-earlier>Earlier: saved as version ${saved.version.version}; the record is now at version ${now}.</p>`
        : html`<p class="ok" role="status" data-testid="record-saved">✓ Saved as version ${saved.version.version}.</p>`
    }
      ${
        saved.screening
          ? html`<details><summary data-testid="rescreened">Screening after ${earlier ? `the save of version ${saved.version.version}` : 'the save'}: <strong>${OVERALL_WORDS[saved.screening.overall] ?? saved.screening.overall}</strong> (evaluation ${saved.screening.evaluation_id}, protocol version ${saved.screening.version}; open for the criteria)</summary>
            <tp-verdict-panel .verdict=${saved.screening}></tp-verdict-panel>
          </details>`
          : saved.not_rescreened_because
            ? html`<p class="why" data-testid="not-rescreened">Not re-screened: ${saved.not_rescreened_because}.</p>`
            : nothing
      }`
  }

  /** Fill the form from the record as stored now; the fields decide which values get inputs. */
  private _open = async () => {
    const s = this.subject
    if (!s) return
    this._error = undefined
    this._saved = undefined
    this._note = ''
    let fields: PatientFormFields | undefined
    try {
      // the fields say which values get inputs: the form is filled once they are known
      fields = await this._fields.taskComplete
    } catch {
      return // shown where the form would be
    }
    if (!fields) return
    const state = stateFromRecord(s.record, { concepts: fields.measurements.map(m => m.concept), attestations: fields.attestations.map(a => a.name) })
    this._editing = { state, filled: buildRecord(state), base: s.record_version }
  }

  private _close = () => {
    this._editing = undefined
    this._error = undefined
  }

  private _onChange(e: CustomEvent<{ record: PatientRecord }>) {
    if (!this._editing) return
    this._editing = { ...this._editing, state: (e.target as HTMLElement & { state: FormState }).state }
  }

  private async _save(e: Event) {
    e.preventDefault()
    const s = this.subject
    const editing = this._editing
    if (!s || !editing) return
    this._saving = true
    this._error = undefined
    try {
      const record = editedRecord(s.record, editing.filled, buildRecord(editing.state))
      this._saved = await saveSubjectRecord(s.id, record, editing.base, this._note)
      this._editing = undefined
      this.dispatchEvent(new CustomEvent('subject-changed', { bubbles: true, composed: true }))
    } catch (error) {
      this._error = error
    } finally {
      this._saving = false
    }
  }
}
customElements.define('tp-subject-record-editor', TpSubjectRecordEditor)

declare global {
  interface HTMLElementTagNameMap {
    'tp-subject-record-editor': TpSubjectRecordEditor
  }
}
