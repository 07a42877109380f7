import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import type { ConditionRecord, MedicationRecord, PatientRecord, ProcedureRecord, VaccinationRecord } from '../../engine/index.ts'
import { ACR_1997, ACR_1997_LABELS, BOOLEAN_FACTS, SLEDAI_2K, scoreSledai } from '../patient-form/catalogue.ts'
import type { EventSection, MeasurementField, PatientFormFields } from '../patient-form/fields.ts'
import { buildRecord, emptyState, type FormState, type ListInput, type Tri } from '../patient-form/record.ts'
import { unitLabel } from '../patient-form/units.ts'
import { base } from '../styles.ts'

/** A fact kept at the top of the record (race for an eGFR equation) is asked with the patient, not under consent. */
const isDemographic = (fact: { name: string }) => BOOLEAN_FACTS[fact.name]?.section === 'record'

const TRI: Array<[Tri, string]> = [
  ['yes', 'Yes'],
  ['no', 'No'],
  ['unknown', 'Unknown'],
]
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
const val = (e: Event) => (e.target as HTMLInputElement).value
const SECTION_NAMES: Record<EventSection, { title: string; item: string; none: string }> = {
  medications: { title: 'Medications', item: 'Medication', none: 'No medications' },
  conditions: { title: 'Conditions', item: 'Condition', none: 'No conditions' },
  procedures: { title: 'Procedures', item: 'Procedure', none: 'No procedures' },
  vaccinations: { title: 'Vaccinations', item: 'Vaccination', none: 'No vaccinations' },
}

/**
 * The patient form generated from a protocol's needs ({@link PatientFormFields}):
 * dates, measurements with unit pickers, yes / no / unknown answers, the ACR
 * 1997 and SLEDAI-2K checklists, and list editors for medications,
 * conditions, procedures and vaccinations. "Unknown" and empty inputs leave
 * the field out of the record.
 *
 * @fires patient-changed - `detail.record`: the PatientRecord built from the inputs, after every change
 */
export class TpPatientForm extends LitElement {
  static override properties = {
    fields: { attribute: false },
    state: { attribute: false },
  }

  /** What to ask for (deriveFields of the protocol document). */
  declare fields: PatientFormFields | undefined
  /** The inputs' values; set it to fill the form (Load from JSON). */
  declare state: FormState

  constructor() {
    super()
    this.fields = undefined
    this.state = emptyState()
  }

  /** The record the inputs describe now. */
  get record(): PatientRecord {
    return buildRecord(this.state)
  }

