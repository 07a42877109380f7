import { LitElement, css, html, nothing } from 'lit'
import { matchPatientAcrossProtocols, type MatchResult, type MatchResultRow } from '../api/match.ts'
import { base } from '../styles.ts'
import './tp-problem.ts'
import { reviewCount, reviewItems, splitMissing } from './tp-verdict-panel.ts'
import './tp-fhir-import.ts'

const OVERALL: Record<MatchResultRow['overall'], { symbol: string; word: string }> = {
  eligible: { symbol: '✓', word: 'Eligible' },
  undetermined: { symbol: '?', word: 'Undetermined' },
  ineligible: { symbol: '✗', word: 'Ineligible' },
}

/** The README's starter record: enough to show the ranking, most criteria still unknown. */
const STARTER = { birth_date: '1990-05-01', sex: 'female', dates: { consent: '2026-01-05', screening: '2026-01-05' } }

/**
 * Match one patient across every protocol in the store: a ranked table
 * (eligible; undetermined with the fewest missing facts first; ineligible
 * with the failing criteria), each row expandable to its full verdict.
 * A look across trials, not a screening: nothing is logged.
 */
export class TpPatientMatch extends LitElement {
  static override properties = {
    _json: { state: true },
    _result: { state: true },
    _error: { state: true },
    _pending: { state: true },
  }

  declare _json: string
  declare _result: MatchResult | undefined
  declare _error: unknown
  declare _pending: boolean

  private _abort: AbortController | undefined

  constructor() {
    super()
    this._json = JSON.stringify(STARTER, null, 2)
    this._result = undefined
    this._error = undefined
    this._pending = false
  }

  static override styles = [
    base,
    css`
      :host { display: block; }
      h1 { font-size: 1.4rem; margin: 0 0 0.5rem; }
      form { background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; padding: 0.75rem; margin-bottom: 1rem; }
      label { display: block; font-weight: 600; margin-bottom: 0.3rem; }
      textarea { width: 100%; min-height: 10rem; font-family: ui-monospace, monospace; font-size: 13px; }
      .actions { display: flex; gap: 0.75rem; align-items: center; margin-top: 0.5rem; flex-wrap: wrap; }
      ol.rows { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.6rem; }
      li.row { background: #fff; border: 1px solid var(--tp-line); border-left-width: 6px; border-radius: 6px; padding: 0.6rem 0.8rem; }
      li.row.eligible { border-left-color: var(--tp-ok); }
      li.row.ineligible { border-left-color: var(--tp-bad); }
      li.row.undetermined { border-left-color: var(--tp-unknown); }
      .head { display: flex; flex-wrap: wrap; gap: 0.3rem 0.8rem; align-items: baseline; }
      .rank { font-weight: 700; font-size: 1.1rem; }
      .id { font-family: ui-monospace, monospace; font-weight: 600; }
      .badge { border-radius: 999px; padding: 0.05rem 0.55rem; font-weight: 700; font-size: 0.9rem; border: 1px solid; }
      .badge.eligible { color: var(--tp-ok); background: var(--tp-ok-bg); }
      .badge.ineligible { color: var(--tp-bad); background: var(--tp-bad-bg); }
      .badge.undetermined { color: var(--tp-unknown); background: var(--tp-unknown-bg); }
      .title { flex-basis: 100%; color: var(--tp-muted); overflow-wrap: anywhere; }
      ul.why { margin: 0.3rem 0; padding-left: 1.2rem; }
      ul.why li { overflow-wrap: anywhere; }
      .review { border: 2px solid var(--tp-unknown); border-left-width: 6px; border-radius: 6px; background: var(--tp-unknown-bg); padding: 0.3rem 0.7rem; margin: 0.4rem 0; }
      .review-label, .review-count { font-weight: 700; color: var(--tp-unknown); }
      .counts { color: var(--tp-muted); font-size: 0.9rem; }
      details summary { cursor: pointer; color: var(--tp-accent); margin-top: 0.3rem; }
      code { overflow-wrap: anywhere; }
    `,
  ]

  override disconnectedCallback(): void {
    this._abort?.abort()
    super.disconnectedCallback()
  }

