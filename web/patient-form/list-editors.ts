/**
 * The list editors of the patient form: medications (with dose changes),
 * conditions, procedures and vaccinations. An empty list is "not recorded"
 * until the user ticks "none"; a row without its name is a draft.
 */
import { html, nothing } from 'lit'
import type { ConditionRecord, MedicationRecord, ProcedureRecord, VaccinationRecord } from '../../engine/index.ts'
import { isoDateField } from '../components/tp-iso-date.ts'
import { inputValue as val, usedBy } from './controls.ts'
import { SECTION_NAMES, cap, fieldId, fieldKey } from './field-keys.ts'
import type { EventSection, PatientFormFields } from './fields.ts'
import type { FormState, ListInput } from './record.ts'
import { allHistoriesNone, historySections, setAllHistoriesNone, someHistoryHasEntries } from './shortcuts.ts'

/** What a list editor reads and how it changes the form's state. */
export interface ListContext {
  state: FormState
  fields: PatientFormFields
  set: (change: (s: FormState) => void) => void
}

type Items = ListInput<Record<string, unknown>>
const itemsOf = (s: FormState, section: EventSection) => s[section] as unknown as Items

/**
 * "No entries in any of these histories": one box for every history section
 * the form shows, ticked exactly when each is recorded as none (so unticking
 * one section, or adding an entry, unticks it); disabled while a section has
 * an entry, since it could not be true. Shown for two sections or more.
 */
export function noHistoriesControl(ctx: ListContext) {
  const sections = historySections(ctx.fields)
  if (sections.length < 2) return nothing
  const names = sections.map(sec => SECTION_NAMES[sec].title.toLowerCase())
  const some = someHistoryHasEntries(ctx.state, ctx.fields)
  return html`<div class="checklist-actions no-histories">
    <label class="inline">
      <input type="checkbox" data-testid="no-histories" .checked=${allHistoriesNone(ctx.state, ctx.fields)} ?disabled=${some} @change=${(e: Event) => ctx.set(x => setAllHistoriesNone(x, ctx.fields, (e.target as HTMLInputElement).checked))} />
      No entries in any of these histories (${names.slice(0, -1).join(', ')} and ${names.at(-1)}: recorded none)
    </label>
    ${some ? html`<span class="note">A history below has an entry.</span>` : nothing}
  </div>`
}

/** One list section: what the protocol looks for, "none", the entries and "Add". */
export function listSection(section: EventSection, ctx: ListContext) {
  const names = SECTION_NAMES[section]
  const list = itemsOf(ctx.state, section)
  const hints = ctx.fields.events[section] ?? []
  const suggestions = ctx.fields.suggestions[section] ?? []
  const status = list.items.length ? `${list.items.length} recorded` : list.none ? 'none' : 'not recorded'
  return html`<section aria-labelledby="${section}-h" data-section=${section} id=${fieldId(fieldKey.section(section))}>
    <h2 id="${section}-h">${names.title} <span class="weight">(${status})</span></h2>
    <p class="hint">The protocol looks for:</p>
    <ul class="hints">
      ${hints.map(h => html`<li>${h.label}${h.filters.length ? ` [${h.filters.join(', ')}]` : ''}${h.window ? ` — ${h.window}` : ''}${usedBy(h.usedBy)}</li>`)}
    </ul>
    <datalist id="${section}-names">${suggestions.map(x => html`<option value=${x}></option>`)}</datalist>
    <label class="inline">
      <input type="checkbox" .checked=${list.none && !list.items.length} ?disabled=${list.items.length > 0} @change=${(e: Event) => ctx.set(x => (itemsOf(x, section).none = (e.target as HTMLInputElement).checked))} />
      ${names.none} (recorded: none)
    </label>
    ${list.items.map(
      (item, i) => html`<fieldset class="item" data-item="${section}-${i}">
        <legend>${names.item} ${i + 1}</legend>
        ${itemFields(section, item, i, ctx)}
        <button type="button" class="small secondary" @click=${() => ctx.set(x => itemsOf(x, section).items.splice(i, 1))}>Remove ${names.item.toLowerCase()} ${i + 1}</button>
      </fieldset>`,
    )}
    <button type="button" class="small secondary" @click=${() => ctx.set(x => itemsOf(x, section).items.push(section === 'medications' ? { drug: '' } : section === 'vaccinations' ? { vaccine: '' } : { concept: '' }))}>
      Add ${names.item.toLowerCase()}
    </button>
    ${!list.items.length && !list.none ? html`<p class="hint">Not recorded: criteria about ${names.title.toLowerCase()} stay unknown.</p>` : nothing}
  </section>`
}