  static override styles = [
    base,
    css`
      :host { display: block; }
      section { background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; padding: 0.6rem 0.8rem; margin-bottom: 0.75rem; }
      h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
      .hint { color: var(--tp-muted); font-size: 0.85rem; margin: 0.15rem 0 0; }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: 0.5rem 0.75rem; }
      .field { display: flex; flex-direction: column; gap: 0.15rem; min-width: 0; }
      .field > label, .label { font-weight: 600; }
      .field.name { grid-column: 1 / -1; }
      input, select { min-width: 0; max-width: 100%; }
      select { font: inherit; padding: 0.3rem 0.4rem; border: 1px solid #8a94a3; border-radius: 4px; background: #fff; }
      .measure { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 0.4rem 0.6rem; align-items: end; }
      .measure + .measure { margin-top: 0.6rem; }
      .measure .what { grid-column: 1 / -1; font-weight: 600; }
      .measure .hint { grid-column: 1 / -1; }
      @media (max-width: 30rem) { .measure { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } .measure .date { grid-column: 1 / -1; } }
      /* the SLEDAI-2K block stacks its parts (a class, not a style attribute: the CSP allows no inline style) */
      .measure.sledai { display: block; }
      fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
      fieldset.tri { display: flex; flex-wrap: wrap; align-items: center; gap: 0.2rem 0.6rem; padding: 0.3rem 0; border-bottom: 1px solid #eef0f3; }
      fieldset.tri legend { float: left; font-weight: 600; margin-right: auto; padding: 0; max-width: 100%; }
      fieldset.tri.question legend { font-weight: 400; width: 100%; }
      .choices { display: inline-flex; gap: 0.1rem; margin-left: auto; }
      .choices label { display: inline-flex; align-items: center; gap: 0.2rem; padding: 0.15rem 0.45rem; border: 1px solid var(--tp-line); border-radius: 4px; cursor: pointer; white-space: nowrap; }
      .choices label:has(input:checked) { background: #e8effc; border-color: var(--tp-accent); font-weight: 600; }
      .weight { color: var(--tp-muted); font-size: 0.85rem; font-weight: 400; }
      .total { font-weight: 700; margin: 0.4rem 0; }
      .checklist-actions { display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0.3rem 0; }
      button.small { padding: 0.2rem 0.55rem; font-size: 0.9rem; }
      fieldset.item { border: 1px solid var(--tp-line); border-radius: 4px; padding: 0.4rem 0.6rem 0.6rem; margin: 0.5rem 0; }
      fieldset.item > legend { font-weight: 700; padding: 0 0.3rem; }
      .inline { display: inline-flex; align-items: center; gap: 0.3rem; }
      .doses { margin-top: 0.4rem; }
      .dose { display: grid; grid-template-columns: repeat(auto-fill, minmax(7.5rem, 1fr)); gap: 0.4rem; align-items: end; margin-bottom: 0.3rem; }
      ul.hints { margin: 0.2rem 0 0.5rem; padding-left: 1.1rem; font-size: 0.9rem; color: var(--tp-muted); }
      .used { font-family: ui-monospace, monospace; font-size: 0.8rem; color: var(--tp-muted); }
      .warn { color: var(--tp-unknown); font-size: 0.85rem; }
    `,
  ]

  /** Apply a change to the state and tell the page the new record. */
  private _set(change: (s: FormState) => void): void {
    const next = structuredClone(this.state)
    change(next)
    this.state = next
    this.dispatchEvent(new CustomEvent('patient-changed', { detail: { record: buildRecord(next) }, bubbles: true, composed: true }))
  }

  private _used(ids: string[]) {
    return ids.length ? html` <span class="used" title="Criteria that need it">${ids.join(' ')}</span>` : nothing
  }

  /** A yes / no / unknown radio group; `unknown` leaves the answer out of the record. */
  private _tri(id: string, legend: TemplateResult | string, value: Tri | undefined, onChange: (t: Tri) => void, cls = '') {
    const current = value ?? 'unknown'
    return html`<fieldset class="tri ${cls}" data-field=${id}>
      <legend>${legend}</legend>
      <span class="choices">
        ${TRI.map(
          ([t, text]) => html`<label><input type="radio" name=${id} value=${t} .checked=${current === t} @change=${() => onChange(t)} />${text}</label>`,
        )}
      </span>
    </fieldset>`
  }

