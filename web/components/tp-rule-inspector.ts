import { LitElement, css, html, nothing } from 'lit'
import { Task, TaskStatus } from '@lit/task'
import {
  getCompiledRules,
  getProtocolDescription,
  rulesOfCriterion,
  type CriterionDescription,
  type DescribedNode,
  type ProtocolDescription,
} from '../api/rules.ts'
import { base } from '../styles.ts'
import './tp-problem.ts'
import './tp-rule-tree.ts'
import './tp-rule-json.ts'
import './tp-rule-context.ts'
import './tp-rule-study.ts'
import './tp-protocol-export.ts'

const KIND_WORDS = {
  inclusion: { badge: 'Inclusion', rule: 'every one must be met', when: 'Met when' },
  exclusion: { badge: 'Exclusion', rule: 'any one met excludes the patient', when: 'Excludes when' },
} as const

/** Every word a criterion can be found by: id, title, registry text, notes, the plain-words logic. */
function searchText(c: CriterionDescription): string {
  const words = [c.id, c.title ?? '', c.text, ...c.notes, ...c.parameters]
  const walk = (n: DescribedNode | undefined) => {
    if (!n) return
    words.push(n.text, n.label ?? '', ...(n.details ?? []))
    n.children?.forEach(walk)
  }
  walk(c.applies_if)
  walk(c.logic)
  return words.join('\n').toLowerCase()
}

/**
 * The rule inspector: a protocol as a readable tree. Identity, reference
 * dates, parameters (open ones flagged in words), every criterion's logic in
 * plain words with its registry text, and on demand the json-rules-engine
 * rules it compiles to; arms, visits and endpoints in brief. Criteria can be
 * filtered by id or words and expanded or collapsed all at once.
 */
export class TpRuleInspector extends LitElement {
  static override properties = {
    protocolId: {},
    _filter: { state: true },
    _open: { state: true },
    _json: { state: true },
  }

  /** The protocol to inspect (its latest version). */
  declare protocolId: string
  declare _filter: string
  /** Criteria whose details are shown. */
  declare _open: ReadonlySet<string>
  /** Criteria whose compiled JSON is shown. */
  declare _json: ReadonlySet<string>

  constructor() {
    super()
    this.protocolId = ''
    this._filter = ''
    this._open = new Set()
    this._json = new Set()
  }

  private readonly _description = new Task(this, {
    task: ([id], { signal }) => getProtocolDescription(id as string, signal),
    args: () => [this.protocolId],
  })

  /** The compiled rules, fetched the first time a criterion's JSON is asked for. */
  private readonly _rules = new Task(this, {
    task: ([id, version], { signal }) => getCompiledRules(id as string, version as number, signal),
    args: () => [this.protocolId, this._description.value?.version ?? 0],
    autoRun: false,
  })
  private _rulesKey = ''

  override willUpdate(changed: Map<PropertyKey, unknown>) {
    if (changed.has('protocolId') && changed.get('protocolId') !== undefined) {
      this._open = new Set()
      this._json = new Set()
      this._filter = ''
    }
  }

