import { LitElement, css, html, nothing } from 'lit'
import type { ScreeningFunnelReport } from '../api/dashboard.ts'
import { flowModel, funnelRows, versionNote, type FlowBox, type FlowTone } from '../dashboard/funnel-view.ts'
import { base } from '../styles.ts'
import { countTable } from '../dashboard/count-table.ts'

/** A symbol beside each box's words, so no box relies on its colour. */
const SYMBOL: Record<FlowTone, string> = { neutral: '', in: '✓', out: '✗', unknown: '?' }

/**
 * The screening funnel of a protocol, CONSORT-style: boxes from registered
 * and screened subjects down to the arms, with the excluded (by the first
 * criterion failed) and the undetermined branching off; then the attrition
 * per criterion as a table. At phone width the flow is a vertical list.
 */
export class TpScreeningFunnel extends LitElement {
  static override properties = {
    report: { attribute: false },
  }

  /** The funnel to draw (GET /protocols/:id/screening-funnel). */
  declare report: ScreeningFunnelReport | undefined

  constructor() {
    super()
    this.report = undefined
  }

  static override styles = [
    base,
    countTable,
    css`
      :host { display: block; }
      ol.flow { list-style: none; margin: 0 0 1rem; padding: 0; }
      /* each stage: the arrow from the stage above (row 1), the main box (row 2, left) and its branches (row 2, right) */
      li.stage { display: grid; grid-template-columns: minmax(13rem, 17rem) minmax(0, 1fr); column-gap: 2.2rem; align-items: start; }
      li.stage > .box { grid-row: 2; grid-column: 1; }
      li.stage > ul.side { grid-row: 2; grid-column: 2; }
      li.stage + li.stage::before {
        content: '↓'; grid-row: 1; grid-column: 1; justify-self: center; font-size: 1.3rem; line-height: 1.7rem; color: var(--tp-muted);
      }
      .box { background: #fff; border: 1px solid var(--tp-line); border-left-width: 5px; border-radius: 4px; padding: 0.45rem 0.7rem; }
      .box.in { border-left-color: var(--tp-ok); }
      .box.out { border-left-color: var(--tp-bad); }
      .box.unknown { border-left-color: var(--tp-unknown); }
      .box.neutral { border-left-color: #8a94a3; }
      .box .head { display: flex; align-items: baseline; gap: 0.5rem; justify-content: space-between; }
      .box .title { font-weight: 600; }
      .box .count { font-size: 1.35rem; font-weight: 700; font-variant-numeric: tabular-nums; }
      .box .symbol { font-weight: 700; margin-right: 0.3rem; }
      .box.in .symbol { color: var(--tp-ok); }
      .box.out .symbol { color: var(--tp-bad); }
      .box.unknown .symbol { color: var(--tp-unknown); }
      .box .note { font-size: 0.85rem; margin: 0.1rem 0 0; }
      .box ul.items { margin: 0.3rem 0 0; padding-left: 1.1rem; font-size: 0.9rem; }
      .box ul.items b { font-variant-numeric: tabular-nums; }
      ul.side { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; }
      ul.side > li { position: relative; flex: 1 1 14rem; max-width: 24rem; }
      ul.side > li::before { content: '→'; position: absolute; left: -1.7rem; top: 0.45rem; color: var(--tp-muted); }
      ul.side > li + li::before { content: ''; }
      li.allocation > ul.arms { grid-row: 2; grid-column: 1 / -1; }
      ul.arms { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 17rem)); gap: 0.5rem 1rem; }
      @media (max-width: 40rem) {
        li.stage { grid-template-columns: minmax(0, 1fr); }
        li.stage > ul.side { grid-row: 3; grid-column: 1; flex-direction: column; margin: 0.4rem 0 0 1.4rem; }
        ul.side > li { flex: none; max-width: none; }
        ul.side > li::before, ul.side > li + li::before { content: '↳'; left: -1.2rem; }
        ul.arms { grid-template-columns: minmax(0, 1fr); }
      }
    `,
  ]

