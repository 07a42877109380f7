import { LitElement, css, html, nothing } from 'lit'
import { Task } from '@lit/task'
import type { PatientRecord } from '../../engine/index.ts'
import { getLabConcepts } from '../api/dictionary.ts'
import { evaluatePatient, getProtocolDocument, type EvaluationResult } from '../api.ts'
import { formatRegistryId, formatVersion } from '../format.ts'
import { fieldLabel } from '../patient-form/field-keys.ts'
import { deriveFields, type PatientFormFields } from '../patient-form/fields.ts'
import { takeRecord } from '../patient-form/handoff.ts'
import { buildRecord, emptyState, stateFromRecord, type FormState } from '../patient-form/record.ts'
import type { LabConceptInfo } from '../patient-form/units.ts'
import { base } from '../styles.ts'
import './tp-problem.ts'
import './tp-patient-form.ts'
import './tp-verdict-panel.ts'
import './tp-fhir-import.ts'
import './tp-attach-subject.ts'
import { downloadJson } from '../download.ts'

/** The README's example: enough to start, most criteria still unknown. */
export const STARTER_PATIENT = { birth_date: '1990-05-01', sex: 'female', dates: { consent: '2026-01-05', screening: '2026-01-05' } }

/** Quiet time after the last keystroke before the record is evaluated. */
const EVALUATE_DELAY_MS = 400

/**
 * Evaluate a patient against the latest version of a protocol: the form
 * generated from the protocol's criteria beside the verdict, which follows
 * the inputs (debounced). A record exported from elsewhere can be loaded
 * from JSON into the form; the verdict can be exported as JSON or printed.
 * Evaluations while typing are previews (`log=false`); only "Record in the
 * screening log" files one, so the log holds screenings, not keystrokes.
 */
export class TpPatientEvaluator extends LitElement {
  static override properties = {
    protocolId: {},
    handoff: {},
    _state: { state: true },
    _pending: { state: true },
    _error: { state: true },
    _result: { state: true },
    _json: { state: true },
    _jsonError: { state: true },
    _loaded: { state: true },
    _recording: { state: true },
    _recordError: { state: true },
  }

  /** Id of the protocol to evaluate against. */
  declare protocolId: string
  /** One-time id of a record another screen handed over (web/patient-form/handoff.ts), loaded into the form. */
  declare handoff: string
  declare _state: FormState
  declare _pending: boolean
  declare _error: unknown
  declare _result: EvaluationResult | undefined
  declare _json: string
  declare _jsonError: unknown
  declare _loaded: string
  /** A deliberate "record in the screening log" request is under way. */
  declare _recording: boolean
  declare _recordError: unknown

  private _timer: ReturnType<typeof setTimeout> | undefined
  private _abort: AbortController | undefined
  private _lastSent = ''
  private _record: PatientRecord = {}
  /** A handed-over record waiting for the form's fields. */
  private _incoming: PatientRecord | undefined

  private readonly _doc = new Task(this, {
    task: async ([id], { signal }) => {
      const [{ version, document }, labConcepts] = await Promise.all([getProtocolDocument(id, signal), getLabConcepts()])
      return { version, fields: deriveFields(document, labConcepts as LabConceptInfo[]) }
    },
    args: () => [this.protocolId] as const,
  })

  constructor() {
    super()
    this.protocolId = ''
    this.handoff = ''
    this._state = emptyState()
    this._pending = false
    this._error = undefined
    this._result = undefined
    this._json = JSON.stringify(STARTER_PATIENT, null, 2)
    this._jsonError = undefined
    this._loaded = ''
    this._recording = false
    this._recordError = undefined
  }

  static override styles = [
    base,
    css`
      :host { display: block; }
      .layout { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); gap: 1rem; align-items: start; }
      .verdict { position: sticky; top: 0.5rem; max-height: calc(100vh - 1rem); overflow: auto; }
      @media (max-width: 60rem) {
        .layout { grid-template-columns: minmax(0, 1fr); }
        .verdict { position: static; max-height: none; overflow: visible; }
      }
      .back { display: inline-block; margin-bottom: 0.5rem; }
      h1 { margin: 0 0 0.5rem; font-size: 1.4rem; overflow-wrap: anywhere; }
      .toolbar { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin-bottom: 0.75rem; }
      details.json { background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; padding: 0.5rem 0.8rem; margin-bottom: 0.75rem; }
      details.json summary { cursor: pointer; font-weight: 600; color: var(--tp-accent); }
      details.json label { display: block; font-weight: 600; margin: 0.5rem 0 0.2rem; }
      textarea { font-family: ui-monospace, monospace; font-size: 13px; min-height: 12rem; width: 100%; }
      .status { min-height: 1.4em; }
      .jump { font-weight: 600; }
      .back-to-form { display: inline-block; margin-top: 0.75rem; }
      .print-only { display: none; }
      @media print {
        .print-only { display: block; }
        .back, .toolbar, details.json, tp-fhir-import, tp-patient-form, .jump, .back-to-form { display: none !important; }
        .layout { display: block; }
        .verdict { position: static; max-height: none; overflow: visible; }
      }
    `,
  ]

