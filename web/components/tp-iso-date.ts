/**
 * A date typed in one field as YYYY-MM-DD: one Tab stop, digits on a phone's
 * keypad, and no locale order to guess (the browser's date widget is four
 * stops and shows 12/1/2026 or 1.12.2026 by locale). A render helper, not an
 * element, so the input stays in the caller's shadow root with its <label>.
 *
 * What is typed is kept as typed (the form's state), and the record takes it
 * only when it is a real calendar day (`isCalendarDay`); the message below
 * the field says what is wrong. While the field has focus an unfinished
 * date is not an error (CSS `:focus`), so typing is never interrupted.
 */
import { css, html, nothing, type TemplateResult } from 'lit'
import { parseIsoDate } from '../../engine/calculators/dates.ts'

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not). */
export const isCalendarDay = (text: string): boolean => parseIsoDate(text) !== undefined

/**
 * Digits-only or single-digit month/day input completed to YYYY-MM-DD
 * (`20260105`, `2026-1-5` -> `2026-01-05`); anything else is returned trimmed.
 */
export function normaliseIsoDate(text: string): string {
  const t = text.trim()
  const digits = /^(\d{4})(\d{2})(\d{2})$/.exec(t)
  if (digits) return `${digits[1]}-${digits[2]}-${digits[3]}`
  const loose = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t)
  if (loose) return `${loose[1]}-${loose[2]!.padStart(2, '0')}-${loose[3]!.padStart(2, '0')}`
  return t
}

/** What is wrong with a typed date, or undefined when it is empty or a calendar day. `partial`: it may still become one. */
export function isoDateProblem(text: string): { message: string; partial: boolean } | undefined {
  const t = text.trim()
  if (t === '' || isCalendarDay(t)) return undefined
  if (/^\d{0,4}(-\d{0,2}(-\d{0,1})?)?$/.test(t) && t.length < 10) return { message: 'Unfinished date: type it as YYYY-MM-DD, e.g. 2026-01-05.', partial: true }
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return { message: `${t} is not a day of the calendar: check the month and the day.`, partial: false }
  return { message: `“${t}” is not a date: type it as YYYY-MM-DD, e.g. 2026-01-05.`, partial: false }
}

export interface IsoDateOptions {
  id: string
  value: string | undefined
  /** Called with the text as typed (every keystroke) and completed on change (`2026-1-5` -> `2026-01-05`). */
  onChange: (value: string) => void
  label?: TemplateResult | string
  hint?: TemplateResult | string | undefined
  disabled?: boolean
  /** Extra class on the wrapping `.field` (e.g. `date` for a grid placement). */
  cls?: string
}

/** The bare input and its message, for a caller that lays out its own label. */
export function isoDateInput(o: IsoDateOptions): TemplateResult {
  const value = o.value ?? ''
  const problem = isoDateProblem(value)
  const msgId = `${o.id}-problem`
  return html`<input
      id=${o.id}
      class="iso-date"
      type="text"
      inputmode="numeric"
      autocomplete="off"
      pattern="\\d{4}-\\d{2}-\\d{2}"
      maxlength="10"
      placeholder="YYYY-MM-DD"
      ?disabled=${o.disabled ?? false}
      aria-invalid=${problem && !problem.partial ? 'true' : 'false'}
      aria-describedby=${problem ? msgId : nothing}
      .value=${value}
      @input=${(e: Event) => o.onChange((e.target as HTMLInputElement).value)}
      @change=${(e: Event) => {
        const input = e.target as HTMLInputElement
        const done = normaliseIsoDate(input.value)
        if (done !== input.value) input.value = done
        o.onChange(done)
      }}
    />${problem ? html`<span id=${msgId} class="iso-problem ${problem.partial ? 'partial' : ''}" aria-live="polite">${problem.message}</span>` : nothing}`
}

/** A labelled date field (label, input, message, hint). */
export function isoDateField(o: IsoDateOptions & { label: TemplateResult | string }): TemplateResult {
  return html`<div class="field ${o.cls ?? ''}">
    <label for=${o.id}>${o.label}</label>
    ${isoDateInput(o)} ${o.hint ? html`<p class="hint">${o.hint}</p>` : nothing}
  </div>`
}

/** Styles for the field's message; add to the host's `styles`. */
export const isoDateStyles = css`
  input.iso-date { font-variant-numeric: tabular-nums; }
  input.iso-date[aria-invalid='true'] { border-color: var(--tp-bad); }
  .iso-problem { color: var(--tp-bad); font-size: 0.85rem; }
  /* an unfinished date is not an error while it is being typed */
  .iso-problem.partial { color: var(--tp-unknown); }
  input.iso-date:focus + .iso-problem.partial { display: none; }
`
