import { LitElement, css, html, nothing } from 'lit'
import type { ProtocolDocument } from '../../engine/index.ts'
import { recordVisit, type VisitInput } from '../api/subjects.ts'
import { base } from '../styles.ts'
import { BILAG_GRADES, BILAG_SYSTEMS, CREATININE_UNITS, DOSE_FREQUENCIES, DOSE_UNITS, UPCR_UNITS, emptyVisitForm, visitAssessments, visitAttestations, visitInput, type VisitFormValues } from '../subjects/visit-input.ts'
import { unitWords } from '../subjects/charts.ts'
import { FormSubmission } from '../subjects/form-submission.ts'

/**
 * Record a visit of a randomized subject: which visit, its date, UPCR, serum
 * creatinine (in the unit the lab reported), SLEDAI-2K total, the Physician's
 * Global Assessment and BILAG-2004 grades when the protocol's endpoints read
 * them (SRI-4), a dose change (a glucocorticoid taper, which complete-response
 * definitions read) and the investigator questions asked at each visit.
 *
 * @fires subject-changed - after the visit was saved
 */
export class TpSubjectVisitForm extends LitElement {
  static override properties = {
    subjectId: {},
    doc: { attribute: false },
    recorded: { attribute: false },
    _values: { state: true },
  }

  declare subjectId: string
  /** The protocol document (visits, attestations). */
  declare doc: ProtocolDocument | undefined
  /** Visit ids already recorded (not offered again). */
  declare recorded: string[]
  declare _values: VisitFormValues

  private readonly _submission = new FormSubmission<VisitInput>(this, 'Recording the visit')

  constructor() {
    super()
    this.subjectId = ''
    this.doc = undefined
    this.recorded = []
    this._values = emptyVisitForm()
  }

  static override styles = [
    base,
    css`
      :host { display: block; }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 0.6rem 1rem; }
      label, legend { display: block; font-weight: 600; }
      select, input { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #8a94a3; border-radius: 4px; }
      .pair { display: flex; gap: 0.3rem; }
      .pair input { width: 7rem; min-width: 0; }
      fieldset { border: 1px solid var(--tp-line); border-radius: 4px; margin: 0.6rem 0 0; }
      fieldset label { display: inline-flex; gap: 0.25rem; font-weight: normal; margin-right: 0.8rem; }
      fieldset.dose label { display: block; font-weight: 600; margin-right: 0; }
      details.bilag { border: 1px solid var(--tp-line); border-radius: 4px; margin: 0.6rem 0 0; padding: 0.4rem 0.75rem; }
      details.bilag summary { font-weight: 600; cursor: pointer; }
      .actions { margin-top: 0.75rem; }
      .ok { border-left: 4px solid var(--tp-ok); background: var(--tp-ok-bg); padding: 0.5rem 0.8rem; }
      .hint { color: var(--tp-muted); font-size: 0.85rem; margin: 0.1rem 0 0; }
    `,
  ]

  private _set(patch: Partial<VisitFormValues>) {
    this._values = { ...this._values, ...patch }
  }

  private _bilagCount(): number {
    return Object.values(this._values.bilag).filter((g) => g).length
  }

