import { LitElement, css, html, nothing } from 'lit'
import { Task } from '@lit/task'
import { listProtocols, type ProtocolSummary } from '../api.ts'
import { STATUS_LABELS, openToClinicians, setProtocolStatus, type ProtocolStatus, type StatusTransition } from '../api/protocol-status.ts'
import { formatDate, formatRegistryId, formatVersion } from '../format.ts'
import { base } from '../styles.ts'
import './tp-problem.ts'

/** What a change of status is called on its button. */
function actionLabel(from: ProtocolStatus, to: ProtocolStatus): string {
  return to === 'retired' ? 'Retire' : from === 'retired' ? 'Reactivate' : 'Activate'
}

/** A status change being confirmed: the row, the change, what the server says it needs. */
interface Pending {
  protocol: ProtocolSummary
  transition: StatusTransition
}

/**
 * The protocol library: every protocol's id, title, status and latest
 * version (registry id, counts of criteria, arms, visits and endpoints, lint
 * warnings beside), with a link that opens it in the editor, one to compare
 * its versions (once it has two), and "New protocol" for the roles that may
 * create one.
 *
 * Designers and admins see every protocol, drafts and retired ones marked,
 * and change a status here (activate, retire; reactivate for admins) with a
 * reason the audit trail keeps. Others see active and retired protocols
 * (a retired protocol's subjects are still followed), never drafts; only an
 * active protocol offers "Evaluate" to a clinician.
 */
export class TpProtocolLibrary extends LitElement {
  static override properties = {
    canEdit: { type: Boolean },
    canEvaluate: { type: Boolean },
    canAdminister: { type: Boolean },
    _pending: { state: true },
    _reason: { state: true },
    _saving: { state: true },
    _error: { state: true },
    _announce: { state: true },
  }

  /** Whether the signed-in role may edit protocols (the link says "Edit" rather than "View"; status controls). */
  declare canEdit: boolean
  /** Whether the signed-in role may evaluate patients (offers "Evaluate"). */
  declare canEvaluate: boolean
  /** Whether the signed-in role is admin (may reactivate a retired protocol). */
  declare canAdminister: boolean
  declare _pending: Pending | undefined
  declare _reason: string
  declare _saving: boolean
  declare _error: unknown
  declare _announce: string

  constructor() {
    super()
    this.canEdit = false
    this.canEvaluate = false
    this.canAdminister = false
    this._pending = undefined
    this._reason = ''
    this._saving = false
    this._error = undefined
    this._announce = ''
  }

