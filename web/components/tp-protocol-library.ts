import { LitElement, css, html, nothing } from 'lit'
import { Task } from '@lit/task'
import { listProtocols, type ProtocolSummary } from '../api.ts'
import { base } from '../styles.ts'
import './tp-problem.ts'

/**
 * The protocol library: every protocol's registry id, title, latest version,
 * counts of criteria, arms, visits and endpoints, and lint warnings, with a
 * link that opens it in the editor, one to compare its versions (once it has
 * two), and "New protocol" for the roles that may create one.
 */
export class TpProtocolLibrary extends LitElement {
  static override properties = {
    canEdit: { type: Boolean },
    canEvaluate: { type: Boolean },
  }

  /** Whether the signed-in role may edit protocols (the link says "Edit" rather than "View"). */
  declare canEdit: boolean
  /** Whether the signed-in role may evaluate patients (offers "Evaluate"). */
  declare canEvaluate: boolean

  constructor() {
    super()
    this.canEdit = false
    this.canEvaluate = false
  }

  private readonly _protocols = new Task(this, {
    task: ([], { signal }) => listProtocols(signal),
    args: () => [],
  })

  static override styles = [
    base,
    css`
      :host { display: block; }
      .head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem; margin: 0 0 0.75rem; }
      .head h1 { margin: 0; }
      .table-wrap { position: relative; overflow-x: auto; background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; }
      table { border-collapse: collapse; width: 100%; min-width: 40rem; }
      caption { text-align: left; padding: 0.6rem 0.75rem; color: var(--tp-muted); }
      th, td { text-align: left; padding: 0.5rem 0.75rem; border-top: 1px solid var(--tp-line); vertical-align: top; }
      th[scope='col'] { background: #f1f3f6; font-weight: 600; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      td.title { min-width: 12rem; }
      .warn { color: var(--tp-unknown); font-weight: 600; }
      .id { font-family: ui-monospace, monospace; white-space: nowrap; }
      td:last-child { white-space: nowrap; }
      td:last-child .button + .button { margin-left: 0.4rem; }
      /* a phone: each protocol is a card, each cell labelled by its column */
      @media (max-width: 40rem) {
        table { min-width: 0; }
        thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        tr, td, th[scope='row'] { display: block; }
        th[scope='row'] { font-size: 1.05rem; border-top: 1px solid var(--tp-line); }
        td { border-top: 0; padding: 0.2rem 0.75rem; }
        td.num { text-align: left; }
        td.title { min-width: 0; }
        td[data-label]::before { content: attr(data-label) ': '; font-weight: 600; }
        td:last-child { padding-bottom: 0.75rem; white-space: normal; display: flex; flex-wrap: wrap; gap: 0.4rem; }
        td:last-child .button + .button { margin-left: 0; }
      }
    `,
  ]

  override render() {
    return html`<div class="head">
        <h1>Protocols</h1>
        ${this.canEdit ? html`<a class="button" href="#/protocols/new" data-testid="new-protocol"><span aria-hidden="true">+</span> New protocol</a>` : nothing}
      </div>
      ${this._protocols.render({
        pending: () => html`<p role="status">Loading protocols…</p>`,
        error: (e) => html`<tp-problem .error=${e} context="Loading the protocols"></tp-problem>
          <button type="button" @click=${() => this._protocols.run()}>Try again</button>`,
        complete: (rows) => (rows.length ? this._table(rows) : html`<p>No protocols yet.</p>`),
      })}`
  }

  private _table(rows: ProtocolSummary[]) {
    return html`<div class="table-wrap">
      <table>
        <caption>${rows.length} protocol${rows.length === 1 ? '' : 's'}, latest versions</caption>
        <thead>
          <tr>
            <th scope="col">Registry id</th>
            <th scope="col">Title</th>
            <th scope="col">Version</th>
            <th scope="col" class="num">Criteria</th>
            <th scope="col" class="num">Arms</th>
            <th scope="col" class="num">Visits</th>
            <th scope="col" class="num">Endpoints</th>
            <th scope="col" class="num">Warnings</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (p) => html`<tr data-protocol=${p.id}>
              <th scope="row" class="id">${p.registry_id}</th>
              <td class="title">${p.title}</td>
              <td data-label="Version">v${p.version}<div class="note">${p.encoding_version} · ${new Date(p.updated_at).toLocaleDateString()}</div></td>
              <td class="num" data-label="Criteria">${p.counts.criteria}</td>
              <td class="num" data-label="Arms">${p.counts.arms}</td>
              <td class="num" data-label="Visits">${p.counts.visits}</td>
              <td class="num" data-label="Endpoints">${p.counts.endpoints}</td>
              <td class="num ${p.warnings ? 'warn' : ''}" data-label="Lint warnings">${p.warnings ? `⚠ ${p.warnings}` : '0'}</td>
              <td>
                <a class="button" href="#/protocols/${encodeURIComponent(p.id)}/edit" aria-label="${this.canEdit ? 'Edit' : 'View'} ${p.registry_id}"
                  >${this.canEdit ? 'Edit' : 'View'}</a
                >
                ${this.canEvaluate
                  ? html`<a class="button secondary" href="#/protocols/${encodeURIComponent(p.id)}/evaluate" aria-label="Evaluate a patient for ${p.registry_id}">Evaluate</a>`
                  : nothing}
                ${p.version > 1
                  ? html`<a class="button secondary" href="#/protocols/${encodeURIComponent(p.id)}/compare" aria-label="Compare versions of ${p.registry_id}">Compare</a>`
                  : nothing}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`
  }
}
customElements.define('tp-protocol-library', TpProtocolLibrary)

declare global {
  interface HTMLElementTagNameMap {
    'tp-protocol-library': TpProtocolLibrary
  }
}