  override disconnectedCallback(): void {
    clearTimeout(this._timer)
    this._abort?.abort()
    super.disconnectedCallback()
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // a new protocol starts from an empty form: evaluate it to list what is needed
    if (changed.has('protocolId') && this.protocolId) {
      this._state = emptyState()
      this._record = {}
      this._lastSent = ''
      this._result = undefined
      this._schedule(0)
    }
    if (changed.has('handoff') && this.handoff) {
      this._incoming = takeRecord(this.handoff)
      this._loaded = this._incoming ? '' : 'The record handed over is no longer available (it is kept for one opening only): load it again from the Match page.'
      // the id is spent: a reload must not look for it again
      history.replaceState(null, '', location.hash.split('?')[0])
    }
  }

  protected override updated(): void {
    const fields = this._doc.value?.fields
    if (this._incoming && fields) {
      const record = this._incoming
      this._incoming = undefined
      void this._loadRecord(record)
    }
  }

  private _onPatient(e: CustomEvent<{ record: PatientRecord }>): void {
    this._state = (e.target as HTMLElement & { state: FormState }).state
    this._record = e.detail.record
    this._schedule(EVALUATE_DELAY_MS)
  }

  private _schedule(ms: number): void {
    clearTimeout(this._timer)
    this._timer = setTimeout(() => void this._evaluate(this._record), ms)
  }

  /** POST the record unless it is the one last evaluated; a newer request cancels an older one. */
  private async _evaluate(record: unknown, force = false): Promise<boolean> {
    const body = JSON.stringify(record)
    if (body === this._lastSent && !force) return true
    this._abort?.abort()
    const abort = (this._abort = new AbortController())
    this._lastSent = body
    this._pending = true
    try {
      this._result = await evaluatePatient(this.protocolId, record, { log: false, signal: abort.signal })
      this._recordError = undefined
      this._error = undefined
      return true
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return false
      this._error = err
      this._lastSent = ''
      return false
    } finally {
      if (this._abort === abort) this._pending = false
    }
  }

  /** Load from JSON: the server checks the record first, then it fills the form. */
  private async _loadJson(e: SubmitEvent): Promise<void> {
    e.preventDefault()
    let record: unknown
    try {
      record = JSON.parse(this._json)
    } catch (err) {
      this._jsonError = new Error(`The record is not valid JSON: ${err instanceof Error ? err.message : String(err)}`)
      return
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      this._jsonError = new Error('The record must be a JSON object ({ "birth_date": … }).')
      return
    }
    this._jsonError = undefined
    await this._loadRecord(record as PatientRecord)
  }

  /** Load from FHIR: the imported record goes the same way as one loaded from JSON. */
  private _onFhir(e: CustomEvent<{ record: PatientRecord }>): void {
    this._json = JSON.stringify(e.detail.record, null, 2)
    void this._loadRecord(e.detail.record)
  }

  /** The server checks the record (an evaluation), then it fills the form. */
  private async _loadRecord(record: PatientRecord): Promise<void> {
    clearTimeout(this._timer)
    const ok = await this._evaluate(record, true)
    if (!ok) {
      this._jsonError = this._error
      this._error = undefined
      return
    }
    const fields = this._doc.value?.fields
    const shown = { concepts: fields?.measurements.map(m => m.concept) ?? [], attestations: fields?.attestations.map(a => a.name) ?? [] }
    this._state = stateFromRecord(record as PatientRecord, shown)
    this._record = buildRecord(this._state)
    this._loaded = `Loaded into the form${(record as PatientRecord).id ? ` (patient ${(record as PatientRecord).id})` : ''}.`
    this._schedule(0)
  }

  /** File the current record's evaluation in the screening log (the one deliberate, logged request). */
  private async _recordScreening(): Promise<void> {
    clearTimeout(this._timer)
    this._abort?.abort()
    this._recording = true
    this._recordError = undefined
    try {
      const record = this._record
      this._result = await evaluatePatient(this.protocolId, record, { log: true })
      this._lastSent = JSON.stringify(record)
      this._error = undefined
    } catch (err) {
      this._recordError = err
    } finally {
      this._recording = false
      this._pending = false
    }
  }

  private _statusText(): string {
    if (this._recording) return 'Recording…'
    if (this._pending) return 'Evaluating…'
    if (!this._result) return ''
    return this._result.evaluation_id === null
      ? `Preview against ${formatVersion(this._result.version)}, not recorded`
      : `Recorded in the screening log as evaluation ${this._result.evaluation_id} (${formatVersion(this._result.version)})`
  }