  static override styles = [
    base,
    css`
      :host { display: block; }
      h1 { margin: 0 0 0.2rem; font-size: 1.4rem; overflow-wrap: anywhere; }
      h2 { font-size: 1.15rem; margin: 1.4rem 0 0.5rem; }
      .meta { margin: 0.2rem 0; color: var(--tp-muted); overflow-wrap: anywhere; }
      .tools { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; padding: 0 0 0.5rem; }
      .tools label { display: flex; flex-direction: column; gap: 0.15rem; font-weight: 600; flex: 1 1 14rem; }
      .tools input { font-weight: 400; width: 100%; }
      .tools .count { flex-basis: 100%; color: var(--tp-muted); }
      ol.criteria { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.5rem; }
      li.criterion { background: #fff; border: 1px solid var(--tp-line); border-left: 5px solid var(--tp-accent); border-radius: 4px; }
      li.criterion.exclusion { border-left-color: var(--tp-bad); }
      h3.kind { font-size: 1.05rem; margin: 1rem 0 0.5rem; }
      h4 { margin: 0; font-size: 1rem; }
      button.disclosure {
        display: flex; gap: 0.4rem 0.6rem; align-items: baseline; flex-wrap: wrap; width: 100%; text-align: left;
        background: none; color: var(--tp-ink); border: 0; border-radius: 4px; padding: 0.55rem 0.75rem; font-weight: 400;
      }
      button.disclosure:hover { background: #f6f8fa; }
      .chevron { display: inline-block; width: 1ch; color: var(--tp-accent); }
      .badge { border: 1px solid; border-radius: 999px; padding: 0 0.5rem; font-size: 0.8rem; font-weight: 700; white-space: nowrap; }
      .badge.inclusion { color: var(--tp-accent); }
      .badge.exclusion { color: var(--tp-bad); }
      .id { font-family: ui-monospace, monospace; font-weight: 700; }
      .title { font-weight: 600; overflow-wrap: anywhere; }
      .body { padding: 0 0.75rem 0.75rem; }
      blockquote { margin: 0.2rem 0 0.6rem; padding: 0.3rem 0.6rem; border-left: 3px solid var(--tp-line); color: var(--tp-muted); overflow-wrap: anywhere; }
      .part { font-weight: 700; margin: 0.6rem 0 0.2rem; }
      .notes { margin: 0.3rem 0; padding-left: 1.1rem; color: var(--tp-muted); font-size: 0.92rem; }
      .json { margin-top: 0.6rem; }
      .empty { padding: 0.75rem; border: 1px dashed var(--tp-line); border-radius: 4px; }
    `,
  ]

  override render() {
    return this._description.render({
      pending: () => html`<p role="status">Loading the rules of ${this.protocolId}…</p>`,
      error: e => html`<tp-problem .error=${e} context="Loading the rules"></tp-problem>
        <button type="button" @click=${() => this._description.run()}>Try again</button>`,
      complete: ({ version, description }) => this._page(version, description),
    })
  }

  private _page(version: number, d: ProtocolDescription) {
    const id = d.identity
    return html`<h1>Rules: ${id.registry_id} <span class="note">v${version}</span></h1>
      <p class="meta">${id.title}</p>
      <p class="meta">
        Encoding ${id.version} · ${id.sponsor} · phase ${id.phase} · target enrolment ${id.target_enrollment}${id.sex ? ` · sex: ${id.sex}` : ''}${
          id.source ? html` · source: ${id.source}` : nothing
        }
      </p>
      <tp-protocol-export .protocolId=${this.protocolId} .version=${version}></tp-protocol-export>
      <tp-rule-context .description=${d}></tp-rule-context>
      ${this._criteria(d)}
      <tp-rule-study .description=${d}></tp-rule-study>`
  }

  private _criteria(d: ProtocolDescription) {
    const q = this._filter.trim().toLowerCase()
    const shown = q ? d.criteria.filter(c => searchText(c).includes(q)) : d.criteria
    const ids = shown.map(c => c.id)
    return html`<section aria-labelledby="criteria-h">
      <h2 id="criteria-h">Criteria</h2>
      <div class="tools">
        <label
          >Filter criteria
          <input type="search" .value=${this._filter} @input=${(e: Event) => (this._filter = (e.target as HTMLInputElement).value)} placeholder="id or words, e.g. EX01 or rituximab" />
        </label>
        <button type="button" class="secondary" @click=${() => (this._open = new Set([...this._open, ...ids]))} ?disabled=${ids.length === 0}>Expand all</button>
        <button type="button" class="secondary" @click=${() => (this._open = new Set())} ?disabled=${this._open.size === 0}>Collapse all</button>
        <span class="count" role="status">${q ? `${shown.length} of ${d.criteria.length} criteria match “${this._filter.trim()}”` : `${d.criteria.length} criteria`}</span>
      </div>
      ${shown.length === 0 ? html`<p class="empty">No criterion matches “${this._filter.trim()}”. Clear the filter to see all ${d.criteria.length}.</p>` : nothing}
      ${(['inclusion', 'exclusion'] as const).map(kind => {
        const list = shown.filter(c => c.kind === kind)
        if (list.length === 0) return nothing
        return html`<h3 class="kind" id="${kind}-h">${KIND_WORDS[kind].badge} criteria <span class="note">(${KIND_WORDS[kind].rule})</span></h3>
          <ol class="criteria" aria-labelledby="${kind}-h">
            ${list.map(c => this._criterion(c, d))}
          </ol>`
      })}
    </section>`
  }

