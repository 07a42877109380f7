/**
 * Evaluate ergonomics in Chromium (issue 17, problem 8): the number of
 * interactions (clicks, typed fields, choices picked; Tab presses are not
 * needed) from a new patient to "Eligible" for the textbook patient of
 * protocols/nct05631717.examples.yaml (eligible-baseline), counted by doing
 * them, question by question (the baseline, no shortcut) and with the form's
 * shortcuts ("All No", "Use the screening date for every empty date", "No
 * entries in any of these histories", a consent date answering "signed");
 * "Still needed" items that
 * take the user to their field; "Jump to the verdict" at every width and
 * "Back to the form"; how many Tab presses reach the verdict; and "Match
 * from a form" carrying the record to a protocol's Evaluate page.
 * Screenshots: ergonomics-*.png at 1280 and 390 px.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { e2eSession, shot, openSignedIn, watchErrors, screenshot } from './browser.ts'
import { fillTextbookPatient } from './textbook-patient.ts'

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

async function openEvaluate(page: Page): Promise<void> {
  await openSignedIn(page, session.server.url, session.server.adminToken, `#/protocols/${P}/evaluate`)
  await expect.poll(() => page.getByTestId('overall').textContent()).toContain('Undetermined')
}

describe('Evaluate ergonomics in Chromium', () => {
  it("reaches Eligible for the textbook patient in at most 20 interactions with the form's shortcuts, and counts them", async () => {
    const counts: Record<string, number> = {}
    for (const [name, shortcuts] of [
      ['question by question', false],
      ['with shortcuts', true],
    ] as const) {
      const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
      const errors = watchErrors(page)
      await openEvaluate(page)
      counts[name] = await fillTextbookPatient(page, shortcuts)
      await expect.poll(() => page.getByTestId('overall').textContent(), { timeout: 15_000 }).toContain('Eligible')
      if (shortcuts) {
        expect(await page.getByTestId('form-said').textContent()).toBe('6 unanswered questions of EX03 set to No; change any answer to undo it.')
        // the screening date filled the visit's empty dates, visibly; the UPCR typed over its filled date keeps the day typed
        expect(await page.getByTestId('dates-filled').textContent()).toMatch(
          /^\d+ empty dates set to 2026-01-05 \(Informed consent date, Urine pregnancy test, Serum pregnancy test, /,
        )
        expect(await page.getByLabel('Informed consent date').inputValue()).toBe('2026-01-05')
        expect(await page.getByLabel('Date of urine protein/creatinine ratio').inputValue()).toBe('2026-01-04')
        // the consent date answered "signed", and says so
        const signed = page.getByRole('group', { name: /^Informed consent signed/ })
        expect(await signed.getByLabel('Yes', { exact: true }).isChecked()).toBe(true)
        expect(await signed.textContent()).toContain('(a consent date was entered)')
        await page.getByRole('button', { name: 'Use the screening date for every empty date' }).scrollIntoViewIfNeeded()
        await screenshot(page, shot('ergonomics-fill-dates-1280'))
        await page.getByRole('checkbox', { name: /^No entries in any of these histories/ }).scrollIntoViewIfNeeded()
        await screenshot(page, shot('ergonomics-no-histories-1280'))
        await page.getByRole('button', { name: /^All No \(EX03/ }).scrollIntoViewIfNeeded()
        await screenshot(page, shot('ergonomics-all-no-1280'))
      }
      expect(errors).toEqual([])
      await page.close()
    }
    console.log(
      `interactions from a new patient to Eligible (NCT05631717 eligible-baseline): ${counts['question by question']} question by question, ${counts['with shortcuts']} with shortcuts`,
    )
    // 2 reproductive and 6 organ answers in 2 clicks, 4 dates and "signed" in 1 click, 4 histories in 1
    expect(counts['with shortcuts']).toBe(counts['question by question']! - 13)
    expect(counts['with shortcuts']).toBeLessThanOrEqual(20)
  }, 240_000)

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
    await screenshot(page, shot('ergonomics-still-needed-1280'))

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
    await screenshot(page, shot('ergonomics-evaluate-390'))
    await page.getByRole('button', { name: /^All No \(EX03/ }).scrollIntoViewIfNeeded()
    await screenshot(page, shot('ergonomics-all-no-390'))
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it("matches from a protocol's form, adds what the others need, and carries the record to another protocol's form", async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await openSignedIn(page, session.server.url, session.server.adminToken, `#/match`)
    await page.getByLabel(/^Protocol whose form to fill first/).selectOption(P)
    await page.getByLabel('Date of birth').fill('1990-05-01')
    await page.getByLabel('Screening date').fill('2026-01-05')
    await page.getByRole('group', { name: /^Sex/ }).getByLabel('Female', { exact: true }).check()
    await page.getByRole('button', { name: 'Match across protocols' }).click()
    const rows = page.locator('li.row')
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(1)
    const other = rows
      .filter({ hasNot: page.locator(`[data-protocol="${P}"]`) })
      .filter({ hasText: 'Still needed' })
      .first()
    const otherId = (await other.getAttribute('data-protocol'))!
    expect(otherId).not.toBe(P)

    await page.getByRole('button', { name: /^Add what the \d+ undecided protocols? still needs?$/ }).click()
    await expect.poll(() => page.getByTestId('merged').textContent()).toMatch(/^With the fields .* still need/)
    // an item another protocol still needs now takes the user to its field in the union form
    const item = page.locator(`li.row[data-protocol="${otherId}"] ul.needed button`).first()
    await item.click()
    expect((await focused(page))?.id ?? (await focused(page))?.name).toBeTruthy()
    await screenshot(page, shot('ergonomics-match-form-1280'))

    // the record travels in session storage, not in the link
    await page
      .locator(`li.row[data-protocol="${otherId}"]`)
      .getByRole('link', { name: /^Evaluate in .*’s form$/ })
      .click()
    await page.waitForURL(new RegExp(`#/protocols/${otherId}/evaluate$`))
    expect(page.url()).not.toContain('1990')
    await expect.poll(() => page.getByLabel('Date of birth').inputValue()).toBe('1990-05-01')
    expect(await page.getByTestId('loaded').textContent()).toContain('Loaded into the form')
    await screenshot(page, shot('ergonomics-carried-1280'))
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it('offers the Evaluate tab to a clinician for an active protocol only, to an admin for a draft too (a preview)', async () => {
    const yaml = readFileSync(join(import.meta.dirname, '../../protocols/nct05631717.yaml'), 'utf8')
      .replace('registry_id: NCT05631717\n', 'registry_id: NCT05631717-D\n')
      .replace(/^ {2}title: .*$/m, '  title: MSCs and low-dose IL-2 in LN (draft D)')
    const auth = { Authorization: `Bearer ${session.server.adminToken}`, 'Content-Type': 'application/json' }
    const created = await fetch(`${session.server.url}/protocols`, { method: 'POST', headers: auth, body: JSON.stringify({ yaml }) })
    expect(created.status).toBe(201)
    const draft = ((await created.json()) as { protocol_id: string }).protocol_id
    const { token } = (await (
      await fetch(`${session.server.url}/tokens`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'tab clinician', role: 'clinician' }) })
    ).json()) as { token: string }
    // the bar is named by the registry id as the registry writes it (formatRegistryId: nct05631717-d -> NCT05631717-d)
    const tabs = (page: Page, id: string) => page.getByRole('navigation', { name: `Protocol ${id.replace(/^nct/, 'NCT')}`, exact: true })
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await openSignedIn(page, session.server.url, token, `#/protocols/${P}/rules`, 'clinician')
    await expect.poll(() => tabs(page, P).getByRole('link', { name: 'Evaluate', exact: true }).count()).toBe(1)
    await page.goto(`${session.server.url}/#/protocols/${draft}/rules`)
    await expect.poll(() => tabs(page, draft).getByRole('link', { name: 'Rules', exact: true }).count()).toBe(1)
    await new Promise(r => setTimeout(r, 500)) // the status has been read: the tab stays away
    expect(await tabs(page, draft).getByRole('link', { name: 'Evaluate', exact: true }).count()).toBe(0)
    await page.close()
    const admin = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    await openEvaluate(admin)
    await admin.goto(`${session.server.url}/#/protocols/${draft}/rules`)
    await expect.poll(() => tabs(admin, draft).getByRole('link', { name: 'Evaluate', exact: true }).count()).toBe(1)
    expect(errors).toEqual([])
    await admin.close()
  }, 120_000)
})
