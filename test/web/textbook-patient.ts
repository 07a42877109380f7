/**
 * The textbook patient of NCT05631717 (protocols/nct05631717.examples.yaml,
 * eligible-baseline) entered in the protocol's generated form the way a
 * clinician enters it, counting each interaction: shared by the Evaluate
 * ergonomics test (Evaluate's form) and the clinician's day (a subject's
 * "Edit record", the same form).
 */
import type { Locator, Page } from 'playwright-core'
import { addDays, formatIsoDate, parseIsoDate } from '../../engine/calculators/dates.ts'

/** The example's screening (and consent) date; its UPCR was measured the day before. */
export const TEXTBOOK_SCREENING = '2026-01-05'

/** A user's hands: every call is one interaction (clicks, typed fields, choices picked; Tab presses are not counted). */
export function hands(page: Page) {
  let count = 0
  const group = (name: string) => page.getByRole('group', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`) })
  return {
    get count() {
      return count
    },
    type: async (l: Locator, text: string) => {
      count++
      await l.fill(text)
    },
    click: async (l: Locator) => {
      count++
      await l.click()
    },
    pick: async (l: Locator, value: string) => {
      count++
      await l.selectOption(value)
    },
    answer: async (name: string, choice: 'Yes' | 'No' | 'Female') => {
      count++
      await group(name).getByLabel(choice, { exact: true }).check()
    },
  }
}

export type Hands = ReturnType<typeof hands>

/**
 * The eligible-baseline patient as a clinician enters it: what its criteria
 * need, with the example's values. The histories are answered "none" (as the
 * count in the issue did): their entries decide no criterion of the textbook
 * patient and would be typed the same way before and after.
 *
 * With the form's shortcuts: "Use the screening date for every empty date"
 * fills the consent, pregnancy tests' and SLEDAI-2K dates (the UPCR's is
 * typed over its filled date), the consent date answers "signed" Yes, one box
 * records the four histories as none, and "All No" answers the reproductive
 * "No"s and the six organ-disease attestations.
 *
 * @param shortcuts use the form's shortcuts rather than answering question by question (the baseline)
 * @param screening the screening (and consent, tests, SLEDAI-2K) date; the UPCR is dated the day before, as in the example.
 *   Another date than the example's keeps the patient's timing for a subject screened in a given week.
 * @returns the number of interactions
 */
export async function fillTextbookPatient(page: Page, shortcuts: boolean, screening = TEXTBOOK_SCREENING): Promise<number> {
  const day = parseIsoDate(screening)
  if (day === undefined) throw new Error(`fillTextbookPatient: screening must be a calendar date YYYY-MM-DD, got "${screening}"`)
  const dayBefore = formatIsoDate(addDays(day, -1))
  const h = hands(page)
  await h.type(page.getByLabel('Date of birth'), '1990-05-01')
  if (!shortcuts) await h.type(page.getByLabel('Informed consent date'), screening)
  await h.type(page.getByLabel('Screening date'), screening)
  if (shortcuts) await h.click(page.getByRole('button', { name: 'Use the screening date for every empty date' }))
  else await h.answer('Informed consent signed', 'Yes')
  await h.answer('Fertile', 'Yes')
  if (shortcuts) await h.click(page.getByRole('button', { name: /^All No \(EX08/ }))
  else for (const q of ['Pregnant', 'Lactating']) await h.answer(q, 'No')
  await h.answer('Agrees to use effective contraception', 'Yes')
  for (const specimen of ['Urine', 'Serum']) {
    await h.pick(page.getByLabel(`${specimen} pregnancy test result`), 'negative')
    if (!shortcuts) await h.type(page.getByLabel(`${specimen} pregnancy test date`), screening)
  }
  if (!shortcuts) await h.type(page.getByLabel('SLEDAI-2K date'), screening)
  await h.type(page.getByLabel('SLEDAI-2K total score'), '10')
  await h.type(page.getByLabel('Urine protein/creatinine ratio', { exact: true }), '1.8')
  await h.type(page.getByLabel('Date of urine protein/creatinine ratio'), dayBefore)
  for (const item of ['Malar rash', 'Arthritis', 'Renal disorder', 'Immunologic disorder', 'Antinuclear antibody']) await h.answer(item, 'Yes')
  await h.click(page.locator('section', { hasText: 'ACR 1997' }).getByRole('button', { name: 'Mark the rest absent' }))
  if (shortcuts) await h.click(page.getByRole('checkbox', { name: /^No entries in any of these histories/ }))
  else
    for (const none of ['No medications', 'No conditions', 'No procedures', 'No vaccinations'])
      await h.click(page.getByRole('checkbox', { name: new RegExp(`^${none}`) }))
  if (shortcuts) await h.click(page.getByRole('button', { name: /^All No \(EX03/ }))
  else
    for (const organ of ['cardiovascular', 'nervous system', 'lung', 'liver', 'endocrine', 'gastrointestinal'])
      await h.answer(`Does the patient have severe and uncontrolled ${organ} disease`, 'No')
  await h.answer('Does the patient agree to comply', 'Yes')
  return h.count
}
