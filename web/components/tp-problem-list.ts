import { LitElement, css, html } from 'lit'
import type { PlacedDiagnostic } from '../editor/diagnostics.ts'
import { base } from '../styles.ts'

/**
 * The problems of a protocol draft, one button per problem (line:col,
 * severity in words, code, path, message); choosing one asks the editor to
 * jump there. The button is named by its own text (no aria-label, which
 * would have to repeat every visible word): "12:5" is read as "Line 12,
 * column 5" and the symbols are not read.
 *
 * @fires problem-selected - detail `{ from, line, column }` of the chosen problem
 */
export class TpProblemList extends LitElement {
  static override properties = {
    problems: { attribute: false },
  }

  /** Diagnostics placed in the current text (web/editor/diagnostics.ts). */
  declare problems: readonly PlacedDiagnostic[]

  constructor() {
    super()
    this.problems = []
  }

  static override styles = [
    base,
    css`
      :host { display: block; }
      ol { list-style: none; margin: 0; padding: 0; }
      li + li { border-top: 1px solid var(--tp-line); }
      button.problem {
        all: unset; box-sizing: border-box; display: grid; grid-template-columns: 3.5rem 5.5rem minmax(0, 1fr); gap: 0.5rem; width: 100%;
        padding: 0.45rem 0.6rem; cursor: pointer; font-size: 0.9rem;
      }
      button.problem:hover { background: #eef3fb; }
      button.problem:focus-visible { outline: 3px solid var(--tp-accent); outline-offset: -3px; }
      .pos { font-family: ui-monospace, monospace; white-space: nowrap; }
      .sev { font-weight: 700; white-space: nowrap; }
      .sev-error { color: var(--tp-bad); }
      .sev-warning { color: var(--tp-unknown); }
      .msg { overflow-wrap: anywhere; }
      code { font-size: 0.85em; }
      .path { color: var(--tp-muted); }
      .none { padding: 0.5rem 0.6rem; color: var(--tp-ok); margin: 0; }
      @media (max-width: 40rem) { button.problem { grid-template-columns: auto 1fr; } .msg { grid-column: 1 / -1; } }
    `,
  ]

  override render() {
    if (!this.problems.length) return html`<p class="none">✓ No problems found.</p>`
    return html`<ol>
      ${this.problems.map(
        p => html`<li>
          <button type="button" class="problem" @click=${() => this._select(p)}>
            <span class="pos">${p.located ? html`<span class="visually-hidden">Line ${p.line}, column ${p.column}:</span><span aria-hidden="true">${p.line}:${p.column}</span>` : '—'}</span>
            <span class="sev sev-${p.severity}"><span aria-hidden="true">${p.severity === 'error' ? '✗' : '⚠'}</span> ${p.severity === 'error' ? 'Error' : 'Warning'}</span>
            <span class="msg"><code>${p.code}</code>${p.path ? html` <span class="path">at ${p.path}</span>` : ''}<br />${p.message}</span>
          </button>
        </li>`,
      )}
    </ol>`
  }

  private _select(p: PlacedDiagnostic): void {
    this.dispatchEvent(new CustomEvent('problem-selected', { detail: { from: p.from, line: p.line, column: p.column }, bubbles: true, composed: true }))
  }
}
customElements.define('tp-problem-list', TpProblemList)

declare global {
  interface HTMLElementTagNameMap {
    'tp-problem-list': TpProblemList
  }
}