  private _date(id: string, label: string, value: string | undefined, onChange: (v: string) => void, hint?: TemplateResult | string) {
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input id=${id} type="date" .value=${value ?? ''} @change=${(e: Event) => onChange(val(e))} />
      ${hint ? html`<p class="hint">${hint}</p>` : nothing}
    </div>`
  }

  override render() {
    const f = this.fields
    if (!f) return html`<p class="note">Loading the form…</p>`
    const s = this.state
    return html`
      ${this._patient(f, s)} ${this._consentAndReproduction(f, s)} ${f.measurements.length ? this._measurements(f.measurements) : nothing}
      ${f.acr1997 ? this._acr(f.acr1997.usedBy) : nothing} ${(['medications', 'conditions', 'procedures', 'vaccinations'] as const).map((sec) => (f.events[sec] ? this._list(sec) : nothing))}
      ${f.attestations.length
        ? html`<section aria-labelledby="att-h">
            <h2 id="att-h">Investigator attestations</h2>
            ${f.attestations.map((a) => this._tri(`att-${a.name}`, html`${a.question}${this._used(a.usedBy)}`, s.attestations[a.name], (t) => this._set((x) => (x.attestations[a.name] = t)), 'question'))}
          </section>`
        : nothing}
      ${f.unsupported.length
        ? html`<p class="warn">This form cannot collect: ${f.unsupported.map((u) => `${u.what} (${u.usedBy.join(', ')})`).join('; ')}. Load them from JSON.</p>`
        : nothing}
    `
  }

  private _patient(f: PatientFormFields, s: FormState) {
    if (!f.birthDate && !f.sex && !f.referenceDates.length) return nothing
    return html`<section aria-labelledby="pt-h">
      <h2 id="pt-h">Patient and dates</h2>
      <div class="grid">
        ${f.birthDate ? this._date('birth_date', 'Date of birth', s.birth_date, (v) => this._set((x) => (x.birth_date = v)), html`Age is taken at ${f.referenceDates.filter((d) => d.usedBy.some((id) => f.birthDate!.usedBy.includes(id))).map((d) => d.label).join(', ') || 'a reference date'}`) : nothing}
        ${f.referenceDates.map((d) => this._date(`date-${d.name}`, `${cap(d.label)} date`, s.dates[d.name], (v) => this._set((x) => (x.dates[d.name] = v)), html`${d.description ?? ''}${this._used(d.usedBy)}`))}
      </div>
      ${f.sex
        ? html`<fieldset class="tri" data-field="sex">
            <legend>Sex${this._used(f.sex.usedBy)}</legend>
            <span class="choices">
              ${(['female', 'male', ''] as const).map(
                (v) => html`<label><input type="radio" name="sex" value=${v || 'unknown'} .checked=${s.sex === v} @change=${() => this._set((x) => (x.sex = v))} />${v ? cap(v) : 'Unknown'}</label>`,
              )}
            </span>
          </fieldset>`
        : nothing}
      ${f.facts.filter(isDemographic).map((fact) => this._tri(`fact-${fact.name}`, html`${fact.label}${this._used(fact.usedBy)}`, s.facts[fact.name], (t) => this._set((x) => (x.facts[fact.name] = t))))}
    </section>`
  }

  private _consentAndReproduction(f: PatientFormFields, s: FormState) {
    const facts = f.facts.filter((x) => !isDemographic(x))
    if (!facts.length && !f.pregnancyTests.length) return nothing
    return html`<section aria-labelledby="facts-h">
      <h2 id="facts-h">Consent and reproduction</h2>
      ${facts.map((fact) => this._tri(`fact-${fact.name}`, html`${fact.label}${this._used(fact.usedBy)}`, s.facts[fact.name], (t) => this._set((x) => (x.facts[fact.name] = t))))}
      ${f.pregnancyTests.map((t) => {
        const test = s.pregnancyTests[t.specimen] ?? { result: '' as const, date: '' }
        const name = `${cap(t.specimen)} pregnancy test`
        return html`<div class="measure" data-field="pregnancy-${t.specimen}">
          <span class="what">${name}${this._used(t.usedBy)}</span>
          <div class="field">
            <label for="preg-${t.specimen}">Result</label>
            <select id="preg-${t.specimen}" aria-label="${name} result" @change=${(e: Event) => this._set((x) => (x.pregnancyTests[t.specimen] = { ...(x.pregnancyTests[t.specimen] ?? test), result: val(e) as 'negative' }))}>
              ${(['', 'negative', 'positive'] as const).map((r) => html`<option value=${r} ?selected=${test.result === r}>${r ? cap(r) : 'Not recorded'}</option>`)}
            </select>
          </div>
          <div class="field date">
            <label for="preg-${t.specimen}-date">Date</label>
            <input id="preg-${t.specimen}-date" type="date" aria-label="${name} date" .value=${test.date} @change=${(e: Event) => this._set((x) => (x.pregnancyTests[t.specimen] = { ...(x.pregnancyTests[t.specimen] ?? test), date: val(e) }))} />
          </div>
          ${test.result && !test.date ? html`<p class="hint warn">Enter the date of the test too.</p>` : nothing}
        </div>`
      })}
    </section>`
  }

  private _measurements(fields: MeasurementField[]) {
    return html`<section aria-labelledby="meas-h">
      <h2 id="meas-h">Measurements and scores</h2>
      ${fields.map((m) => (m.input === 'sledai' ? this._sledai(m) : this._measurement(m)))}
    </section>`
  }

  private _measurement(m: MeasurementField) {
    const cur = this.state.measurements[m.concept] ?? { value: '', unit: m.unit, date: '' }
    const units = m.units.includes(cur.unit) ? m.units : [...m.units, cur.unit]
    // read the state when the event fires, not as rendered: two quick edits must not undo each other
    const set = (patch: Partial<typeof cur>) => this._set((x) => (x.measurements[m.concept] = { ...(x.measurements[m.concept] ?? cur), ...patch }))
    const id = `m-${m.concept}`
    return html`<div class="measure" data-field=${id}>
      <span class="what">${cap(m.name)}${this._used(m.usedBy)}</span>
      <div class="field">
        <label for=${id}>Value</label>
        <input id=${id} type="number" inputmode="decimal" step="any" min="0" aria-label=${cap(m.name)} .value=${cur.value} @input=${(e: Event) => set({ value: val(e) })} />
      </div>
      <div class="field">
        <label for="${id}-unit">Unit</label>
        <select id="${id}-unit" aria-label="Unit of ${m.name}" @change=${(e: Event) => set({ unit: val(e) })}>
          ${units.map((u) => html`<option value=${u} ?selected=${u === cur.unit}>${unitLabel(u)}</option>`)}
        </select>
      </div>
      <div class="field date">
        <label for="${id}-date">Date</label>
        <input id="${id}-date" type="date" aria-label="Date of ${m.name}" .value=${cur.date} @change=${(e: Event) => set({ date: val(e) })} />
      </div>
      <p class="hint">Compared in ${unitLabel(m.unit)}${m.windows.length ? `; counts when dated within ${m.windows.join(' or ')}` : ''}.</p>
      ${cur.value.trim() !== '' && !cur.date ? html`<p class="hint warn">Enter the date too: a value without a date is not used.</p>` : nothing}
    </div>`
  }

  private _sledai(m: MeasurementField) {
    const s = this.state.sledai
    const descriptors = Object.fromEntries(Object.entries(s.descriptors).flatMap(([d, t]) => (t === 'unknown' ? [] : [[d, t === 'yes']])))
    const score = scoreSledai(descriptors)
    return html`<fieldset class="measure sledai" data-field="sledai">
      <legend class="what">SLEDAI-2K${this._used(m.usedBy)}</legend>
      <div class="grid">
        ${this._date('sledai-date', 'SLEDAI-2K date', s.date, (v) => this._set((x) => (x.sledai.date = v)))}
        <fieldset class="field">
          <legend class="label">Enter</legend>
          <span class="inline">
            <label class="inline"><input type="radio" name="sledai-mode" .checked=${s.mode === 'score'} @change=${() => this._set((x) => (x.sledai.mode = 'score'))} />Total score</label>
            <label class="inline"><input type="radio" name="sledai-mode" .checked=${s.mode === 'descriptors'} @change=${() => this._set((x) => (x.sledai.mode = 'descriptors'))} />Descriptors</label>
          </span>
        </fieldset>
        ${s.mode === 'score'
          ? html`<div class="field">
              <label for="sledai-score">SLEDAI-2K total score</label>
              <input id="sledai-score" type="number" min="0" max="105" step="1" .value=${s.score} @input=${(e: Event) => this._set((x) => (x.sledai.score = val(e)))} />
            </div>`
          : nothing}
      </div>
      ${s.mode === 'descriptors'
        ? html`<p class="total" data-testid="sledai-total" aria-live="polite">
              Score ${score.missing ? `${score.min} so far (up to ${score.max}; ${score.missing} of 24 not recorded)` : score.min}
            </p>
            <div class="checklist-actions">
              <button type="button" class="small secondary" @click=${() => this._set((x) => SLEDAI_2K.forEach((d) => (x.sledai.descriptors[d.id] ??= 'no')))}>Mark the rest absent</button>
            </div>
            ${SLEDAI_2K.map((d) =>
              this._tri(`sledai-${d.id}`, html`${d.label} <span class="weight">(${d.weight})</span>`, s.descriptors[d.id], (t) => this._set((x) => (x.sledai.descriptors[d.id] = t))),
            )}`
        : nothing}
      <p class="hint">Counts when dated within ${m.windows.join(' or ') || 'any time'}.</p>
      ${(s.mode === 'score' ? s.score !== '' : Object.keys(descriptors).length > 0) && !s.date ? html`<p class="hint warn">Enter the date of the assessment too.</p>` : nothing}
    </fieldset>`
  }

  private _acr(usedBy: string[]) {
    const acr = this.state.acr
    const present = ACR_1997.filter((i) => acr[i] === 'yes').length
    const unrecorded = ACR_1997.filter((i) => (acr[i] ?? 'unknown') === 'unknown').length
    return html`<section aria-labelledby="acr-h">
      <h2 id="acr-h">ACR 1997 SLE classification${this._used(usedBy)}</h2>
      <p class="total" data-testid="acr-count" aria-live="polite">${present} of 11 present${unrecorded ? `, ${unrecorded} not recorded` : ''}</p>
      <div class="checklist-actions">
        <button type="button" class="small secondary" @click=${() => this._set((x) => ACR_1997.forEach((i) => (x.acr[i] ??= 'no')))}>Mark the rest absent</button>
      </div>
      ${ACR_1997.map((i) => this._tri(`acr-${i}`, ACR_1997_LABELS[i], acr[i], (t) => this._set((x) => (x.acr[i] = t))))}
    </section>`
  }

  // ---- list editors

  private _list(section: EventSection) {
    const names = SECTION_NAMES[section]
    const list = this.state[section] as unknown as ListInput<Record<string, unknown>>
    const hints = this.fields?.events[section] ?? []
    const suggestions = this.fields?.suggestions[section] ?? []
    const status = list.items.length ? `${list.items.length} recorded` : list.none ? 'none' : 'not recorded'
    return html`<section aria-labelledby="${section}-h" data-section=${section}>
      <h2 id="${section}-h">${names.title} <span class="weight">(${status})</span></h2>
      <p class="hint">The protocol looks for:</p>
      <ul class="hints">
        ${hints.map((h) => html`<li>${h.label}${h.filters.length ? ` [${h.filters.join(', ')}]` : ''}${h.window ? ` — ${h.window}` : ''}${this._used(h.usedBy)}</li>`)}
      </ul>
      <datalist id="${section}-names">${suggestions.map((x) => html`<option value=${x}></option>`)}</datalist>
      <label class="inline">
        <input type="checkbox" .checked=${list.none && !list.items.length} ?disabled=${list.items.length > 0} @change=${(e: Event) => this._set((x) => ((x[section] as ListInput<unknown>).none = (e.target as HTMLInputElement).checked))} />
        ${names.none} (recorded: none)
      </label>
      ${list.items.map((item, i) => html`<fieldset class="item" data-item="${section}-${i}">
        <legend>${names.item} ${i + 1}</legend>
        ${this._item(section, item, i)}
        <button type="button" class="small secondary" @click=${() => this._set((x) => (x[section] as ListInput<unknown>).items.splice(i, 1))}>Remove ${names.item.toLowerCase()} ${i + 1}</button>
      </fieldset>`)}
      <button type="button" class="small secondary" @click=${() => this._set((x) => (x[section] as ListInput<unknown>).items.push(section === 'medications' ? { drug: '' } : section === 'vaccinations' ? { vaccine: '' } : { concept: '' }))}>
        Add ${names.item.toLowerCase()}
      </button>
      ${!list.items.length && !list.none ? html`<p class="hint">Not recorded: criteria about ${names.title.toLowerCase()} stay unknown.</p>` : nothing}
    </section>`
  }

  private _edit(section: EventSection, i: number, patch: Record<string, unknown>): void {
    this._set((x) => {
      const items = (x[section] as unknown as ListInput<Record<string, unknown>>).items
      const next = { ...items[i], ...patch }
      for (const [k, v] of Object.entries(patch)) if (v === undefined || v === '') delete next[k]
      items[i] = next
    })
  }

  private _text(id: string, label: string, value: unknown, onChange: (v: string) => void, list?: string) {
    return html`<div class="field ${list ? 'name' : ''}"><label for=${id}>${label}</label><input id=${id} type="text" list=${list ?? nothing} .value=${String(value ?? '')} @input=${(e: Event) => onChange(val(e))} /></div>`
  }

  private _yesNo(id: string, label: string, value: boolean | undefined, onChange: (v: boolean | undefined) => void) {
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <select id=${id} @change=${(e: Event) => onChange(val(e) === '' ? undefined : val(e) === 'yes')}>
        <option value="" ?selected=${value === undefined}>Not recorded</option>
        <option value="yes" ?selected=${value === true}>Yes</option>
        <option value="no" ?selected=${value === false}>No</option>
      </select>
    </div>`
  }

