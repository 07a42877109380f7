import { LitElement, css, html, nothing } from 'lit'
import { Task } from '@lit/task'
import type { PatientRecord } from '../../engine/index.ts'
import { getToken, may, roleOf } from '../api.ts'
import { getSubject, listSubjects, registerSubject, saveSubjectRecord, screenSubject, type ScreeningResult, type SubjectSummary } from '../api/subjects.ts'
import { base } from '../styles.ts'
import { CODE_HINT } from '../subjects/code.ts'
import { attachedRecord } from '../subjects/record-edit.ts'
import { OVERALL_WORDS } from '../subjects/screening.ts'
import './tp-problem.ts'

/** What attaching did, to say it and link to the subject. */
interface Attached {
  id: string
  code: string
  /** The record version saved (1 for a new subject). */
  version: number
  screening: ScreeningResult | null
  notRescreenedBecause?: string
}

/**
 * Attach the Evaluate page's record to a subject of the protocol: a new one
 * (registered under a pseudonymous code with this record, then screened) or
 * an existing one (the record replaces its screening data as a new version,
 * re-screened while the subject is being screened; what the study recorded
 * since stays). Then links to the subject's page. Offered to the roles that
 * manage subjects only.
 *
 * @fires subject-attached - `detail: { id, code }` after the record was saved
 */
export class TpAttachSubject extends LitElement {
  static override properties = {
    protocolId: {},
    record: { attribute: false },
    _mode: { state: true },
    _busy: { state: true },
    _error: { state: true },
    _done: { state: true },
  }

  declare protocolId: string
  /** The record the Evaluate form describes now. */
  declare record: PatientRecord
  declare _mode: 'new' | 'existing'
  declare _busy: boolean
  declare _error: unknown
  declare _done: Attached | undefined

  constructor() {
    super()
    this.protocolId = ''
    this.record = {}
    this._mode = 'new'
    this._busy = false
    this._error = undefined
    this._done = undefined
  }

  private readonly _role = new Task(this, {
    task: async () => {
      const token = getToken()
      return token ? roleOf(token) : undefined
    },
    args: () => [] as const,
  })

  private readonly _subjects = new Task(this, {
    task: ([protocolId, mode], { signal }) => (protocolId && mode === 'existing' ? listSubjects(protocolId, signal) : Promise.resolve([] as SubjectSummary[])),
    args: () => [this.protocolId, this._mode] as const,
  })

  static override styles = [
    base,
    css`
      :host { display: block; }
      details { background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; padding: 0.5rem 0.8rem; margin-bottom: 0.75rem; }
      summary { cursor: pointer; font-weight: 600; color: var(--tp-accent); }
      fieldset { border: 0; padding: 0; margin: 0.5rem 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; }
      legend { font-weight: 600; padding: 0; }
      label.block { display: block; font-weight: 600; margin-top: 0.5rem; }
      input[type='text'], select { font: inherit; padding: 0.3rem 0.45rem; border: 1px solid #8a94a3; border-radius: 4px; max-width: 100%; }
      .hint { color: var(--tp-muted); font-size: 0.85rem; margin: 0.15rem 0; }
      .actions { margin-top: 0.5rem; }
      .ok { color: var(--tp-ok); }
      @media print { :host { display: none; } }
    `,
  ]

  override render() {
    if (!this._role.value || !may.manageSubjects(this._role.value)) return nothing
    return html`<details data-testid="attach-subject">
      <summary>Attach this record to a subject</summary>
      <form @submit=${this._attach}>
        <fieldset>
          <legend>Subject</legend>
          <label><input type="radio" name="mode" value="new" .checked=${this._mode === 'new'} @change=${() => this._setMode('new')} /> a new subject</label>
          <label><input type="radio" name="mode" value="existing" .checked=${this._mode === 'existing'} @change=${() => this._setMode('existing')} /> an existing subject of ${this.protocolId}</label>
        </fieldset>
        ${this._mode === 'new' ? this._newSubject() : this._existingSubject()}
        <div class="actions">
          <button type="submit" ?disabled=${this._busy}>${this._busy ? 'Saving…' : this._mode === 'new' ? 'Register and screen' : 'Save to the subject and screen'}</button>
        </div>
      </form>
      <tp-problem .error=${this._error} context="Attaching the record"></tp-problem>
      ${this._done ? this._result(this._done) : nothing}
    </details>`
  }

