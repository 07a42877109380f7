import { LitElement, css, html, nothing, type PropertyValues } from 'lit'
import { Task, TaskStatus } from '@lit/task'
import { ProblemError, type ProtocolVersion } from '../api.ts'
import { getExamples, getSchema, runExamples, saveExamples, type ExampleResult, type ExamplesRun, type ExamplesVersion } from '../api/examples.ts'
import { lineStarts, placeDiagnostics, type PlacedDiagnostic } from '../editor/diagnostics.ts'
import type { YamlEditor } from '../editor/codemirror.ts'
import { resultList, resultListStyles } from '../editor/example-results.ts'
import { base } from '../styles.ts'
import './tp-problem.ts'
import './tp-problem-list.ts'

/**
 * Delay after the last key typed in the examples before they run again. A protocol draft comes already debounced
 * and checked (tp-protocol-editor.ts): it runs at once (drafts set in one task make one run), a run still under way
 * aborted, for the edit loop's 300 ms from keystroke to results.
 */
export const RUN_DEBOUNCE_MS = 100

type Run = { state: 'idle' } | { state: 'running' } | { state: 'error'; error: unknown }
type Base = Pick<ExamplesVersion, 'version' | 'etag' | 'change_note'>

/**
 * A protocol's example patients, re-run live against the protocol draft:
 * a summary ("73/75 pass"), each example with a badge in words (✓ pass /
 * ✗ fail), a failure opening to expected vs actual per criterion. The
 * examples YAML is edited in a second CodeMirror placed in `examplesHost`
 * (the editor's "Examples YAML" tab), checked as it is typed, and saved as
 * a new version with If-Match.
 *
 * @fires example-selected - detail `{ line }`: show the example at this line of the examples YAML
 */
export class TpExamplesPanel extends LitElement {
  static override properties = {
    protocolId: {},
    draft: { attribute: false },
    saved: { attribute: false },
    canEdit: { type: Boolean },
    examplesHost: { attribute: false },
    _base: { state: true },
    _run: { state: true },
    _result: { state: true },
    _stale: { state: true },
    _problems: { state: true },
    _dirty: { state: true },
    _open: { state: true },
    _note: { state: true },
    _saving: { state: true },
    _saveError: { state: true },
    _saved: { state: true },
    _conflict: { state: true },
  }

  /** Id of the protocol whose examples these are. */
  declare protocolId: string
  /** The protocol draft to run against: the editor's text when it has no errors, else undefined. */
  declare draft: string | undefined
  /**
   * The saved protocol version the draft started from: a draft still equal to it runs as that version (the server's
   * compiled copy, not checked again as a draft).
   */
  declare saved: Pick<ProtocolVersion, 'version' | 'yaml'> | undefined
  /** Whether the signed-in role may save; otherwise the examples are read-only. */
  declare canEdit: boolean
  /** Where to put the examples YAML editor. */
  declare examplesHost: HTMLElement | undefined
  declare _base: Base | undefined
  declare _run: Run
  declare _result: ExamplesRun | undefined
  /** The result shown is for an older text (the protocol draft or the examples have errors). */
  declare _stale: string | undefined
  declare _problems: PlacedDiagnostic[]
  declare _dirty: boolean
  /** Failed examples whose expected vs actual table is open. */
  declare _open: ReadonlySet<string>
  declare _note: string
  declare _saving: boolean
  declare _saveError: unknown
  declare _saved: number | undefined
  declare _conflict: number | undefined

  private _editor: YamlEditor | undefined
  private _pendingLine: number | undefined
  private _timer: ReturnType<typeof setTimeout> | undefined
  private _inflight: AbortController | undefined

  constructor() {
    super()
    this.protocolId = ''
    this.draft = undefined
    this.saved = undefined
    this.canEdit = false
    this.examplesHost = undefined
    this._base = undefined
    this._run = { state: 'idle' }
    this._result = undefined
    this._stale = undefined
    this._problems = []
    this._dirty = false
    this._open = new Set()
    this._note = ''
    this._saving = false
    this._saveError = undefined
    this._saved = undefined
    this._conflict = undefined
  }

  /** The saved examples; on arrival they fill the examples editor. */
  private readonly _load = new Task(this, {
    task: async ([id], { signal }) => (id ? ((await getExamples(id, signal)) ?? null) : null),
    args: () => [this.protocolId] as const,
    onComplete: saved => void this._startFrom(saved),
  })

