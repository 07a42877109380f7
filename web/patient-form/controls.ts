/**
 * Small controls of the generated patient form: yes / no / unknown radio
 * groups, the "criteria that need it" tag, and the "All No" groups (answers
 * asked by one criterion, e.g. the six organ-disease attestations of an
 * exclusion, that are usually all No).
 */
import { html, nothing, type TemplateResult } from 'lit'
import type { Tri } from './record.ts'

const TRI: Array<[Tri, string]> = [
  ['yes', 'Yes'],
  ['no', 'No'],
  ['unknown', 'Unknown'],
]

export const inputValue = (e: Event) => (e.target as HTMLInputElement).value

/** The criteria that read a field, beside it. */
export const usedBy = (ids: string[]) => (ids.length ? html` <span class="used" title="Criteria that need it">${ids.join(' ')}</span>` : nothing)

/**
 * A yes / no / unknown radio group; `unknown` leaves the answer out of the record.
 *
 * @param name radio group name (unique in the form)
 * @param domId the fieldset's id (from `fieldId` of the key it collects), for "Still needed" links
 */
export function triField(
  name: string,
  domId: string,
  legend: TemplateResult | string,
  value: Tri | undefined,
  onChange: (t: Tri) => void,
  cls = '',
): TemplateResult {
  const current = value ?? 'unknown'
  return html`<fieldset class="tri ${cls}" id=${domId} data-field=${name}>
    <legend>${legend}</legend>
    <span class="choices">
      ${TRI.map(([t, text]) => html`<label><input type="radio" name=${name} value=${t} .checked=${current === t} @change=${() => onChange(t)} />${text}</label>`)}
    </span>
  </fieldset>`
}

/** Items asked by the same (first) criterion, when two or more are: each group gets one "All No". */
export function noGroups<T extends { usedBy: string[] }>(items: readonly T[]): Map<string, T[]> {
  const by = new Map<string, T[]>()
  for (const item of items) {
    const id = item.usedBy[0]
    if (id !== undefined) by.set(id, [...(by.get(id) ?? []), item])
  }
  for (const [id, list] of by) if (list.length < 2) by.delete(id)
  return by
}

/**
 * The "All No" button of a group: sets every unanswered item (no answer or
 * Unknown) to No, exactly as if each No were clicked; answered items keep
 * their answer. Undone by changing any item.
 *
 * @param unanswered how many items of the group have no answer yet (the button stays enabled: disabling it would drop the focus)
 */
export function allNoButton(criterion: string, size: number, unanswered: number, onClick: () => void): TemplateResult {
  return html`<div class="checklist-actions all-no">
    <button type="button" class="small secondary" data-all-no=${criterion} @click=${onClick}>All No (${criterion}, ${size} questions)</button>
    <span class="note">${unanswered ? `${unanswered} unanswered` : 'all answered'}</span>
  </div>`
}
