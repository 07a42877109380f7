import { LitElement, css, html, nothing } from 'lit'
import { Task } from '@lit/task'
import type { ProtocolDocument, SubjectRecord } from '../../engine/index.ts'
import { getLabConcepts } from '../api/dictionary.ts'
import { getVisitPlan, recordVisit, type VisitInput } from '../api/subjects.ts'
import { formatUnit } from '../format.ts'
import { isoDateInput, isoDateStyles } from './tp-iso-date.ts'
import type { LabConceptInfo } from '../patient-form/units.ts'
import { base } from '../styles.ts'
import { FormSubmission } from '../subjects/form-submission.ts'
import {
  deriveVisitFields,
  latestValue,
  readAt,
  recordedBetween,
  type VisitFields,
  type VisitMeasurementField,
  type VisitUse,
} from '../subjects/visit-fields.ts'
import {
  BILAG_GRADES,
  BILAG_SYSTEMS,
  DOSE_FREQUENCIES,
  DOSE_UNITS,
  LIMIT_WORDS,
  WEIGHT_UNITS,
  emptyVisitForm,
  visitInput,
  type MeasurementValues,
  type VisitFormValues,
} from '../subjects/visit-input.ts'

/**
 * Record a visit of a randomized subject. The fields are generated from what
 * the protocol's endpoints and arms read at the chosen visit
 * (web/subjects/visit-fields.ts): labs in the unit the protocol compares in
 * (with the lab's limit where a definition compares with it), SLEDAI-2K,
 * PGA and BILAG-2004, a glucocorticoid dose change, the investigator
 * questions, and body weight when a dose is per kg. At a baseline visit it
 * names the values already recorded in the baseline window (screening data),
 * which the engine reads as baseline without re-entry.
 *
 * @fires subject-changed - after the visit was saved
 */
export class TpSubjectVisitForm extends LitElement {
  static override properties = {
    subjectId: {},
    protocolId: {},
    doc: { attribute: false },
    record: { attribute: false },
    recorded: { attribute: false },
    _values: { state: true },
  }

  declare subjectId: string
  /** The protocol's id, for its visit windows (the baseline note). */
  declare protocolId: string
  /** The protocol document (endpoints, arms, visits, attestations). */
  declare doc: ProtocolDocument | undefined
  /** The subject's record: the last body weight, the screening values in the baseline window. */
  declare record: SubjectRecord | undefined
  /** Visit ids already recorded (not offered again). */
  declare recorded: string[]
  declare _values: VisitFormValues

  private readonly _submission = new FormSubmission<VisitInput>(this, 'Recording the visit')

  constructor() {
    super()
    this.subjectId = ''
    this.protocolId = ''
    this.doc = undefined
    this.record = undefined
    this.recorded = []
    this._values = emptyVisitForm()
  }

  /** Lab names, units and molar masses; the form works without them (ids as names, the protocol's units). */
  private readonly _labs = new Task(this, {
    task: (_args, { signal }) => getLabConcepts(signal).catch(() => []),
    args: () => [] as const,
  })

  /** Planned windows from the visits' reference date, for the baseline note; none when the date is not recorded. */
  private readonly _plan = new Task(this, {
    task: ([protocolId, start], { signal }) =>
      protocolId && start
        ? getVisitPlan(protocolId, start, signal)
            .then(p => p.visits)
            .catch(() => [])
        : Promise.resolve([]),
    args: () => [this.protocolId, this.record?.dates?.[this.doc?.visits?.[0]?.ref ?? 'randomization']] as const,
  })

  private _fieldsCache: { doc: ProtocolDocument; labs: unknown; fields: VisitFields } | undefined

  /** The fields, derived once per protocol document and dictionary. */
  private _fields(doc: ProtocolDocument): VisitFields {
    const labs = this._labs.value ?? []
    if (this._fieldsCache?.doc !== doc || this._fieldsCache.labs !== labs)
      this._fieldsCache = { doc, labs, fields: deriveVisitFields(doc, labs as LabConceptInfo[]) }
    return this._fieldsCache.fields
  }

