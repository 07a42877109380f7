import { LitElement, css, html, nothing } from 'lit'
import { Task } from '@lit/task'
import type { PatientRecord } from '../../engine/index.ts'
import { getProtocolDocument } from '../api.ts'
import { getLabConcepts } from '../api/dictionary.ts'
import { listActiveProtocols, matchPatientAcrossProtocols, type MatchResult, type MatchResultRow } from '../api/match.ts'
import { formatRegistryId } from '../format.ts'
import { fieldLabel } from '../patient-form/field-keys.ts'
import { deriveFields, type PatientFormFields } from '../patient-form/fields.ts'
import { stashRecord } from '../patient-form/handoff.ts'
import { mergeFields } from '../patient-form/merge.ts'
import { buildRecord, emptyState, type FormState } from '../patient-form/record.ts'
import type { LabConceptInfo } from '../patient-form/units.ts'
import { base } from '../styles.ts'
import { matchRowStyles, matchRows } from './match-rows.ts'
import './tp-problem.ts'
import './tp-fhir-import.ts'
import './tp-patient-form.ts'

/** The README's starter record: enough to show the ranking, most criteria still unknown. */
const STARTER = { birth_date: '1990-05-01', sex: 'female', dates: { consent: '2026-01-05', screening: '2026-01-05' } }

/** A protocol's generated form fields, with the id the union form names its criteria by. */
async function protocolFields(id: string, signal?: AbortSignal): Promise<{ label: string; fields: PatientFormFields }> {
  const [{ document }, labConcepts] = await Promise.all([getProtocolDocument(id, signal), getLabConcepts(signal)])
  return { label: formatRegistryId(document.protocol.registry_id), fields: deriveFields(document, labConcepts as LabConceptInfo[]) }
}

/**
 * Match one patient across every protocol in the store: a ranked table
 * (eligible; undetermined with the fewest missing facts first; ineligible
 * with the failing criteria), each row expandable to its full verdict.
 * The patient comes from one active protocol's generated form (then the
 * fields the other protocols still need are added to it), or from a JSON
 * record or a FHIR bundle. "Evaluate in X's form" carries the record there.
 * A look across trials, not a screening: nothing is logged.
 */
export class TpPatientMatch extends LitElement {
  static override properties = {
    _mode: { state: true },
    _start: { state: true },
    _fields: { state: true },
    _merged: { state: true },
    _formState: { state: true },
    _json: { state: true },
    _result: { state: true },
    _error: { state: true },
    _pending: { state: true },
  }

  /** Where the patient comes from: a protocol's form, or a JSON record / FHIR bundle. */
  declare _mode: 'form' | 'json'
  /** The protocol whose form the user started from. */
  declare _start: string
  /** The form shown: the start protocol's, or the union with the protocols still undecided. */
  declare _fields: PatientFormFields | undefined
  /** Registry ids merged into the form, after the start protocol. */
  declare _merged: string[]
  declare _formState: FormState
  declare _json: string
  declare _result: MatchResult | undefined
  declare _error: unknown
  declare _pending: boolean

  private _abort: AbortController | undefined
  /** The record last matched: what "Evaluate in X's form" carries. */
  private _matched: PatientRecord = {}

  private readonly _protocols = new Task(this, {
    task: async ([mode], { signal }) => (mode === 'form' ? listActiveProtocols(signal) : []),
    args: () => [this._mode] as const,
  })

  constructor() {
    super()
    this._mode = 'form'
    this._start = ''
    this._fields = undefined
    this._merged = []
    this._formState = emptyState()
    this._json = JSON.stringify(STARTER, null, 2)
    this._result = undefined
    this._error = undefined
    this._pending = false
  }

  static override styles = [
    base,
    matchRowStyles,
    css`
      :host { display: block; }
      h1 { font-size: 1.4rem; margin: 0 0 0.5rem; }
      form, .start { background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; padding: 0.75rem; margin-bottom: 1rem; }
      fieldset.mode { border: 0; padding: 0; margin: 0 0 0.75rem; display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; }
      fieldset.mode legend { font-weight: 600; padding: 0; margin-bottom: 0.2rem; }
      fieldset.mode label { display: inline-flex; gap: 0.3rem; align-items: center; font-weight: 400; }
      label.block { display: block; font-weight: 600; margin-bottom: 0.3rem; }
      select { font: inherit; padding: 0.3rem 0.4rem; max-width: 100%; }
      textarea { width: 100%; min-height: 10rem; font-family: ui-monospace, monospace; font-size: 13px; }
      .actions { display: flex; gap: 0.75rem; align-items: center; margin-top: 0.5rem; flex-wrap: wrap; }
      tp-patient-form { margin-top: 0.75rem; }
    `,
  ]

  override disconnectedCallback(): void {
    this._abort?.abort()
    super.disconnectedCallback()
  }

  /** POST /match; the record is kept for "Evaluate in X's form". */
  private async _run(patient: unknown): Promise<void> {
    this._abort?.abort()
    const abort = (this._abort = new AbortController())
    this._pending = true
    this._error = undefined
    try {
      this._result = await matchPatientAcrossProtocols(patient, abort.signal)
      this._matched = patient as PatientRecord
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return
      this._error = err
      this._result = undefined
    } finally {
      if (this._abort === abort) this._pending = false
    }
  }

  private async _matchJson(e: SubmitEvent): Promise<void> {
    e.preventDefault()
    let patient: unknown
    try {
      patient = JSON.parse(this._json)
    } catch (err) {
      this._error = new Error(`The record is not valid JSON: ${err instanceof Error ? err.message : String(err)}`)
      return
    }
    await this._run(patient)
  }