  override render() {
    const r = this.report
    if (!r) return nothing
    const model = flowModel(r)
    const note = versionNote(r)
    return html`
      <p class="note" data-testid="funnel-basis"><strong>Who is counted.</strong> ${r.basis}</p>
      ${note ? html`<p class="note">${note}</p>` : nothing}
      ${
        model.empty
          ? html`<p data-testid="funnel-empty">
            No screenings counted yet${r.subjects.registered ? html` (${r.subjects.registered} subject${r.subjects.registered === 1 ? '' : 's'} registered, none screened)` : ''}. Register and screen
            subjects on the <a href="#/protocols/${encodeURIComponent(r.protocol_id)}/subjects">Subjects</a> tab${r.population === 'subjects' ? ', or include evaluations filed under no subject' : ''}.
          </p>`
          : html`<ol class="flow" aria-label="Screening flow" data-testid="flow">
              ${model.stages.map(
                s => html`<li class="stage">
                  ${this._box(s.main, 'div')}
                  ${s.side.length ? html`<ul class="side">${s.side.map(b => this._box(b, 'li'))}</ul>` : nothing}
                </li>`,
              )}
              ${
                model.arms.length
                  ? html`<li class="stage allocation">
                    <ul class="arms" aria-label="Allocation by arm">${model.arms.map(b => this._box(b, 'li'))}</ul>
                  </li>`
                  : nothing
              }
            </ol>
            ${this._table(r)}`
      }
    `
  }

  private _box(b: FlowBox, tag: 'div' | 'li') {
    const symbol = SYMBOL[b.tone]
    const body = html`<div class="head">
        <span class="title">${symbol ? html`<span class="symbol" aria-hidden="true">${symbol}</span>` : nothing}${b.title}<span class="visually-hidden">:</span></span>
        <span class="count">${b.count}</span>
      </div>
      ${b.note ? html`<p class="note">${b.note}</p>` : nothing}
      ${b.items?.length ? html`<ul class="items">${b.items.map(i => html`<li>${i.label}: <b>${i.count}</b></li>`)}</ul>` : nothing}`
    return tag === 'li' ? html`<li class="box ${b.tone}" data-box=${b.key}>${body}</li>` : html`<div class="box ${b.tone}" data-box=${b.key}>${body}</div>`
  }

  private _table(r: ScreeningFunnelReport) {
    const rows = funnelRows(r)
    return html`<h3>Attrition per criterion</h3>
      <div class="table-wrap">
        <table data-testid="funnel-table">
          <caption>
            ${r.flow.screened} screened; criteria of version ${r.version} in protocol order. A record leaves at the first criterion it fails; one left undecided goes on, since a
            later criterion may still rule it out.
          </caption>
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              <th scope="col">Kind</th>
              <th scope="col" class="num">Entering</th>
              <th scope="col" class="num">Excluded here</th>
              <th scope="col" class="num">Undecided here</th>
              <th scope="col" class="num">Passed</th>
              <th scope="col" class="num">Fail, of all screened</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              row => html`<tr data-criterion=${row.criterion}>
                <th scope="row"><span class="id">${row.criterion}</span>${row.title ? html`<div class="note">${row.title}</div>` : nothing}</th>
                <td data-label="Kind">${row.kind}</td>
                <td class="num" data-label="Entering">${row.entering}</td>
                <td class="num ${row.excluded ? 'hit' : ''}" data-label="Excluded">${row.excluded ? `✗ ${row.excluded} (${row.excludedShare})` : '0'}</td>
                <td class="num" data-label="Undecided">${row.unknown ? `? ${row.unknown}` : '0'}</td>
                <td class="num" data-label="Passed">${row.pass}</td>
                <td class="num" data-label="Fail (all)">${row.failAll}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`
  }
}
customElements.define('tp-screening-funnel', TpScreeningFunnel)

declare global {
  interface HTMLElementTagNameMap {
    'tp-screening-funnel': TpScreeningFunnel
  }
}