  private readonly _protocols = new Task(this, {
    task: (_args, { signal }) => listProtocols(signal),
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
      .status { display: inline-block; padding: 0.05rem 0.45rem; border-radius: 999px; border: 1px solid currentColor; font-weight: 600; font-size: 0.9em; }
      .status.active { color: var(--tp-ok); background: var(--tp-ok-bg); }
      .status.draft { color: var(--tp-unknown); background: var(--tp-unknown-bg); }
      .status.retired { color: var(--tp-muted); background: #eef0f3; }
      tr.draft .title-text, tr.retired .title-text { color: var(--tp-muted); }
      /* the buttons wrap rather than push the table wider than the screen */
      td.actions { min-width: 6rem; }
      td.actions > .button { margin: 0 0.4rem 0.4rem 0; }
      td.version { white-space: nowrap; }
      .status-actions { display: flex; flex-wrap: wrap; gap: 0.3rem; margin-top: 0.35rem; }
      .status-actions button { padding: 0.15rem 0.5rem; font-size: 0.9em; }
      tr.change-row td { border-top: 0; background: #f8f9fb; }
      .change { display: grid; gap: 0.3rem; max-width: 36rem; }
      .change textarea { width: 100%; min-height: 3.5rem; font: inherit; }
      .change .row { display: flex; gap: 0.4rem; flex-wrap: wrap; }
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
        td.actions { padding-bottom: 0.75rem; white-space: normal; display: flex; flex-wrap: wrap; gap: 0.4rem; }
        td.actions > .button { margin: 0; }
      }
    `,
  ]

  override render() {
    return html`<div class="head">
        <h1>Protocols</h1>
        ${this.canEdit ? html`<a class="button" href="#/protocols/new" data-testid="new-protocol"><span aria-hidden="true">+</span> New protocol</a>` : nothing}
      </div>
      <p class="visually-hidden" role="status" aria-live="polite" data-testid="announce">${this._announce}</p>
      ${this._protocols.render({
        pending: () => html`<p role="status">Loading protocols…</p>`,
        error: e => html`<tp-problem .error=${e} context="Loading the protocols"></tp-problem>
          <button type="button" @click=${() => this._protocols.run()}>Try again</button>`,
        complete: rows => {
          const shown = this.canEdit ? rows : rows.filter(p => p.status !== 'draft')
          return shown.length ? this._table(shown) : html`<p>No protocols yet.</p>`
        },
      })}`
  }

  private _caption(rows: ProtocolSummary[]): string {
    const n = (status: ProtocolStatus) => rows.filter(p => p.status === status).length
    const parts = (['active', 'draft', 'retired'] as const).filter(s => n(s) > 0).map(s => `${n(s)} ${s}`)
    return `${rows.length} protocol${rows.length === 1 ? '' : 's'} (${parts.join(', ')}), latest versions`
  }

  private _table(rows: ProtocolSummary[]) {
    return html`<div class="table-wrap">
      <table>
        <caption>${this._caption(rows)}</caption>
        <thead>
          <tr>
            <th scope="col">Protocol id</th>
            <th scope="col">Title</th>
            <th scope="col">Status</th>
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
            p => html`<tr data-protocol=${p.id} data-status=${p.status} class=${p.status}>
              <th scope="row" class="id">${formatRegistryId(p.id)}</th>
              <td class="title"><span class="title-text">${p.title}</span> <div class="note">Registry ${formatRegistryId(p.registry_id)}</div></td>
              <td data-label="Status">
                <span class="status ${p.status}" data-testid="status">${STATUS_LABELS[p.status]}</span>${this.canEdit ? this._statusControls(p) : nothing}
              </td>
              <td class="version" data-label="Version">${formatVersion(p.version)} <div class="note">saved ${formatDate(p.updated_at)}</div></td>
              <td class="num" data-label="Criteria">${p.counts.criteria}</td>
              <td class="num" data-label="Arms">${p.counts.arms}</td>
              <td class="num" data-label="Visits">${p.counts.visits}</td>
              <td class="num" data-label="Endpoints">${p.counts.endpoints}</td>
              <td class="num ${p.warnings ? 'warn' : ''}" data-label="Lint warnings">${p.warnings ? `⚠ ${p.warnings}` : '0'}</td>
              <td class="actions">${this._actions(p)}</td>
            </tr>
            ${this._pending?.protocol.id === p.id ? html`<tr class="change-row"><td colspan="10">${this._changeForm(this._pending)}</td></tr>` : nothing}`,
          )}
        </tbody>
      </table>
    </div>`
  }

  private _actions(p: ProtocolSummary) {
    const id = formatRegistryId(p.id)
    // clinicians evaluate active protocols; designers and admins may preview a draft
    const evaluate = this.canEvaluate && (openToClinicians(p) || (this.canEdit && p.status === 'draft'))
    return html`<a class="button" href="#/protocols/${encodeURIComponent(p.id)}/edit" aria-label="${this.canEdit ? 'Edit' : 'View'} ${id}">${this.canEdit ? 'Edit' : 'View'}</a>
      ${evaluate ? html`<a class="button secondary" href="#/protocols/${encodeURIComponent(p.id)}/evaluate" aria-label="Evaluate a patient for ${id}">Evaluate</a>` : nothing}
      ${p.version > 1 ? html`<a class="button secondary" href="#/protocols/${encodeURIComponent(p.id)}/compare" aria-label="Compare versions of ${id}">Compare</a>` : nothing}`
  }

  /** The changes the server allows from the row's status that this user may make; one chosen opens its reason form under the row. */
  private _statusControls(p: ProtocolSummary) {
    const offered = p.status_transitions.filter(t => t.by !== 'admin' || this.canAdminister)
    if (!offered.length || this._pending?.protocol.id === p.id) return nothing
    return html`<div class="status-actions">
      ${offered.map(
        t => html`<button type="button" class="secondary" data-action=${t.status} aria-label="${actionLabel(p.status, t.status)} ${formatRegistryId(p.id)}" @click=${() => void this._open({ protocol: p, transition: t })}>
          ${actionLabel(p.status, t.status)}…
        </button>`,
      )}
    </div>`
  }

  private _changeForm({ protocol: p, transition: t }: Pending) {
    const label = actionLabel(p.status, t.status)
    const blank = !this._reason.trim()
    const id = `reason-${p.id}`
    return html`<form class="change" data-testid="status-form" @submit=${this._confirm} aria-label="${label} ${formatRegistryId(p.id)}">
      <label for=${id}>Why ${label.toLowerCase()} ${formatRegistryId(p.id)}?${t.reason_required ? ' (required)' : ' (optional)'}</label>
      <textarea id=${id} name="reason" maxlength="500" ?required=${t.reason_required} .value=${this._reason} @input=${(e: InputEvent) => (this._reason = (e.target as HTMLTextAreaElement).value)}></textarea>
      <div class="note">${this._consequence(t.status)}</div>
      <div class="row">
        <button type="submit" ?disabled=${this._saving || (t.reason_required && blank)}>${this._saving ? 'Saving…' : label}</button>
        <button type="button" class="secondary" @click=${this._cancel}>Cancel</button>
      </div>
      ${this._error ? html`<tp-problem .error=${this._error} context="${label} ${formatRegistryId(p.id)}"></tp-problem>` : nothing}
    </form>`
  }

  private _consequence(to: ProtocolStatus): string {
    if (to === 'active') return 'Clinicians can then screen, register and match patients against it.'
    return 'New screening and registration close; its subjects stay readable and their visits can still be recorded.'
  }

  /** Show the change's form (a reason, required or not, as the server says) and focus its reason. */
  private async _open(pending: Pending): Promise<void> {
    this._error = undefined
    this._reason = ''
    this._pending = pending
    await this.updateComplete
    this.renderRoot.querySelector<HTMLTextAreaElement>('form.change textarea')?.focus()
  }

  private _cancel(): void {
    const id = this._pending?.protocol.id
    this._pending = undefined
    // a refused change may mean the status moved elsewhere: show it as it is now
    if (this._error) void this._protocols.run()
    this._error = undefined
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`tr[data-protocol="${id}"] button[data-action]`)?.focus())
  }

  private async _confirm(e: SubmitEvent): Promise<void> {
    e.preventDefault()
    const pending = this._pending
    if (!pending || this._saving) return
    this._saving = true
    this._error = undefined
    try {
      const r = await setProtocolStatus(pending.protocol.id, pending.transition.status, this._reason)
      this._pending = undefined
      this._announce = `${formatRegistryId(pending.protocol.id)} is now ${r.status}.`
      await this._protocols.run()
    } catch (err) {
      this._error = err
    } finally {
      this._saving = false
    }
  }
}
customElements.define('tp-protocol-library', TpProtocolLibrary)

declare global {
  interface HTMLElementTagNameMap {
    'tp-protocol-library': TpProtocolLibrary
  }
}