/** Merge a patch into an entry; an empty value removes the member. */
function edit(ctx: ListContext, section: EventSection, i: number, patch: Record<string, unknown>): void {
  ctx.set(x => {
    const items = itemsOf(x, section).items
    const next = { ...items[i], ...patch }
    for (const [k, v] of Object.entries(patch)) if (v === undefined || v === '') delete next[k]
    items[i] = next
  })
}

function dose(ctx: ListContext, i: number, k: number, patch: Record<string, unknown>): void {
  ctx.set(x => {
    const doses = (x.medications.items[i]!.doses ??= [])
    const next = { ...doses[k], ...patch } as Record<string, unknown>
    for (const [key, v] of Object.entries(patch)) if (v === undefined || v === '') delete next[key]
    doses[k] = next as never
  })
}

const text = (id: string, label: string, value: unknown, onChange: (v: string) => void, list?: string) =>
  html`<div class="field ${list ? 'name' : ''}"><label for=${id}>${label}</label><input id=${id} type="text" list=${list ?? nothing} .value=${String(value ?? '')} @input=${(e: Event) => onChange(val(e))} /></div>`

const yesNo = (id: string, label: string, value: boolean | undefined, onChange: (v: boolean | undefined) => void) =>
  html`<div class="field">
    <label for=${id}>${label}</label>
    <select id=${id} @change=${(e: Event) => onChange(val(e) === '' ? undefined : val(e) === 'yes')}>
      <option value="" ?selected=${value === undefined}>Not recorded</option>
      <option value="yes" ?selected=${value === true}>Yes</option>
      <option value="no" ?selected=${value === false}>No</option>
    </select>
  </div>`