  static override styles = [
    base,
    resultListStyles,
    css`
      :host { display: block; }
      .summary { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.5rem; padding: 0.5rem 0.6rem; border-bottom: 1px solid var(--tp-line); }
      .count { font-size: 1.15rem; font-weight: 700; }
      .count.all-pass { color: var(--tp-ok); }
      .count.some-fail { color: var(--tp-bad); }
      .stale { border-left: 4px solid var(--tp-unknown); background: var(--tp-unknown-bg); padding: 0.4rem 0.6rem; margin: 0.5rem 0.6rem; }
      .badge { display: inline-block; border: 1px solid; border-radius: 999px; padding: 0 0.5rem; font-weight: 700; font-size: 0.82rem; white-space: nowrap; }
      .badge.pass { color: var(--tp-ok); background: var(--tp-ok-bg); border-color: var(--tp-ok); }
      .badge.fail { color: var(--tp-bad); background: var(--tp-bad-bg); border-color: var(--tp-bad); }
      button.link { all: unset; cursor: pointer; color: var(--tp-accent); text-decoration: underline; font-size: 0.85rem; white-space: nowrap; }
      button.link:focus-visible { outline: 3px solid var(--tp-accent); outline-offset: 2px; }
      .problems { border-bottom: 1px solid var(--tp-line); max-height: 30vh; overflow: auto; }
      .problems h3, form h3 { font-size: 0.95rem; margin: 0; padding: 0.4rem 0.6rem; }
      form { display: flex; flex-direction: column; gap: 0.4rem; padding: 0.6rem; border-top: 1px solid var(--tp-line); }
      label { font-weight: 600; }
      .ok { color: var(--tp-ok); font-weight: 600; }
      .conflict { border-left: 4px solid var(--tp-unknown); background: var(--tp-unknown-bg); padding: 0.5rem 0.6rem; }
      .conflict .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.4rem; }
      p { margin: 0.5rem 0.6rem; }
    `,
  ]

  override connectedCallback(): void {
    super.connectedCallback()
    window.addEventListener('beforeunload', this._beforeUnload)
  }

  override disconnectedCallback(): void {
    clearTimeout(this._timer)
    this._inflight?.abort()
    window.removeEventListener('beforeunload', this._beforeUnload)
    this._editor?.destroy()
    this._editor = undefined
    super.disconnectedCallback()
  }

