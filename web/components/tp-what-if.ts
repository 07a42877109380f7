import { LitElement, css, html, nothing } from 'lit'
import { Task } from '@lit/task'
import { getProtocolDocument } from '../api.ts'
import { postWhatIf, type WhatIfReport } from '../api/dashboard.ts'
import { WHAT_IF_MAX_RECORDS, whatIfKnobs, type DocPath, type WhatIfEdits, type WhatIfKnob } from '../../engine/whatif/what-if.ts'
import { HANDOFF, stash } from '../handoff.ts'
import { countTable } from '../dashboard/count-table.ts'
import { base } from '../styles.ts'
import './tp-problem.ts'

/** Wait after the last change before recomputing: typing a number should not send a request per digit. */
const RECOMPUTE_DEBOUNCE_MS = 300

const keyOf = (path: DocPath) => JSON.stringify(path)

/** The records of an extract's text: a JSON array, or one JSON object per line; or why not, naming the line. */
export function recordsOf(text: string): { records: unknown[] } | { error: string } {
  const trimmed = text.trim()
  if (trimmed === '') return { error: 'the file is empty' }
  let records: unknown[]
  if (trimmed.startsWith('[')) {
    try {
      records = JSON.parse(trimmed) as unknown[]
    } catch (e) {
      return { error: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` }
    }
  } else {
    records = []
    for (const [i, line] of text.split(/\r?\n/).entries()) {
      if (line.trim() === '') continue
      try {
        records.push(JSON.parse(line))
      } catch {
        return { error: `line ${i + 1} is not JSON` }
      }
    }
  }
  if (records.length > WHAT_IF_MAX_RECORDS) return { error: `${records.length} records; the what-if takes at most ${WHAT_IF_MAX_RECORDS} at once` }
  return { records }
}

/**
 * What-if beside the screening funnel: switch criteria off and move their
 * thresholds, windows and numeric parameters; the screened subjects are
 * re-evaluated at once (POST /protocols/:id/what-if, nothing saved) and the
 * flow's counts shown before → after, changed ones marked, with the
 * patients whose verdict changes. "Save as draft amendment" opens the
 * editor on the protocol's YAML with these edits, to review and save as a
 * new version.
 */
export class TpWhatIf extends LitElement {
  static override properties = {
    protocolId: {},
    canEdit: { type: Boolean },
    _off: { state: true },
    _values: { state: true },
    _extract: { state: true },
  }

  declare protocolId: string
  /** Whether the reader may save a version (designers, admins): shows "Save as draft amendment". */
  declare canEdit: boolean
  declare _off: ReadonlySet<string>
  declare _values: ReadonlyMap<string, { path: DocPath; value: number }>
  /** An uploaded extract re-evaluated instead of the screened subjects, or why the file could not be read. */
  declare _extract: { name: string; records: unknown[] } | { name: string; error: string } | undefined
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor() {
    super()
    this.protocolId = ''
    this.canEdit = false
    this._off = new Set()
    this._values = new Map()
    this._extract = undefined
  }

  private readonly _protocol = new Task(this, {
    task: async ([id], { signal }) => {
      const p = await getProtocolDocument(id, signal)
      return { ...p, knobs: whatIfKnobs(p.document) }
    },
    args: () => [this.protocolId] as const,
  })

  private readonly _result = new Task(this, {
    task: ([id, edits, extract], { signal }) => postWhatIf(id, extract && 'records' in extract ? { ...edits, records: extract.records } : edits, signal),
    args: () => [this.protocolId, this._edits(), this._extract] as const,
    autoRun: false,
  })

  static override styles = [
    base,
    countTable,
    css`
      :host { display: block; }
      /* min-width 0: a fieldset is otherwise as wide as its longest word, and concept ids are long */
      fieldset { min-width: 0; border: 1px solid var(--tp-line); border-radius: 6px; margin: 0 0 0.6rem; padding: 0.4rem 0.75rem 0.6rem; background: #fff; overflow-wrap: anywhere; }
      fieldset.off { opacity: 0.65; }
      legend { font-weight: 600; padding: 0 0.3rem; }
      .knob { display: inline-flex; flex-wrap: wrap; max-width: 100%; gap: 0.4rem; align-items: baseline; margin: 0.3rem 1.2rem 0 0; }
      .knob input { width: 6.5rem; font: inherit; padding: 0.2rem 0.35rem; border: 1px solid #8a94a3; border-radius: 4px; }
      .knob input.moved { border-color: var(--tp-ink); border-width: 2px; }
      td.moved { font-weight: 700; background: #fff6d6; }
      .actions { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; margin: 0.6rem 0; }
      /* the file input on a line of its own, never wider than the page (its button and file name have a fixed width) */
      .extract { flex: 1 1 100%; min-width: 0; }
      .extract input[type='file'] { display: block; width: 100%; max-width: 24rem; margin-top: 0.25rem; }
    `,
  ]

  /** The edits as the route takes them. */
  private _edits(): WhatIfEdits {
    return { disabled: [...this._off], values: [...this._values.values()] }
  }

  private _changed() {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => void this._result.run(), RECOMPUTE_DEBOUNCE_MS)
  }

  private _toggle(id: string, on: boolean) {
    const off = new Set(this._off)
    if (on) off.delete(id)
    else off.add(id)
    this._off = off
    this._changed()
  }

  private _move(k: WhatIfKnob, raw: string) {
    const values = new Map(this._values)
    const value = Number(raw)
    // back to the protocol's own value, or not a number yet: no edit
    if (raw.trim() === '' || !Number.isFinite(value) || value === k.value) values.delete(keyOf(k.path))
    else values.set(keyOf(k.path), { path: k.path, value })
    this._values = values
    this._changed()
  }

  private async _readExtract(e: Event) {
    const file = (e.target as HTMLInputElement).files?.[0]
    if (!file) return
    this._useExtract({ name: file.name, ...recordsOf(await file.text()) })
  }

  private _useExtract(extract: TpWhatIf['_extract']) {
    this._extract = extract
    if (!extract || 'records' in extract) this._changed()
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    clearTimeout(this.#timer)
  }

  override render() {
    return this._protocol.render({
      pending: () => html`<p role="status">Loading the protocol…</p>`,
      error: e => html`<tp-problem .error=${e} context="Loading the protocol"></tp-problem>`,
      complete: p => html`<p class="note">
          Switch criteria off and move their numbers: ${this._extract && 'records' in this._extract ? html`the ${this._extract.records.length} records of <b>${this._extract.name}</b> are` : 'the screened subjects are'}
          re-evaluated at once against version ${p.version}; nothing is saved.
        </p>
        <p class="actions">
          <label class="extract">Re-evaluate an extract instead (JSON array or NDJSON of patient records, at most ${WHAT_IF_MAX_RECORDS})
            <input type="file" accept=".json,.ndjson,application/json,application/x-ndjson" data-testid="extract" @change=${(e: Event) => void this._readExtract(e)} /></label>
          ${this._extract ? html`<button type="button" class="secondary" @click=${() => this._useExtract(undefined)}>Back to the screened subjects</button>` : nothing}
        </p>
        ${this._extract && 'error' in this._extract ? html`<p class="note" role="alert">${this._extract.name}: ${this._extract.error}</p>` : nothing}
        ${this._result.render({
          initial: () => html`<p class="note">Change something below to see the screening flow before → after.</p>`,
          pending: () => html`<p role="status">Re-evaluating the screened subjects…</p>`,
          error: e => html`<tp-problem .error=${e} context="What-if"></tp-problem>`,
          complete: r => this._report(r),
        })}
        ${p.knobs.criteria.map(c => {
          const on = !this._off.has(c.id)
          return html`<fieldset class=${on ? '' : 'off'} data-criterion=${c.id}>
            <legend>
              <label><input type="checkbox" .checked=${on} @change=${(e: Event) => this._toggle(c.id, (e.target as HTMLInputElement).checked)} /> ${c.id}</label>
            </legend>
            <div class="note">${c.title}</div>
            ${c.knobs.map(k => this._knob(k))}
            ${c.parameters.length ? html`<div class="note">Also reads ${c.parameters.join(', ')} (parameters, below).</div>` : nothing}
          </fieldset>`
        })}
        ${
          p.knobs.parameters.length
            ? html`<fieldset data-criterion="parameters">
              <legend>Parameters</legend>
              ${p.knobs.parameters.map(k => this._knob({ ...k, label: `${k.name} (${k.usedBy.join(', ')})` }))}
            </fieldset>`
            : nothing
        }`,
    })
  }

  private _knob(k: WhatIfKnob) {
    const moved = this._values.get(keyOf(k.path))
    return html`<label class="knob"
      >${k.label}
      <input
        type="number"
        step="any"
        class=${moved ? 'moved' : ''}
        .value=${String(moved?.value ?? k.value)}
        data-path=${keyOf(k.path)}
        @input=${(e: Event) => this._move(k, (e.target as HTMLInputElement).value)}
    /></label>`
  }

  private _report(r: WhatIfReport) {
    const after = new Map(r.flows.after.steps.map(s => [s.criterion, s]))
    const cell = (label: string, before: number, now: number | undefined) =>
      html`<td class="num ${now !== before ? 'moved' : ''}" data-label=${label}>${before} → ${now ?? 'off'}</td>`
    return html`<div data-testid="what-if-report">
      <p class="actions" role="status">
        <span>Over ${r.evaluated} ${r.over === 'records' ? 'records of the extract' : 'screened'}; eligible <b data-testid="eligible">${r.flows.before.eligible} → ${r.flows.after.eligible}</b></span>
        <span>${r.changed.length} verdict${r.changed.length === 1 ? '' : 's'} change</span>
        ${this.canEdit ? html`<button type="button" data-testid="save-draft" @click=${() => this._saveDraft(r.yaml)}>Save as draft amendment</button>` : nothing}
      </p>
      <div class="table-wrap">
        <table data-testid="what-if-table">
          <caption>Each criterion's step of the screening flow, before → after; a changed count is marked.</caption>
          <thead>
            <tr><th scope="col">Criterion</th><th scope="col" class="num">Entering</th><th scope="col" class="num">Excluded here</th><th scope="col" class="num">Undecided here</th></tr>
          </thead>
          <tbody>
            ${r.flows.before.steps.map(s => {
              const a = after.get(s.criterion)
              return html`<tr data-criterion=${s.criterion}>
                <th scope="row">${s.criterion}</th>
                ${cell('Entering', s.entering, a?.entering)} ${cell('Excluded', s.excluded, a?.excluded)} ${cell('Undecided', s.unknown, a?.unknown)}
              </tr>`
            })}
          </tbody>
        </table>
      </div>
      ${
        r.changed.length
          ? html`<h3>Verdicts that change</h3>
            <ul data-testid="what-if-changed">
              ${r.changed.map(c => html`<li>${c.who.subject_code ?? c.who.id ?? `screening ${c.who.evaluation_id ?? c.who.index}`}: ${c.before.overall} → <b>${c.after.overall}</b></li>`)}
            </ul>`
          : nothing
      }
    </div>`
  }

  /** The version's YAML with the edits (as the server wrote it), handed to the editor as an unsaved draft of a new version. */
  private _saveDraft(yaml: string) {
    const id = stash(HANDOFF.protocolDraft, yaml)
    location.hash = `#/protocols/${encodeURIComponent(this.protocolId)}/edit?draft=${id}`
  }
}
customElements.define('tp-what-if', TpWhatIf)

declare global {
  interface HTMLElementTagNameMap {
    'tp-what-if': TpWhatIf
  }
}