  /** A record imported from a FHIR bundle replaces the JSON; the user then matches it. */
  private _onFhir(e: CustomEvent<{ record: unknown }>): void {
    this._json = JSON.stringify(e.detail.record, null, 2)
    this._result = undefined
  }

  /** Start from a protocol's form: what is typed so far is kept (the record's keys do not depend on the form). */
  private async _pick(id: string): Promise<void> {
    this._start = id
    this._fields = undefined
    this._merged = []
    this._result = undefined
    if (!id) return
    try {
      this._fields = (await protocolFields(id)).fields
      this._error = undefined
    } catch (err) {
      this._error = err
    }
  }

  /** Add to the form what the protocols still undecided need (their fields, merged with the start protocol's). */
  private async _addOthers(): Promise<void> {
    const others = (this._result?.rows ?? []).filter(r => r.protocol_id !== this._start && r.overall === 'undetermined')
    try {
      const list = await Promise.all([this._start, ...others.map(r => r.protocol_id)].map(id => protocolFields(id)))
      this._fields = mergeFields(list)
      this._merged = list.slice(1).map(p => p.label)
      this._error = undefined
    } catch (err) {
      this._error = err
    }
  }

  private _focus(key: string): void {
    this.renderRoot.querySelector('tp-patient-form')?.focusField(key)
  }

  /** "Evaluate in X's form": the record waits in this tab's session storage; only a one-time id goes in the link. */
  private _evaluate(r: MatchResultRow, e: Event): void {
    e.preventDefault()
    // from a form, what it holds now (the user may have added to it since matching)
    const id = stashRecord(this._mode === 'form' && this._fields ? buildRecord(this._formState) : this._matched)
    location.hash = `#/protocols/${encodeURIComponent(r.protocol_id)}/evaluate?record=${id}`
  }

  override render() {
    const fields = this._mode === 'form' ? this._fields : undefined
    return html`<h1>Match a patient across protocols</h1>
      <p class="note">One record against the latest version of every protocol, best match first. Nothing is recorded in any screening log.</p>
      <fieldset class="mode">
        <legend>Start from</legend>
        <label><input type="radio" name="mode" .checked=${this._mode === 'form'} @change=${() => (this._mode = 'form')} />a protocol’s form</label>
        <label><input type="radio" name="mode" .checked=${this._mode === 'json'} @change=${() => (this._mode = 'json')} />a JSON record or a FHIR bundle</label>
      </fieldset>
      ${this._mode === 'form' ? this._formStart() : this._jsonStart()}
      <tp-problem .error=${this._error} context="Matching"></tp-problem>
      ${
        this._result
          ? matchRows(this._result.rows, {
              labelFor: fields ? key => fieldLabel(key, fields) : undefined,
              focus: key => this._focus(key),
              evaluate: (r, e) => this._evaluate(r, e),
            })
          : nothing
      }`
  }

  private _status() {
    return html`<span class="note" role="status">${this._result ? `${this._result.rows.length} protocol${this._result.rows.length === 1 ? '' : 's'} ranked` : ''}</span>`
  }

  private _formStart() {
    const undecided = (this._result?.rows ?? []).filter(r => r.protocol_id !== this._start && r.overall === 'undetermined').length
    return html`<div class="start">
      <label class="block" for="start">Protocol whose form to fill first (active protocols)</label>
      ${this._protocols.render({
        pending: () => html`<p role="status">Loading the protocols…</p>`,
        error: err => html`<tp-problem .error=${err} context="Loading the protocols"></tp-problem>`,
        complete: list => html`<select id="start" @change=${(e: Event) => void this._pick((e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${!this._start}>Choose a protocol…</option>
          ${list.map(p => html`<option value=${p.id} ?selected=${p.id === this._start}>${formatRegistryId(p.registry_id)} — ${p.title}</option>`)}
        </select>`,
      })}
      ${this._merged.length ? html`<p class="note" data-testid="merged">With the fields ${this._merged.join(', ')} still need${this._merged.length === 1 ? 's' : ''}.</p>` : nothing}
      ${
        this._fields
          ? html`<tp-patient-form .fields=${this._fields} .state=${this._formState} @patient-changed=${(e: Event) => (this._formState = (e.target as HTMLElement & { state: FormState }).state)}></tp-patient-form>
            <div class="actions">
              <button type="button" ?disabled=${this._pending} @click=${() => void this._run(buildRecord(this._formState))}>${this._pending ? 'Matching…' : 'Match across protocols'}</button>
              ${
                undecided && !this._merged.length
                  ? html`<button type="button" class="secondary" @click=${this._addOthers}>Add what the ${undecided} undecided protocol${undecided === 1 ? '' : 's'} still need${undecided === 1 ? 's' : ''}</button>`
                  : nothing
              }
              ${this._status()}
            </div>`
          : nothing
      }
    </div>`
  }

  private _jsonStart() {
    return html`<tp-fhir-import @fhir-record=${this._onFhir}></tp-fhir-import>
      <form @submit=${this._matchJson}>
        <label class="block" for="patient">Patient record (JSON, as for “Load from JSON” on a protocol’s Evaluate screen)</label>
        <textarea id="patient" spellcheck="false" .value=${this._json} @input=${(e: InputEvent) => (this._json = (e.target as HTMLTextAreaElement).value)}></textarea>
        <div class="actions">
          <button type="submit" ?disabled=${this._pending}>${this._pending ? 'Matching…' : 'Match'}</button>
          ${this._status()}
        </div>
      </form>`
  }
}
customElements.define('tp-patient-match', TpPatientMatch)

declare global {
  interface HTMLElementTagNameMap {
    'tp-patient-match': TpPatientMatch
  }
}
