/**
 * A clinician's whole day in Chromium, through the UI's forms only (issue 17,
 * "Browser tests"): signed in as a blinded clinician, on NCT05631717, register
 * a subject, screen it through the generated form ("Edit record": the
 * textbook patient of protocols/nct05631717.examples.yaml), randomize it to
 * the MSC arm, enter the body weight the per-kg dose needs, see the dosing
 * calendar, record the infusion as given, record week 4, record an adverse
 * event after the infusion, read the dashboard (pooled, "Blinded", the event
 * counted as treatment-emergent); then, signed in with an unblinded token, the same
 * dashboard per arm. Once at 1280 px (DAY-1280) and once at 390 px (DAY-390),
 * one server, one browser, one page. axe-core on every screen visited (0
 * serious or critical), no page wider than the screen, a screenshot per step
 * (test-results/web/day-<step>-<width>.png) and the clinician's interactions
 * counted and printed.
 *
 * The API is used only for what a clinician would not do: the admin creating
 * the clinician's token and an unblinded token (POST /tokens).
 *
 * Dates are relative to today (the browser's calendar day, as the app's), so
 * that week 4 is due today and week 8 is not yet due: screened 30 days ago,
 * randomized 28 days ago (study day 1), week 4 today (study day 29).
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { addDays, formatIsoDate, parseIsoDate } from '../../engine/calculators/dates.ts'
import { todayIso } from '../../web/subjects/dates.ts'
import { formatViolations, seriousViolations } from './axe.ts'
import { e2eSession, shot, watchErrors, screenshot } from './browser.ts'
import { fillTextbookPatient, hands, type Hands } from './textbook-patient.ts'

const P = 'nct05631717'
const tokens = { clinician: '', unblinded: '' }

/** A token for a role, created by the admin (the one step a clinician does not do). */
async function createToken(url: string, adminToken: string, body: { name: string; role: string; unblinded?: boolean }): Promise<string> {
  const res = await fetch(`${url}/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (res.status !== 201) throw new Error(`POST /tokens answered ${res.status}: ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

// its own server: its dashboard counts every subject and evaluation of NCT05631717
const session = e2eSession({
  ownServer: true,
  ready: async ({ server }) => {
    tokens.clinician = await createToken(server.url, server.adminToken, { name: 'Dr Day (clinician, blinded)', role: 'clinician' })
    tokens.unblinded = await createToken(server.url, server.adminToken, { name: 'Dr Open (clinician, unblinded)', role: 'clinician', unblinded: true })
  },
})

/** `iso` moved by `n` calendar days (engine/calculators/dates.ts: no time zone in the arithmetic). */
const shift = (iso: string, n: number) => formatIsoDate(addDays(parseIsoDate(iso)!, n))

const TODAY = todayIso()
const SCREENING = shift(TODAY, -30)
const RANDOMIZATION = shift(TODAY, -28)
// week 4 is study day 29 (± visit_window_days 7, protocols/nct05631717.yaml): due today; week 8 (day 57) opens 21 days from now
const WEEK_8_OPENS = shift(TODAY, 21)
const BODY_WEIGHT_KG = 60
// 2 × 10^6 cells/kg (arm msc, protocols/nct05631717.yaml) × 60 kg, as the calendar writes it (en grouping)
const MSC_DOSE_SHOWN = '120,000,000'

/** What the day found wrong on a screen: axe's serious and critical violations, or a page wider than the screen. */
async function checkScreen(page: Page, width: number, step: string, problems: string[]): Promise<void> {
  // judge what the screen shows once loaded, not its "Loading …" placeholders
  await expect.poll(() => page.getByText(/^Loading\b.*…$/).count(), { timeout: 30_000 }).toBe(0)
  const found = await seriousViolations(page)
  if (found.length) problems.push(`${step} at ${width} px:\n${formatViolations(found)}`)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  if (overflow > 0) problems.push(`${step} at ${width} px: the page is ${overflow} px wider than the screen`)
}

/** Sign in on the sign-in form shown now (two interactions), waiting until the role badge shows. */
async function signInAs(page: Page, h: Hands, token: string): Promise<void> {
  await h.type(page.getByLabel('Access token'), token)
  await h.click(page.getByRole('button', { name: 'Sign in' }))
  await expect.poll(() => page.getByTestId('role').textContent()).toBe('clinician')
}

/** From the library to one of the protocol's tabs: its Evaluate link, then the tab. */
async function openProtocolTab(page: Page, h: Hands, tab: 'Subjects' | 'Dashboard'): Promise<void> {
  await h.click(page.getByRole('link', { name: /^Evaluate a patient for NCT05631717/ }))
  const tabs = page.getByRole('navigation', { name: `Protocol ${P}` })
  // the tab bar adds Evaluate once the protocol's status is read: wait for it, so that the tabs stop moving under the click
  await tabs.getByRole('link', { name: 'Evaluate', exact: true }).waitFor({ timeout: 30_000 })
  await h.click(tabs.getByRole('link', { name: tab, exact: true }))
}

/** The dashboard once its funnel and results are in. */
async function dashboardLoaded(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Study dashboard' }).waitFor()
  await page.locator('tp-screening-funnel [data-box="screened"]').waitFor({ timeout: 30_000 })
  await page.locator('#rates-h').waitFor({ timeout: 30_000 })
  await expect.poll(() => page.getByText('Loading the study results…').count(), { timeout: 30_000 }).toBe(0)
}

/** The text an element shows, its shadow roots included (textContent stops at a shadow host). */
const shownText = (page: Page, selector: string) =>
  page.evaluate(sel => {
    const walk = (n: Node): string =>
      n.nodeType === Node.TEXT_NODE
        ? (n.textContent ?? '')
        : n instanceof HTMLStyleElement || n instanceof HTMLScriptElement
          ? ''
          : [...((n as Element).shadowRoot?.childNodes ?? []), ...n.childNodes].map(walk).join('')
    const el = document.querySelector('tp-app')?.shadowRoot?.querySelector(sel)
    return el ? walk(el).replace(/\s+/g, ' ').trim() : ''
  }, selector)

/** Interactions per step, in order. */
type Counts = Array<[step: string, interactions: number]>

/**
 * One clinician's day at one width: `randomizedBefore` subjects were randomized
 * earlier in the test (the dashboard counts them too).
 */
async function clinicianDay(page: Page, width: number, randomizedBefore: number): Promise<{ counts: Counts; problems: string[] }> {
  const code = `DAY-${width}`
  const problems: string[] = []
  const counts: Counts = []
  let h = hands(page)
  const done = (step: string) => {
    counts.push([step, h.count])
    h = hands(page)
  }
  const png = (step: string) => shot(`day-${step}-${width}`)

  // 0. sign in as the blinded clinician and open the protocol's subjects
  await page.goto(session.server.url)
  await signInAs(page, h, tokens.clinician)
  await openProtocolTab(page, h, 'Subjects')
  await page.getByRole('heading', { name: 'Subjects', level: 1 }).waitFor()
  done('sign in, open Subjects')

  // 1. register a subject under a pseudonymous code, with no record yet (it is entered in the subject's form)
  await h.type(page.getByLabel('Subject code'), code)
  await h.click(page.getByRole('button', { name: 'Register', exact: true }))
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'Registered' }).textContent()).toContain(`✓ Registered ${code}`)
  await expect.poll(() => page.locator(`tr[data-subject="${code}"]`).textContent()).toContain('— (not randomized)')
  expect(await page.locator(`tr[data-subject="${code}"] td[data-subject-status]`).textContent()).toBe('registered, not screened yet')
  await screenshot(page, png('1-registered'), { fullPage: true })
  await checkScreen(page, width, '1 subjects list (registered)', problems)
  await h.click(page.getByRole('link', { name: `Open ${code}` }))
  await page.getByRole('heading', { name: `Subject ${code}` }).waitFor()
  done('1 register')

  // 2. screen it through the protocol's form: the textbook patient, saved as a version, re-screened: Eligible
  const edit = page.getByRole('button', { name: 'Edit record' })
  await expect.poll(() => edit.isEnabled(), { timeout: 30_000 }).toBe(true)
  await h.click(edit)
  await page.getByLabel('Date of birth').waitFor()
  const formCount = await fillTextbookPatient(page, true, SCREENING)
  await checkScreen(page, width, '2 subject page (record form filled)', problems)
  await h.click(page.getByRole('button', { name: 'Save record' }))
  await expect.poll(() => page.getByTestId('record-saved').textContent(), { timeout: 20_000 }).toMatch(/^✓ Saved as version \d+\.$/)
  expect(await page.getByTestId('rescreened').textContent()).toContain('✓ Eligible')
  await expect.poll(() => page.locator('tp-subject-screening tr[data-evaluation]').last().textContent()).toContain('✓ Eligible')
  await screenshot(page.locator('section[aria-labelledby="h-record"]'), png('2-screened'))
  counts.push(['2 screen: the textbook patient in the form', formCount])
  done('2 screen: edit and save')

  // 3. randomize to the MSC arm: the arm the randomization system allocated, and its date (study day 1)
  await h.pick(page.getByLabel('Arm'), 'msc')
  await h.type(page.getByLabel('Randomization date'), RANDOMIZATION)
  await h.click(page.getByRole('button', { name: 'Randomize' }))
  await expect.poll(() => page.getByTestId('status').textContent()).toBe('randomized')
  await expect
    .poll(() => page.locator('tp-subject-screening p', { hasText: 'Randomized to' }).textContent())
    .toBe(`Randomized to MSCs group (msc) on ${RANDOMIZATION}.`)
  await screenshot(page.locator('section[aria-labelledby="h-screening"]'), png('3-randomized'))
  done('3 randomize')

  // 4. the calendar asks for the body weight (the dose is per kg) and takes it in place; then the dose
  const calendar = page.locator('tp-subject-calendar')
  await expect.poll(() => calendar.locator('.needs').textContent(), { timeout: 20_000 }).toContain('The dosing calendar needs the body weight.')
  await checkScreen(page, width, '4 subject page (calendar asks for the weight)', problems)
  await screenshot(calendar, png('4-needs-weight'))
  await h.type(calendar.getByLabel('Body weight', { exact: true }), String(BODY_WEIGHT_KG))
  expect(await calendar.getByLabel('Unit').inputValue()).toBe('kg')
  await h.type(calendar.getByLabel('Weighed on (YYYY-MM-DD)'), RANDOMIZATION)
  await h.click(calendar.getByRole('button', { name: 'Save the weight' }))
  const dosing = calendar.getByTestId('dosing')
  await expect.poll(() => dosing.locator('tbody tr').count(), { timeout: 20_000 }).toBe(1)
  const dose = (await dosing.locator('tbody tr').first().textContent())!.replace(/\s+/g, ' ')
  expect(dose).toContain(RANDOMIZATION)
  expect(dose).toContain(MSC_DOSE_SHOWN)
  expect(dose).toContain('cells')
  expect(dose).toContain('intravenous')
  expect(await calendar.locator('p.note', { hasText: 'planned dose' }).textContent()).toContain(`1 planned dose from ${RANDOMIZATION}`)
  expect(await calendar.locator('p.note', { hasText: 'planned dose' }).textContent()).toContain(`: 1 dose, ${MSC_DOSE_SHOWN} cells in total`)
  await screenshot(calendar, png('4-calendar'))
  done('4 body weight')

  // 4b. the infusion given on its planned day: "Record as given" (the planned date and dose prefilled), saved; the
  // first dose given is what makes a later adverse event treatment-emergent (engine/endpoints/safety.ts)
  await h.click(dosing.getByRole('button', { name: `Record as given: dose 1 (${RANDOMIZATION})` }))
  expect(await calendar.getByLabel('Date given (YYYY-MM-DD)').inputValue()).toBe(RANDOMIZATION)
  expect(await calendar.getByLabel('Dose given (cells)').inputValue()).toBe('120000000')
  await checkScreen(page, width, '4b subject page (dose given filled)', problems)
  await h.click(calendar.getByRole('button', { name: 'Save the dose given' }))
  await expect.poll(() => dosing.locator('tbody tr').first().textContent(), { timeout: 20_000 }).toContain(`✓ given (${RANDOMIZATION})`)
  // the baseline visit was not recorded as a visit; the data in its window (the screening labs, the weight taken at
  // randomization: the latest is dated) serve as baseline
  expect(await calendar.getByTestId('timeline').locator('tr[data-visit="baseline"]').textContent()).toContain(`✓ done (from screening data, ${RANDOMIZATION})`)
  await screenshot(calendar, png('4b-dose-given'))
  done('4b dose given')

  // 5. week 4 through the visit form: the labs the endpoints read there, with their units, and the investigator's question
  const vf = page.locator('tp-subject-visit-form')
  await h.pick(vf.getByLabel('Visit', { exact: true }), 'week_4')
  await h.type(vf.getByLabel('Date of the visit'), TODAY)
  await h.type(vf.getByLabel('Urine protein/creatinine ratio', { exact: true }), '0.4')
  await h.type(vf.getByLabel('Creatinine in serum or plasma', { exact: true }), '80')
  await h.pick(vf.getByLabel('Creatinine in serum or plasma unit'), 'umol/L')
  await h.type(vf.getByLabel('SLEDAI-2K total'), '4')
  await h.click(vf.getByRole('group', { name: /other indicator of deterioration/ }).getByLabel('No', { exact: true }))
  await checkScreen(page, width, '5 subject page (week 4 filled)', problems)
  await screenshot(vf, png('5-week-4-form'))
  await h.click(vf.getByRole('button', { name: 'Record the visit' }))
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'Recorded week' }).textContent(), { timeout: 20_000 }).toContain(`on ${TODAY}`)
  const timeline = calendar.getByTestId('timeline')
  await expect.poll(() => timeline.locator('tr[data-visit="week_4"]').textContent(), { timeout: 20_000 }).toContain(`✓ done (${TODAY})`)
  expect(await timeline.locator('tr[data-visit="week_8"]').textContent()).toContain(`not yet due (window opens ${WEEK_8_OPENS})`)
  await screenshot(timeline, png('5-timeline'))
  done('5 week 4')

  // 6. an adverse event the day after the infusion
  await h.click(page.getByText('Record an adverse event'))
  const ae = page.locator('tp-subject-ae-form')
  await h.type(ae.getByLabel('Term'), 'Headache')
  await h.type(ae.getByLabel('Onset'), shift(RANDOMIZATION, 1))
  await h.type(ae.getByLabel('Resolved on'), shift(RANDOMIZATION, 2))
  await h.pick(ae.getByLabel('CTCAE grade'), '1')
  await h.pick(ae.getByLabel('Relatedness to study treatment'), 'possibly_related')
  await checkScreen(page, width, '6 subject page (adverse event filled)', problems)
  await h.click(ae.getByRole('button', { name: 'Record the adverse event' }))
  const aes = page.getByTestId('adverse-events')
  await expect.poll(() => aes.locator('tbody tr').first().textContent(), { timeout: 20_000 }).toContain('Headache')
  const row = (await aes.locator('tbody tr').first().textContent())!.replace(/\s+/g, ' ')
  expect(row).toContain('Grade 1')
  expect(row).toContain('Not serious')
  expect(row).toContain(`${shift(RANDOMIZATION, 1)} to ${shift(RANDOMIZATION, 2)}`)
  await screenshot(page.locator('section[aria-labelledby="h-ae"]'), png('6-adverse-event'))
  await checkScreen(page, width, '6 subject page (after the day)', problems)
  await screenshot(page, png('6-subject-page'), { fullPage: true })
  done('6 adverse event')

  // back on the list: randomized, MSC arm, the next visit in a coordinator's words
  await h.click(page.getByRole('link', { name: `← Subjects of ${P}` }))
  const listed = page.locator(`tr[data-subject="${code}"]`)
  await expect.poll(() => listed.textContent(), { timeout: 20_000 }).toContain('randomized')
  const listedText = (await listed.textContent())!.replace(/\s+/g, ' ')
  expect(listedText).toContain('MSCs group')
  expect(listedText).not.toMatch(/\bmsc\b/)
  expect(listedText).toContain(`not yet due (window opens ${WEEK_8_OPENS})`)
  await screenshot(page, png('6-subjects-list'), { fullPage: true })
  await checkScreen(page, width, '6 subjects list (randomized)', problems)

  // 7. the dashboard, blinded: pooled figures, the "Blinded" note, no arm with its count; the headache after the
  // infusion recorded as given counts as treatment-emergent for every subject of the day (none "ungraded")
  await h.click(page.getByRole('navigation', { name: `Protocol ${P}` }).getByRole('link', { name: 'Dashboard', exact: true }))
  await dashboardLoaded(page)
  const randomized = randomizedBefore + 1
  expect(await page.getByTestId('blinded-note').textContent()).toContain('Blinded: per-arm results are shown only to unblinded users.')
  expect(await page.locator('#rates-h').textContent()).toBe('Rates, all randomized subjects pooled')
  const blindedText = await shownText(page, 'tp-study-dashboard')
  expect(blindedText).toContain(`Over ${randomized} randomized subject${randomized === 1 ? '' : 's'}, endpoints`)
  expect(blindedText).not.toMatch(/MSCs group|IL-2 group|\((msc|il2)\)/)
  const teae = page.locator('table[data-endpoint="teae"] tr[data-row="study:event"] td[data-arm]')
  expect(await teae.count()).toBe(1)
  const teaeText = (await teae.textContent())!.replace(/\s+/g, ' ')
  expect(teaeText).toContain(`${randomized}/${randomized}`)
  expect(teaeText).not.toContain('ungraded')
  await screenshot(page, png('7-dashboard-blinded'), { fullPage: true })
  await checkScreen(page, width, '7 dashboard (blinded)', problems)
  done('7 dashboard, blinded')

  // 8. signed in with an unblinded token: the same dashboard per arm
  await h.click(page.getByRole('button', { name: 'Sign out' }))
  await signInAs(page, h, tokens.unblinded)
  await openProtocolTab(page, h, 'Dashboard')
  await dashboardLoaded(page)
  expect(await page.getByTestId('blinded-note').count()).toBe(0)
  expect(await page.locator('#rates-h').textContent()).toBe('Rates per arm')
  const openText = await shownText(page, 'tp-study-dashboard')
  expect(openText).toContain(`Over ${randomized} randomized subject${randomized === 1 ? '' : 's'} (IL-2 group 0, MSCs group ${randomized}), endpoints`)
  await screenshot(page, png('8-dashboard-unblinded'), { fullPage: true })
  await checkScreen(page, width, '8 dashboard (unblinded)', problems)
  await h.click(page.getByRole('button', { name: 'Sign out' }))
  done('8 dashboard, unblinded')
  return { counts, problems }
}

describe("a clinician's whole day in Chromium, through forms only", () => {
  it('registers, screens, randomizes to MSC, doses by weight, records week 4 and an adverse event, and reads the dashboard blinded and unblinded, at 1280 and 390 px', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    const days: Array<{ width: number; counts: Counts; problems: string[] }> = []
    for (const [i, viewport] of [
      { width: 1280, height: 900 },
      { width: 390, height: 844 },
    ].entries()) {
      await page.setViewportSize(viewport)
      days.push({ width: viewport.width, ...(await clinicianDay(page, viewport.width, i)) })
    }
    for (const d of days) {
      const total = d.counts.reduce((n, [, c]) => n + c, 0)
      console.log(`clinician's day at ${d.width} px: ${total} interactions (${d.counts.map(([s, c]) => `${s}: ${c}`).join('; ')})`)
    }
    expect(days.flatMap(d => d.problems).join('\n\n')).toBe('')
    expect(errors).toEqual([])
    await page.close()
  }, 300_000)
})
