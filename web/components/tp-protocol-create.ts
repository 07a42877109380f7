import { LitElement, html, nothing } from 'lit'
import { Task, TaskStatus } from '@lit/task'
import { live } from 'lit/directives/live.js'
import { ProblemError, getProtocol, listProtocols } from '../api.ts'
import { createProtocol, validateNewProtocol } from '../api/versions.ts'
import { placeDiagnostics, type PlacedDiagnostic } from '../editor/diagnostics.ts'
import { protocolTitleOf, titleKey } from '../protocol-title.ts'
import { base } from '../styles.ts'
import { protocolCreateStyles } from './tp-protocol-create-styles.ts'
import { lineColumn, registryIdOf } from '../protocol-text.ts'
import './tp-problem.ts'
import './tp-problem-list.ts'

/** Delay after the last keystroke before the text is validated. */
export const CREATE_VALIDATE_DEBOUNCE_MS = 350

/** The protocol id the server accepts (server/routes/protocols.ts). */
const ID_PATTERN = '[a-z0-9][a-z0-9._\\-]{0,63}'

type Check = { state: 'idle' } | { state: 'checking' } | { state: 'error'; error: unknown }
type Source = { kind: 'copy'; id: string; registryId: string; version: number } | { kind: 'file'; name: string } | undefined

/**
 * Create a protocol: type or paste its YAML, load a .yaml file, or start
 * from a copy of an existing protocol. The text is validated by the server
 * as you type (located problems; choosing one selects it in the text), and
 * "Create" saves it as version 1, then opens it in the editor.
 *
 * @fires protocol-created - detail `{ id, version }` after the server created it
 */
export class TpProtocolCreate extends LitElement {
  static override properties = {
    _yaml: { state: true },
    _id: { state: true },
    _note: { state: true },
    _problems: { state: true },
    _check: { state: true },
    _source: { state: true },
    _copying: { state: true },
    _sourceError: { state: true },
    _creating: { state: true },
    _createError: { state: true },
    _caret: { state: true },
  }

  declare _yaml: string
  declare _id: string
  declare _note: string
  declare _problems: PlacedDiagnostic[]
  declare _check: Check
  declare _source: Source
  declare _copying: boolean
  declare _sourceError: unknown
  declare _creating: boolean
  declare _createError: unknown
  declare _caret: { line: number; column: number }

  private _timer: ReturnType<typeof setTimeout> | undefined
  private _inflight: AbortController | undefined
  /** Whether the text has been checked since it last changed (Create waits for it). */
  private _checkedText: string | undefined

  constructor() {
    super()
    this._yaml = ''
    this._id = ''
    this._note = ''
    this._problems = []
    this._check = { state: 'idle' }
    this._source = undefined
    this._copying = false
    this._sourceError = undefined
    this._creating = false
    this._createError = undefined
    this._caret = { line: 1, column: 1 }
    this._checkedText = undefined
  }

  private readonly _protocols = new Task(this, {
    task: (_args, { signal }) => listProtocols(signal),
    args: () => [],
  })

  static override styles = [base, protocolCreateStyles]

  override disconnectedCallback(): void {
    clearTimeout(this._timer)
    this._inflight?.abort()
    super.disconnectedCallback()
  }

  /** Replace the text (a copy, a file) and check it at once. */
  private _setText(text: string): void {
    this._yaml = text
    this._createError = undefined
    clearTimeout(this._timer)
    this._inflight?.abort()
    void this._validate(text)
  }

  private _onInput(e: InputEvent): void {
    const ta = e.target as HTMLTextAreaElement
    this._yaml = ta.value
    this._createError = undefined
    this._trackCaret(ta)
    clearTimeout(this._timer)
    this._inflight?.abort()
    if (!this._yaml.trim()) {
      this._check = { state: 'idle' }
      this._problems = []
      this._checkedText = undefined
      return
    }
    this._check = { state: 'checking' }
    const text = this._yaml
    this._timer = setTimeout(() => void this._validate(text), CREATE_VALIDATE_DEBOUNCE_MS)
  }

