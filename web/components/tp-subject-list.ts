import { LitElement, css, html, nothing } from 'lit'
import { Task } from '@lit/task'
import { listSubjects, registerSubject, type SubjectSummary } from '../api/subjects.ts'
import { base } from '../styles.ts'
import { plural } from '../../engine/words/phrases.ts'
import { todayIso } from '../subjects/dates.ts'
import { MISSED_WORDS, STATUS_SYMBOL, visitStatus } from '../subjects/visit-status.ts'
import { subjectStatusWords } from '../subjects/subject-status.ts'
import { CODE_HINT } from '../subjects/code.ts'
import './tp-screening-log.ts'
import './tp-problem.ts'

/**
 * A protocol's subjects: pseudonymous code, status, arm and the next visit
 * (due date and its status in words: web/subjects/visit-status.ts), each
 * linking to the subject page; with a form to
 * register a subject when the role may manage subjects.
 *
 * @fires subject-registered - detail `{ id, code }` after a registration
 */
export class TpSubjectList extends LitElement {
  static override properties = {
    protocolId: {},
    canManage: { type: Boolean },
    _registerError: { state: true },
    _registering: { state: true },
    _registered: { state: true },
  }

  /** Id of the protocol whose subjects are listed. */
  declare protocolId: string
  /** Whether the signed-in role may register subjects. */
  declare canManage: boolean
  declare _registerError: unknown
  declare _registering: boolean
  declare _registered: { id: string; code: string } | undefined

  constructor() {
    super()
    this.protocolId = ''
    this.canManage = false
    this._registerError = undefined
    this._registering = false
    this._registered = undefined
  }

  private readonly _subjects = new Task(this, {
    task: ([id], { signal }) => (id ? listSubjects(id, signal) : Promise.resolve([])),
    args: () => [this.protocolId] as const,
  })

  static override styles = [
    base,
    css`
      :host { display: block; }
      .table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; }
      table { border-collapse: collapse; width: 100%; min-width: 36rem; }
      caption { text-align: left; padding: 0.6rem 0.75rem; color: var(--tp-muted); }
      th, td { text-align: left; padding: 0.5rem 0.75rem; border-top: 1px solid var(--tp-line); vertical-align: top; }
      th[scope='col'] { background: #f1f3f6; font-weight: 600; }
      .code { font-family: ui-monospace, monospace; white-space: nowrap; }
      .status-overdue, .status-missed { color: var(--tp-bad); font-weight: 600; }
      .status-due { color: var(--tp-unknown); font-weight: 600; }
      form { background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; padding: 0.75rem 1rem; margin: 1rem 0; max-width: 40rem; }
      form h2 { margin: 0 0 0.5rem; font-size: 1.15rem; }
      label { display: block; font-weight: 600; margin-top: 0.5rem; }
      .hint { color: var(--tp-muted); font-size: 0.9rem; margin: 0.15rem 0 0.35rem; }
      input[type='text'] { width: 100%; max-width: 16rem; }
      textarea { width: 100%; min-height: 6rem; font-family: ui-monospace, monospace; font-size: 0.85rem; }
      .actions { margin-top: 0.75rem; display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
      .ok { border-left: 4px solid var(--tp-ok); background: var(--tp-ok-bg); padding: 0.5rem 0.8rem; }
      @media (max-width: 40rem) {
        table { min-width: 0; }
        thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        tr, td, th[scope='row'] { display: block; }
        th[scope='row'] { font-size: 1.05rem; border-top: 1px solid var(--tp-line); }
        td { border-top: 0; padding: 0.2rem 0.75rem; }
        td[data-label]::before { content: attr(data-label) ': '; font-weight: 600; }
        td:last-child { padding-bottom: 0.75rem; }
      }
    `,
  ]

  override render() {
    return html`<h1>Subjects</h1>
      ${this.canManage ? this._form() : html`<p class="note">Your role may view subjects; registering them needs a clinician or admin token.</p>`}
      ${this._subjects.render({
        pending: () => html`<p role="status">Loading subjects…</p>`,
        error: e => html`<tp-problem .error=${e} context="Loading the subjects"></tp-problem>
          <button type="button" @click=${() => this._subjects.run()}>Try again</button>`,
        complete: rows => (rows.length ? this._table(rows) : html`<p>No subjects registered yet.</p>`),
      })}
      <h2>Screening log</h2>
      <tp-screening-log .protocolId=${this.protocolId} .revision=${this._subjects.value?.length ?? 0}></tp-screening-log>`
  }