  static override styles = [
    base,
    isoDateStyles,
    css`
      :host { display: block; }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 0.6rem 1rem; }
      label, legend { display: block; font-weight: 600; }
      select, input { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #8a94a3; border-radius: 4px; }
      .pair { display: flex; gap: 0.3rem; flex-wrap: wrap; }
      .pair input { width: 7rem; min-width: 0; }
      .limit { font-weight: normal; font-size: 0.85rem; margin-top: 0.25rem; }
      fieldset { border: 1px solid var(--tp-line); border-radius: 4px; margin: 0.6rem 0 0; }
      fieldset label { display: inline-flex; gap: 0.25rem; font-weight: normal; margin-right: 0.8rem; }
      fieldset.dose label { display: block; font-weight: 600; margin-right: 0; }
      details.bilag { border: 1px solid var(--tp-line); border-radius: 4px; margin: 0.6rem 0 0; padding: 0.4rem 0.75rem; }
      details.bilag summary { font-weight: 600; cursor: pointer; }
      .actions { margin-top: 0.75rem; }
      .ok { border-left: 4px solid var(--tp-ok); background: var(--tp-ok-bg); padding: 0.5rem 0.8rem; }
      .hint { color: var(--tp-muted); font-size: 0.85rem; margin: 0.1rem 0 0; }
      .baseline { border-left: 4px solid var(--tp-accent); background: #eef3fc; padding: 0.5rem 0.8rem; margin: 0.6rem 0; }
      .baseline ul { margin: 0.3rem 0 0; padding-left: 1.2rem; }
      .weight-missing { border-left: 4px solid var(--tp-unknown); background: var(--tp-unknown-bg); padding: 0.3rem 0.5rem; }
    `,
  ]

  private _set(patch: Partial<VisitFormValues>) {
    this._values = { ...this._values, ...patch }
  }

  private _setMeasurement(f: VisitMeasurementField, patch: Partial<MeasurementValues>) {
    const m = this._values.measurements[f.concept] ?? { value: '', unit: f.unit, high: '', low: '' }
    this._set({ measurements: { ...this._values.measurements, [f.concept]: { ...m, ...patch } } })
  }

  override render() {
    if (!this.doc) return html`<p role="status">Loading the protocol's visits…</p>`
    const open = (this.doc.visits ?? []).filter(v => !this.recorded.includes(v.id))
    if (open.length === 0) return html`<p>Every planned visit is recorded.</p>`
    const v = this._values
    const fields = this._fields(this.doc)
    const at = (u: VisitUse | undefined): u is VisitUse => u !== undefined && readAt(u, v.visit)
    const measurements = fields.measurements.filter(m => readAt(m, v.visit))
    const questions = fields.attestations.filter(q => readAt(q, v.visit))
    return html`<form @submit=${this._submit} novalidate>
      <div class="grid">
        <div>
          <label for="visit">Visit</label>
          <select id="visit" .value=${v.visit} @change=${(e: Event) => this._set({ visit: (e.target as HTMLSelectElement).value })}>
            <option value="">Choose…</option>
            ${open.map(x => html`<option value=${x.id} ?selected=${x.id === v.visit}>${x.label ?? x.id}</option>`)}
          </select>
          ${v.visit ? nothing : html`<p class="hint">The form shows what the protocol reads at the visit chosen.</p>`}
        </div>
        <div>
          <label for="visit-date">Date of the visit</label>
          ${isoDateInput({ id: 'visit-date', value: v.date, onChange: date => this._set({ date }) })}
        </div>
      </div>
      ${this._baselineNote(fields)}
      <div class="grid">
        ${measurements.map(m => this._measurement(m))}
        ${fields.bodyWeight ? this._weight(fields.bodyWeight.usedBy) : nothing}
        ${
          at(fields.sledai)
            ? html`<div>
              <label for="sledai">SLEDAI-2K total</label>
              <input id="sledai" inputmode="numeric" .value=${v.sledai} @input=${(e: Event) => this._set({ sledai: (e.target as HTMLInputElement).value })} />
              <p class="hint">0 to 105; leave empty if not assessed.</p>
            </div>`
            : nothing
        }
        ${
          at(fields.pga)
            ? html`<div>
              <label for="pga">Physician's Global Assessment</label>
              <input id="pga" inputmode="decimal" .value=${v.pga} @input=${(e: Event) => this._set({ pga: (e.target as HTMLInputElement).value })} />
              <p class="hint">0 (none) to 3 (severe disease activity); for SRI-4.</p>
            </div>`
            : nothing
        }
      </div>
      ${at(fields.bilag) ? this._bilag() : nothing}
      ${at(fields.steroidDose) ? this._dose() : nothing}
      ${questions.map(
        q => html`<fieldset>
          <legend>${q.question}</legend>
          ${(['yes', 'no', ''] as const).map(
            a => html`<label><input type="radio" name="att-${q.id}" .checked=${(v.attestations[q.id] ?? '') === a}
              @change=${() => this._set({ attestations: { ...v.attestations, [q.id]: a } })} />${a === '' ? 'Not answered' : a === 'yes' ? 'Yes' : 'No'}</label>`,
          )}
        </fieldset>`,
      )}
      ${this._submission.render('Record the visit')}
    </form>`
  }

