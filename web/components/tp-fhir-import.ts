import { LitElement, css, html, nothing } from 'lit'
import { importFhirBundle, type FhirImport, type HistorySection, type UnmappedItem, type UnmappedReason, type UnrecognisedEntry } from '../api/fhir.ts'
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
  AMBIGUOUS_NAME: 'Name could mean more than one thing',
  OUTSIDE_DICTIONARY: 'Code not in the dictionary, taken as irrelevant',
}

const SECTIONS: ReadonlyArray<{ section: HistorySection; one: string }> = [
  { section: 'medications', one: 'Medication' },
  { section: 'conditions', one: 'Condition' },
  { section: 'procedures', one: 'Procedure' },
  { section: 'vaccinations', one: 'Vaccination' },
]

/** The items of a record's `unrecognised`, in section order, with where the record keeps each. */
export function itemsToReview(record: FhirImport['record']): Array<{ key: string; section: HistorySection; one: string; entry: UnrecognisedEntry }> {
  return SECTIONS.flatMap(({ section, one }) =>
    (record.unrecognised?.[section] ?? []).map((entry, i) => ({ key: `unrecognised.${section}[${i}]`, section, one, entry })),
  )
}

/** An entry's dates in words: "2026-10-05 to 2026-11-02", "since 2025-03-01, ongoing", "planned 2026-02-01". */
function datesOf(e: UnrecognisedEntry): string {
  const span = (from?: string, to?: string, open?: boolean) =>
    from && to ? `${from} to ${to}` : from ? `from ${from}${open ? ', ongoing' : ''}` : to ? `until ${to}` : open ? 'ongoing' : ''
  return (
    [span(e.start, e.stop, e.ongoing), span(e.onset, e.resolved), e.date ? `${e.planned ? 'planned ' : ''}${e.date}` : e.planned ? 'planned' : '']
      .filter(Boolean)
      .join('; ') || 'no date'
  )
}

/**
 * "Load from FHIR": paste or choose a FHIR R4 Bundle, have the server map it
 * to a patient record, see what it kept unrecognised (to review: the criteria
 * those could decide stay unknown), what could not be mapped (and what
 * matched only by name), and hand the record on.
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
      section.to-review { border: 2px solid var(--tp-unknown); border-left-width: 6px; background: var(--tp-unknown-bg); border-radius: 6px; padding: 0.5rem 0.8rem; margin: 0.75rem 0; }
      section.to-review h3 { margin-top: 0; color: var(--tp-unknown); }
      section.to-review p { margin: 0.2rem 0 0.4rem; }
      section.to-review li { background: #fff; border: 1px solid var(--tp-line); border-radius: 4px; padding: 0.35rem 0.5rem; list-style: none; }
      section.to-review ul { padding-left: 0; }
      .section { font-weight: 700; }
      .could { font-style: italic; }
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
    const review = itemsToReview(r.record).length
    const unmapped = r.unmapped.filter(u => !u.kept).length
    const parts = [...(review ? [`${review} to review`] : []), ...(unmapped ? [`${unmapped} not mapped`] : [])]
    return `Imported ${r.mapped.length} item${r.mapped.length === 1 ? '' : 's'} into the form${who}; ${parts.length === 0 ? 'nothing left out' : `${parts.join(', ')} (listed below)`}.`
  }

  private _report(r: FhirImport) {
    const byName = r.mapped.filter(m => m.match === 'name')
    const review = itemsToReview(r.record)
    // an item kept to review is listed there, with its reason code, not again under "not mapped"
    const kept = new Map(r.unmapped.flatMap(u => (u.kept ? [[u.kept, u] as const] : [])))
    const unmapped = r.unmapped.filter(u => !u.kept)
    // whole resources the record has no place for (Encounter, Claim...): a count per type, not a line each
    const unused = unmapped.filter(u => u.reason === 'UNSUPPORTED_RESOURCE' && !u.imported)
    // the same problem with the same code (a vital sign in every encounter): one line with a count
    const listed = [
      ...unmapped
        .filter(u => !unused.includes(u))
        .reduce((groups, u) => {
          const key = `${u.resourceType}\u0000${u.reason}\u0000${u.imported}\u0000${u.message}`
          const group = groups.get(key)
          if (group) group.push(u)
          else groups.set(key, [u])
          return groups
        }, new Map<string, UnmappedItem[]>())
        .values(),
    ]
    const unusedByType = [...unused.reduce((m, u) => m.set(u.resourceType, (m.get(u.resourceType) ?? 0) + 1), new Map<string, number>())].sort(
      (a, b) => b[1] - a[1],
    )
    return html`${
      review.length
        ? html`<section class="to-review" aria-labelledby="review-heading">
            <h3 id="review-heading">⚠ To review (${review.length})</h3>
            <p>Imported but not recognised: the criteria these could decide stay unknown until someone reviews them.</p>
            <ul class="to-review" aria-labelledby="review-heading">
              ${review.map(item => this._toReview(item, kept.get(item.key)))}
            </ul>
          </section>`
        : nothing
    }
      ${
        unmapped.length
          ? html`<h3 id="unmapped-heading">Not mapped (${unmapped.length})</h3>
            ${
              unused.length
                ? html`<p class="unused note">${unused.length} resource${unused.length === 1 ? '' : 's'} the patient record has no place for: ${unusedByType.map(([type, n]) => `${type} ×${n}`).join(', ')}.</p>`
                : nothing
            }
            <ul aria-labelledby="unmapped-heading" class="unmapped">
              ${listed.map(group => this._unmapped(group))}
            </ul>`
          : html`<p class="note">✓ ${review.length ? 'Nothing else in the bundle was left out.' : 'Every resource in the bundle was mapped.'}</p>`
      }
      ${
        byName.length
          ? html`<h3 id="by-name-heading">Matched by name only — check these (${byName.length})</h3>
            <ul aria-labelledby="by-name-heading" class="by-name">
              ${byName.map(m => html`<li>⚠ <strong>${m.resourceType}${m.id ? `/${m.id}` : ''}</strong> ${m.matched ?? ''} → <code>${m.target}</code>${m.note ? html` — ${m.note}` : nothing}</li>`)}
            </ul>`
          : nothing
      }`
  }

  private _toReview({ key, one, entry: e }: ReturnType<typeof itemsToReview>[number], from: UnmappedItem | undefined) {
    return html`<li data-key=${key}>
      <span class="section">${one}</span> “${e.text}”${e.codes?.length ? html` <code>${e.codes.join(', ')}</code>` : nothing} · ${datesOf(e)}<br />
      <span class="could">Could be ${e.possibly?.length ? e.possibly.join(', ') : `any ${one.toLowerCase()}`}</span> — ${e.reason}${from ? ` (${from.reason})` : ''}${
        e.source ? html` <span class="note">(bundle <code>${e.source}</code>)</span>` : nothing
      }
    </li>`
  }

  private _unmapped([u, ...more]: UnmappedItem[]) {
    if (!u) return nothing
    const what = more.length ? `${u.resourceType} ×${more.length + 1}` : `${u.resourceType}${u.id ? `/${u.id}` : ''}`
    const where = more.length ? `${u.path}, ${more[0]!.path}${more.length > 1 ? ', …' : ''}` : u.path
    return html`<li>
      ✗ <strong>${what}</strong> <code>${where}</code><br />
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