  private _newSubject() {
    return html`<label class="block" for="attach-code">Subject code</label>
      <p class="hint" id="attach-code-hint">${CODE_HINT}</p>
      <input id="attach-code" name="code" type="text" autocomplete="off" spellcheck="false" aria-describedby="attach-code-hint" required />`
  }

  private _existingSubject() {
    return this._subjects.render({
      pending: () => html`<p role="status">Loading the subjects…</p>`,
      error: e => html`<tp-problem .error=${e} context="Loading the subjects"></tp-problem>`,
      complete: subjects =>
        subjects.length
          ? html`<label class="block" for="attach-subject">Subject</label>
              <p class="hint" id="attach-subject-hint">The record replaces the subject's screening data as a new version; visits, adverse events and the arm stay. A randomized subject is not re-screened.</p>
              <select id="attach-subject" name="subject" aria-describedby="attach-subject-hint" required>
                ${subjects.map(s => html`<option value=${s.id}>${s.code} (${s.status}${s.arm ? `, ${s.arm}` : ''})</option>`)}
              </select>`
          : html`<p>No subjects registered in ${this.protocolId} yet: attach the record to a new one.</p>`,
    })
  }

  private _result(done: Attached) {
    const verdict = done.screening ? (OVERALL_WORDS[done.screening.overall] ?? done.screening.overall) : undefined
    return html`<p class="ok" role="status" data-testid="attached">
      ✓ Saved as version ${done.version} of the record of ${done.code}.
      ${verdict ? html`Screening (evaluation ${done.screening!.evaluation_id}, version ${done.screening!.version}): <strong>${verdict}</strong>.` : nothing}
      ${done.notRescreenedBecause ? html`Not re-screened: ${done.notRescreenedBecause}.` : nothing}
      <a href="#/subjects/${encodeURIComponent(done.id)}">Open ${done.code}</a>
    </p>`
  }

  private _setMode(mode: 'new' | 'existing') {
    this._mode = mode
    this._error = undefined
  }

  private async _attach(e: Event) {
    e.preventDefault()
    const form = e.currentTarget as HTMLFormElement
    this._busy = true
    this._error = undefined
    this._done = undefined
    try {
      this._done =
        this._mode === 'new'
          ? await this._attachNew((form.elements.namedItem('code') as HTMLInputElement).value.trim())
          : await this._attachExisting((form.elements.namedItem('subject') as HTMLSelectElement | null)?.value ?? '')
      this.dispatchEvent(new CustomEvent('subject-attached', { detail: { id: this._done.id, code: this._done.code }, bubbles: true, composed: true }))
    } catch (err) {
      this._error = err
    } finally {
      this._busy = false
    }
  }

  /** Register with the record (version 1; refused whole if the code or record is wrong), then screen it as stored. */
  private async _attachNew(code: string): Promise<Attached> {
    const { id: _id, ...record } = this.record
    const subject = await registerSubject(this.protocolId, code, record as Record<string, unknown>)
    let screening: ScreeningResult | null = null
    try {
      screening = await screenSubject(subject.id, {})
    } catch (err) {
      throw new Error(
        `${subject.code} was registered with the record, but screening it failed (${err instanceof Error ? err.message : String(err)}); open the subject and screen again.`,
      )
    }
    return { id: subject.id, code: subject.code, version: subject.record_version, screening }
  }

  private async _attachExisting(sid: string): Promise<Attached> {
    if (!sid) throw new Error('Choose the subject to attach the record to.')
    const subject = await getSubject(sid)
    const saved = await saveSubjectRecord(
      sid,
      attachedRecord(subject.record, this.record, subject.code),
      subject.record_version,
      `attached from the Evaluate page`,
    )
    return {
      id: sid,
      code: subject.code,
      version: saved.version.version,
      screening: saved.screening,
      ...(saved.not_rescreened_because ? { notRescreenedBecause: saved.not_rescreened_because } : {}),
    }
  }
}
customElements.define('tp-attach-subject', TpAttachSubject)

declare global {
  interface HTMLElementTagNameMap {
    'tp-attach-subject': TpAttachSubject
  }
}
