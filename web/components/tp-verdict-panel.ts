import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import type { CriterionResult, Explanation, MissingData, Overall, Truth, Verdict } from '../../engine/index.ts'
import { base } from '../styles.ts'

/** Words and symbols for each status: colour is never the only carrier. */
export const OVERALL_LABEL: Record<Overall, { symbol: string; text: string; summary: string }> = {
  eligible: { symbol: '✓', text: 'Eligible', summary: 'Every inclusion criterion is met and no exclusion criterion is.' },
  ineligible: { symbol: '✗', text: 'Ineligible', summary: 'At least one criterion rules the patient out.' },
  undetermined: { symbol: '?', text: 'Undetermined', summary: 'Nothing rules the patient out yet, but some criteria cannot be decided from the data given.' },
}
export const TRUTH_LABEL: Record<Truth, { symbol: string; text: string }> = {
  met: { symbol: '✓', text: 'Met' },
  not_met: { symbol: '✗', text: 'Not met' },
  unknown: { symbol: '?', text: 'Unknown' },
}
const OUTCOME_TEXT: Record<CriterionResult['outcome'], string> = { pass: 'passes', fail: 'rules out', unknown: 'undecided' }

/** Missing items split into imported entries to review and data still to enter, each in its order. */
export function splitMissing(list: readonly MissingData[]): { review: MissingData[]; needed: MissingData[] } {
  const review: MissingData[] = []
  const needed: MissingData[] = []
  for (const m of list) (m.review ? review : needed).push(m)
  return { review, needed }
}

/** The distinct imported items a verdict asks to review: the verdict's list and each criterion's, by key. */
export function reviewItems(v: Pick<Verdict, 'missing'> & { criteria?: ReadonlyArray<{ missing?: readonly MissingData[] }> }): MissingData[] {
  const byKey = new Map<string, MissingData>()
  for (const m of [...v.missing, ...(v.criteria ?? []).flatMap(c => c.missing ?? [])]) if (m.review && !byKey.has(m.key)) byKey.set(m.key, m)
  return [...byKey.values()]
}

/** "2 imported items to review" */
export const reviewCount = (n: number): string => `${n} imported item${n === 1 ? '' : 's'} to review`

/**
 * A verdict: eligible / ineligible / undetermined overall; each inclusion
 * and exclusion criterion met / not met / unknown in words and symbols, with
 * its reason and its explanation tree (expandable); the imported items to
 * review (entries an import kept without recognising them: "Review: …") and
 * the data still needed to decide what is unknown.
 */
export class TpVerdictPanel extends LitElement {
  static override properties = {
    verdict: { attribute: false },
    labelFor: { attribute: false },
  }

  /** The verdict to show (POST /protocols/:id/evaluate, or the engine's evaluateEligibility). */
  declare verdict: Verdict | undefined
  /**
   * The form's label of the field that collects a missing-data key (web/patient-form/field-keys.ts
   * `fieldLabel`); with it "Still needed" items are buttons that ask the page to focus that field.
   */
  declare labelFor: ((key: string) => string | undefined) | undefined

  constructor() {
    super()
    this.verdict = undefined
    this.labelFor = undefined
  }

