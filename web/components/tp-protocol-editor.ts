import { LitElement, html, nothing, type PropertyValues } from 'lit'
import { ProblemError, getProtocol, saveProtocol, validateDraft, type Diagnostic, type ProtocolVersion } from '../api.ts'
import { getSchema } from '../api/examples.ts'
import { placeDiagnostics, type PlacedDiagnostic } from '../editor/diagnostics.ts'
import type { YamlEditor } from '../editor/codemirror.ts'
import { base } from '../styles.ts'
import { takeProtocolDraft } from '../handoff.ts'
import { baseOf, type Base, type Check, type Conflict, type Load, type Tab } from '../editor/editor-state.ts'
import { protocolEditorStyles } from './tp-protocol-editor-styles.ts'
import type { TpExamplesPanel } from './tp-examples-panel.ts'
import './tp-problem.ts'
import './tp-problem-list.ts'

/**
 * Delay after the last keystroke before a draft is validated: short enough that errors show within 150 ms of a
 * pause (the edit loop's target: the page's own update, the check and showing its errors take 80–100 ms of it),
 * long enough that a key held down (auto-repeat, 30–40 ms apart) makes one request. Keys typed further apart
 * than this were already checked one by one at 100 ms, so it adds few requests, each aborted by the next key.
 */
export const VALIDATE_DEBOUNCE_MS = 50

/**
 * The protocol editor: YAML in CodeMirror 6 (loaded lazily) with completion
 * from the protocol's JSON Schema (Ctrl-Space), the draft validated by the
 * server as you type with squiggles and a problems list that jumps to
 * line:col, the example patients re-run against every draft without errors
 * (<tp-examples-panel>, whose YAML is edited in a second tab), and save as a
 * new version with a change note. Saving sends If-Match with the ETag of the
 * version the edit started from; a 412 shows the newer version and keeps the
 * text typed.
 */
export class TpProtocolEditor extends LitElement {
  static override properties = {
    protocolId: {},
    canEdit: { type: Boolean },
    draft: {},
    _load: { state: true },
    _check: { state: true },
    _base: { state: true },
    _problems: { state: true },
    _dirty: { state: true },
    _note: { state: true },
    _saving: { state: true },
    _saveError: { state: true },
    _conflict: { state: true },
    _saved: { state: true },
    _tab: { state: true },
    _validDraft: { state: true },
    _examplesHost: { state: true },
  }

  /** Id of the protocol to edit (`nct05631717`). */
  declare protocolId: string
  /** Whether the signed-in role may save; otherwise the editor is read-only. */
  declare canEdit: boolean
  /** One-time id of a draft text another screen handed over (the what-if's "save as draft amendment", web/handoff.ts), opened unsaved over the latest version. */
  declare draft: string
  declare _load: Load
  declare _check: Check
  /** The version the draft started from, and its ETag (If-Match on save). */
  declare _base: Base | undefined
  declare _problems: PlacedDiagnostic[]
  declare _dirty: boolean
  declare _note: string
  declare _saving: boolean
  declare _saveError: unknown
  declare _conflict: Conflict | undefined
  declare _saved: number | undefined
  declare _tab: Tab
  /** The latest text the server found no errors in: what the examples run against. */
  declare _validDraft: string | undefined
  /** The examples editor's place, given to the panel when its tab is first opened. */
  declare _examplesHost: HTMLElement | undefined

  private _editor: YamlEditor | undefined
  private _timer: ReturnType<typeof setTimeout> | undefined
  private _inflight: AbortController | undefined

  constructor() {
    super()
    this.protocolId = ''
    this.canEdit = false
    this.draft = ''
    this._load = { state: 'loading' }
    this._check = { state: 'idle' }
    this._base = undefined
    this._problems = []
    this._dirty = false
    this._note = ''
    this._saving = false
    this._saveError = undefined
    this._conflict = undefined
    this._saved = undefined
    this._tab = 'protocol'
    this._validDraft = undefined
    this._examplesHost = undefined
  }

  static override styles = [base, protocolEditorStyles]