  private async _validate(text: string): Promise<void> {
    if (!text.trim()) return
    const ctrl = new AbortController()
    this._inflight = ctrl
    this._check = { state: 'checking' }
    try {
      const result = await validateNewProtocol(text, ctrl.signal)
      // a later keystroke has started another check: this answer is for an older text
      if (ctrl.signal.aborted || this._yaml !== text) return
      this._problems = placeDiagnostics(text, result.diagnostics)
      this._checkedText = text
      this._check = { state: 'idle' }
    } catch (e) {
      if (ctrl.signal.aborted) return
      this._check = { state: 'error', error: e }
    }
  }

  private _trackCaret(ta: HTMLTextAreaElement): void {
    this._caret = lineColumn(ta.value, ta.selectionStart ?? 0)
  }

  /** Select the problem's range in the text and scroll its line into view. */
  private _goTo(e: CustomEvent<{ from: number; line: number }>): void {
    const ta = this.renderRoot.querySelector('textarea')
    if (!ta) return
    const p = this._problems.find(x => x.from === e.detail.from)
    ta.focus()
    ta.setSelectionRange(e.detail.from, p?.to ?? e.detail.from)
    const lineHeight = parseFloat(getComputedStyle(ta).lineHeight) || 19
    ta.scrollTop = Math.max(0, (e.detail.line - 3) * lineHeight)
    this._trackCaret(ta)
  }

  private async _copy(e: SubmitEvent): Promise<void> {
    e.preventDefault()
    const select = (e.target as HTMLFormElement).elements.namedItem('copy-from') as HTMLSelectElement
    const id = select.value
    if (!id) return
    this._copying = true
    this._sourceError = undefined
    try {
      const latest = await getProtocol(id)
      this._source = { kind: 'copy', id, registryId: registryIdOf(latest.yaml) ?? id, version: latest.version }
      this._setText(latest.yaml)
    } catch (err) {
      this._sourceError = err
    } finally {
      this._copying = false
    }
  }

  private async _loadFile(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement
    const file = input.files?.[0]
    if (!file) return
    this._sourceError = undefined
    try {
      const text = await file.text()
      this._source = { kind: 'file', name: file.name }
      this._setText(text)
    } catch (err) {
      this._sourceError = new ProblemError({
        status: 0,
        type: 'file',
        title: 'Could not read the file',
        detail: `${file.name} could not be read (${err instanceof Error ? err.message : String(err)}).`,
      })
    }
  }

  private get _errorCount(): number {
    return this._problems.filter(p => p.severity === 'error').length
  }

  /** The id the protocol will get: the one typed, else the registry id in lower case (as the server does). */
  private get _effectiveId(): string | undefined {
    return this._id.trim() || registryIdOf(this._yaml)?.toLowerCase()
  }

  private async _create(e: SubmitEvent): Promise<void> {
    e.preventDefault()
    if (this._creating || !this._yaml.trim()) return
    const text = this._yaml
    this._creating = true
    this._createError = undefined
    try {
      const created = await createProtocol({ yaml: text, id: this._id.trim() || undefined, changeNote: this._note.trim() || undefined })
      this.dispatchEvent(new CustomEvent('protocol-created', { detail: { id: created.protocol_id, version: created.version }, bubbles: true, composed: true }))
      location.hash = `#/protocols/${encodeURIComponent(created.protocol_id)}/edit`
    } catch (err) {
      if (err instanceof ProblemError && err.diagnostics.length) this._problems = placeDiagnostics(text, err.diagnostics)
      this._createError = err
    } finally {
      this._creating = false
    }
  }

