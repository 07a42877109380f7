import { LitElement, css, html, nothing } from 'lit'
import { importFhirBundle, type FhirImport, type UnmappedItem, type UnmappedReason } from '../api/fhir.ts'
import { base } from '../styles.ts'
import './tp-problem.ts'

/** Each reason in words (the code stays visible for support). */
const REASON_WORDS: Record<UnmappedReason, string> = {
  UNSUPPORTED_RESOURCE: 'Not used by the patient record',
  UNKNOWN_CODE: 'Code not in the dictionary',
  UNIT_NOT_CONVERTIBLE: 'Unit cannot be converted',
  UNIT_NOT_UCUM: 'Unit has no UCUM code',
  MISSING_DATE: 'No usable date',
  IMPRECISE_DATE: 'Date is not a calendar day',
  MISSING_VALUE: 'No value',
  UNSUPPORTED_VALUE: 'Value cannot be used',
  EXCLUDED_STATUS: 'Status says it did not happen',
  UNRESOLVED_REFERENCE: 'Reference not in the bundle',
  OTHER_PATIENT: 'About another patient',
  SUPERSEDED: 'Replaced by a later value',
  INVALID_ENTRY: 'Not a resource',
}

/**
 * "Load from FHIR": paste or choose a FHIR R4 Bundle, have the server map it
 * to a patient record, see what could not be mapped (and what matched only
 * by name), and hand the record on.
 *
 * @fires fhir-record - `{ record }`: the imported record, to fill the form with
 */
export class TpFhirImport extends LitElement {
  static override properties = {
    _text: { state: true },
    _pending: { state: true },
    _error: { state: true },
    _result: { state: true },
  }

  declare _text: string
  declare _pending: boolean
  declare _error: unknown
  declare _result: FhirImport | undefined

  constructor() {
    super()
    this._text = ''
    this._pending = false
    this._error = undefined
    this._result = undefined
  }

  static override styles = [
    base,
    css`
      :host { display: block; }
      details { background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; padding: 0.5rem 0.8rem; margin-bottom: 0.75rem; }
      summary { cursor: pointer; font-weight: 600; color: var(--tp-accent); }
      label { display: block; font-weight: 600; margin: 0.5rem 0 0.2rem; }
      textarea { font-family: ui-monospace, monospace; font-size: 13px; min-height: 10rem; width: 100%; box-sizing: border-box; }
      input[type='file'] { max-width: 100%; }
      .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin-top: 0.5rem; }
      h3 { font-size: 1rem; margin: 0.8rem 0 0.3rem; }
      ul { margin: 0.2rem 0; padding-left: 1.2rem; }
      li { margin: 0.25rem 0; overflow-wrap: anywhere; }
      code { font-size: 12px; }
      .reason { font-weight: 600; }
    `,
  ]

  private async _onFile(e: Event): Promise<void> {
    const file = (e.target as HTMLInputElement).files?.[0]
    if (!file) return
    try {
      this._text = await file.text()
      this._error = undefined
    } catch (err) {
      this._error = new Error(`Could not read ${file.name}: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  private async _import(e: SubmitEvent): Promise<void> {
    e.preventDefault()
    let bundle: unknown
    try {
      bundle = JSON.parse(this._text)
    } catch (err) {
      this._error = new Error(`The bundle is not valid JSON: ${err instanceof Error ? err.message : String(err)}`)
      this._result = undefined
      return
    }
    this._pending = true
    this._error = undefined
    try {
      this._result = await importFhirBundle(bundle)
      this.dispatchEvent(new CustomEvent('fhir-record', { detail: { record: this._result.record }, bubbles: true, composed: true }))
    } catch (err) {
      this._error = err
      this._result = undefined
    } finally {
      this._pending = false
    }
  }

  override render() {
    return html`<details>
      <summary>Load from FHIR</summary>
      <form @submit=${this._import}>
        <label for="fhir-file">FHIR R4 Bundle file (.json)</label>
        <input id="fhir-file" type="file" accept=".json,application/json,application/fhir+json" @change=${this._onFile} />
        <label for="fhir-bundle">or paste the Bundle (JSON)</label>
        <textarea id="fhir-bundle" spellcheck="false" placeholder='{ "resourceType": "Bundle", "entry": [ … ] }' .value=${this._text}
          @input=${(e: InputEvent) => (this._text = (e.target as HTMLTextAreaElement).value)}></textarea>
        <div class="actions">
          <button type="submit" ?disabled=${this._pending || this._text.trim() === ''}>Import into the form</button>
          <span class="note" role="status">${this._pending ? 'Importing…' : this._result ? this._summary(this._result) : ''}</span>
        </div>
        <tp-problem .error=${this._error} context="Importing the FHIR bundle"></tp-problem>
      </form>
      ${this._result ? this._report(this._result) : nothing}
    </details>`
  }

  private _summary(r: FhirImport): string {
    const who = r.record.id ? ` (patient ${r.record.id})` : ''
    return `Imported ${r.mapped.length} item${r.mapped.length === 1 ? '' : 's'} into the form${who}; ${r.unmapped.length === 0 ? 'nothing left out' : `${r.unmapped.length} not mapped (listed below)`}.`
  }

  private _report(r: FhirImport) {
    const byName = r.mapped.filter((m) => m.match === 'name')
    return html`${r.unmapped.length
        ? html`<h3 id="unmapped-heading">Not mapped (${r.unmapped.length})</h3>
            <ul aria-labelledby="unmapped-heading" class="unmapped">
              ${r.unmapped.map((u) => this._unmapped(u))}
            </ul>`
        : html`<p class="note">✓ Every resource in the bundle was mapped.</p>`}
      ${byName.length
        ? html`<h3 id="by-name-heading">Matched by name only — check these (${byName.length})</h3>
            <ul aria-labelledby="by-name-heading" class="by-name">
              ${byName.map((m) => html`<li>⚠ <strong>${m.resourceType}${m.id ? `/${m.id}` : ''}</strong> ${m.matched ?? ''} → <code>${m.target}</code>${m.note ? html` — ${m.note}` : nothing}</li>`)}
            </ul>`
        : nothing}`
  }

  private _unmapped(u: UnmappedItem) {
    return html`<li>
      ✗ <strong>${u.resourceType}${u.id ? `/${u.id}` : ''}</strong> <code>${u.path}</code><br />
      <span class="reason">${REASON_WORDS[u.reason] ?? u.reason}</span> (${u.reason})${u.imported ? ' — the rest of the resource was imported' : ''}: ${u.message}
    </li>`
  }
}
customElements.define('tp-fhir-import', TpFhirImport)

declare global {
  interface HTMLElementTagNameMap {
    'tp-fhir-import': TpFhirImport
  }
}
