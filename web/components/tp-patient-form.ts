import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import type { PatientRecord } from '../../engine/index.ts'
import { formatUnit } from '../format.ts'
import { ACR_1997, ACR_1997_LABELS, BOOLEAN_FACTS, SLEDAI_2K } from '../patient-form/catalogue.ts'
import { scoreSledai2k } from '../../engine/calculators/sledai-2k.ts'
import { allNoButton, inputValue as val, noGroups, triField, usedBy } from '../patient-form/controls.ts'
import { cap, fieldId, fieldKey } from '../patient-form/field-keys.ts'
import type { MeasurementField, PatientFormFields } from '../patient-form/fields.ts'
import { listSection, noHistoriesControl } from '../patient-form/list-editors.ts'
import { buildRecord, emptyState, type FormState, type Tri } from '../patient-form/record.ts'
import { SCREENING_DATE, applyConsentDate, clearFilledDates, fillEmptyDates, filledWords, impliedNote, screeningDate } from '../patient-form/shortcuts.ts'
import { base } from '../styles.ts'
import { isoDateField, isoDateStyles } from './tp-iso-date.ts'

/** A fact kept at the top of the record (race for an eGFR equation) is asked with the patient, not under consent. */
const isDemographic = (fact: { name: string }) => BOOLEAN_FACTS[fact.name]?.section === 'record'
const unanswered = (t: Tri | undefined) => t === undefined || t === 'unknown'

/**
 * The patient form generated from a protocol's needs ({@link PatientFormFields}):
 * dates typed as YYYY-MM-DD, measurements with unit pickers, yes / no /
 * unknown answers (with "All No" for a criterion's group of questions), the
 * ACR 1997 and SLEDAI-2K checklists, and list editors for medications,
 * conditions, procedures and vaccinations. "Unknown" and empty inputs leave
 * the field out of the record. Shortcuts, each visible and undoable
 * (`patient-form/shortcuts.ts`): "Use the screening date for every empty
 * date", "No entries in any of these histories", and a consent date answering
 * an unanswered "Informed consent signed" Yes, with a note saying why. Every field has the id `fieldId(key)` of the
 * missing-data key it collects, so `focusField(key)` can take the user there.
 *
 * @fires patient-changed - `detail.record`: the PatientRecord built from the inputs, after every change
 */
export class TpPatientForm extends LitElement {
  static override properties = {
    fields: { attribute: false },
    state: { attribute: false },
    _said: { state: true },
    _filled: { state: true },
  }

  /** What to ask for (deriveFields of the protocol document). */
  declare fields: PatientFormFields | undefined
  /** The inputs' values; set it to fill the form (Load from JSON). */
  declare state: FormState
  /** What the last "All No" did, for the live region. */
  declare _said: string
  /** The last "Use the screening date" fill: its date, the fields it filled, and what it said; cleared by its undo. */
  declare _filled: { date: string; keys: string[]; said: string } | undefined

  constructor() {
    super()
    this.fields = undefined
    this.state = emptyState()
    this._said = ''
    this._filled = undefined
  }

  /** The record the inputs describe now. */
  get record(): PatientRecord {
    return buildRecord(this.state)
  }