  private _measurement(f: VisitMeasurementField) {
    const m = this._values.measurements[f.concept] ?? { value: '', unit: f.unit, high: '', low: '' }
    const id = `m-${f.concept}`
    return html`<div>
      <label for=${id}>${f.name}</label>
      <div class="pair">
        <input id=${id} inputmode="decimal" .value=${m.value} @input=${(e: Event) => this._setMeasurement(f, { value: (e.target as HTMLInputElement).value })} />
        ${
          f.units.length > 1
            ? html`<select aria-label="${f.name} unit" @change=${(e: Event) => this._setMeasurement(f, { unit: (e.target as HTMLSelectElement).value })}>
              ${f.units.map(u => html`<option value=${u} ?selected=${u === m.unit}>${formatUnit(u)}</option>`)}
            </select>`
            : html`<span class="hint">${formatUnit(f.unit)}</span>`
        }
      </div>
      ${f.limits.map(
        limit => html`<label class="limit" for="${id}-${limit}"><span class="visually-hidden">${f.name}: </span>Lab's ${LIMIT_WORDS[limit]} (same unit)</label>
          <input id="${id}-${limit}" inputmode="decimal" .value=${m[limit]}
            @input=${(e: Event) => this._setMeasurement(f, { [limit]: (e.target as HTMLInputElement).value })} />`,
      )}
      ${f.note ? html`<p class="hint">${f.note[0]!.toUpperCase()}${f.note.slice(1)}.</p>` : nothing}
    </div>`
  }

  /** Body weight, asked at every visit when an arm doses per kg; the last one recorded beside it. */
  private _weight(usedBy: string[]) {
    const v = this._values
    const last = this.record ? latestValue(this.record, 'body_weight') : undefined
    return html`<div>
      <label for="weight">Body weight</label>
      <div class="pair">
        <input id="weight" inputmode="decimal" .value=${v.weight} @input=${(e: Event) => this._set({ weight: (e.target as HTMLInputElement).value })} />
        <select aria-label="Body weight unit" @change=${(e: Event) => this._set({ weightUnit: (e.target as HTMLSelectElement).value })}>
          ${WEIGHT_UNITS.map(u => html`<option value=${u} ?selected=${u === v.weightUnit}>${formatUnit(u)}</option>`)}
        </select>
      </div>
      ${
        last
          ? html`<p class="hint">Last recorded: ${last.value} ${formatUnit(last.unit)} on ${last.date}. For the per-kg dose of ${usedBy.join('; ')}.</p>`
          : html`<p class="hint weight-missing">None recorded yet: the per-kg dose of ${usedBy.join('; ')} needs it.</p>`
      }
    </div>`
  }

