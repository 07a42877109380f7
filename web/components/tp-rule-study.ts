import { LitElement, css, html, nothing } from 'lit'
import type { ProtocolDescription } from '../api/rules.ts'
import { base } from '../styles.ts'
import './tp-rule-tree.ts'

/**
 * A protocol's arms, visits and endpoints in brief: how each arm is dosed,
 * when each visit falls, what each endpoint measures (a response endpoint's
 * logic as a tree, on demand).
 */
export class TpRuleStudy extends LitElement {
  static override properties = {
    description: { attribute: false },
  }

  /** The protocol in plain words (GET /protocols/:id/description). */
  declare description: ProtocolDescription | undefined

  constructor() {
    super()
    this.description = undefined
  }

  static override styles = [
    base,
    css`
      :host { display: block; }
      h2 { font-size: 1.15rem; margin: 1.4rem 0 0.5rem; }
      h3 { font-size: 1rem; margin: 0.8rem 0 0.2rem; overflow-wrap: anywhere; }
      ul { margin: 0.2rem 0; padding-left: 1.1rem; }
      li { margin: 0.2rem 0; overflow-wrap: anywhere; }
      code { font-size: 0.85em; }
      .registry { color: var(--tp-muted); font-size: 0.92rem; margin: 0.2rem 0; overflow-wrap: anywhere; }
      .badge { border: 1px solid var(--tp-muted); border-radius: 999px; padding: 0 0.5rem; font-size: 0.8rem; font-weight: 700; white-space: nowrap; color: var(--tp-muted); }
      .badge.primary { color: var(--tp-accent); border-color: var(--tp-accent); }
      p { margin: 0.2rem 0; }
      details { margin: 0.3rem 0; }
      summary { cursor: pointer; color: var(--tp-accent); }
      tp-rule-tree { margin: 0.3rem 0 0 0.2rem; }
    `,
  ]

  override render() {
    const d = this.description
    if (!d) return nothing
    return html`${
      d.arms.length
        ? html`<section aria-labelledby="arms-h">
            <h2 id="arms-h">Arms</h2>
            ${d.arms.map(
              a => html`<h3>${a.label} <code>${a.id}</code></h3>
                <ul>
                  ${a.interventions.map(i => html`<li>${i}</li>`)}
                </ul>
                <p class="registry">Registry text: “${a.text}”</p>`,
            )}
          </section>`
        : nothing
    }
      ${
        d.visits.length
          ? html`<section aria-labelledby="visits-h">
            <h2 id="visits-h">Visits</h2>
            <ul>
              ${d.visits.map(v => html`<li><strong>${v.label}</strong> — ${v.text}</li>`)}
            </ul>
          </section>`
          : nothing
      }
      ${
        d.endpoints.length
          ? html`<section aria-labelledby="endpoints-h">
            <h2 id="endpoints-h">Endpoints</h2>
            ${d.endpoints.map(
              e => html`<h3>${e.title} <span class="badge ${e.kind}">${e.kind === 'primary' ? 'Primary' : 'Secondary'}</span></h3>
                <p>${e.summary}${e.time_frame ? html` <span class="note">Time frame: ${e.time_frame}.</span>` : nothing}</p>
                ${
                  e.logic
                    ? html`<details>
                      <summary>Logic of ${e.title}</summary>
                      <tp-rule-tree .node=${e.logic} .parameters=${d.parameters} heading="Logic of ${e.title}"></tp-rule-tree>
                    </details>`
                    : nothing
                }`,
            )}
          </section>`
          : nothing
      }`
  }
}
customElements.define('tp-rule-study', TpRuleStudy)

declare global {
  interface HTMLElementTagNameMap {
    'tp-rule-study': TpRuleStudy
  }
}