  override disconnectedCallback(): void {
    clearTimeout(this._timer)
    this._inflight?.abort()
    window.removeEventListener('beforeunload', this._beforeUnload)
    this._editor?.destroy()
    this._editor = undefined
    super.disconnectedCallback()
  }

  override connectedCallback(): void {
    super.connectedCallback()
    window.addEventListener('beforeunload', this._beforeUnload)
  }

  private readonly _beforeUnload = (e: BeforeUnloadEvent) => {
    if (this._dirty) e.preventDefault()
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('protocolId') && this.protocolId) void this._open()
  }

  /** Load the latest version and the editor module together. */
  private async _open(): Promise<void> {
    this._load = { state: 'loading' }
    this._editor?.destroy()
    this._editor = undefined
    this._tab = 'protocol'
    this._examplesHost = undefined
    try {
      // the examples panel and CodeMirror come with the editor, out of the shell's initial JavaScript; the panel starts
      // fetching and running the examples as soon as the protocol is in, while CodeMirror (the larger chunk) still loads
      const codemirror = import('../editor/codemirror.ts')
      const [version] = await Promise.all([getProtocol(this.protocolId), import('./tp-examples-panel.ts')])
      this._startFrom(version)
      this._load = { state: 'ready' }
      await this.updateComplete
      const cm = await codemirror
      const host = this.renderRoot.querySelector<HTMLElement>('#editor-host')!
      this._editor = cm.createYamlEditor(host, {
        doc: version.yaml,
        label: `YAML of protocol ${this.protocolId}`,
        readOnly: !this.canEdit,
        onChange: text => this._changed(text),
        schemas: () => Promise.all([getSchema('protocol.schema.json')]),
      })
      this._editor.showDiagnostics(this._problems)
      // a draft handed over (once: taking it removes it) replaces the text, unsaved and checked as if typed
      const draft = this.draft ? takeProtocolDraft(this.draft) : undefined
      if (draft !== undefined && this.canEdit) this._editor.setText(draft)
    } catch (e) {
      this._load = { state: 'error', error: e }
    }
  }

  private _startFrom(version: ProtocolVersion): void {
    this._base = baseOf(version)
    this._dirty = false
    this._conflict = undefined
    this._validDraft = version.yaml
    this._showDiagnostics(version.yaml, version.warnings)
  }

  private _showDiagnostics(text: string, diagnostics: Diagnostic[]): void {
    this._problems = placeDiagnostics(text, diagnostics)
    this._editor?.showDiagnostics(this._problems)
  }

  private _changed(text: string): void {
    this._dirty = true
    this._saved = undefined
    this._saveError = undefined
    clearTimeout(this._timer)
    this._inflight?.abort()
    this._check = { state: 'checking' }
    this._timer = setTimeout(() => void this._validate(text), VALIDATE_DEBOUNCE_MS)
  }

  private async _validate(text: string): Promise<void> {
    const ctrl = new AbortController()
    this._inflight = ctrl
    try {
      const result = await validateDraft(this.protocolId, text, ctrl.signal)
      // a later keystroke has started another check: this answer is for an older text
      if (ctrl.signal.aborted || this._editor?.text() !== text) return
      this._showDiagnostics(text, result.diagnostics)
      this._validDraft = result.valid ? text : undefined
      this._check = { state: 'idle' }
    } catch (e) {
      if (ctrl.signal.aborted) return
      this._check = { state: 'error', error: e }
    }
  }

  private _goTo(e: CustomEvent<{ from: number }>): void {
    this._showTab('protocol')
    this._editor?.goTo(e.detail.from)
  }

  private _showTab(tab: Tab): void {
    this._tab = tab
    // the examples editor is made the first time its tab opens (one editor on the page until then)
    if (tab === 'examples') this._examplesHost ??= this.renderRoot.querySelector<HTMLElement>('#examples-host') ?? undefined
  }

  /** Left/Right arrows move between the tabs, as in the WAI-ARIA tabs pattern. */
  private _tabKey(e: KeyboardEvent): void {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return
    const next: Tab = this._tab === 'protocol' ? 'examples' : 'protocol'
    this._showTab(next)
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus())
  }

  private async _showExample(e: CustomEvent<{ line: number }>): Promise<void> {
    this._showTab('examples')
    await this.updateComplete
    this.renderRoot.querySelector<TpExamplesPanel>('tp-examples-panel')?.goToLine(e.detail.line)
  }

  private get _errorCount(): number {
    return this._problems.filter(p => p.severity === 'error').length
  }

  private async _save(e: SubmitEvent): Promise<void> {
    e.preventDefault()
    if (!this._editor || !this._base || this._saving) return
    const text = this._editor.text()
    this._saving = true
    this._saveError = undefined
    this._conflict = undefined
    try {
      const saved = await saveProtocol(this.protocolId, text, this._base.etag, this._note.trim())
      this._base = { version: saved.version, etag: saved.etag, change_note: this._note.trim(), author: 'you', created_at: new Date().toISOString(), yaml: text }
      this._dirty = this._editor.text() !== text
      this._saved = saved.version
      this._note = ''
    } catch (err) {
      if (err instanceof ProblemError && err.status === 412) {
        const latest = err.extra.latest_version
        this._conflict = {
          baseVersion: this._base.version,
          latestVersion: typeof latest === 'number' ? latest : undefined,
          latestEtag: typeof err.extra.latest === 'string' ? err.extra.latest : undefined,
        }
        await this.updateComplete
        this.renderRoot.querySelector('[data-testid="conflict"]')?.scrollIntoView({ block: 'nearest' })
      } else {
        if (err instanceof ProblemError && err.diagnostics.length) this._showDiagnostics(text, err.diagnostics)
        this._saveError = err
      }
    } finally {
      this._saving = false
    }
  }

  /** Keep the text typed and make the next save replace the newer version. */
  private async _rebase(): Promise<void> {
    if (!this._conflict) return
    try {
      const latest = await getProtocol(this.protocolId)
      this._base = baseOf(latest)
      this._conflict = undefined
    } catch (e) {
      this._saveError = e
    }
  }

  /** Drop the text typed and load the newer version. */
  private async _discard(): Promise<void> {
    try {
      const latest = await getProtocol(this.protocolId)
      this._editor?.setText(latest.yaml)
      clearTimeout(this._timer)
      this._inflight?.abort()
      this._check = { state: 'idle' }
      this._startFrom(latest)
    } catch (e) {
      this._saveError = e
    }
  }

  override render() {
    const load = this._load
    return html`<a class="back" href="#/protocols">← All protocols</a>
      <h1 tabindex="-1">Protocol ${this.protocolId}</h1>
      ${load.state === 'loading' ? html`<p role="status">Loading the protocol and the editor…</p>` : nothing}
      ${
        load.state === 'error'
          ? html`<tp-problem .error=${load.error} context="Opening protocol ${this.protocolId}"></tp-problem>
            <button type="button" @click=${() => void this._open()}>Try again</button>`
          : nothing
      }
      <div ?hidden=${load.state !== 'ready'}>
        <p class="meta note">
          ${
            this._base
              ? html`Editing from version <strong data-testid="base-version">${this._base.version}</strong>${this._base.change_note ? ` — “${this._base.change_note}”` : ''}${this._dirty ? html` · <strong>unsaved changes</strong>` : ''}`
              : nothing
          }
          ${this.canEdit ? nothing : html` · read-only: your role may not edit protocols`}
        </p>
        <div role="tablist" aria-label="Texts of protocol ${this.protocolId}" @keydown=${this._tabKey}>
          ${this._tabButton('protocol', 'Protocol YAML')} ${this._tabButton('examples', 'Examples YAML')}
        </div>
        <div class="layout">
          <div>
            <div id="editor-host" role="tabpanel" aria-labelledby="tab-protocol" ?hidden=${this._tab !== 'protocol'}></div>
            <div id="examples-host" role="tabpanel" aria-labelledby="tab-examples" ?hidden=${this._tab !== 'examples'}></div>
          </div>
          <aside>
            <section aria-labelledby="problems-h">
              <h2 id="problems-h">Problems in the protocol YAML</h2>
              <div class="status" role="status" aria-live="polite">${this._statusLine()}</div>
              ${this._check.state === 'error' ? html`<tp-problem .error=${this._check.error} context="Checking the draft"></tp-problem>` : nothing}
              ${
                this._check.state === 'error'
                  ? nothing
                  : html`<div class="problems"><tp-problem-list .problems=${this._problems} @problem-selected=${this._goTo}></tp-problem-list></div>`
              }
            </section>
            <section aria-labelledby="examples-h" class="examples">
              <h2 id="examples-h">Example patients</h2>
              <tp-examples-panel
                .protocolId=${this.protocolId}
                .draft=${this._validDraft}
                .saved=${this._base}
                .canEdit=${this.canEdit}
                .examplesHost=${this._examplesHost}
                @example-selected=${this._showExample}
              ></tp-examples-panel>
            </section>
            ${this.canEdit ? this._saveForm() : nothing}
          </aside>
        </div>
      </div>`
  }

  private _tabButton(tab: Tab, label: string) {
    const selected = this._tab === tab
    return html`<button type="button" role="tab" id="tab-${tab}" aria-controls="${tab === 'protocol' ? 'editor' : 'examples'}-host" aria-selected=${selected ? 'true' : 'false'} tabindex=${selected ? 0 : -1} @click=${() => this._showTab(tab)}>
      ${label}
    </button>`
  }

  private _statusLine() {
    if (this._check.state === 'checking') return html`<span class="note">&nbsp;Checking…</span>`
    const errors = this._errorCount
    const warnings = this._problems.length - errors
    return html`&nbsp;<span class=${errors ? '' : 'ok'} data-testid="problem-count"
        >${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}</span
      >`
  }

  private _saveForm() {
    const errors = this._errorCount
    const blocked = !this._dirty || errors > 0 || this._check.state === 'checking' || this._saving || !!this._conflict
    const next = (this._base?.version ?? 0) + 1
    return html`<section aria-labelledby="save-h">
      <h2 id="save-h">Save</h2>
      <form @submit=${this._save}>
        ${this._conflict ? this._conflictBox(this._conflict) : nothing}
        <label for="note">Change note</label>
        <input id="note" name="note" required .value=${this._note} @input=${(e: InputEvent) => (this._note = (e.target as HTMLInputElement).value)} placeholder="What changed and why" />
        <button type="submit" ?disabled=${blocked}>${this._saving ? 'Saving…' : `Save as version ${next}`}</button>
        <div class="note" id="save-hint">
          ${!this._dirty ? 'No changes to save.' : errors ? 'Fix the errors before saving.' : this._check.state === 'checking' ? 'Waiting for the check…' : ''}
        </div>
        ${this._saved !== undefined ? html`<p class="ok" role="status" data-testid="saved">✓ Saved as version ${this._saved}.</p>` : nothing}
        <tp-problem .error=${this._saveError} context="Saving"></tp-problem>
      </form>
    </section>`
  }

  private _conflictBox(c: Conflict) {
    const newer = c.latestVersion !== undefined ? `version ${c.latestVersion}` : 'a newer version'
    return html`<div class="conflict" role="alert" data-testid="conflict">
      <strong>Not saved: someone saved ${newer} after you opened version ${c.baseVersion}.</strong>
      <div>Your text is still in the editor. Keep it to replace ${newer} with it, or discard it to see ${newer}.</div>
      <div class="actions">
        <button type="button" @click=${() => void this._rebase()}>Keep my text, save over ${newer}</button>
        <button type="button" class="secondary" @click=${() => void this._discard()}>Discard my text, load ${newer}</button>
      </div>
    </div>`
  }
}
customElements.define('tp-protocol-editor', TpProtocolEditor)

declare global {
  interface HTMLElementTagNameMap {
    'tp-protocol-editor': TpProtocolEditor
  }
}