  private _bilag() {
    const v = this._values
    const count = Object.values(v.bilag).filter(g => g).length
    return html`<details class="bilag" ?open=${count > 0}>
      <summary>BILAG-2004 grades${count ? ` (${count} of 9 graded)` : ''}</summary>
      <p class="hint">A severe · B moderate · C mild, stable · D previously involved, now inactive · E never involved. Leave a system empty if not assessed.</p>
      <div class="grid">
        ${BILAG_SYSTEMS.map(
          system => html`<div>
            <label for="bilag-${system}">${system[0]!.toUpperCase()}${system.slice(1)}</label>
            <select id="bilag-${system}" .value=${v.bilag[system] ?? ''} @change=${(e: Event) => this._set({ bilag: { ...v.bilag, [system]: (e.target as HTMLSelectElement).value } })}>
              <option value="" ?selected=${!v.bilag[system]}>not graded</option>
              ${BILAG_GRADES.map(g => html`<option value=${g} ?selected=${v.bilag[system] === g}>${g}</option>`)}
            </select>
          </div>`,
        )}
      </div>
    </details>`
  }

  private _dose() {
    const v = this._values
    return html`<fieldset class="dose">
      <legend>Glucocorticoid dose change from this visit on</legend>
      <p class="hint">The protocol reads glucocorticoid doses (prednisone-equivalent). For a dose that changed today, e.g. a taper; it joins the subject's current course of that drug. 0 = stopped.</p>
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
              ${DOSE_UNITS.map(u => html`<option value=${u} ?selected=${u === v.doseUnit}>${u}</option>`)}
            </select>
          </div>
        </div>
        <div>
          <label for="dose-frequency">How often</label>
          <select id="dose-frequency" .value=${v.doseFrequency} @change=${(e: Event) => this._set({ doseFrequency: (e.target as HTMLSelectElement).value })}>
            ${DOSE_FREQUENCIES.map(f => html`<option value=${f} ?selected=${f === v.doseFrequency}>${f}</option>`)}
          </select>
        </div>
      </div>
    </fieldset>`
  }

  /**
   * At a baseline visit: the engine reads each value nearest the visit day in
   * its window, whatever it was recorded with, so the screening values already
   * there are the baseline; say which, rather than ask for them again.
   */
  private _baselineNote(fields: VisitFields) {
    const v = this._values
    const window = (this._plan.value ?? []).find(p => p.visit === v.visit)
    // a baseline of the endpoints, or a day-1 visit whose window reaches back into screening
    if (!window || !this.record || !(fields.baselines.includes(v.visit) || (window.day <= 1 && window.window_start < window.due))) return nothing
    const values = recordedBetween(this.record, fields, window.window_start, window.window_end)
    if (!values.length)
      return html`<p class="baseline" data-testid="baseline-note">Baseline values are read from the baseline window (${window.window_start} to ${window.window_end}); none of this form's values is recorded there yet.</p>`
    return html`<div class="baseline" data-testid="baseline-note">
      <strong>Already recorded in the baseline window (${window.window_start} to ${window.window_end}), and used as baseline:</strong>
      <ul>${values.map(x => html`<li>${x.name}: ${x.value} ${formatUnit(x.unit)} on ${x.date}</li>`)}</ul>
      <p class="hint">The engine takes the value nearest the visit day in the window, screening values included: enter a value here only if it was measured again.</p>
    </div>`
  }

  private async _submit(e: Event) {
    e.preventDefault()
    if (!this.doc) return
    const saved = await this._submission.submit(visitInput(this._values, this._fields(this.doc)), async value => {
      const { warnings } = await recordVisit(this.subjectId, value)
      const label = this.doc?.visits?.find(x => x.id === value.visit)?.label ?? value.visit
      return `✓ Recorded ${label} on ${value.date}.${warnings.length ? ` ⚠ ${warnings.join('; ')}.` : ''}`
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
