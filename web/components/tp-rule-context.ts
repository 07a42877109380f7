import { LitElement, css, html, nothing } from 'lit'
import type { ParameterDescription, ProtocolDescription } from '../api/rules.ts'
import { base } from '../styles.ts'

/**
 * What a protocol's criteria are read against: its reference dates (what
 * each is anchored to and what counts from it), how windows are counted, its
 * parameters (value, options, rationale; open ones flagged in words) and the
 * investigator's yes/no attestations.
 */
export class TpRuleContext extends LitElement {
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
      dl { margin: 0; display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: 0.35rem 1rem; }
      dt { font-weight: 600; }
      dd { margin: 0; overflow-wrap: anywhere; }
      @media (max-width: 40rem) {
        dl { grid-template-columns: 1fr; gap: 0.1rem; }
        dd { margin-bottom: 0.5rem; }
      }
      code { font-size: 0.85em; overflow-wrap: anywhere; }
      .used { display: block; color: var(--tp-muted); font-size: 0.9rem; }
      details { margin: 0.6rem 0; border: 1px solid var(--tp-line); border-radius: 4px; background: #fff; }
      summary { cursor: pointer; padding: 0.5rem 0.75rem; font-weight: 600; }
      details > :not(summary) { margin: 0 0.75rem 0.75rem; }
      ul.params { list-style: none; padding: 0; display: flex; flex-direction: column; gap: 0.6rem; }
      ul.params li { border-top: 1px solid var(--tp-line); padding-top: 0.5rem; overflow-wrap: anywhere; }
      .value { font-weight: 700; }
      .open { display: inline-block; color: var(--tp-unknown); background: var(--tp-unknown-bg); border: 1px solid var(--tp-unknown); border-radius: 999px; padding: 0 0.5rem; font-size: 0.8rem; font-weight: 700; }
      .open-note { color: var(--tp-unknown); margin: 0.2rem 0; }
      p { margin: 0.2rem 0; }
      ul.plain { padding-left: 1.1rem; }
    `,
  ]

  override render() {
    const d = this.description
    if (!d) return nothing
    const open = d.parameters.filter(p => p.open).length
    return html`<section aria-labelledby="refs-h">
        <h2 id="refs-h">Reference dates</h2>
        <dl>
          ${d.reference_dates.map(
            r => html`<dt>${r.label} <code>${r.name}</code></dt>
              <dd>
                ${r.description ?? html`<span class="note">No description.</span>`}
                <span class="used">Used by: ${r.used_by.length ? r.used_by.join(', ') : 'nothing'}</span>
              </dd>`,
          )}
        </dl>
        <details>
          <summary>How windows and study days are counted</summary>
          <ul class="plain">
            ${d.conventions.map(c => html`<li>${c}</li>`)}
          </ul>
        </details>
      </section>
      ${
        d.parameters.length
          ? html`<details data-section="parameters">
            <summary>Parameters: ${d.parameters.length}${open ? html`, of which ${open} <span class="open">⚠ open</span> (not settled by the registry text)` : nothing}</summary>
            <ul class="params">
              ${d.parameters.map(p => this._parameter(p))}
            </ul>
          </details>`
          : nothing
      }
      ${
        d.attestations.length
          ? html`<details data-section="attestations">
            <summary>Investigator attestations: ${d.attestations.length}</summary>
            <dl>
              ${d.attestations.map(a => html`<dt><code>${a.name}</code></dt><dd>${a.question}</dd>`)}
            </dl>
          </details>`
          : nothing
      }`
  }

  private _parameter(p: ParameterDescription) {
    return html`<li data-parameter=${p.name}>
      <code>${p.name}</code> = <span class="value">${String(p.value)}</span> ${p.open ? html`<span class="open">⚠ Open</span>` : nothing}
      ${p.options ? html`<p class="note">Options: ${p.options.map(String).join(', ')}</p>` : nothing}
      ${p.open_note ? html`<p class="open-note">${p.open_note}</p>` : nothing}
      <p>${p.rationale}</p>
      <span class="used">Used by: ${p.used_by.length ? p.used_by.join(', ') : 'nothing'}</span>
    </li>`
  }
}
customElements.define('tp-rule-context', TpRuleContext)

declare global {
  interface HTMLElementTagNameMap {
    'tp-rule-context': TpRuleContext
  }
}
