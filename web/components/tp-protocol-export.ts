import { LitElement, css, html, nothing } from 'lit'
import { EXPORT_FORMAT_TITLES, EXPORT_FORMATS, getProtocolExport, type ExportFormat, type ProtocolExportAnswer } from '../api/export.ts'
import { downloadJson } from '../download.ts'
import { base } from '../styles.ts'
import './tp-problem.ts'

/**
 * Export buttons of the protocol view: one per standard (CDISC USDM, FHIR R5,
 * FHIR R4). A click downloads the version's document as a JSON file and lists
 * what the standard could not carry, so a reader of the file knows what is
 * only in the protocol.
 */
export class TpProtocolExport extends LitElement {
  static override properties = {
    protocolId: {},
    version: { type: Number },
    _busy: { state: true },
    _done: { state: true },
    _error: { state: true },
  }

  declare protocolId: string
  declare version: number
  declare _busy: ExportFormat | undefined
  declare _done: (ProtocolExportAnswer & { filename: string }) | undefined
  declare _error: unknown

  static override styles = [
    base,
    css`
      :host { display: block; margin: 0.6rem 0; }
      .buttons { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }
      .label { font-weight: 600; }
      details { margin-top: 0.4rem; }
      ul { margin: 0.3rem 0; padding-left: 1.1rem; font-size: 0.92rem; }
      li { overflow-wrap: anywhere; }
      code { font-family: ui-monospace, monospace; }
    `,
  ]

  private async _export(format: ExportFormat): Promise<void> {
    this._busy = format
    this._error = undefined
    try {
      const answer = await getProtocolExport(this.protocolId, this.version, format)
      const filename = `${this.protocolId}-v${answer.version}.${format}.json`
      downloadJson(filename, answer.document)
      this._done = { ...answer, filename }
    } catch (e) {
      this._error = e
    } finally {
      this._busy = undefined
    }
  }

  override render() {
    return html`<div class="buttons" role="group" aria-label="Export this version">
        <span class="label">Export:</span>
        ${EXPORT_FORMATS.map(
          f => html`<button type="button" title=${EXPORT_FORMAT_TITLES[f].long} ?disabled=${this._busy !== undefined} @click=${() => this._export(f)}>
            ${this._busy === f ? 'Exporting…' : EXPORT_FORMAT_TITLES[f].short}
          </button>`,
        )}
      </div>
      ${this._error ? html`<tp-problem .error=${this._error} context="Exporting the protocol"></tp-problem>` : nothing}
      ${
        this._done
          ? html`<p role="status">Downloaded ${this._done.filename} (${this._done.standard}).</p>
              <details>
                <summary>${this._done.notes.length} part(s) of the protocol ${this._done.standard} does not carry as the protocol does</summary>
                <ul>
                  ${this._done.notes.map(n => html`<li><code>${n.where}</code>: ${n.note}</li>`)}
                </ul>
              </details>`
          : nothing
      }`
  }
}

customElements.define('tp-protocol-export', TpProtocolExport)