  override render() {
    if (!this.doc) return html`<p role="status">Loading the protocol's visits…</p>`
    const open = (this.doc.visits ?? []).filter((v) => !this.recorded.includes(v.id))
    if (open.length === 0) return html`<p>Every planned visit is recorded.</p>`
    const v = this._values
    const questions = visitAttestations(this.doc)
    const assess = visitAssessments(this.doc)
    return html`<form @submit=${this._submit} novalidate>
      <div class="grid">
        <div>
          <label for="visit">Visit</label>
          <select id="visit" .value=${v.visit} @change=${(e: Event) => this._set({ visit: (e.target as HTMLSelectElement).value })}>
            <option value="">Choose…</option>
            ${open.map((x) => html`<option value=${x.id} ?selected=${x.id === v.visit}>${x.label ?? x.id}</option>`)}
          </select>
        </div>
        <div>
          <label for="visit-date">Date of the visit</label>
          <input id="visit-date" type="date" .value=${v.date} @input=${(e: Event) => this._set({ date: (e.target as HTMLInputElement).value })} />
        </div>
        <div>
          <label for="upcr">UPCR</label>
          <div class="pair">
            <input id="upcr" inputmode="decimal" .value=${v.upcr} @input=${(e: Event) => this._set({ upcr: (e.target as HTMLInputElement).value })} />
            <select aria-label="UPCR unit" .value=${v.upcrUnit} @change=${(e: Event) => this._set({ upcrUnit: (e.target as HTMLSelectElement).value })}>
              ${UPCR_UNITS.map((u) => html`<option value=${u} ?selected=${u === v.upcrUnit}>${unitWords(u)}</option>`)}
            </select>
          </div>
          <p class="hint">Urine protein/creatinine ratio, first-morning sample.</p>
        </div>
        <div>
          <label for="creatinine">Serum creatinine</label>
          <div class="pair">
            <input id="creatinine" inputmode="decimal" .value=${v.creatinine} @input=${(e: Event) => this._set({ creatinine: (e.target as HTMLInputElement).value })} />
            <select aria-label="Serum creatinine unit" .value=${v.creatinineUnit} @change=${(e: Event) => this._set({ creatinineUnit: (e.target as HTMLSelectElement).value })}>
              ${CREATININE_UNITS.map((u) => html`<option value=${u} ?selected=${u === v.creatinineUnit}>${unitWords(u)}</option>`)}
            </select>
          </div>
        </div>
        <div>
          <label for="sledai">SLEDAI-2K total</label>
          <input id="sledai" inputmode="numeric" .value=${v.sledai} @input=${(e: Event) => this._set({ sledai: (e.target as HTMLInputElement).value })} />
          <p class="hint">0 to 105; leave empty if not assessed.</p>
        </div>
        ${assess.pga
          ? html`<div>
              <label for="pga">Physician's Global Assessment</label>
              <input id="pga" inputmode="decimal" .value=${v.pga} @input=${(e: Event) => this._set({ pga: (e.target as HTMLInputElement).value })} />
              <p class="hint">0 (none) to 3 (severe disease activity); for SRI-4.</p>
            </div>`
          : nothing}
      </div>
      ${assess.bilag
        ? html`<details class="bilag" ?open=${Object.values(v.bilag).some((g) => g)}>
            <summary>BILAG-2004 grades${this._bilagCount() ? ` (${this._bilagCount()} of 9 graded)` : ''}</summary>
            <p class="hint">A severe · B moderate · C mild, stable · D previously involved, now inactive · E never involved. Leave a system empty if not assessed.</p>
            <div class="grid">
              ${BILAG_SYSTEMS.map(
                (system) => html`<div>
                  <label for="bilag-${system}">${system[0]!.toUpperCase()}${system.slice(1)}</label>
                  <select id="bilag-${system}" .value=${v.bilag[system] ?? ''} @change=${(e: Event) => this._set({ bilag: { ...v.bilag, [system]: (e.target as HTMLSelectElement).value } })}>
                    <option value="" ?selected=${!v.bilag[system]}>not graded</option>
                    ${BILAG_GRADES.map((g) => html`<option value=${g} ?selected=${v.bilag[system] === g}>${g}</option>`)}
                  </select>
                </div>`,
              )}
            </div>
          </details>`
        : nothing}
      <fieldset class="dose">
        <legend>Dose change from this visit on</legend>
        <p class="hint">For a drug whose dose changed today, e.g. a glucocorticoid taper; it joins the subject's current course of that drug. 0 = stopped.</p>
        <div class="grid">
          <div>
            <label for="dose-drug">Drug</label>
            <input id="dose-drug" autocomplete="off" placeholder="e.g. prednisone" .value=${v.doseDrug} @input=${(e: Event) => this._set({ doseDrug: (e.target as HTMLInputElement).value })} />
          </div>
          <div>
            <label for="dose-amount">Dose</label>
            <div class="pair">
              <input id="dose-amount" inputmode="decimal" .value=${v.doseAmount} @input=${(e: Event) => this._set({ doseAmount: (e.target as HTMLInputElement).value })} />
              <select aria-label="Dose unit" .value=${v.doseUnit} @change=${(e: Event) => this._set({ doseUnit: (e.target as HTMLSelectElement).value })}>
                ${DOSE_UNITS.map((u) => html`<option value=${u} ?selected=${u === v.doseUnit}>${u}</option>`)}
              </select>
            </div>
          </div>
          <div>
            <label for="dose-frequency">How often</label>
            <select id="dose-frequency" .value=${v.doseFrequency} @change=${(e: Event) => this._set({ doseFrequency: (e.target as HTMLSelectElement).value })}>
              ${DOSE_FREQUENCIES.map((f) => html`<option value=${f} ?selected=${f === v.doseFrequency}>${f}</option>`)}
            </select>
          </div>
        </div>
      </fieldset>
      ${questions.map(
        (q) => html`<fieldset>
          <legend>${q.question}</legend>
          ${(['yes', 'no', ''] as const).map(
            (a) => html`<label><input type="radio" name="att-${q.id}" .checked=${(v.attestations[q.id] ?? '') === a}
              @change=${() => this._set({ attestations: { ...v.attestations, [q.id]: a } })} />${a === '' ? 'Not answered' : a === 'yes' ? 'Yes' : 'No'}</label>`,
          )}
        </fieldset>`,
      )}
      ${this._submission.render('Record the visit')}
    </form>`
  }

  private async _submit(e: Event) {
    e.preventDefault()
    const saved = await this._submission.submit(visitInput(this._values), async (value) => {
      const { warnings } = await recordVisit(this.subjectId, value)
      return `✓ Recorded ${value.visit} on ${value.date}.${warnings.length ? ` ⚠ ${warnings.join('; ')}.` : ''}`
    })
    if (!saved) return
    this._values = emptyVisitForm()
    this.dispatchEvent(new CustomEvent('subject-changed', { bubbles: true, composed: true }))
  }
}
customElements.define('tp-subject-visit-form', TpSubjectVisitForm)

declare global {
  interface HTMLElementTagNameMap {
    'tp-subject-visit-form': TpSubjectVisitForm
  }
}