  override render() {
    return html`<a class="back" href="#/protocols">← All protocols</a>
      <h1>New protocol</h1>
      <p class="note">Type or paste the protocol's YAML, load a <code>.yaml</code> file, or start from a copy of an existing protocol. It is checked as you type; create it once it has no errors. It is saved as version 1.</p>
      ${this._sources()}
      <div class="layout">
        <div class="text">
          <label for="yaml">Protocol YAML</label>
          <textarea
            id="yaml"
            name="yaml"
            spellcheck="false"
            autocomplete="off"
            wrap="off"
            aria-describedby="caret"
            .value=${live(this._yaml)}
            @input=${this._onInput}
            @click=${(e: Event) => this._trackCaret(e.target as HTMLTextAreaElement)}
            @keyup=${(e: Event) => this._trackCaret(e.target as HTMLTextAreaElement)}
            placeholder="protocol:&#10;  registry_id: NCT…&#10;  title: …"
          ></textarea>
          <div class="note caret" id="caret">Cursor at line ${this._caret.line}, column ${this._caret.column}</div>
        </div>
        <aside>
          <section aria-labelledby="problems-h">
            <h2 id="problems-h">Problems</h2>
            <div class="status" role="status" aria-live="polite">${this._statusLine()}</div>
            ${this._check.state === 'error' ? html`<tp-problem .error=${this._check.error} context="Checking the protocol"></tp-problem>` : nothing}
            ${
              this._yaml.trim() && this._check.state !== 'error' // after a failed check, "no problems" would be a false pass
                ? html`<div class="problems"><tp-problem-list .problems=${this._problems} @problem-selected=${this._goTo}></tp-problem-list></div>`
                : nothing
            }
          </section>
          ${this._createForm()}
        </aside>
      </div>`
  }

  private _sources() {
    const source = this._source
    return html`<section aria-labelledby="start-h">
      <h2 id="start-h">Start from</h2>
      <div class="sources">
        <div>
          <label for="file">A YAML file on this computer</label>
          <input id="file" type="file" accept=".yaml,.yml,application/yaml,text/yaml,text/plain" @change=${this._loadFile} />
        </div>
        <form class="copy" @submit=${this._copy} aria-label="Copy an existing protocol">
          <div>
            <label for="copy-from">A copy of an existing protocol</label>
            <div class="row">
              ${this._protocols.render({
                pending: () => html`<select id="copy-from" name="copy-from" disabled><option>Loading protocols…</option></select>`,
                error: () => html`<select id="copy-from" name="copy-from" disabled><option>Protocols could not be loaded</option></select>`,
                complete: rows =>
                  html`<select id="copy-from" name="copy-from">
                    ${rows.map(p => html`<option value=${p.id}>${p.registry_id} (v${p.version}) — ${p.title.length > 50 ? `${p.title.slice(0, 49)}…` : p.title}</option>`)}
                  </select>`,
              })}
              <button type="submit" class="secondary" ?disabled=${this._copying || !this._protocols.value?.length}>${this._copying ? 'Copying…' : 'Copy'}</button>
            </div>
          </div>
        </form>
      </div>
      ${this._protocols.status === TaskStatus.ERROR ? html`<div class="pad"><tp-problem .error=${this._protocols.error} context="Loading the protocols to copy"></tp-problem></div>` : nothing}
      ${this._sourceError ? html`<div class="pad"><tp-problem .error=${this._sourceError} context="Starting from a protocol"></tp-problem></div>` : nothing}
      ${
        source?.kind === 'copy'
          ? html`<p class="copied" data-testid="copied">
            Copied from <strong>${source.registryId}</strong> version ${source.version}. Protocol ids must be unique: change <code>registry_id</code> (the id defaults to it in lower case),
            or enter a new protocol id below, before creating, and give it a title of its own so the two cannot be confused. It is created as a draft: clinicians can use it once it is activated in the library.
          </p>`
          : source?.kind === 'file'
            ? html`<p class="note pad" role="status">Loaded ${source.name}.</p>`
            : nothing
      }
    </section>`
  }

