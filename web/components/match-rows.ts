/**
 * The ranked rows of the Match page: each protocol's verdict in words, what
 * rules the patient out, the imported items to review, what is still needed
 * (links to the field when the page's form collects it) and "Evaluate in
 * X's form", which carries the record.
 */
import { css, html, nothing } from 'lit'
import type { MissingData } from '../../engine/index.ts'
import type { MatchResultRow } from '../api/match.ts'
import { formatRegistryId, formatVersion } from '../format.ts'
import { reviewCount, reviewItems, splitMissing } from './tp-verdict-panel.ts'
import './tp-verdict-panel.ts'

const OVERALL: Record<MatchResultRow['overall'], { symbol: string; word: string }> = {
  eligible: { symbol: '✓', word: 'Eligible' },
  undetermined: { symbol: '?', word: 'Undetermined' },
  ineligible: { symbol: '✗', word: 'Ineligible' },
}

export interface RowActions {
  /** The form's label for a missing-data key, when the page has a form field for it. */
  labelFor?: ((key: string) => string | undefined) | undefined
  /** Take the user to the field of a key. */
  focus: (key: string) => void
  /** "Evaluate in X's form": carry the record there. */
  evaluate: (row: MatchResultRow, e: Event) => void
}

export function matchRows(rows: MatchResultRow[], actions: RowActions) {
  if (!rows.length) return html`<p>No protocols in the store yet.</p>`
  return html`<ol class="rows" aria-label="Protocols ranked for this patient">
    ${rows.map(r => row(r, actions))}
  </ol>`
}

function needed(m: MissingData, actions: RowActions) {
  const label = actions.labelFor?.(m.key)
  return label
    ? html`<li data-key=${m.key}><button type="button" class="link" @click=${() => actions.focus(m.key)}>${label}</button></li>`
    : html`<li data-key=${m.key}>${m.description}</li>`
}

function row(r: MatchResultRow, actions: RowActions) {
  const o = OVERALL[r.overall]
  const review = reviewItems({ missing: r.missing, criteria: r.verdict?.criteria })
  const { needed: still } = splitMissing(r.missing)
  const id = formatRegistryId(r.registry_id)
  return html`<li class="row ${r.overall}" data-protocol=${r.protocol_id}>
    <div class="head">
      <span class="rank">#${r.rank}</span>
      <span class="id">${id}</span>
      <span class="badge ${r.overall}" data-testid="match-overall"><span aria-hidden="true">${o.symbol}</span> ${o.word}</span>
      <span class="counts">${r.counts.passed} passed · ${r.counts.failed} failed · ${r.counts.unknown} unknown of ${r.counts.total} criteria · ${formatVersion(r.version)}</span>
      ${review.length ? html`<span class="review-count" data-testid="review-count">⚠ ${reviewCount(review.length)}</span>` : nothing}
      <span class="title">${r.title}</span>
    </div>
    ${
      r.failing.length
        ? html`<p><strong>Ruled out by</strong></p>
          <ul class="why">
            ${r.failing.map(c => html`<li><span class="id">${c.id}</span> ${c.title}: ${c.reason}</li>`)}
          </ul>`
        : nothing
    }
    ${
      review.length
        ? html`<div class="review">
          <p><strong>To review (${review.length})</strong>: imported entries not recognised; the criteria they could decide stay unknown until reviewed</p>
          <ul class="why to-review">
            ${review.map(m => html`<li><span class="review-label">Review:</span> ${m.description} <code>${m.key}</code></li>`)}
          </ul>
        </div>`
        : nothing
    }
    ${
      still.length
        ? html`<p><strong>Still needed (${still.length})</strong></p>
          <ul class="why needed">
            ${still.map(m => needed(m, actions))}
          </ul>`
        : nothing
    }
    <details>
      <summary>Every criterion of ${id}</summary>
      <tp-verdict-panel .verdict=${r.verdict}></tp-verdict-panel>
    </details>
    <a href="#/protocols/${encodeURIComponent(r.protocol_id)}/evaluate" @click=${(e: Event) => actions.evaluate(r, e)}>Evaluate in ${id}’s form</a>
  </li>`
}

export const matchRowStyles = css`
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
  button.link { background: none; border: 0; padding: 0; font: inherit; color: var(--tp-accent); text-decoration: underline; cursor: pointer; text-align: left; }
`
