import { LitElement, css, html, nothing } from 'lit'
import { ProblemError } from '../api.ts'
import { base } from '../styles.ts'

/**
 * Shows a failed request to the user: the problem's title and detail and,
 * for a 422, its located diagnostics. Announced to screen readers (role=alert).
 */
export class TpProblem extends LitElement {
  static override properties = {
    error: { attribute: false },
    context: {},
  }

  /** The error to show: a ProblemError from web/api.ts, or anything thrown. */
  declare error: unknown
  /** What was being done, e.g. "Loading the protocols". */
  declare context: string

  constructor() {
    super()
    this.context = ''
  }

  static override styles = [base, css`:host { display: block; } ul { margin: 0.3rem 0 0; padding-left: 1.2rem; }`]

  override render() {
    if (!this.error) return nothing
    const e = this.error
    const title = e instanceof ProblemError ? e.title : 'Something went wrong'
    const detail = e instanceof ProblemError ? e.detail : e instanceof Error ? e.message : String(e)
    const diagnostics = e instanceof ProblemError ? e.diagnostics : []
    return html`<div class="error" role="alert">
      <strong>${this.context ? `${this.context} failed: ` : ''}${title}</strong>
      <div>${detail}</div>
      ${
        diagnostics.length
          ? html`<ul>
            ${diagnostics.map(d => html`<li>${d.line !== undefined ? `line ${d.line}:${d.column ?? 1} ` : ''}<code>${d.code}</code> ${d.path ? html`at <code>${d.path}</code>` : nothing} — ${d.message}</li>`)}
          </ul>`
          : nothing
      }
    </div>`
  }
}
customElements.define('tp-problem', TpProblem)

declare global {
  interface HTMLElementTagNameMap {
    'tp-problem': TpProblem
  }
}
