/**
 * The form's shortcuts (issue 17: a textbook patient in ≤ 20 interactions),
 * each an explicit, visible, undoable action that records only what the
 * user said:
 *
 * - "Use the screening date for every empty date": the dates of the
 *   screening visit (the consent date, the pregnancy tests', the
 *   measurements' and the SLEDAI-2K assessment's) that are still empty take
 *   the screening date; a date already typed is kept. Not the birth date,
 *   not another reference date (random allocation, start of induction: other
 *   events), not a history entry's dates. A test or measurement date alone
 *   records nothing: its value still has to be entered. Undone by "Clear the
 *   filled dates" (those still holding the filled date).
 * - "No entries in any of these histories": every history section of the
 *   form recorded as none, exactly as ticking each "No …" box; unticking it
 *   or any section's box, or adding an entry, undoes it.
 * - A consent date implies the consent was signed (it is the day the patient
 *   signed it): entering one answers an unanswered "Informed consent signed"
 *   Yes, shown with "(a consent date was entered)"; removing the date removes
 *   that answer, never one the user gave.
 *
 * `screening` and `consent` are the reference-date names every protocol uses
 * for these days (the engine reads them so too: evaluate/facts/pregnancy-status.ts).
 */
import { isCalendarDay } from '../components/tp-iso-date.ts'
import { BOOLEAN_FACTS } from './catalogue.ts'
import { cap, fieldKey } from './field-keys.ts'
import { EVENT_SECTIONS, type EventSection, type PatientFormFields } from './fields.ts'
import type { FormState, Tri } from './record.ts'

export const SCREENING_DATE = 'screening'
export const CONSENT_DATE = 'consent'
export const CONSENT_SIGNED = 'informed_consent_signed'
/** Shown beside an answer the consent date implied. */
export const IMPLIED_BY_CONSENT_DATE = '(a consent date was entered)'

const unanswered = (t: Tri | undefined) => t === undefined || t === 'unknown'

/** One date field of the screening visit: its missing-data key, its name in words, and how to read and write it. */
interface DateSlot {
  key: string
  name: string
  get: (s: FormState) => string
  set: (s: FormState, date: string) => void
}

/** The date fields of the screening visit this form shows, in form order. */
export function screeningVisitDates(f: PatientFormFields): DateSlot[] {
  const slots: DateSlot[] = []
  if (f.referenceDates.some(d => d.name === CONSENT_DATE)) {
    const label = f.referenceDates.find(d => d.name === CONSENT_DATE)!.label
    slots.push({ key: fieldKey.date(CONSENT_DATE), name: `${label} date`, get: s => s.dates[CONSENT_DATE] ?? '', set: (s, d) => (s.dates[CONSENT_DATE] = d) })
  }
  for (const t of f.pregnancyTests)
    slots.push({
      key: fieldKey.pregnancyTest(t.specimen),
      name: `${t.specimen} pregnancy test`,
      get: s => s.pregnancyTests[t.specimen]?.date ?? '',
      set: (s, d) => (s.pregnancyTests[t.specimen] = { ...(s.pregnancyTests[t.specimen] ?? { result: '' }), date: d }),
    })
  for (const m of f.measurements)
    slots.push(
      m.input === 'sledai'
        ? { key: fieldKey.measurement(m.concept), name: 'SLEDAI-2K', get: s => s.sledai.date, set: (s, d) => (s.sledai.date = d) }
        : {
            key: fieldKey.measurement(m.concept),
            name: m.name,
            get: s => s.measurements[m.concept]?.date ?? '',
            set: (s, d) => (s.measurements[m.concept] = { ...(s.measurements[m.concept] ?? { value: '', unit: m.unit }), date: d }),
          },
    )
  return slots
}

/** The screening date when it is a calendar day (the fill button is enabled then only). */
export const screeningDate = (s: FormState): string | undefined => (isCalendarDay(s.dates[SCREENING_DATE] ?? '') ? s.dates[SCREENING_DATE] : undefined)