  private _criterion(c: CriterionDescription, d: ProtocolDescription) {
    const open = this._open.has(c.id)
    const words = KIND_WORDS[c.kind]
    return html`<li class="criterion ${c.kind}" data-criterion=${c.id}>
      <h4>
        <button type="button" class="disclosure" aria-expanded=${open ? 'true' : 'false'} aria-controls="body-${c.id}" @click=${() => this._toggle('_open', c.id)}>
          <span class="chevron" aria-hidden="true">${open ? '▾' : '▸'}</span>
          <span class="badge ${c.kind}">${words.badge}</span>
          <span class="id">${c.id}</span>
          <span class="title">${c.title ?? c.text}</span>
        </button>
      </h4>
      ${open ? this._body(c, d) : nothing}
    </li>`
  }

  private _body(c: CriterionDescription, d: ProtocolDescription) {
    const json = this._json.has(c.id)
    return html`<div class="body" id="body-${c.id}">
      <div class="part">Registry text</div>
      <blockquote>${c.text}</blockquote>
      ${
        c.applies_if
          ? html`<div class="part">Applies only if</div>
            <tp-rule-tree .node=${c.applies_if} .parameters=${d.parameters} heading="When ${c.id} applies"></tp-rule-tree>`
          : nothing
      }
      <div class="part">${KIND_WORDS[c.kind].when}</div>
      <tp-rule-tree .node=${c.logic} .parameters=${d.parameters} heading="Logic of ${c.id}"></tp-rule-tree>
      ${
        c.notes.length
          ? html`<div class="part">Interpretation notes</div>
            <ul class="notes">
              ${c.notes.map(n => html`<li>${n}</li>`)}
            </ul>`
          : nothing
      }
      <div class="json">
        <button type="button" class="secondary" aria-expanded=${json ? 'true' : 'false'} aria-controls="json-${c.id}" @click=${() => this._toggleJson(c.id)}>
          ${json ? 'Hide' : 'Show'} compiled rules (JSON)
        </button>
        ${json ? html`<div id="json-${c.id}">${this._compiled(c.id)}</div>` : nothing}
      </div>
    </div>`
  }

  private _compiled(criterionId: string) {
    return this._rules.render({
      initial: () => html`<p role="status">Loading the compiled rules…</p>`,
      pending: () => html`<p role="status">Loading the compiled rules…</p>`,
      error: e => html`<tp-problem .error=${e} context="Loading the compiled rules"></tp-problem>
        <button type="button" @click=${() => this._rules.run()}>Try again</button>`,
      complete: r => html`<tp-rule-json .rules=${rulesOfCriterion(r.eligibility, criterionId)} criterionId=${criterionId}></tp-rule-json>`,
    })
  }

  private _toggle(which: '_open' | '_json', id: string) {
    const next = new Set(this[which])
    if (next.has(id)) next.delete(id)
    else next.add(id)
    this[which] = next
  }

  private _toggleJson(id: string) {
    this._toggle('_json', id)
    const key = `${this.protocolId}@${this._description.value?.version ?? 0}`
    // one request per version, whichever criterion asks first; a failed one is retried
    if (this._json.has(id) && (key !== this._rulesKey || this._rules.status === TaskStatus.ERROR)) {
      this._rulesKey = key
      void this._rules.run()
    }
  }
}

customElements.define('tp-rule-inspector', TpRuleInspector)

declare global {
  interface HTMLElementTagNameMap {
    'tp-rule-inspector': TpRuleInspector
  }
}
