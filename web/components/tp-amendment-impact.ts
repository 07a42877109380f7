import { LitElement, css, html, nothing } from 'lit'
import { Task } from '@lit/task'
import type { Overall } from '../../engine/index.ts'
import { getAmendmentImpact, type AmendmentImpactReport, type ImpactPatient } from '../api/impact.ts'
import { base } from '../styles.ts'
import './tp-problem.ts'

const OVERALL: Record<Overall, string> = { eligible: '✓ Eligible', undetermined: '? Undetermined', ineligible: '✗ Ineligible' }
const OUTCOME: Record<string, string> = { pass: 'passes', fail: 'fails', unknown: 'undecided', absent: 'absent' }
const ORDER: Overall[] = ['eligible', 'undetermined', 'ineligible']

/**
 * The impact of an amendment on patients already screened: each screened
 * record re-evaluated under both versions, the patients whose verdict
 * changes (with the criteria that moved and why), those ruled out for a
 * different reason, and the verdict transitions as a table.
 */
export class TpAmendmentImpact extends LitElement {
  static override properties = {
    protocolId: {},
    from: { type: Number },
    to: { type: Number },
    _population: { state: true },
  }

  declare protocolId: string
  declare from: number
  declare to: number
  declare _population: 'subjects' | 'all'

  constructor() {
    super()
    this.protocolId = ''
    this.from = 0
    this.to = 0
    this._population = 'subjects'
  }

  private readonly _impact = new Task(this, {
    task: ([id, from, to, population], { signal }) => getAmendmentImpact(id, from, to, population, signal),
    args: () => [this.protocolId, this.from, this.to, this._population] as const,
  })

  static override styles = [
    base,
    css`
      :host { display: block; }
      h2 { font-size: 1.15rem; }
      fieldset { border: 1px solid var(--tp-line); border-radius: 6px; padding: 0.4rem 0.75rem; margin: 0 0 0.75rem; }
      fieldset label { margin-right: 1rem; }
      .summary { font-weight: 600; }
      table { border-collapse: collapse; background: #fff; margin: 0.5rem 0; }
      th, td { border: 1px solid var(--tp-line); padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      .wrap { overflow-x: auto; }
      ul.patients { list-style: none; padding: 0; display: grid; gap: 0.5rem; }
      ul.patients > li { background: #fff; border: 1px solid var(--tp-line); border-left: 5px solid var(--tp-unknown); border-radius: 6px; padding: 0.5rem 0.75rem; }
      ul.patients ul { margin: 0.3rem 0 0; padding-left: 1.2rem; }
      ul.patients li li { overflow-wrap: anywhere; }
      .who { font-family: ui-monospace, monospace; font-weight: 600; }
      .arrow { font-weight: 700; }
    `,
  ]

  override render() {
    return html`<h2 id="impact-h">Impact on patients already screened</h2>
      <fieldset>
        <legend>Who counts as screened</legend>
        <label><input type="radio" name="population" value="subjects" .checked=${this._population === 'subjects'} @change=${() => (this._population = 'subjects')} /> each subject’s latest screening</label>
        <label><input type="radio" name="population" value="all" .checked=${this._population === 'all'} @change=${() => (this._population = 'all')} /> also evaluations filed under no subject</label>
      </fieldset>
      ${this._impact.render({
        pending: () => html`<p role="status">Re-evaluating screened patients under version ${this.from} and version ${this.to}…</p>`,
        error: e => html`<tp-problem .error=${e} context="Working out the impact"></tp-problem>`,
        complete: r => this._report(r),
      })}`
  }

  private _report(r: AmendmentImpactReport) {
    if (!r.screened)
      return html`<p data-testid="impact-summary">No patients have been screened for ${r.protocol_id} yet${r.population === 'subjects' ? ' (as registered subjects)' : ''}.</p>`
    return html`<p class="summary" role="status" data-testid="impact-summary">
        ${r.changed.length} of ${r.evaluated} screened patient${r.evaluated === 1 ? '' : 's'} change verdict from version ${r.from} to version ${r.to}${r.shifted.length ? `; ${r.shifted.length} keep it for a different reason` : ''}.
        ${r.not_reevaluable ? html`<span class="note">${r.not_reevaluable} screening${r.not_reevaluable === 1 ? ' was' : 's were'} logged without the record and cannot be re-evaluated.</span>` : nothing}
      </p>
      ${this._transitions(r)}
      ${r.changed.length ? html`<h3>Verdict changes</h3>${this._patients(r.changed)}` : nothing}
      ${r.shifted.length ? html`<h3>Same verdict, different criteria</h3>${this._patients(r.shifted)}` : nothing}`
  }

  private _transitions(r: AmendmentImpactReport) {
    // a region with a tab stop: at phone width the table scrolls sideways, and the keyboard must reach that too
    return html`<div class="wrap" role="region" aria-labelledby="transitions-caption" tabindex="0">
      <table>
        <caption class="note" id="transitions-caption">Verdicts: version ${r.from} (rows) → version ${r.to} (columns)</caption>
        <thead>
          <tr><th scope="col"><span class="visually-hidden">Version ${r.from}</span></th>${ORDER.map(o => html`<th scope="col">${OVERALL[o]}</th>`)}</tr>
        </thead>
        <tbody>
          ${ORDER.map(a => html`<tr><th scope="row">${OVERALL[a]}</th>${ORDER.map(b => html`<td class="num">${r.transitions[a][b]}</td>`)}</tr>`)}
        </tbody>
      </table>
    </div>`
  }

  private _patients(list: ImpactPatient[]) {
    return html`<ul class="patients">
      ${list.map(
        p => html`<li data-evaluation=${p.evaluation_id}>
          <span class="who">${p.subject_code ?? `evaluation ${p.evaluation_id}`}</span>
          <span class="note">screened ${p.screened_at.slice(0, 10)} under version ${p.screened_version}</span><br />
          ${OVERALL[p.before.overall]} <span class="arrow" aria-label="becomes">→</span> ${OVERALL[p.after.overall]}${p.after.failing.length ? html` (ruled out by ${p.after.failing.join(', ')})` : nothing}
          <ul>
            ${p.criteria.map(c => html`<li><strong>${c.id}</strong> ${c.title}: ${OUTCOME[c.before]} → ${OUTCOME[c.after]}${c.after === 'absent' ? '' : html` — ${c.reason}`}</li>`)}
          </ul>
        </li>`,
      )}
    </ul>`
  }
}
customElements.define('tp-amendment-impact', TpAmendmentImpact)

declare global {
  interface HTMLElementTagNameMap {
    'tp-amendment-impact': TpAmendmentImpact
  }
}