/**
 * Fill the empty screening-visit dates of `s` (in place) with the screening date.
 *
 * @returns the keys and names of the fields filled (none when there is no screening date)
 */
export function fillEmptyDates(s: FormState, f: PatientFormFields): Array<{ key: string; name: string }> {
  const date = screeningDate(s)
  if (!date) return []
  const empty = screeningVisitDates(f).filter(slot => slot.get(s).trim() === '')
  for (const slot of empty) slot.set(s, date)
  return empty.map(({ key, name }) => ({ key, name }))
}

/** Undo a fill: clear the fields of `keys` that still hold `date` (one typed over since is kept). */
export function clearFilledDates(s: FormState, f: PatientFormFields, keys: readonly string[], date: string): number {
  const slots = screeningVisitDates(f).filter(slot => keys.includes(slot.key) && slot.get(s) === date)
  for (const slot of slots) slot.set(s, '')
  return slots.length
}

/** What a fill says in the status line. */
export function filledWords(filled: ReadonlyArray<{ name: string }>, date: string): string {
  if (!filled.length) return 'No date was empty: nothing filled.'
  // the names as the fields' labels read
  return `${filled.length} empty date${filled.length === 1 ? '' : 's'} set to ${date} (${filled.map(x => cap(x.name)).join(', ')}); type over any of them to change it.`
}

/** The history sections this form shows. */
export const historySections = (f: PatientFormFields): EventSection[] => EVENT_SECTIONS.filter(sec => f.events[sec])

/** Every shown history is recorded as none (and has no entry). */
export const allHistoriesNone = (s: FormState, f: PatientFormFields): boolean => historySections(f).every(sec => s[sec].none && !s[sec].items.length)

/** Some shown history has an entry: "no entries in any" cannot be said. */
export const someHistoryHasEntries = (s: FormState, f: PatientFormFields): boolean => historySections(f).some(sec => s[sec].items.length > 0)

/** Tick (every shown section none) or untick (every shown section back to not recorded) all histories, in place. */
export function setAllHistoriesNone(s: FormState, f: PatientFormFields, none: boolean): void {
  for (const sec of historySections(f)) if (!s[sec].items.length) s[sec].none = none
}

/**
 * The consent-date rule, applied after every change from `prev` to `next`
 * (in place on `next`): an answer the user changes is theirs; a consent date
 * entered by this change answers an unanswered "signed" Yes (marked as
 * implied; a record loaded with a date and no answer stays unanswered);
 * removing the date removes an implied answer only.
 */
export function applyConsentDate(prev: FormState, next: FormState, f: PatientFormFields): void {
  if (!f.facts.some(x => x.name === CONSENT_SIGNED) || BOOLEAN_FACTS[CONSENT_SIGNED] === undefined) return
  const implied = new Set(next.implied ?? [])
  if (prev.facts[CONSENT_SIGNED] !== next.facts[CONSENT_SIGNED]) implied.delete(CONSENT_SIGNED)
  const dated = isCalendarDay(next.dates[CONSENT_DATE] ?? '')
  const entered = dated && next.dates[CONSENT_DATE] !== prev.dates[CONSENT_DATE]
  if (entered && unanswered(next.facts[CONSENT_SIGNED])) {
    next.facts[CONSENT_SIGNED] = 'yes'
    implied.add(CONSENT_SIGNED)
  } else if (!dated && implied.has(CONSENT_SIGNED)) {
    delete next.facts[CONSENT_SIGNED]
    implied.delete(CONSENT_SIGNED)
  }
  if (implied.size) next.implied = [...implied]
  else delete next.implied
}

/** The note beside an answer the form inferred, or undefined for an answer the user gave. */
export const impliedNote = (s: FormState, fact: string): string | undefined =>
  s.implied?.includes(fact) && fact === CONSENT_SIGNED ? IMPLIED_BY_CONSENT_DATE : undefined