  private _statusLine() {
    if (!this._yaml.trim()) return html`<span class="note">Nothing to check yet.</span>`
    if (this._check.state === 'checking') return html`<span class="note">Checking…</span>`
    if (this._checkedText === undefined) return nothing
    const errors = this._errorCount
    const warnings = this._problems.length - errors
    return html`<span class=${errors ? '' : 'ok'} data-testid="problem-count">${errors ? '✗' : '✓'} ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}</span>`
  }

  private _createForm() {
    const errors = this._errorCount
    const checked = this._checkedText === this._yaml && this._check.state === 'idle'
    const title = protocolTitleOf(this._yaml)
    // a copy keeping its source's title is refused by the server: said before sending (as a taken id is); the server decides
    const sameTitle = title === undefined ? undefined : this._protocols.value?.find(p => titleKey(p.title) === titleKey(title))
    const blocked = !this._yaml.trim() || !checked || errors > 0 || this._creating
    const id = this._effectiveId
    const existing = id !== undefined && this._protocols.value?.some(p => p.id === id)
    const hint = !this._yaml.trim()
      ? 'Write or load a protocol first.'
      : this._check.state === 'error'
        ? 'The check did not run (see Problems): change the text to check it again.'
        : this._check.state === 'checking' || !checked
          ? 'Waiting for the check…'
          : errors
            ? 'Fix the errors before creating.'
            : sameTitle
              ? 'Give the protocol a title of its own before creating it.'
              : ''
    return html`<section aria-labelledby="create-h">
      <h2 id="create-h">Create</h2>
      <form class="create" @submit=${this._create}>
        <label for="protocol-id">Protocol id (optional)</label>
        <input
          id="protocol-id"
          name="protocol-id"
          pattern=${ID_PATTERN}
          maxlength="64"
          autocomplete="off"
          spellcheck="false"
          aria-describedby="id-hint"
          .value=${this._id}
          @input=${(e: InputEvent) => {
            this._id = (e.target as HTMLInputElement).value
            this._createError = undefined
          }}
          placeholder=${registryIdOf(this._yaml)?.toLowerCase() ?? 'e.g. nct01234567'}
        />
        <div class="note" id="id-hint">
          Lower-case letters, digits, <code>.</code> <code>_</code> <code>-</code>. Empty: the registry id in lower case${id ? html` (<code>${id}</code>)` : ''}.
        </div>
        ${
          existing
            ? html`<div class="warn" data-testid="id-exists">⚠ A protocol with id <code>${id}</code> already exists: change <code>registry_id</code> in the YAML or enter another id.</div>`
            : nothing
        }
        ${
          sameTitle
            ? html`<div class="warn" data-testid="title-exists">⚠ Protocol <code>${sameTitle.id}</code> already has this title: change <code>title</code> in the YAML so the two cannot be confused.</div>`
            : nothing
        }
        <label for="create-note">Change note (optional)</label>
        <input id="create-note" name="create-note" .value=${this._note} @input=${(e: InputEvent) => (this._note = (e.target as HTMLInputElement).value)} placeholder="created" />
        <button type="submit" ?disabled=${blocked}>${this._creating ? 'Creating…' : 'Create protocol'}</button>
        <div class="note">${hint}</div>
        ${this._createError ? this._createProblem(this._createError) : nothing}
      </form>
    </section>`
  }

  private _createProblem(err: unknown) {
    if (err instanceof ProblemError && err.status === 409) {
      const id = this._effectiveId
      return html`<div class="error" role="alert" data-testid="create-conflict">
        <strong>Not created: a protocol with this id already exists.</strong>
        <div>${err.detail}</div>
        <div>Change <code>registry_id</code> in the YAML or enter another protocol id${id ? html`, or <a href="#/protocols/${encodeURIComponent(id)}/edit">open ${id}</a>` : ''}.</div>
      </div>`
    }
    return html`<tp-problem .error=${err} context="Creating the protocol"></tp-problem>`
  }
}
customElements.define('tp-protocol-create', TpProtocolCreate)

declare global {
  interface HTMLElementTagNameMap {
    'tp-protocol-create': TpProtocolCreate
  }
}