  private async _match(e: SubmitEvent): Promise<void> {
    e.preventDefault()
    let patient: unknown
    try {
      patient = JSON.parse(this._json)
    } catch (err) {
      this._error = new Error(`The record is not valid JSON: ${err instanceof Error ? err.message : String(err)}`)
      return
    }
    this._abort?.abort()
    const abort = (this._abort = new AbortController())
    this._pending = true
    this._error = undefined
    try {
      this._result = await matchPatientAcrossProtocols(patient, abort.signal)
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return
      this._error = err
      this._result = undefined
    } finally {
      if (this._abort === abort) this._pending = false
    }
  }

  /** A record imported from a FHIR bundle replaces the JSON; the user then matches it. */
  private _onFhir(e: CustomEvent<{ record: unknown }>): void {
    this._json = JSON.stringify(e.detail.record, null, 2)
    this._result = undefined
  }

  override render() {
    return html`<h1>Match a patient across protocols</h1>
      <p class="note">One record against the latest version of every protocol, best match first. Nothing is recorded in any screening log.</p>
      <tp-fhir-import @fhir-record=${this._onFhir}></tp-fhir-import>
      <form @submit=${this._match}>
        <label for="patient">Patient record (JSON, as for “Load from JSON” on a protocol’s Evaluate screen)</label>
        <textarea id="patient" spellcheck="false" .value=${this._json} @input=${(e: InputEvent) => (this._json = (e.target as HTMLTextAreaElement).value)}></textarea>
        <div class="actions">
          <button type="submit" ?disabled=${this._pending}>${this._pending ? 'Matching…' : 'Match'}</button>
          <span class="note" role="status">${this._result ? `${this._result.rows.length} protocol${this._result.rows.length === 1 ? '' : 's'} ranked` : ''}</span>
        </div>
        <tp-problem .error=${this._error} context="Matching"></tp-problem>
      </form>
      ${this._result ? this._rows(this._result.rows) : nothing}`
  }

  private _rows(rows: MatchResultRow[]) {
    if (!rows.length) return html`<p>No protocols in the store yet.</p>`
    return html`<ol class="rows" aria-label="Protocols ranked for this patient">
      ${rows.map((r) => this._row(r))}
    </ol>`
  }

  private _row(r: MatchResultRow) {
    const o = OVERALL[r.overall]
    const review = reviewItems({ missing: r.missing, criteria: r.verdict?.criteria })
    const { needed } = splitMissing(r.missing)
    return html`<li class="row ${r.overall}" data-protocol=${r.protocol_id}>
      <div class="head">
        <span class="rank">#${r.rank}</span>
        <span class="id">${r.registry_id}</span>
        <span class="badge ${r.overall}" data-testid="match-overall"><span aria-hidden="true">${o.symbol}</span> ${o.word}</span>
        <span class="counts">${r.counts.passed} passed · ${r.counts.failed} failed · ${r.counts.unknown} unknown of ${r.counts.total} criteria · v${r.version}</span>
        ${review.length ? html`<span class="review-count" data-testid="review-count">⚠ ${reviewCount(review.length)}</span>` : nothing}
        <span class="title">${r.title}</span>
      </div>
      ${r.failing.length
        ? html`<p><strong>Ruled out by</strong></p>
            <ul class="why">
              ${r.failing.map((c) => html`<li><span class="id">${c.id}</span> ${c.title}: ${c.reason}</li>`)}
            </ul>`
        : nothing}
      ${review.length
        ? html`<div class="review">
            <p><strong>To review (${review.length})</strong>: imported entries not recognised; the criteria they could decide stay unknown until reviewed</p>
            <ul class="why to-review">
              ${review.map((m) => html`<li><span class="review-label">Review:</span> ${m.description} <code>${m.key}</code></li>`)}
            </ul>
          </div>`
        : nothing}
      ${needed.length
        ? html`<p><strong>Still needed (${needed.length})</strong></p>
            <ul class="why needed">
              ${needed.map((m) => html`<li>${m.description} <code>${m.key}</code></li>`)}
            </ul>`
        : nothing}
      <details>
        <summary>Every criterion of ${r.registry_id}</summary>
        <tp-verdict-panel .verdict=${r.verdict}></tp-verdict-panel>
      </details>
      <a href="#/protocols/${encodeURIComponent(r.protocol_id)}/evaluate">Evaluate in ${r.registry_id}’s form</a>
    </li>`
  }
}
customElements.define('tp-patient-match', TpPatientMatch)

declare global {
  interface HTMLElementTagNameMap {
    'tp-patient-match': TpPatientMatch
  }
}
