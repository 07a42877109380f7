import { LitElement, css, html, nothing } from 'lit'
import { evaluatePatient, type EvaluationResult } from '../api.ts'
import { base } from '../styles.ts'
import './tp-problem.ts'
import './tp-verdict-panel.ts'

/** The README's example: enough to start, most criteria still unknown. */
export const STARTER_PATIENT = { birth_date: '1990-05-01', sex: 'female', dates: { consent: '2026-01-05', screening: '2026-01-05' } }

/**
 * Evaluate a patient record (JSON, engine/schema/patient.schema.json)
 * against the latest version of a protocol and show the verdict. The
 * generated form of issue 7 will sit beside this; pasting JSON stays useful
 * for records exported from elsewhere.
 */
export class TpPatientEvaluator extends LitElement {
  static override properties = {
    protocolId: {},
    _text: { state: true },
    _pending: { state: true },
    _error: { state: true },
    _result: { state: true },
  }

  /** Id of the protocol to evaluate against. */
  declare protocolId: string
  declare _text: string
  declare _pending: boolean
  declare _error: unknown
  declare _result: EvaluationResult | undefined

  constructor() {
    super()
    this.protocolId = ''
    this._text = JSON.stringify(STARTER_PATIENT, null, 2)
    this._pending = false
    this._error = undefined
    this._result = undefined
  }

  static override styles = [
    base,
    css`
      :host { display: block; }
      .layout { display: grid; grid-template-columns: minmax(16rem, 28rem) minmax(0, 1fr); gap: 1rem; align-items: start; }
      @media (max-width: 60rem) { .layout { grid-template-columns: minmax(0, 1fr); } }
      form { display: flex; flex-direction: column; gap: 0.5rem; }
      label { font-weight: 600; }
      textarea { font-family: ui-monospace, monospace; font-size: 13px; min-height: 18rem; width: 100%; }
      .back { display: inline-block; margin-bottom: 0.5rem; }
      h1 { margin: 0 0 0.75rem; font-size: 1.4rem; }
    `,
  ]

  private async _evaluate(e: SubmitEvent): Promise<void> {
    e.preventDefault()
    let patient: unknown
    try {
      patient = JSON.parse(this._text)
    } catch (err) {
      this._error = new Error(`The record is not valid JSON: ${err instanceof Error ? err.message : String(err)}`)
      return
    }
    this._pending = true
    this._error = undefined
    try {
      this._result = await evaluatePatient(this.protocolId, patient)
    } catch (err) {
      this._error = err
    } finally {
      this._pending = false
    }
  }

  override render() {
    return html`<a class="back" href="#/protocols">← All protocols</a>
      <h1>Evaluate a patient for ${this.protocolId}</h1>
      <div class="layout">
        <form @submit=${this._evaluate}>
          <label for="patient">Patient record (JSON)</label>
          <textarea id="patient" spellcheck="false" .value=${this._text} @input=${(e: InputEvent) => (this._text = (e.target as HTMLTextAreaElement).value)}></textarea>
          <button type="submit" ?disabled=${this._pending}>${this._pending ? 'Evaluating…' : 'Evaluate'}</button>
          <tp-problem .error=${this._error} context="Evaluating"></tp-problem>
        </form>
        <div aria-live="polite">
          ${this._result
            ? html`<p class="note">Version ${this._result.version} · logged as evaluation ${this._result.evaluation_id}</p>
                <tp-verdict-panel .verdict=${this._result}></tp-verdict-panel>`
            : this._pending
              ? html`<p role="status">Evaluating…</p>`
              : nothing}
        </div>
      </div>`
  }
}
customElements.define('tp-patient-evaluator', TpPatientEvaluator)

declare global {
  interface HTMLElementTagNameMap {
    'tp-patient-evaluator': TpPatientEvaluator
  }
}
