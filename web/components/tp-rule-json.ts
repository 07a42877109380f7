import { LitElement, css, html, nothing } from 'lit'
import type { CompiledRule } from '../api/rules.ts'
import { base } from '../styles.ts'

/**
 * The json-rules-engine rules compiled from one criterion, pretty-printed in
 * a scrollable, keyboard-focusable block, with a Copy button that says
 * whether copying worked.
 */
export class TpRuleJson extends LitElement {
  static override properties = {
    rules: { attribute: false },
    criterionId: {},
    _copy: { state: true },
  }

  /** The criterion's rules (its own, `applies_if`, `at_least` members). */
  declare rules: CompiledRule[]
  /** The criterion they were compiled from, for labels. */
  declare criterionId: string
  declare _copy: 'idle' | 'copied' | 'failed'

  constructor() {
    super()
    this.rules = []
    this.criterionId = ''
    this._copy = 'idle'
  }

  static override styles = [
    base,
    css`
      :host { display: block; }
      .bar { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.4rem 0; }
      pre {
        margin: 0; max-height: 24rem; overflow: auto; background: #f6f8fa; border: 1px solid var(--tp-line); border-radius: 4px;
        padding: 0.6rem 0.75rem; font-size: 0.8rem; line-height: 1.35; white-space: pre; tab-size: 2;
      }
      .status { font-size: 0.9rem; }
      .status.failed { color: var(--tp-bad); }
    `,
  ]

  /** The JSON shown and copied: one rule, or an array when the criterion compiled to several. */
  get text(): string {
    return JSON.stringify(this.rules.length === 1 ? this.rules[0] : this.rules, null, 2)
  }

  override render() {
    const count = this.rules.length
    return html`<div class="bar">
        <span class="note">${count} json-rules-engine rule${count === 1 ? '' : 's'} compiled from ${this.criterionId}</span>
        <button type="button" class="secondary" @click=${this._copyJson} aria-label="Copy the compiled rules of ${this.criterionId}">Copy</button>
        <span class="status ${this._copy}" role="status"
          >${this._copy === 'copied' ? '✓ Copied to the clipboard' : this._copy === 'failed' ? '✗ Copying is not available here: the JSON is selected, press Ctrl+C' : nothing}</span
        >
      </div>
      <pre tabindex="0" role="region" aria-label="Compiled rules of ${this.criterionId} (JSON)">${this.text}</pre>`
  }

  private async _copyJson() {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard')
      await navigator.clipboard.writeText(this.text)
      this._copy = 'copied'
    } catch {
      // a page without clipboard permission: select the text so a keyboard copy still works
      this._copy = 'failed'
      const pre = this.renderRoot.querySelector('pre')
      const selection = window.getSelection()
      if (pre && selection) {
        const range = document.createRange()
        range.selectNodeContents(pre)
        selection.removeAllRanges()
        selection.addRange(range)
      }
    }
  }
}
customElements.define('tp-rule-json', TpRuleJson)

declare global {
  interface HTMLElementTagNameMap {
    'tp-rule-json': TpRuleJson
  }
}