  private _item(section: EventSection, item: Record<string, unknown>, i: number) {
    const id = `${section}-${i}`
    const edit = (patch: Record<string, unknown>) => this._edit(section, i, patch)
    const date = (key: string, label: string, disabled = false) =>
      html`<div class="field"><label for="${id}-${key}">${label}</label><input id="${id}-${key}" type="date" ?disabled=${disabled} .value=${String(item[key] ?? '')} @change=${(e: Event) => edit({ [key]: val(e) })} /></div>`
    const check = (key: string, label: string) =>
      html`<label class="inline"><input type="checkbox" .checked=${item[key] === true} @change=${(e: Event) => edit({ [key]: (e.target as HTMLInputElement).checked || undefined, ...(key === 'ongoing' && (e.target as HTMLInputElement).checked ? { stop: undefined, resolved: undefined } : {}) })} />${label}</label>`
    if (section === 'medications') {
      const m = item as unknown as MedicationRecord
      return html`<div class="grid">
          ${this._text(`${id}-drug`, 'Drug', m.drug, (v) => edit({ drug: v }), `${section}-names`)} ${date('start', 'Start')} ${date('stop', 'Stop (last day)', m.ongoing === true)}
          <div class="field"><span class="label">Still taken</span>${check('ongoing', 'Ongoing')}</div>
        </div>
        <div class="doses">
          <span class="label">Doses (each from its date on)</span>
          ${(m.doses ?? []).map(
            (d, k) => html`<div class="dose" data-dose=${k}>
              <div class="field"><label for="${id}-dose-${k}-date">Dose ${k + 1} from</label><input id="${id}-dose-${k}-date" type="date" .value=${d.date ?? ''} @change=${(e: Event) => this._dose(section, i, k, { date: val(e) })} /></div>
              <div class="field"><label for="${id}-dose-${k}-amount">Amount</label><input id="${id}-dose-${k}-amount" type="number" min="0" step="any" .value=${d.amount === undefined || Number.isNaN(d.amount) ? '' : String(d.amount)} @input=${(e: Event) => this._dose(section, i, k, { amount: val(e) === '' ? undefined : Number(val(e)) })} /></div>
              <div class="field"><label for="${id}-dose-${k}-unit">Unit</label><input id="${id}-dose-${k}-unit" type="text" list="dose-units" .value=${d.unit ?? ''} @input=${(e: Event) => this._dose(section, i, k, { unit: val(e) })} /></div>
              <div class="field"><label for="${id}-dose-${k}-freq">Frequency</label><input id="${id}-dose-${k}-freq" type="text" .value=${d.frequency ?? ''} @input=${(e: Event) => this._dose(section, i, k, { frequency: val(e) })} /></div>
              <button type="button" class="small secondary" @click=${() => this._set((x) => (x.medications.items[i]!.doses ??= []).splice(k, 1))}>Remove dose ${k + 1}</button>
            </div>`,
          )}
          <datalist id="dose-units"><option value="mg"></option><option value="g"></option><option value="ug"></option><option value="[IU]"></option></datalist>
          <button type="button" class="small secondary" @click=${() => this._set((x) => (x.medications.items[i]!.doses ??= []).push({ date: '', amount: NaN, unit: 'mg' }))}>Add dose change</button>
          ${(m.doses ?? []).some((d) => !d.date || d.amount === undefined || Number.isNaN(d.amount) || !d.unit) ? html`<p class="hint warn">A dose needs a date, an amount and a unit to count.</p>` : nothing}
        </div>`
    }
    if (section === 'conditions') {
      const c = item as unknown as ConditionRecord
      return html`<div class="grid">
        ${this._text(`${id}-concept`, 'Condition', c.concept, (v) => edit({ concept: v }), `${section}-names`)} ${date('onset', 'Onset')} ${date('resolved', 'Resolved', c.ongoing === true)}
        <div class="field"><span class="label">Still present</span>${check('ongoing', 'Ongoing')}</div>
        <div class="field">
          <label for="${id}-severity">Severity</label>
          <select id="${id}-severity" @change=${(e: Event) => edit({ severity: val(e) || undefined })}>
            ${['', 'mild', 'moderate', 'severe'].map((v) => html`<option value=${v} ?selected=${(c.severity ?? '') === v}>${v ? cap(v) : 'Not recorded'}</option>`)}
          </select>
        </div>
        ${this._yesNo(`${id}-recurrent`, 'Recurrent', c.recurrent, (v) => edit({ recurrent: v }))} ${this._yesNo(`${id}-hospitalized`, 'Hospitalised', c.hospitalized, (v) => edit({ hospitalized: v }))}
        ${this._yesNo(`${id}-iv`, 'IV antibiotics', c.iv_antibiotics, (v) => edit({ iv_antibiotics: v }))} ${this._yesNo(`${id}-treated`, 'Treated', c.treated, (v) => edit({ treated: v }))}
        ${this._text(`${id}-outcome`, 'Outcome', c.outcome, (v) => edit({ outcome: v }))}
      </div>`
    }
    if (section === 'procedures') {
      const p = item as unknown as ProcedureRecord
      return html`<div class="grid">
        ${this._text(`${id}-concept`, 'Procedure', p.concept, (v) => edit({ concept: v }), `${section}-names`)} ${date('date', 'Date')}
        <div class="field"><span class="label">Not done yet</span>${check('planned', 'Planned')}</div>
        ${this._yesNo(`${id}-major`, 'Major surgery', p.major, (v) => edit({ major: v }))}
      </div>`
    }
    const v = item as unknown as VaccinationRecord
    return html`<div class="grid">
      ${this._text(`${id}-vaccine`, 'Vaccine', v.vaccine, (x) => edit({ vaccine: x }), `${section}-names`)} ${date('date', 'Date')}
      <div class="field"><span class="label">Not given yet</span>${check('planned', 'Planned')}</div>
    </div>`
  }

  private _dose(section: EventSection, i: number, k: number, patch: Record<string, unknown>): void {
    this._set((x) => {
      const doses = ((x[section] as ListInput<MedicationRecord>).items[i]!.doses ??= [])
      const next = { ...doses[k], ...patch } as Record<string, unknown>
      for (const [key, v] of Object.entries(patch)) if (v === undefined || v === '') delete next[key]
      doses[k] = next as never
    })
  }
}
customElements.define('tp-patient-form', TpPatientForm)

declare global {
  interface HTMLElementTagNameMap {
    'tp-patient-form': TpPatientForm
  }
}