function itemFields(section: EventSection, item: Record<string, unknown>, i: number, ctx: ListContext) {
  const id = `${section}-${i}`
  const change = (patch: Record<string, unknown>) => edit(ctx, section, i, patch)
  const date = (key: string, label: string, disabled = false) =>
    isoDateField({ id: `${id}-${key}`, label, value: String(item[key] ?? ''), disabled, onChange: v => change({ [key]: v }) })
  const check = (key: string, label: string) =>
    html`<label class="inline"><input type="checkbox" .checked=${item[key] === true} @change=${(e: Event) => {
      const on = (e.target as HTMLInputElement).checked
      change({ [key]: on || undefined, ...(key === 'ongoing' && on ? { stop: undefined, resolved: undefined } : {}) })
    }} />${label}</label>`
  if (section === 'medications') {
    const m = item as unknown as MedicationRecord
    return html`<div class="grid">
        ${text(`${id}-drug`, 'Drug', m.drug, v => change({ drug: v }), `${section}-names`)} ${date('start', 'Start')} ${date('stop', 'Stop (last day)', m.ongoing === true)}
        <div class="field"><span class="label">Still taken</span>${check('ongoing', 'Ongoing')}</div>
      </div>
      <div class="doses">
        <span class="label">Doses (each from its date on)</span>
        ${(m.doses ?? []).map(
          (d, k) => html`<div class="dose" data-dose=${k}>
            ${isoDateField({ id: `${id}-dose-${k}-date`, label: `Dose ${k + 1} from`, value: d.date ?? '', onChange: v => dose(ctx, i, k, { date: v }) })}
            <div class="field"><label for="${id}-dose-${k}-amount">Amount</label><input id="${id}-dose-${k}-amount" type="number" min="0" step="any" .value=${d.amount === undefined || Number.isNaN(d.amount) ? '' : String(d.amount)} @input=${(e: Event) => dose(ctx, i, k, { amount: val(e) === '' ? undefined : Number(val(e)) })} /></div>
            <div class="field"><label for="${id}-dose-${k}-unit">Unit</label><input id="${id}-dose-${k}-unit" type="text" list="dose-units" .value=${d.unit ?? ''} @input=${(e: Event) => dose(ctx, i, k, { unit: val(e) })} /></div>
            <div class="field"><label for="${id}-dose-${k}-freq">Frequency</label><input id="${id}-dose-${k}-freq" type="text" .value=${d.frequency ?? ''} @input=${(e: Event) => dose(ctx, i, k, { frequency: val(e) })} /></div>
            <button type="button" class="small secondary" @click=${() => ctx.set(x => (x.medications.items[i]!.doses ??= []).splice(k, 1))}>Remove dose ${k + 1}</button>
          </div>`,
        )}
        <datalist id="dose-units"><option value="mg"></option><option value="g"></option><option value="ug"></option><option value="[IU]"></option></datalist>
        <button type="button" class="small secondary" @click=${() => ctx.set(x => (x.medications.items[i]!.doses ??= []).push({ date: '', amount: NaN, unit: 'mg' }))}>Add dose change</button>
        ${(m.doses ?? []).some(d => !d.date || d.amount === undefined || Number.isNaN(d.amount) || !d.unit) ? html`<p class="hint warn">A dose needs a date, an amount and a unit to count.</p>` : nothing}
      </div>`
  }
  if (section === 'conditions') {
    const c = item as unknown as ConditionRecord
    return html`<div class="grid">
      ${text(`${id}-concept`, 'Condition', c.concept, v => change({ concept: v }), `${section}-names`)} ${date('onset', 'Onset')} ${date('resolved', 'Resolved', c.ongoing === true)}
      <div class="field"><span class="label">Still present</span>${check('ongoing', 'Ongoing')}</div>
      <div class="field">
        <label for="${id}-severity">Severity</label>
        <select id="${id}-severity" @change=${(e: Event) => change({ severity: val(e) || undefined })}>
          ${['', 'mild', 'moderate', 'severe'].map(v => html`<option value=${v} ?selected=${(c.severity ?? '') === v}>${v ? cap(v) : 'Not recorded'}</option>`)}
        </select>
      </div>
      ${yesNo(`${id}-recurrent`, 'Recurrent', c.recurrent, v => change({ recurrent: v }))} ${yesNo(`${id}-hospitalized`, 'Hospitalised', c.hospitalized, v => change({ hospitalized: v }))}
      ${yesNo(`${id}-iv`, 'IV antibiotics', c.iv_antibiotics, v => change({ iv_antibiotics: v }))} ${yesNo(`${id}-treated`, 'Treated', c.treated, v => change({ treated: v }))}
      ${text(`${id}-outcome`, 'Outcome', c.outcome, v => change({ outcome: v }))}
    </div>`
  }
  if (section === 'procedures') {
    const p = item as unknown as ProcedureRecord
    return html`<div class="grid">
      ${text(`${id}-concept`, 'Procedure', p.concept, v => change({ concept: v }), `${section}-names`)} ${date('date', 'Date')}
      <div class="field"><span class="label">Not done yet</span>${check('planned', 'Planned')}</div>
      ${yesNo(`${id}-major`, 'Major surgery', p.major, v => change({ major: v }))}
    </div>`
  }
  const v = item as unknown as VaccinationRecord
  return html`<div class="grid">
    ${text(`${id}-vaccine`, 'Vaccine', v.vaccine, x => change({ vaccine: x }), `${section}-names`)} ${date('date', 'Date')}
    <div class="field"><span class="label">Not given yet</span>${check('planned', 'Planned')}</div>
  </div>`
}
