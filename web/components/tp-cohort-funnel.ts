import { LitElement, css, html, nothing } from 'lit'
import { Task } from '@lit/task'
import { runCohort, type CohortReport } from '../api/dashboard.ts'
import { base } from '../styles.ts'
import { countTable } from '../dashboard/count-table.ts'
import './tp-problem.ts'

/**
 * Feasibility in the research data warehouse: on request (a warehouse query
 * may take minutes), the protocol's eligibility counted over the OMOP source
 * the server is configured with. Shows how many persons, the overall
 * verdicts, the attrition per criterion (a person stays in while they pass)
 * and the criteria SQL cannot decide yet, which are unknown for everyone.
 */
export class TpCohortFunnel extends LitElement {
  static override properties = {
    protocolId: {},
  }

  /** The protocol whose eligibility is counted. */
  declare protocolId: string

  constructor() {
    super()
    this.protocolId = ''
  }

  private readonly _cohort = new Task(this, {
    task: ([id], { signal }) => runCohort(id, signal),
    args: () => [this.protocolId] as const,
    autoRun: false,
  })

  static override styles = [
    base,
    countTable,
    css`
      :host { display: block; }
      .summary { display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; margin: 0.5rem 0; }
      .summary b { font-variant-numeric: tabular-nums; }
      ul.unknown { margin: 0.3rem 0 0; padding-left: 1.2rem; }
    `,
  ]

  override render() {
    return html`<p class="note">
        Counts the protocol's eligibility in the OMOP database the server is configured with (<code>OMOP_SOURCE</code>), read-only: counts
        only, no person's data leaves it.
      </p>
      <button type="button" data-testid="run-cohort" @click=${() => void this._cohort.run()}>Count in the warehouse</button>
      ${this._cohort.render({
        initial: () => nothing,
        pending: () => html`<p role="status">Counting in the warehouse…</p>`,
        error: e => html`<tp-problem .error=${e} context="Counting in the warehouse"></tp-problem>`,
        complete: report => this._report(report),
      })}`
  }

  private _report(r: CohortReport) {
    const { overall, criteria } = r.funnel
    return html`<div data-testid="cohort-report">
      <p class="summary" role="status">
        <span><b>${r.persons}</b> persons in ${r.source}</span>
        <span>✓ eligible <b>${overall.eligible}</b></span>
        <span>✗ ineligible <b>${overall.ineligible}</b></span>
        <span>? undetermined <b>${overall.undetermined}</b></span>
      </p>
      <div class="table-wrap">
        <table data-testid="cohort-table">
          <caption>
            Criteria of version ${r.version} in protocol order; a person stays in while they pass (an unknown criterion stops them here). The last two
            columns count every person, whatever earlier criteria gave.
          </caption>
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              <th scope="col" class="num">Entering</th>
              <th scope="col" class="num">Passed</th>
              <th scope="col" class="num">Failed</th>
              <th scope="col" class="num">Unknown</th>
              <th scope="col" class="num">Failed, of all</th>
              <th scope="col" class="num">Unknown, of all</th>
            </tr>
          </thead>
          <tbody>
            ${criteria.map(
              s => html`<tr data-criterion=${s.criterion}>
                <th scope="row">${s.criterion}</th>
                <td class="num" data-label="Entering">${s.entering}</td>
                <td class="num" data-label="Passed">${s.pass}</td>
                <td class="num" data-label="Failed">${s.fail ? `✗ ${s.fail}` : '0'}</td>
                <td class="num" data-label="Unknown">${s.unknown ? `? ${s.unknown}` : '0'}</td>
                <td class="num" data-label="Failed (all)">${s.all.fail}</td>
                <td class="num" data-label="Unknown (all)">${s.all.unknown}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        r.unknown_in_sql.length
          ? html`<h3>Not decided in the warehouse yet</h3>
            <p class="note">These criteria are unknown for every person there: check them on each candidate.</p>
            <ul class="unknown" data-testid="cohort-unknown">
              ${r.unknown_in_sql.map(u => html`<li><b>${u.criterion}</b>: ${u.reasons.join('; ')}</li>`)}
            </ul>`
          : nothing
      }
    </div>`
  }
}
customElements.define('tp-cohort-funnel', TpCohortFunnel)

declare global {
  interface HTMLElementTagNameMap {
    'tp-cohort-funnel': TpCohortFunnel
  }
}