  private _nextVisit(s: SubjectSummary) {
    if (s.status !== 'randomized') return html`<span class="note">— (not randomized)</span>`
    const v = s.next_visit
    const missed = s.missed_visits?.length
      ? html`<div class="status-missed" data-missed>${STATUS_SYMBOL.missed} ${s.missed_visits.join(', ')}: ${MISSED_WORDS}</div>`
      : nothing
    if (!v) return html`<span class="note">No planned visit left</span>${missed}`
    // the next visit comes after the last one recorded: nothing later is recorded
    const status = visitStatus(v, { laterRecorded: false }, todayIso())
    return html`${v.label}: due ${v.due}
      <div class="status-${status.kind}" data-status=${status.kind}>${STATUS_SYMBOL[status.kind]} ${status.words}</div>
      ${missed}`
  }

  private _table(rows: SubjectSummary[]) {
    return html`<div class="table-wrap">
      <table>
        <caption>${plural(rows.length, 'subject')} in this protocol</caption>
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col">Status</th>
            <th scope="col">Arm</th>
            <th scope="col">Next visit</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            s => html`<tr data-subject=${s.code}>
              <th scope="row" class="code"><a href="#/subjects/${encodeURIComponent(s.id)}">${s.code}</a></th>
              <td data-label="Status" data-subject-status=${s.status}>${subjectStatusWords(s.status, s.screenings)}</td>
              <td data-label="Arm" data-arm=${s.arm ?? nothing}>${s.arm ? (s.arm_label ?? s.arm) : html`<span class="note">none yet</span>`}</td>
              <td data-label="Next visit">${this._nextVisit(s)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`
  }

  private _form() {
    return html`<form @submit=${this._register} aria-labelledby="register-heading">
      <h2 id="register-heading">Register a subject</h2>
      <label for="code">Subject code</label>
      <p class="hint" id="code-hint">${CODE_HINT}</p>
      <input id="code" name="code" type="text" autocomplete="off" spellcheck="false" aria-describedby="code-hint" required />
      <details class="advanced">
        <summary>Advanced: an initial record as JSON</summary>
        <label for="record">Initial record (optional JSON)</label>
        <p class="hint" id="record-hint">
          A subject record (subject.schema.json): dates, measurements, medications… without <code>id</code> or <code>arm</code>. Usually left empty: the record is
          entered in the subject's form ("Edit record" on the subject's page).
        </p>
        <textarea id="record" name="record" aria-describedby="record-hint" spellcheck="false"></textarea>
      </details>
      <div class="actions">
        <button type="submit" ?disabled=${this._registering}>${this._registering ? 'Registering…' : 'Register'}</button>
      </div>
      ${this._registerError ? html`<tp-problem .error=${this._registerError} context="Registering the subject"></tp-problem>` : nothing}
      ${
        this._registered
          ? html`<p class="ok" role="status">✓ Registered ${this._registered.code}. <a href="#/subjects/${encodeURIComponent(this._registered.id)}">Open ${this._registered.code}</a> to enter their record and screen them.</p>`
          : nothing
      }
    </form>`
  }

  private async _register(e: Event) {
    e.preventDefault()
    const form = e.currentTarget as HTMLFormElement
    const code = (form.elements.namedItem('code') as HTMLInputElement).value.trim()
    const text = (form.elements.namedItem('record') as HTMLTextAreaElement).value.trim()
    this._registerError = undefined
    this._registered = undefined
    let record: Record<string, unknown> | undefined
    if (text) {
      try {
        const parsed: unknown = JSON.parse(text)
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object { … }')
        record = parsed as Record<string, unknown>
      } catch (err) {
        this._registerError = new Error(`The initial record is not a JSON object: ${err instanceof Error ? err.message : String(err)}`)
        return
      }
    }
    this._registering = true
    try {
      const s = await registerSubject(this.protocolId, code, record)
      this._registered = { id: s.id, code: s.code }
      form.reset()
      this.dispatchEvent(new CustomEvent('subject-registered', { detail: { id: s.id, code: s.code }, bubbles: true, composed: true }))
      void this._subjects.run()
    } catch (err) {
      this._registerError = err
    } finally {
      this._registering = false
    }
  }
}
customElements.define('tp-subject-list', TpSubjectList)

declare global {
  interface HTMLElementTagNameMap {
    'tp-subject-list': TpSubjectList
  }
}
