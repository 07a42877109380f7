import { LitElement, css, html } from 'lit'
import type { AdverseEvent } from '../../engine/index.ts'
import { base } from '../styles.ts'
import { courseWords, relatednessWords, seriousWords } from '../subjects/adverse-events.ts'
import { tableStyles } from '../subjects/table-css.ts'

/** A subject's adverse events: term, CTCAE grade, seriousness, relatedness, onset and resolution. */
export class TpSubjectAdverseEvents extends LitElement {
  static override properties = { events: { attribute: false } }

  /** The record's adverse_events (undefined: none recorded). */
  declare events: AdverseEvent[] | undefined

  constructor() {
    super()
    this.events = undefined
  }

  static override styles = [base, tableStyles, css`:host { display: block; } .serious { color: var(--tp-bad); font-weight: 600; }`]

  override render() {
    const events = this.events ?? []
    if (!events.length) return html`<p>No adverse events recorded.</p>`
    return html`<div class="table-wrap">
      <table data-testid="adverse-events">
        <caption>${events.length} adverse event${events.length === 1 ? '' : 's'}</caption>
        <thead><tr><th scope="col">Term</th><th scope="col">CTCAE grade</th><th scope="col">Serious</th><th scope="col">Related</th><th scope="col">Onset and resolution</th></tr></thead>
        <tbody>
          ${events.map(ae => {
            const serious = seriousWords(ae)
            return html`<tr>
              <th scope="row">${ae.term}</th>
              <td data-label="CTCAE grade">${ae.ctcae_grade !== undefined ? `Grade ${ae.ctcae_grade}` : 'not graded'}</td>
              <td data-label="Serious" class=${serious === 'Not serious' ? '' : 'serious'}>${serious === 'Not serious' ? serious : `⚠ ${serious}`}</td>
              <td data-label="Related">${relatednessWords(ae.relatedness)}</td>
              <td data-label="Onset and resolution">${courseWords(ae)}</td>
            </tr>`
          })}
        </tbody>
      </table>
    </div>`
  }
}
customElements.define('tp-subject-adverse-events', TpSubjectAdverseEvents)

declare global {
  interface HTMLElementTagNameMap {
    'tp-subject-adverse-events': TpSubjectAdverseEvents
  }
}