  private _export(): void {
    if (!this._result) return
    const doc = { protocol_id: this.protocolId, exported_at: new Date().toISOString(), patient: this._record, verdict: this._result }
    downloadJson(`verdict-${this.protocolId}-${this._record.id ?? 'patient'}-${new Date().toISOString().slice(0, 10)}.json`, doc)
  }

  override render() {
    return html`<a class="back" href="#/protocols">← All protocols</a>
      <h1>Evaluate a patient for ${formatRegistryId(this.protocolId)}</h1>
      ${this._doc.render({
        pending: () => html`<p role="status">Loading the protocol…</p>`,
        error: err => html`<tp-problem .error=${err} context="Loading the protocol"></tp-problem>`,
        complete: ({ fields }) => this._screen(fields),
      })}`
  }

  private _screen(fields: PatientFormFields) {
    return html`<div class="toolbar">
        <a class="jump" href="#verdict" id="jump" @click=${this._jump}>Jump to the verdict</a>
        <button type="button" class="secondary" ?disabled=${!this._result} @click=${this._export}>Export verdict</button>
        <button type="button" class="secondary" ?disabled=${!this._result} @click=${() => window.print()}>Print</button>
        <button type="button" ?disabled=${!this._result || this._recording || this._result.evaluation_id !== null} @click=${this._recordScreening}
          title="Evaluations while you type are previews; this files the current record's evaluation in the screening log">Record in the screening log</button>
        <span class="status note" role="status">${this._statusText()}</span>
      </div>
      <tp-problem .error=${this._recordError} context="Recording the screening"></tp-problem>
      <tp-attach-subject .protocolId=${this.protocolId} .record=${this._record}></tp-attach-subject>
      <p class="note" role="status" data-testid="loaded">${this._loaded && !this._jsonError ? this._loaded : ''}</p>
      <details class="json">
        <summary>Load from JSON</summary>
        <form @submit=${this._loadJson}>
          <label for="patient">Patient record (JSON)</label>
          <textarea id="patient" spellcheck="false" .value=${this._json} @input=${(e: InputEvent) => (this._json = (e.target as HTMLTextAreaElement).value)}></textarea>
          <button type="submit">Load into the form</button>
          <tp-problem .error=${this._jsonError} context="Loading the record"></tp-problem>
        </form>
      </details>
      <tp-fhir-import @fhir-record=${this._onFhir}></tp-fhir-import>
      <div class="layout">
        <tp-patient-form .fields=${fields} .state=${this._state} @patient-changed=${this._onPatient}></tp-patient-form>
        <div class="verdict" id="verdict" tabindex="-1" aria-label="Verdict" aria-busy=${this._pending ? 'true' : 'false'} @focus-field=${this._focusField}>
          ${
            this._result
              ? html`<p class="print-only note">
                Protocol ${formatRegistryId(this.protocolId)} ${formatVersion(this._result.version)} · ${this._result.evaluation_id === null ? 'preview, not recorded' : `evaluation ${this._result.evaluation_id}`}${this._record.id ? ` · patient ${this._record.id}` : ''} · printed
                ${new Date().toISOString().slice(0, 10)}
              </p>`
              : nothing
          }
          <tp-problem .error=${this._error} context="Evaluating"></tp-problem>
          ${
            this._result
              ? html`<tp-verdict-panel .verdict=${this._result} .labelFor=${(key: string) => fieldLabel(key, fields)}></tp-verdict-panel>`
              : html`<p class="note">${this._pending ? 'Evaluating…' : 'No verdict yet.'}</p>`
          }
          <a class="back-to-form" href="#form" @click=${this._backToForm}>Back to the form</a>
        </div>
      </div>`
  }

  /** A "Still needed" item: take the user to its field. */
  private _focusField(e: CustomEvent<{ key: string }>): void {
    this.renderRoot.querySelector('tp-patient-form')?.focusField(e.detail.key)
  }

  /** From the verdict back to where the form starts (its first field), as "Jump to the verdict" went the other way. */
  private _backToForm(e: Event): void {
    e.preventDefault()
    const form = this.renderRoot.querySelector('tp-patient-form')
    form?.scrollIntoView()
    form?.renderRoot.querySelector<HTMLElement>('input, select, button')?.focus({ preventScroll: true })
  }

  private _jump(e: Event): void {
    e.preventDefault()
    const target = this.renderRoot.querySelector<HTMLElement>('#verdict')
    target?.scrollIntoView()
    target?.focus()
  }
}
customElements.define('tp-patient-evaluator', TpPatientEvaluator)

declare global {
  interface HTMLElementTagNameMap {
    'tp-patient-evaluator': TpPatientEvaluator
  }
}