  static override styles = [
    base,
    css`
      :host { display: block; }
      .overall { display: flex; gap: 0.75rem; align-items: center; padding: 0.75rem 1rem; border-radius: 6px; border: 2px solid; margin-bottom: 1rem; }
      .overall .symbol { font-size: 1.8rem; font-weight: 700; line-height: 1; }
      .overall h2 { margin: 0; font-size: 1.3rem; }
      .overall p { margin: 0.2rem 0 0; }
      .overall.eligible, .badge.pass { color: var(--tp-ok); background: var(--tp-ok-bg); border-color: var(--tp-ok); }
      .overall.ineligible, .badge.fail { color: var(--tp-bad); background: var(--tp-bad-bg); border-color: var(--tp-bad); }
      .overall.undetermined, .badge.undecided { color: var(--tp-unknown); background: var(--tp-unknown-bg); border-color: var(--tp-unknown); }
      .overall p, .overall h2 { color: var(--tp-ink); }
      h3 { font-size: 1.05rem; margin: 1rem 0 0.4rem; }
      ol.criteria { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.5rem; }
      li.criterion { background: #fff; border: 1px solid var(--tp-line); border-left-width: 5px; border-radius: 4px; padding: 0.5rem 0.75rem; }
      li.criterion.pass { border-left-color: var(--tp-ok); }
      li.criterion.fail { border-left-color: var(--tp-bad); }
      li.criterion.undecided { border-left-color: var(--tp-unknown); }
      li.criterion { color: var(--tp-ink); }
      .head { display: flex; flex-wrap: wrap; gap: 0.3rem 0.6rem; align-items: baseline; }
      .badge { display: inline-block; border: 1px solid; border-radius: 999px; padding: 0 0.55rem; font-weight: 700; font-size: 0.85rem; white-space: nowrap; }
      .id { font-family: ui-monospace, monospace; font-weight: 700; }
      .title { font-weight: 600; }
      .text { margin: 0.3rem 0; color: var(--tp-muted); font-size: 0.9rem; }
      .reason { margin: 0.3rem 0; overflow-wrap: anywhere; }
      summary { cursor: pointer; color: var(--tp-accent); }
      ul.tree, ul.tree ul { list-style: none; margin: 0.25rem 0 0; padding-left: 1.1rem; border-left: 1px dotted #aab2bd; }
      ul.tree li { margin: 0.2rem 0; overflow-wrap: anywhere; }
      .truth { font-weight: 700; }
      .truth.met { color: var(--tp-ok); }
      .truth.not_met { color: var(--tp-bad); }
      .truth.unknown { color: var(--tp-unknown); }
      .detail { color: var(--tp-muted); }
      .needed li { margin: 0.2rem 0; overflow-wrap: anywhere; }
      /* a link's look for a button that moves the focus (it does not navigate) */
      button.link { background: none; border: 0; padding: 0; font: inherit; color: var(--tp-accent); text-decoration: underline; cursor: pointer; text-align: left; }
      .review { border: 2px solid var(--tp-unknown); border-left-width: 6px; border-radius: 6px; background: var(--tp-unknown-bg); padding: 0.4rem 0.8rem; margin: 0.5rem 0; }
      .review h3 { margin-top: 0.2rem; color: var(--tp-unknown); }
      .review ul { margin: 0.2rem 0; padding-left: 1.1rem; }
      .review li { margin: 0.2rem 0; overflow-wrap: anywhere; }
      .review-label { font-weight: 700; color: var(--tp-unknown); }
      ul.review { list-style: none; padding: 0.3rem 0.6rem; }
      /* long keys (attestations.severe_uncontrolled_…) wrap at 360 px rather than widen the page */
      code { font-size: 0.85em; overflow-wrap: anywhere; }
    `,
  ]

  override render() {
    const v = this.verdict
    if (!v) return html`<p class="note">No verdict yet.</p>`
    const o = OVERALL_LABEL[v.overall]
    const inclusion = v.criteria.filter(c => c.kind === 'inclusion')
    const exclusion = v.criteria.filter(c => c.kind === 'exclusion')
    const review = reviewItems(v)
    const { needed } = splitMissing(v.missing)
    return html`
      <div class="overall ${v.overall}" role="status" data-testid="overall">
        <span class="symbol" aria-hidden="true">${o.symbol}</span>
        <div>
          <h2>${o.text}</h2>
          <p>${o.summary}${v.failing.length ? ` Ruled out by ${v.failing.join(', ')}.` : ''}${v.undecided.length ? ` Undecided: ${v.undecided.join(', ')}.` : ''}${
            review.length ? html` <strong data-testid="review-count">${reviewCount(review.length)}.</strong>` : nothing
          }</p>
        </div>
      </div>
      ${
        review.length
          ? html`<section class="review" aria-labelledby="review-h">
            <h3 id="review-h">⚠ To review (${review.length})</h3>
            <p class="note">Imported entries that were not recognised: the criteria they could decide stay unknown until someone reviews them.</p>
            <ul>
              ${review.map(m => html`<li><span class="review-label">Review:</span> ${m.description} <code>${m.key}</code></li>`)}
            </ul>
          </section>`
          : nothing
      }
      ${
        needed.length
          ? html`<section class="needed" aria-labelledby="needed-h">
            <h3 id="needed-h">Still needed (${needed.length})</h3>
            <ul>
              ${needed.map(m => this._needed(m))}
            </ul>
          </section>`
          : nothing
      }
      ${this._group('Inclusion criteria', 'must be met', inclusion)} ${this._group('Exclusion criteria', 'must not be met', exclusion)}
      ${
        v.warnings.length
          ? html`<section aria-labelledby="warn-h">
            <h3 id="warn-h">Warnings about the record</h3>
            <ul>
              ${v.warnings.map(w => html`<li>${w}</li>`)}
            </ul>
          </section>`
          : nothing
      }
    `
  }

