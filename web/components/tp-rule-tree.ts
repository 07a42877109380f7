import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import type { DescribedNode, ParameterDescription } from '../api/rules.ts'
import { base } from '../styles.ts'

/**
 * A clause of a protocol's logic in plain words, as a nested list: groups
 * ("ALL of:", "NOT (ANY of):") over their children, leaves as statements with
 * their details and the parameters they use. The designer's own label, when
 * there is one, is shown in quotes before the generated words.
 */
export class TpRuleTree extends LitElement {
  static override properties = {
    node: { attribute: false },
    parameters: { attribute: false },
    heading: {},
  }

  /** The described clause (from GET /protocols/:id/description). */
  declare node: DescribedNode | undefined
  /** The protocol's parameters, to show the value (and openness) of those a clause uses. */
  declare parameters: ParameterDescription[]
  /** Accessible name of the list, e.g. "Logic of IN04". */
  declare heading: string

  constructor() {
    super()
    this.node = undefined
    this.parameters = []
    this.heading = ''
  }

  static override styles = [
    base,
    css`
      :host { display: block; }
      ul { list-style: none; margin: 0; padding: 0; }
      ul ul { margin: 0.15rem 0 0 0.35rem; padding-left: 0.75rem; border-left: 2px solid var(--tp-line); }
      li { margin: 0.25rem 0; overflow-wrap: anywhere; }
      li::before { content: '•'; color: var(--tp-muted); margin-right: 0.35rem; }
      .group { font-weight: 700; }
      .label { font-style: italic; color: var(--tp-muted); }
      .detail { display: block; color: var(--tp-muted); font-size: 0.9rem; margin-left: 0.9rem; }
      .param { display: inline-block; font-family: ui-monospace, monospace; font-size: 0.85rem; background: #f1f3f6; border: 1px solid var(--tp-line); border-radius: 3px; padding: 0 0.3rem; margin: 0.1rem 0.25rem 0 0; }
      .param.open { border-color: var(--tp-unknown); background: var(--tp-unknown-bg); color: var(--tp-ink); }
      .uses { display: block; margin-left: 0.9rem; font-size: 0.9rem; color: var(--tp-muted); }
    `,
  ]

  override render() {
    if (!this.node) return nothing
    return html`<ul aria-label=${this.heading || nothing}>
      ${this._node(this.node)}
    </ul>`
  }

  private _node(n: DescribedNode): TemplateResult {
    const label = n.label !== undefined ? html`<span class="label">“${n.label}”: </span>` : nothing
    const text = n.children ? html`<span class="group">${n.text}</span>` : html`<span>${n.text}</span>`
    return html`<li data-path=${n.path} data-kind=${n.kind}>
      ${label}${text}
      ${(n.details ?? []).map(d => html`<span class="detail">${d}</span>`)}
      ${n.parameters?.length ? html`<span class="uses">uses ${n.parameters.map(p => this._param(p))}</span>` : nothing}
      ${n.children ? html`<ul>${n.children.map(c => this._node(c))}</ul>` : nothing}
    </li>`
  }

  private _param(name: string) {
    const p = this.parameters.find(x => x.name === name)
    const value = p === undefined ? '' : ` = ${String(p.value)}`
    return html`<span class="param ${p?.open ? 'open' : ''}">${name}${value}${p?.open ? html` <span>(⚠ open)</span>` : nothing}</span>`
  }
}
customElements.define('tp-rule-tree', TpRuleTree)

declare global {
  interface HTMLElementTagNameMap {
    'tp-rule-tree': TpRuleTree
  }
}
