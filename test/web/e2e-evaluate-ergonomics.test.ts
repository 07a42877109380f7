/**
 * Evaluate ergonomics in Chromium (issue 17, problem 8): the number of
 * interactions (clicks, typed fields, choices picked; Tab presses are not
 * needed) from a new patient to "Eligible" for the textbook patient of
 * protocols/nct05631717.examples.yaml (eligible-baseline), counted by doing
 * them, question by question and with "All No"; "Still needed" items that
 * take the user to their field; "Jump to the verdict" at every width and
 * "Back to the form"; how many Tab presses reach the verdict; and "Match
 * from a form" carrying the record to a protocol's Evaluate page.
 * Screenshots: ergonomics-*.png at 1280 and 390 px.
 */
import { describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { e2eSession, shot, signIn, watchErrors } from './browser.ts'

const session = e2eSession()
const P = 'nct05631717'

/** The element that has the focus, through shadow roots: its id, or its name and value for a radio. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    const input = el as HTMLInputElement | null
    return input ? { id: input.id, name: input.getAttribute('name') ?? '', value: input.value, text: (input.textContent ?? '').trim() } : undefined
  })

/** A user's hands: every call is one interaction. */
function hands(page: Page) {
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

/**
 * The eligible-baseline patient as a clinician enters it: what its criteria
 * need, with the example's values. The histories are answered "none" (as the
 * count in the issue did): their entries decide no criterion of the textbook
 * patient and would be typed the same way before and after.
 */
async function fillTextbookPatient(page: Page, allNo: boolean): Promise<number> {
  const h = hands(page)
  await h.type(page.getByLabel('Date of birth'), '1990-05-01')
  await h.type(page.getByLabel('Informed consent date'), '2026-01-05')
  await h.type(page.getByLabel('Screening date'), '2026-01-05')
  await h.answer('Informed consent signed', 'Yes')
  await h.answer('Fertile', 'Yes')
  if (allNo) await h.click(page.getByRole('button', { name: /^All No \(EX08/ }))
  else for (const q of ['Pregnant', 'Lactating']) await h.answer(q, 'No')
  await h.answer('Agrees to use effective contraception', 'Yes')
  for (const specimen of ['Urine', 'Serum']) {
    await h.pick(page.getByLabel(`${specimen} pregnancy test result`), 'negative')
    await h.type(page.getByLabel(`${specimen} pregnancy test date`), '2026-01-05')
  }
  await h.type(page.getByLabel('SLEDAI-2K date'), '2026-01-05')
  await h.type(page.getByLabel('SLEDAI-2K total score'), '10')
  await h.type(page.getByLabel('Urine protein/creatinine ratio', { exact: true }), '1.8')
  await h.type(page.getByLabel('Date of urine protein/creatinine ratio'), '2026-01-04')
  for (const item of ['Malar rash', 'Arthritis', 'Renal disorder', 'Immunologic disorder', 'Antinuclear antibody']) await h.answer(item, 'Yes')
  await h.click(page.locator('section', { hasText: 'ACR 1997' }).getByRole('button', { name: 'Mark the rest absent' }))
  for (const none of ['No medications', 'No conditions', 'No procedures', 'No vaccinations']) await h.click(page.getByRole('checkbox', { name: new RegExp(none) }))
  if (allNo) await h.click(page.getByRole('button', { name: /^All No \(EX03/ }))
  else for (const organ of ['cardiovascular', 'nervous system', 'lung', 'liver', 'endocrine', 'gastrointestinal']) await h.answer(`Does the patient have severe and uncontrolled ${organ} disease`, 'No')
  await h.answer('Does the patient agree to comply', 'Yes')
  return h.count
}

async function openEvaluate(page: Page): Promise<void> {
  await signIn(page, session.server.url, session.server.adminToken)
  await page.goto(`${session.server.url}/#/protocols/${P}/evaluate`)
  await expect.poll(() => page.getByTestId('overall').textContent()).toContain('Undetermined')
}

describe('Evaluate ergonomics in Chromium', () => {
  it('reaches Eligible for the textbook patient in fewer interactions with "All No", and counts them', async () => {
    const counts: Record<string, number> = {}
    for (const [name, allNo] of [['question by question', false], ['with All No', true]] as const) {
      const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
      const errors = watchErrors(page)
      await openEvaluate(page)
      counts[name] = await fillTextbookPatient(page, allNo)
      await expect.poll(() => page.getByTestId('overall').textContent(), { timeout: 15_000 }).toContain('Eligible')
      if (allNo) {
        expect(await page.getByTestId('form-said').textContent()).toBe('6 unanswered questions of EX03 set to No; change any answer to undo it.')
        await page.getByRole('button', { name: /^All No \(EX03/ }).scrollIntoViewIfNeeded()
        await page.screenshot({ path: shot('ergonomics-all-no-1280') })
      }
      expect(errors).toEqual([])
      await page.close()
    }
    console.log(`interactions from a new patient to Eligible (NCT05631717 eligible-baseline): ${counts['question by question']} question by question, ${counts['with All No']} with All No`)
    expect(counts['with All No']).toBe(counts['question by question']! - 6) // 6 organ questions and 2 reproductive ones in 2 clicks
    expect(counts['with All No']).toBeLessThanOrEqual(27)
  }, 180_000)

  it('"Still needed" reads in the form\'s words and takes the user to the field; the verdict is a jump away at every width', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await openEvaluate(page)
    const needed = page.locator('section.needed')
    expect(await needed.textContent()).not.toContain('acr_1997.')
    await needed.getByRole('button', { name: 'Malar rash (ACR 1997)' }).click()
    expect(await focused(page)).toMatchObject({ name: 'acr-malar_rash', value: 'unknown' })
    await needed.getByRole('button', { name: 'Screening date' }).click()
    expect(await focused(page)).toMatchObject({ id: 'f-dates-screening' })
    // a date is one field: typed, checked, one Tab stop
    await page.keyboard.type('2026-02-30')
    await page.keyboard.press('Tab')
    expect(await page.getByText('2026-02-30 is not a day of the calendar').isVisible()).toBe(true)
    await page.getByLabel('Screening date').fill('20260105')
    await page.getByLabel('Screening date').blur()
    expect(await page.getByLabel('Screening date').inputValue()).toBe('2026-01-05')
    await needed.getByRole('button', { name: /^Does the patient agree to comply/ }).click()
    expect(await focused(page)).toMatchObject({ name: 'att-willing_to_comply' })
    await page.screenshot({ path: shot('ergonomics-still-needed-1280') })

    // Tab presses from the top of the page to the verdict: to "Jump to the verdict", then Enter
    const jump = page.getByRole('link', { name: 'Jump to the verdict' })
    expect(await jump.isVisible()).toBe(true)
    await page.getByRole('link', { name: '← All protocols' }).focus()
    let tabs = 0
    while ((await focused(page))?.text !== 'Jump to the verdict' && tabs < 100) {
      await page.keyboard.press('Tab')
      tabs++
    }
    await page.keyboard.press('Enter')
    expect(await focused(page)).toMatchObject({ id: 'verdict' })
    console.log(`Tab presses from "All protocols" to the verdict: ${tabs} and Enter`)
    expect(tabs).toBeLessThanOrEqual(3)
    await page.getByRole('link', { name: 'Back to the form' }).click()
    expect(await focused(page)).toMatchObject({ id: 'f-birth_date' })

    await page.setViewportSize({ width: 390, height: 844 })
    await page.evaluate(() => window.scrollTo(0, 0))
    expect(await jump.isVisible()).toBe(true)
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: shot('ergonomics-evaluate-390') })
    await page.getByRole('button', { name: /^All No \(EX03/ }).scrollIntoViewIfNeeded()
    await page.screenshot({ path: shot('ergonomics-all-no-390') })
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it('matches from a protocol\'s form, adds what the others need, and carries the record to another protocol\'s form', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await signIn(page, session.server.url, session.server.adminToken)
    await page.goto(`${session.server.url}/#/match`)
    await page.getByLabel(/^Protocol whose form to fill first/).selectOption(P)
    await page.getByLabel('Date of birth').fill('1990-05-01')
    await page.getByLabel('Screening date').fill('2026-01-05')
    await page.getByRole('group', { name: /^Sex/ }).getByLabel('Female', { exact: true }).check()
    await page.getByRole('button', { name: 'Match across protocols' }).click()
    const rows = page.locator('li.row')
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(1)
    const other = rows.filter({ hasNot: page.locator(`[data-protocol="${P}"]`) }).filter({ hasText: 'Still needed' }).first()
    const otherId = (await other.getAttribute('data-protocol'))!
    expect(otherId).not.toBe(P)

    await page.getByRole('button', { name: /^Add what the \d+ undecided protocols? still needs?$/ }).click()
    await expect.poll(() => page.getByTestId('merged').textContent()).toMatch(/^With the fields .* still need/)
    // an item another protocol still needs now takes the user to its field in the union form
    const item = page.locator(`li.row[data-protocol="${otherId}"] ul.needed button`).first()
    await item.click()
    expect((await focused(page))?.id ?? (await focused(page))?.name).toBeTruthy()
    await page.screenshot({ path: shot('ergonomics-match-form-1280') })

    // the record travels in session storage, not in the link
    await page.locator(`li.row[data-protocol="${otherId}"]`).getByRole('link', { name: /^Evaluate in .*’s form$/ }).click()
    await page.waitForURL(new RegExp(`#/protocols/${otherId}/evaluate$`))
    expect(page.url()).not.toContain('1990')
    await expect.poll(() => page.getByLabel('Date of birth').inputValue()).toBe('1990-05-01')
    expect(await page.getByTestId('loaded').textContent()).toContain('Loaded into the form')
    await page.screenshot({ path: shot('ergonomics-carried-1280') })
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)
})