  private readonly _beforeUnload = (e: BeforeUnloadEvent) => {
    if (this._dirty) e.preventDefault()
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // state set here is part of this update: the stale note shows with the draft that caused it
    if (changed.has('draft') && this._load.status === TaskStatus.COMPLETE) this._schedule(0)
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('examplesHost') && this._load.status === TaskStatus.COMPLETE && !this._editor) void this._startFrom(this._load.value ?? null)
  }

  /** Show the example at `line` (1-based) of the examples YAML in its editor (once the editor exists). */
  goToLine(line: number): void {
    if (!this._editor) {
      this._pendingLine = line
      return
    }
    const starts = lineStarts(this._editor.text())
    this._editor.goTo(starts[Math.min(Math.max(line, 1), starts.length) - 1]!)
  }

  /** The examples text: the editor's, or the saved one before the editor is opened. */
  private _text(): string {
    return this._editor?.text() ?? (this._load.value ? this._load.value.yaml : '')
  }

  /** Put saved examples (or none) in the editor and run them. */
  private async _startFrom(saved: ExamplesVersion | null): Promise<void> {
    this._base = saved ? { version: saved.version, etag: saved.etag, change_note: saved.change_note } : undefined
    this._dirty = false
    this._conflict = undefined
    const text = saved?.yaml ?? ''
    if (this._editor) {
      this._editor.setText(text) // its change event marks the text typed: it is not
      this._dirty = false
      this._schedule(0) // a saved version loaded, not typed: run at once
      return
    }
    this._runAtOnce() // before loading the examples' editor (CodeMirror) takes the page's thread
    if (!this.examplesHost) return
    const host = this.examplesHost
    const cm = await import('../editor/codemirror.ts')
    if (this._editor || host !== this.examplesHost) return
    this._editor = cm.createYamlEditor(host, {
      doc: text,
      label: `Examples YAML of protocol ${this.protocolId}`,
      readOnly: !this.canEdit,
      onChange: () => this._changed(),
      schemas: () => Promise.all(['examples.schema.json', 'patient.schema.json', 'subject.schema.json'].map(getSchema)),
    })
    this._editor.showDiagnostics(this._problems)
    if (this._pendingLine !== undefined) this.goToLine(this._pendingLine)
    this._pendingLine = undefined
  }

  private _changed(): void {
    this._dirty = true
    this._saved = undefined
    this._saveError = undefined
    this._schedule()
  }

  private _schedule(delayMs = RUN_DEBOUNCE_MS): void {
    clearTimeout(this._timer)
    this._inflight?.abort()
    if (this.draft === undefined) {
      this._run = { state: 'idle' }
      if (this._result) this._stale = 'The protocol draft has errors: these results are for the last draft without errors.'
      return
    }
    if (!this._base && !this._dirty) return // no examples yet, none typed
    this._run = { state: 'running' }
    this._timer = setTimeout(() => void this._runNow(), delayMs)
  }

  /** Run now, not after the current task: the request leaves before whatever this task goes on to do. */
  private _runAtOnce(): void {
    this._schedule(0)
    if (this._run.state !== 'running') return
    clearTimeout(this._timer)
    void this._runNow()
  }

  private async _runNow(): Promise<void> {
    const ctrl = new AbortController()
    this._inflight = ctrl
    const draft = this.draft
    const examples = this._dirty ? this._editor?.text() : undefined
    const version = draft !== undefined && draft === this.saved?.yaml ? this.saved.version : undefined
    try {
      const result = await runExamples(
        this.protocolId,
        { ...(draft !== undefined && version === undefined ? { yaml: draft } : {}), ...(examples !== undefined ? { examples } : {}) },
        ctrl.signal,
        version,
      )
      if (ctrl.signal.aborted) return
      this._result = result
      this._stale = undefined
      this._showProblems(result.warnings)
      this._run = { state: 'idle' }
    } catch (e) {
      if (ctrl.signal.aborted) return
      this._run = { state: 'idle' }
      if (e instanceof ProblemError && e.status === 422 && e.extra.document === 'examples') {
        this._showProblems(e.diagnostics)
        this._stale = 'The examples have errors (listed here): these results are for the last examples without errors.'
      } else if (e instanceof ProblemError && e.status === 422 && e.extra.document === 'protocol') {
        this._stale = 'The protocol draft has errors: these results are for the last draft without errors.'
      } else {
        this._run = { state: 'error', error: e }
      }
    }
  }

  private _showProblems(diagnostics: Parameters<typeof placeDiagnostics>[1]): void {
    this._problems = placeDiagnostics(this._text(), diagnostics)
    this._editor?.showDiagnostics(this._problems)
  }

  private _select(line: number | undefined): void {
    if (line !== undefined) this.dispatchEvent(new CustomEvent('example-selected', { detail: { line }, bubbles: true, composed: true }))
  }

  private _toggle(id: string): void {
    const open = new Set(this._open)
    if (open.has(id)) open.delete(id)
    else open.add(id)
    this._open = open
  }

  private async _save(e: SubmitEvent, overwrite = false): Promise<void> {
    e.preventDefault()
    if (!this._editor || this._saving) return
    const text = this._editor.text()
    const note = this._note.trim()
    this._saving = true
    this._saveError = undefined
    try {
      const etag = overwrite ? (await getExamples(this.protocolId))?.etag : this._base?.etag
      const saved = await saveExamples(this.protocolId, text, etag, note)
      this._base = { version: saved.version, etag: saved.etag, change_note: note }
      this._dirty = this._editor.text() !== text
      this._saved = saved.version
      this._conflict = undefined
      this._note = ''
    } catch (err) {
      if (err instanceof ProblemError && err.status === 412) {
        this._conflict = typeof err.extra.latest_version === 'number' ? err.extra.latest_version : (this._base?.version ?? 0) + 1
      } else {
        if (err instanceof ProblemError && err.diagnostics.length) this._showProblems(err.diagnostics)
        this._saveError = err
      }
    } finally {
      this._saving = false
    }
  }

  override render() {
    return html`${this._load.render({
      pending: () => html`<p role="status">Loading the example patients…</p>`,
      error: e => html`<tp-problem .error=${e} context="Loading the example patients"></tp-problem>`,
      complete: () => this._body(),
    })}`
  }

  private _body() {
    const r = this._result
    const noExamples = !this._base && !this._dirty
    return html`<div class="summary" role="status" aria-live="polite">
        ${
          noExamples
            ? html`<span>No example patients saved for this protocol yet.${this.canEdit ? ' Write them in the Examples YAML tab.' : ''}</span>`
            : r
              ? html`<span class="count ${r.failed ? 'some-fail' : 'all-pass'}" data-testid="examples-summary">${r.passed}/${r.total} pass</span>
                ${r.failed ? html`<span class="badge fail">✗ ${r.failed} fail</span>` : html`<span class="badge pass">✓ all pass</span>`}`
              : nothing
        }
        ${this._run.state === 'running' ? html`<span class="note">Running…</span>` : nothing}
      </div>
      ${this._stale && r ? html`<div class="stale" data-testid="examples-stale">${this._stale}</div>` : nothing}
      ${this._run.state === 'error' ? html`<tp-problem .error=${this._run.error} context="Running the examples"></tp-problem>` : nothing}
      ${
        this._problems.length
          ? html`<div class="problems">
            <h3>Problems in the examples YAML</h3>
            <tp-problem-list .problems=${this._problems} @problem-selected=${(e: CustomEvent<{ line: number }>) => this._select(e.detail.line)}></tp-problem-list>
          </div>`
          : nothing
      }
      ${r ? this._list(r.results, 'Example patients', 'Criterion') : nothing}
      ${r?.subjects && r.subjects.total > 0 ? this._subjects(r.subjects) : nothing}
      ${this.canEdit ? this._saveForm() : nothing}`
  }

  private _list(results: ExampleResult[], name: string, subjectHeader: string, keyPrefix = '') {
    return resultList(results, { name, subjectHeader, keyPrefix, open: this._open, toggle: key => this._toggle(key), select: line => this._select(line) })
  }

  /** The example subjects: their endpoints at follow-up against the results worked out by hand. */
  private _subjects(s: NonNullable<ExamplesRun['subjects']>) {
    return html`<section class="subjects" aria-labelledby="subject-examples-h">
      <h3 id="subject-examples-h">Example subjects: endpoints at follow-up</h3>
      <div class="summary">
        <span class="count ${s.failed ? 'some-fail' : 'all-pass'}" data-testid="subject-examples-summary">${s.passed}/${s.total} pass</span>
        ${s.failed ? html`<span class="badge fail">✗ ${s.failed} fail</span>` : html`<span class="badge pass">✓ all pass</span>`}
      </div>
      ${this._list(s.results, 'Example subjects', 'Endpoint @ visit', 'subject-')}
    </section>`
  }

  private _saveForm() {
    const errors = this._problems.some(p => p.severity === 'error')
    const blocked = !this._dirty || errors || this._saving || this._run.state === 'running' || this._conflict !== undefined
    const next = (this._base?.version ?? 0) + 1
    return html`<form @submit=${(e: SubmitEvent) => void this._save(e)}>
      <h3>Save the examples</h3>
      ${
        this._conflict !== undefined
          ? html`<div class="conflict" role="alert" data-testid="examples-conflict">
            <strong>Not saved: someone saved examples version ${this._conflict} after you opened version ${this._base?.version ?? 0}.</strong>
            <div class="actions">
              <button type="button" @click=${(e: Event) => void this._save(e as SubmitEvent, true)}>Keep my text, save over version ${this._conflict}</button>
              <button type="button" class="secondary" @click=${() => this._load.run()}>Discard my text, load version ${this._conflict}</button>
            </div>
          </div>`
          : nothing
      }
      <label for="examples-note">What changed in the examples</label>
      <input id="examples-note" required .value=${this._note} @input=${(e: InputEvent) => (this._note = (e.target as HTMLInputElement).value)} placeholder="Which examples and why" />
      <button type="submit" ?disabled=${blocked}>${this._saving ? 'Saving…' : `Save examples as version ${next}`}</button>
      <div class="note">${!this._dirty ? 'No changes to the examples.' : errors ? 'Fix the errors in the examples before saving.' : ''}</div>
      ${this._saved !== undefined ? html`<p class="ok" role="status" data-testid="examples-saved">✓ Examples saved as version ${this._saved}.</p>` : nothing}
      <tp-problem .error=${this._saveError} context="Saving the examples"></tp-problem>
    </form>`
  }
}
customElements.define('tp-examples-panel', TpExamplesPanel)

declare global {
  interface HTMLElementTagNameMap {
    'tp-examples-panel': TpExamplesPanel
  }
}