  /**
   * One item still needed, in the form's words: a button to its field when the
   * page has a form for it (@fires focus-field `detail.key`), else the engine's words.
   */
  private _needed(m: MissingData) {
    const label = this.labelFor?.(m.key)
    if (!label) return html`<li data-key=${m.key}>${m.description}</li>`
    // a window or a date says when the value counts: worth reading beside the field's name
    const when = /^(measurement|pregnancy_test):/.test(m.key) ? html` <span class="note">— ${m.description}</span>` : nothing
    const go = () => this.dispatchEvent(new CustomEvent('focus-field', { detail: { key: m.key }, bubbles: true, composed: true }))
    return html`<li data-key=${m.key}><button type="button" class="link" @click=${go}>${label}</button>${when}</li>`
  }

  private _group(heading: string, rule: string, criteria: CriterionResult[]) {
    if (!criteria.length) return nothing
    const id = heading.split(' ')[0]!.toLowerCase()
    return html`<section aria-labelledby="${id}-h">
      <h3 id="${id}-h">${heading} <span class="note">(${rule})</span></h3>
      <ol class="criteria">
        ${criteria.map(c => this._criterion(c))}
      </ol>
    </section>`
  }

  private _criterion(c: CriterionResult) {
    const t = TRUTH_LABEL[c.truth]
    const cls = c.outcome === 'pass' ? 'pass' : c.outcome === 'fail' ? 'fail' : 'undecided'
    return html`<li class="criterion ${cls}" data-criterion=${c.id}>
      <div class="head">
        <span class="badge ${cls}" data-testid="truth"><span aria-hidden="true">${t.symbol} </span>${t.text}</span>
        <span class="id">${c.id}</span>
        ${c.title ? html`<span class="title">${c.title}</span>` : nothing}
        <span class="note">— ${OUTCOME_TEXT[c.outcome]}${c.applicable === 'not_met' ? ' (does not apply to this patient)' : ''}</span>
      </div>
      <p class="text">${c.text}</p>
      <p class="reason">${c.reason}</p>
      ${this._review(c)}
      <details>
        <summary>Explanation</summary>
        ${c.applicability ? html`<ul class="tree" aria-label="When it applies">${this._node(c.applicability, 'Applies if: ')}</ul>` : nothing}
        <ul class="tree" aria-label="Explanation of ${c.id}">
          ${this._node(c.explanation)}
        </ul>
      </details>
    </li>`
  }

  /** What an undecided criterion waits for among the imported items: "Review: …", one per item. */
  private _review(c: CriterionResult) {
    if (c.outcome !== 'unknown') return nothing
    const { review } = splitMissing(c.missing ?? [])
    if (!review.length) return nothing
    return html`<ul class="review" aria-label="Imported items to review for ${c.id}">
      ${review.map(m => html`<li><span class="review-label"><span aria-hidden="true">⚠ </span>Review:</span> ${m.description}</li>`)}
    </ul>`
  }

  /** One clause; a clause with sub-clauses is a disclosure, open near the top of the tree. */
  private _node(e: Explanation, prefix = '', depth = 0): TemplateResult {
    const t = TRUTH_LABEL[e.truth]
    const line = html`<span class="truth ${e.truth}">${t.symbol} ${t.text}</span>: ${prefix}${e.label}${e.detail ? html` <span class="detail">— ${e.detail}</span>` : nothing}`
    const { review, needed } = splitMissing(e.missing ?? [])
    const missing = html`${needed.length ? html`<div class="detail">needs: ${needed.map(m => m.description).join('; ')}</div>` : nothing}${
      review.length ? html`<div class="detail"><span class="review-label">review:</span> ${review.map(m => m.description).join('; ')}</div>` : nothing
    }`
    if (!e.children?.length) return html`<li>${line}${missing}</li>`
    return html`<li>
      <details ?open=${depth < 1}>
        <summary>${line}</summary>
        ${missing}
        <ul>
          ${e.children.map(child => this._node(child, '', depth + 1))}
        </ul>
      </details>
    </li>`
  }
}
customElements.define('tp-verdict-panel', TpVerdictPanel)

declare global {
  interface HTMLElementTagNameMap {
    'tp-verdict-panel': TpVerdictPanel
  }
}
