import { LitElement, html } from 'lit'

/** Placeholder while this screen is being written in this session (issue 7); replaced before the session ends. */
export class TpSubjectList extends LitElement {
  static override properties = { protocolId: {}, subjectId: {}, canManage: { type: Boolean }, from: { type: Number }, to: { type: Number } }
  override render() {
    return html`<p>Not yet available.</p>`
  }
}
customElements.define('tp-subject-list', TpSubjectList)