  /**
   * Scroll to the field that collects a missing-data key and focus it (the
   * checked or first choice of a question, the first input of a block).
   *
   * @returns false when the form has no field for the key
   */
  focusField(key: string): boolean {
    const target = this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(fieldId(key))}`)
    if (!target) return false
    const focusable = target.matches('input, select, textarea, button')
      ? target
      : (target.querySelector<HTMLElement>('input:checked:not([disabled])') ??
        target.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled]), button:not([disabled])'))
    target.scrollIntoView({ block: 'center' })
    ;(focusable ?? target).focus({ preventScroll: true })
    return true
  }

  static override styles = [
    base,
    isoDateStyles,
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
      .checklist-actions { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem; margin: 0.3rem 0; }
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
    const prev = this.state
    const next = structuredClone(prev)
    change(next)
    if (this.fields) applyConsentDate(prev, next, this.fields)
    this.state = next
    this.dispatchEvent(new CustomEvent('patient-changed', { detail: { record: buildRecord(next) }, bubbles: true, composed: true }))
  }

  override render() {
    const f = this.fields
    if (!f) return html`<p class="note">Loading the form…</p>`
    const s = this.state
    return html`
      <p class="visually-hidden" role="status" data-testid="form-said">${this._said}</p>
      ${this._patient(f, s)} ${this._consentAndReproduction(f, s)} ${f.measurements.length ? this._measurements(f.measurements) : nothing}
      ${f.acr1997 ? this._acr(f.acr1997.usedBy) : nothing}
      ${noHistoriesControl({ state: s, fields: f, set: c => this._set(c) })}
      ${(['medications', 'conditions', 'procedures', 'vaccinations'] as const).map(sec => (f.events[sec] ? listSection(sec, { state: s, fields: f, set: c => this._set(c) }) : nothing))}
      ${
        f.attestations.length
          ? html`<section aria-labelledby="att-h">
            <h2 id="att-h">Investigator attestations</h2>
            ${this._questions(
              'att-',
              f.attestations.map(a => ({ name: a.name, usedBy: a.usedBy, key: fieldKey.attestation(a.name), legend: html`${a.question}${usedBy(a.usedBy)}` })),
              x => x.attestations,
              'question',
            )}
          </section>`
          : nothing
      }
      ${
        f.unsupported.length
          ? html`<p class="warn">This form cannot collect: ${f.unsupported.map(u => `${u.what} (${u.usedBy.join(', ')})`).join('; ')}. Load them from JSON.</p>`
          : nothing
      }
    `
  }

  /**
   * Yes / no / unknown questions in order, an "All No" before each group a
   * criterion asks together (see `noGroups`).
   */
  private _questions(
    prefix: string,
    items: Array<{ name: string; key: string; usedBy: string[]; legend: TemplateResult }>,
    answers: (s: FormState) => Record<string, Tri | undefined>,
    cls = '',
  ) {
    const groups = noGroups(items)
    const first = new Map([...groups].map(([id, list]) => [list[0]!.name, id]))
    return items.map(q => {
      const group = first.get(q.name)
      const members = group ? groups.get(group)!.map(m => m.name) : []
      const open = members.filter(n => unanswered(answers(this.state)[n])).length
      return html`${
        group
          ? allNoButton(group, members.length, open, () => {
              this._set(x => {
                for (const n of members) if (unanswered(answers(x)[n])) answers(x)[n] = 'no'
              })
              this._said = open
                ? `${open} unanswered question${open === 1 ? '' : 's'} of ${group} set to No; change any answer to undo it.`
                : `Every question of ${group} was already answered.`
            })
          : nothing
      }${triField(prefix + q.name, fieldId(q.key), q.legend, answers(this.state)[q.name], t => this._set(x => (answers(x)[q.name] = t)), cls)}`
    })
  }

  private _patient(f: PatientFormFields, s: FormState) {
    if (!f.birthDate && !f.sex && !f.referenceDates.length) return nothing
    const ageAt =
      f.referenceDates
        .filter(d => d.usedBy.some(id => f.birthDate?.usedBy.includes(id)))
        .map(d => d.label)
        .join(', ') || 'a reference date'
    return html`<section aria-labelledby="pt-h">
      <h2 id="pt-h">Patient and dates</h2>
      <div class="grid">
        ${f.birthDate ? isoDateField({ id: fieldId(fieldKey.birthDate), label: 'Date of birth', value: s.birth_date, onChange: v => this._set(x => (x.birth_date = v)), hint: `Age is taken at ${ageAt}` }) : nothing}
        ${f.referenceDates.map(d =>
          isoDateField({
            id: fieldId(fieldKey.date(d.name)),
            label: `${cap(d.label)} date`,
            value: s.dates[d.name],
            onChange: v => this._set(x => (x.dates[d.name] = v)),
            hint: html`${d.description ?? ''}${usedBy(d.usedBy)}`,
          }),
        )}
      </div>
      ${f.referenceDates.some(d => d.name === SCREENING_DATE) ? this._fillDates(f, s) : nothing}
      ${
        f.sex
          ? html`<fieldset class="tri" data-field="sex" id=${fieldId(fieldKey.sex)}>
            <legend>Sex${usedBy(f.sex.usedBy)}</legend>
            <span class="choices">
              ${(['female', 'male', ''] as const).map(
                v =>
                  html`<label><input type="radio" name="sex" value=${v || 'unknown'} .checked=${s.sex === v} @change=${() => this._set(x => (x.sex = v))} />${v ? cap(v) : 'Unknown'}</label>`,
              )}
            </span>
          </fieldset>`
          : nothing
      }
      ${this._questions('fact-', this._facts(f.facts.filter(isDemographic)), x => x.facts)}
    </section>`
  }

  private _facts(facts: PatientFormFields['facts']) {
    const note = (name: string) => impliedNote(this.state, name)
    return facts.map(fact => ({
      name: fact.name,
      usedBy: fact.usedBy,
      key: fieldKey.fact(fact.name),
      legend: html`${fact.label}${note(fact.name) ? html` <span class="note implied">${note(fact.name)}</span>` : nothing}${usedBy(fact.usedBy)}`,
    }))
  }

  /** "Use the screening date for every empty date", what it did (role=status) and its undo. */
  private _fillDates(f: PatientFormFields, s: FormState) {
    const date = screeningDate(s)
    const fill = () => {
      let filled: ReturnType<typeof fillEmptyDates> = []
      this._set(x => (filled = fillEmptyDates(x, f)))
      this._filled = { date: date!, keys: filled.map(x => x.key), said: filledWords(filled, date!) }
    }
    const undo = () => {
      const { date: was, keys } = this._filled!
      let cleared = 0
      this._set(x => (cleared = clearFilledDates(x, f, keys, was)))
      this._filled = { date: was, keys: [], said: `${cleared} filled date${cleared === 1 ? '' : 's'} cleared.` }
    }
    return html`<div class="checklist-actions fill-dates">
      <button type="button" class="small secondary" ?disabled=${!date} @click=${fill}>Use the screening date for every empty date</button>
      <span class="note" role="status" data-testid="dates-filled">${this._filled?.said ?? (date ? '' : 'Type the screening date first.')}</span>
      ${this._filled?.keys.length ? html`<button type="button" class="small secondary" @click=${undo}>Clear the filled dates</button>` : nothing}
    </div>`
  }

  private _consentAndReproduction(f: PatientFormFields, s: FormState) {
    const facts = f.facts.filter(x => !isDemographic(x))
    if (!facts.length && !f.pregnancyTests.length) return nothing
    return html`<section aria-labelledby="facts-h">
      <h2 id="facts-h">Consent and reproduction</h2>
      ${this._questions('fact-', this._facts(facts), x => x.facts)}
      ${f.pregnancyTests.map(t => {
        const test = s.pregnancyTests[t.specimen] ?? { result: '' as const, date: '' }
        const name = `${cap(t.specimen)} pregnancy test`
        const set = (patch: Partial<typeof test>) => this._set(x => (x.pregnancyTests[t.specimen] = { ...(x.pregnancyTests[t.specimen] ?? test), ...patch }))
        // short visible labels; the name read aloud says which test (and contains the visible word)
        const of = html`<span class="visually-hidden">${name} </span>`
        return html`<div class="measure" data-field="pregnancy-${t.specimen}" id=${fieldId(fieldKey.pregnancyTest(t.specimen))}>
          <span class="what">${name}${usedBy(t.usedBy)}</span>
          <div class="field">
            <label for="preg-${t.specimen}">${of}Result</label>
            <select id="preg-${t.specimen}" @change=${(e: Event) => set({ result: val(e) as 'negative' })}>
              ${(['', 'negative', 'positive'] as const).map(r => html`<option value=${r} ?selected=${test.result === r}>${r ? cap(r) : 'Not recorded'}</option>`)}
            </select>
          </div>
          ${isoDateField({ id: `preg-${t.specimen}-date`, label: html`${of}Date`, cls: 'date', value: test.date, onChange: v => set({ date: v }) })}
          ${test.result && !test.date ? html`<p class="hint warn">Enter the date of the test too.</p>` : nothing}
        </div>`
      })}
    </section>`
  }

  private _measurements(fields: MeasurementField[]) {
    return html`<section aria-labelledby="meas-h">
      <h2 id="meas-h">Measurements and scores</h2>
      ${fields.map(m => (m.input === 'sledai' ? this._sledai(m) : this._measurement(m)))}
    </section>`
  }

  private _measurement(m: MeasurementField) {
    const cur = this.state.measurements[m.concept] ?? { value: '', unit: m.unit, date: '' }
    const units = m.units.includes(cur.unit) ? m.units : [...m.units, cur.unit]
    // read the state when the event fires, not as rendered: two quick edits must not undo each other
    const set = (patch: Partial<typeof cur>) => this._set(x => (x.measurements[m.concept] = { ...(x.measurements[m.concept] ?? cur), ...patch }))
    const id = fieldId(fieldKey.measurement(m.concept))
    // the measure's name labels its value; unit and date say "of …" to a screen reader only
    const of = html`<span class="visually-hidden"> of ${m.name}</span>`
    return html`<div class="measure" data-field="m-${m.concept}">
      <span class="what"><label for=${id}>${cap(m.name)}</label>${usedBy(m.usedBy)}</span>
      <div class="field">
        <input id=${id} type="number" inputmode="decimal" step="any" min="0" .value=${cur.value} @input=${(e: Event) => set({ value: val(e) })} />
      </div>
      <div class="field">
        <label for="${id}-unit">Unit${of}</label>
        <select id="${id}-unit" @change=${(e: Event) => set({ unit: val(e) })}>
          ${units.map(u => html`<option value=${u} ?selected=${u === cur.unit}>${formatUnit(u)}</option>`)}
        </select>
      </div>
      ${isoDateField({ id: `${id}-date`, label: html`Date${of}`, cls: 'date', value: cur.date, onChange: v => set({ date: v }) })}
      <p class="hint">Compared in ${formatUnit(m.unit)}${m.windows.length ? `; counts when dated ${m.windows.join(' or ')}` : ''}.</p>
      ${cur.value.trim() !== '' && !cur.date ? html`<p class="hint warn">Enter the date too: a value without a date is not used.</p>` : nothing}
    </div>`
  }

  private _sledai(m: MeasurementField) {
    const s = this.state.sledai
    const descriptors = Object.fromEntries(Object.entries(s.descriptors).flatMap(([d, t]) => (t === 'unknown' ? [] : [[d, t === 'yes']])))
    const score = scoreSledai2k(descriptors)
    return html`<fieldset class="measure sledai" data-field="sledai" id=${fieldId(fieldKey.measurement(m.concept))}>
      <legend class="what">SLEDAI-2K${usedBy(m.usedBy)}</legend>
      <div class="grid">
        ${isoDateField({ id: 'sledai-date', label: 'SLEDAI-2K date', value: s.date, onChange: v => this._set(x => (x.sledai.date = v)) })}
        <fieldset class="field">
          <legend class="label">Enter</legend>
          <span class="inline">
            <label class="inline"><input type="radio" name="sledai-mode" .checked=${s.mode === 'score'} @change=${() => this._set(x => (x.sledai.mode = 'score'))} />Total score</label>
            <label class="inline"><input type="radio" name="sledai-mode" .checked=${s.mode === 'descriptors'} @change=${() => this._set(x => (x.sledai.mode = 'descriptors'))} />Descriptors</label>
          </span>
        </fieldset>
        ${
          s.mode === 'score'
            ? html`<div class="field">
              <label for="sledai-score">SLEDAI-2K total score</label>
              <input id="sledai-score" type="number" min="0" max="105" step="1" .value=${s.score} @input=${(e: Event) => this._set(x => (x.sledai.score = val(e)))} />
            </div>`
            : nothing
        }
      </div>
      ${
        s.mode === 'descriptors'
          ? html`<p class="total" data-testid="sledai-total" aria-live="polite">
              Score ${score.missing.length ? `${score.min} so far (up to ${score.max}; ${score.missing.length} of 24 not recorded)` : score.min}
            </p>
            <div class="checklist-actions">
              <button type="button" class="small secondary" @click=${() =>
                this._set(x => {
                  for (const d of SLEDAI_2K) if (unanswered(x.sledai.descriptors[d.id])) x.sledai.descriptors[d.id] = 'no'
                })}>Mark the rest absent</button>
            </div>
            ${SLEDAI_2K.map(d =>
              triField(`sledai-${d.id}`, `sledai-${d.id}`, html`${d.label} <span class="weight">(${d.weight})</span>`, s.descriptors[d.id], t =>
                this._set(x => (x.sledai.descriptors[d.id] = t)),
              ),
            )}`
          : nothing
      }
      <p class="hint">Counts when dated ${m.windows.join(' or ') || 'at any time'}.</p>
      ${(s.mode === 'score' ? s.score !== '' : Object.keys(descriptors).length > 0) && !s.date ? html`<p class="hint warn">Enter the date of the assessment too.</p>` : nothing}
    </fieldset>`
  }

  private _acr(ids: string[]) {
    const acr = this.state.acr
    const present = ACR_1997.filter(i => acr[i] === 'yes').length
    const unrecorded = ACR_1997.filter(i => (acr[i] ?? 'unknown') === 'unknown').length
    return html`<section aria-labelledby="acr-h">
      <h2 id="acr-h">ACR 1997 SLE classification${usedBy(ids)}</h2>
      <p class="total" data-testid="acr-count" aria-live="polite">${present} of 11 present${unrecorded ? `, ${unrecorded} not recorded` : ''}</p>
      <div class="checklist-actions">
        <button type="button" class="small secondary" @click=${() =>
          this._set(x => {
            for (const i of ACR_1997) if (unanswered(x.acr[i])) x.acr[i] = 'no'
          })}>Mark the rest absent</button>
      </div>
      ${ACR_1997.map(i => triField(`acr-${i}`, fieldId(fieldKey.acr(i)), ACR_1997_LABELS[i], acr[i], t => this._set(x => (x.acr[i] = t))))}
    </section>`
  }
}
customElements.define('tp-patient-form', TpPatientForm)

declare global {
  interface HTMLElementTagNameMap {
    'tp-patient-form': TpPatientForm
  }
}
