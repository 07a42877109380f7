/**
 * End to end in Chromium against the real server: NCT05631717 → Subjects,
 * register a subject with the eligible example record, fail on purpose
 * (a duplicate code → 409, a name → 400), screen (eligible), randomize, see
 * the dosing calendar, record week 4 with a UPCR and see the chart and the
 * response, record an adverse event; desktop and 360 px screenshots.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { examplePatient } from '../../engine/index.ts'
import { shippedProtocol } from '../helpers/protocols.ts'
import { e2eSession, shot, openSignedIn, signIn, watchErrors, screenshot } from './browser.ts'

// its own server: it counts NCT05631717's subjects (1, then 2 rows)
const session = e2eSession({ ownServer: true })

/** The eligible example patient (base patient, no patch), without its id: the code becomes the id. */
function eligibleRecord(): Record<string, unknown> {
  const { id: _id, ...record } = examplePatient(shippedProtocol('NCT05631717').examples!, 'eligible-baseline')
  return record
}

async function register(page: Page, code: string, record?: Record<string, unknown>) {
  await page.getByLabel('Subject code').fill(code)
  // the JSON box is an advanced option, folded: the record is normally entered in the subject's form
  const box = page.getByLabel('Initial record (optional JSON)')
  if (!(await box.isVisible())) await page.getByText('Advanced: an initial record as JSON').click()
  await box.fill(record ? JSON.stringify(record, null, 1) : '')
  await page.getByRole('button', { name: 'Register', exact: true }).click()
}

describe('subjects in Chromium', () => {
  let subjectUrl = ''

  it('registers a subject, and shows a duplicate code (409) and a name (400) as problems', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await openSignedIn(page, session.server.url, session.server.adminToken, `#/protocols/nct05631717/subjects`)
    await expect.poll(() => page.getByRole('heading', { name: 'Subjects', level: 1 }).isVisible()).toBe(true)
    await expect.poll(() => page.getByText('No subjects registered yet.').isVisible(), { timeout: 20_000 }).toBe(true)
    expect(await page.locator('#code-hint').textContent()).toContain('never a name')

    await register(page, 'S-101', eligibleRecord())
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Registered' }).textContent()).toContain('✓ Registered S-101')
    const row = page.locator('tr[data-subject="S-101"]')
    await expect.poll(() => row.textContent()).toContain('screened')
    expect(await row.textContent()).toContain('— (not randomized)')

    await register(page, 'S-101', eligibleRecord())
    const alert = page.getByRole('alert')
    await expect.poll(() => alert.textContent()).toContain('Registering the subject failed')
    expect(await alert.textContent()).toContain('subject code S-101 already exists in protocol nct05631717')
    await screenshot(page, shot('subjects-register-error'), { fullPage: true })

    await register(page, 'Jane Doe')
    await expect.poll(() => alert.textContent()).toContain('looks like a name')

    await register(page, 'S-102', { sex: 'other' })
    await expect.poll(() => alert.textContent()).toContain('nothing was saved')
    expect(await page.locator('tr[data-subject]').count()).toBe(1)

    await page.getByLabel('Subject code').fill('')
    await page.getByLabel('Initial record (optional JSON)').fill('')
    await register(page, 'S-103')
    await expect.poll(() => page.locator('tr[data-subject]').count()).toBe(2)

    await page.getByRole('link', { name: 'S-101' }).first().click()
    await expect.poll(() => page.getByRole('heading', { name: 'Subject S-101' }).isVisible()).toBe(true)
    subjectUrl = page.url()
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it('screens, randomizes, shows the dosing calendar, records a visit with a chart and response, and an adverse event', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await signIn(page, session.server.url, session.server.adminToken)
    await page.goto(subjectUrl)
    await expect.poll(() => page.getByRole('heading', { name: 'Subject S-101' }).isVisible()).toBe(true)

    // not screened: randomization is not offered, and the page says why
    await expect.poll(() => page.getByTestId('randomize-why').textContent()).toContain('has not been screened yet')
    expect(await page.getByRole('button', { name: 'Randomize' }).count()).toBe(0)
    expect(await page.getByText('The dosing calendar and visit plan appear once the subject is randomized.').isVisible()).toBe(true)

    // the record through the protocol's form: prefilled with the stored record, saved as version 2 and re-screened
    await page.getByRole('button', { name: 'Edit record' }).click()
    const upcrInput = page.getByLabel('Urine protein/creatinine ratio', { exact: true })
    await expect.poll(() => upcrInput.inputValue()).toBe('1.8')
    await upcrInput.fill('0.9')
    await page.getByLabel('Note (why the record changed, kept with the version)').fill('UPCR re-measured')
    await page.getByRole('button', { name: 'Save record' }).click()
    await expect.poll(() => page.getByTestId('record-saved').textContent()).toBe('✓ Saved as version 2.')
    await expect.poll(() => page.locator('tr[data-evaluation]').first().textContent()).toContain('Undetermined') // UPCR 0.9, no 24-h protein: IN04 open
    expect(await page.locator('tr[data-version="2"]').textContent()).toContain('UPCR re-measured')
    await screenshot(page.locator('tp-subject-record-editor'), shot('subject-record-saved'))
    await page.getByRole('button', { name: 'Edit record' }).click()
    await page.getByLabel('Urine protein/creatinine ratio', { exact: true }).fill('1.8')
    await page.getByRole('button', { name: 'Save record' }).click()
    await expect.poll(() => page.getByTestId('record-saved').textContent()).toBe('✓ Saved as version 3.')
    await expect.poll(() => page.locator('tr[data-evaluation]').nth(1).textContent()).toContain('✓ Eligible')

    await page.getByRole('button', { name: 'Screen now' }).click()
    await expect.poll(() => page.locator('tr[data-evaluation]').nth(2).textContent()).toContain('✓ Eligible')
    await expect.poll(() => page.locator('tp-subject-screening tp-verdict-panel [data-testid="overall"] h2').textContent()).toBe('Eligible')

    await page.getByLabel('Arm').selectOption('il2')
    expect(await page.getByLabel('Randomization date').inputValue()).toBe('2026-01-19') // the record's date
    await page.getByRole('button', { name: 'Randomize' }).click()
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('randomized')

    // the dosing calendar: IL-2 every other day from day 1 (2026-01-19)
    const dosing = page.getByTestId('dosing')
    await expect.poll(() => dosing.locator('tbody tr').count()).toBeGreaterThan(5)
    const first = await dosing.locator('tbody tr').first().textContent()
    expect(first).toContain('2026-01-19')
    expect(first).toContain('1,000,000')
    expect(first).toContain('subcutaneous')
    expect(await dosing.locator('tbody tr').nth(1).textContent()).toContain('2026-01-21')
    // the visit timeline: every visit of 2026 is past today's window (the clock says 2026-11 or later) or due
    const timeline = page.getByTestId('timeline')
    await expect.poll(() => timeline.locator('tr[data-visit="week_4"]').textContent()).toMatch(/2026-02-16 \(day 29\)/)

    // record week 4 with UPCR 0.4 g/g and creatinine 80 umol/L (0.905 mg/dL)
    const vf = page.locator('tp-subject-visit-form')
    await page.getByLabel('Visit', { exact: true }).selectOption('week_4')
    await page.getByLabel('Date of the visit').fill('2026-02-16')
    // the fields are those the protocol's endpoints read at week 4, named as the lab dictionary names them
    await vf.getByLabel('Urine protein/creatinine ratio', { exact: true }).fill('abc')
    await page.getByRole('button', { name: 'Record the visit' }).click()
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'Nothing was sent' }).textContent())
      .toContain('Urine protein/creatinine ratio: expected a number ≥ 0, got "abc"')
    await vf.getByLabel('Urine protein/creatinine ratio', { exact: true }).fill('0.4')
    await vf.getByLabel('Creatinine in serum or plasma', { exact: true }).fill('80')
    await vf.getByLabel('Creatinine in serum or plasma unit').selectOption('umol/L')
    await page.getByLabel('SLEDAI-2K total').fill('4')
    await page
      .getByRole('group', { name: /other indicator of deterioration/ })
      .getByLabel('No', { exact: true })
      .check()
    await page.getByRole('button', { name: 'Record the visit' }).click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Recorded week 4' }).textContent()).toContain('✓ Recorded week 4 on 2026-02-16')
    await expect.poll(() => timeline.locator('tr[data-visit="week_4"]').textContent()).toContain('✓ done (2026-02-16)')

    // the UPCR chart: drawn (a canvas) with the point in its table, and the CR threshold from the protocol
    const upcr = page.locator('article[data-chart="upcr"]')
    await expect.poll(() => upcr.locator('details tbody tr').count()).toBe(2)
    expect(await upcr.locator('details tbody tr').nth(1).textContent()).toMatch(/^29\s*0\.4$/)
    await expect.poll(() => upcr.locator('canvas').count()).toBeGreaterThan(0)
    expect(await upcr.locator('.thresholds').textContent()).toContain('Complete response (CR): < 0.5 g/g at 0.5')
    expect(await page.locator('article[data-chart="serum_creatinine"] details tbody tr').nth(1).textContent()).toContain('0.905')

    // the response at week 4: creatinine ≤ 1.2, UPCR < 0.5 and prednisone 10 mg/day ≤ 10: complete response
    const week4 = page.getByTestId('responses').locator('tr[data-visit="week_4"]')
    await expect.poll(() => week4.textContent()).toContain('CR')
    expect(await week4.textContent()).toContain('✓ met')

    // week 8: the same labs, but prednisone raised to 15 mg daily from that visit
    await page.getByLabel('Visit', { exact: true }).selectOption('week_8')
    await page.getByLabel('Date of the visit').fill('2026-03-16')
    await vf.getByLabel('Urine protein/creatinine ratio', { exact: true }).fill('0.4')
    await vf.getByLabel('Creatinine in serum or plasma', { exact: true }).fill('80')
    await vf.getByLabel('Creatinine in serum or plasma unit').selectOption('umol/L')
    await page.getByLabel('Drug').fill('Prednisone')
    await page.getByLabel('Dose', { exact: true }).fill('15')
    await page.getByLabel('How often').selectOption('daily')
    // the SRI-4 assessments this protocol's endpoints read: the PGA and the BILAG-2004 grades (folded until opened)
    await page.getByLabel("Physician's Global Assessment").fill('0.5')
    await page.getByText('BILAG-2004 grades').click()
    await page.getByLabel('Renal', { exact: true }).selectOption('B')
    await page.getByLabel('Mucocutaneous', { exact: true }).selectOption('D')
    await expect.poll(() => page.locator('details.bilag summary').first().textContent()).toContain('(2 of 9 graded)')
    await screenshot(page.locator('tp-subject-visit-form'), shot('visit-form-week-8'))
    await page
      .getByRole('group', { name: /other indicator of deterioration/ })
      .getByLabel('No', { exact: true })
      .check()
    await page.getByRole('button', { name: 'Record the visit' }).click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Recorded week 8' }).textContent()).toContain('✓ Recorded week 8 on 2026-03-16')
    const week8 = page.getByTestId('responses').locator('tr[data-visit="week_8"]')
    // complete response needs ≤ 10 mg/day: not met at week 8 (it was met at week 4 on 10 mg); partial response waits for the creatinine ULN
    await expect.poll(() => week8.textContent()).toContain('✗ not met')
    expect(await week8.textContent()).not.toMatch(/\bCR\b/)
    expect(await week4.textContent()).toContain('✓ met')
    const stored = JSON.parse((await page.locator('details.record pre').textContent())!) as {
      bilag_2004?: unknown[]
      measurements?: Array<{ concept: string; value: number }>
    }
    expect(stored.bilag_2004).toEqual([{ date: '2026-03-16', grades: { mucocutaneous: 'D', renal: 'B' } }])
    expect(stored.measurements?.filter(m => m.concept === 'physician_global_assessment')).toEqual([
      { concept: 'physician_global_assessment', value: 0.5, unit: '{score}', date: '2026-03-16' },
    ])

    // an adverse event
    await page.getByText('Record an adverse event').click()
    await page.getByLabel('Term').fill('Injection site reaction')
    await page.getByLabel('Onset').fill('2026-01-20')
    await page.getByLabel('Resolved on').fill('2026-01-22')
    await page.getByLabel('CTCAE grade').selectOption('1')
    await page.getByLabel('Relatedness to study treatment').selectOption('related')
    await page.getByRole('button', { name: 'Record the adverse event' }).click()
    const aes = page.getByTestId('adverse-events')
    await expect.poll(() => aes.locator('tbody tr').first().textContent()).toContain('Injection site reaction')
    const ae = (await aes.locator('tbody tr').first().textContent())!.replace(/\s+/g, ' ')
    expect(ae).toContain('Grade 1')
    expect(ae).toContain('Not serious')
    expect(ae).toContain('2026-01-20 to 2026-01-22')

    await screenshot(page, shot('subject-page'), { fullPage: true })

    // back on the list: S-101 is randomized; its next visit is the first planned one after the last recorded (week 12),
    // week 16, whose window closed long ago; baseline, never recorded as a visit, is not missed: the screening data in
    // its window serve as baseline (engine/schedule/baseline.ts)
    await page.getByRole('link', { name: '← Subjects of nct05631717' }).click()
    const row = page.locator('tr[data-subject="S-101"]')
    await expect.poll(() => row.textContent()).toContain('randomized')
    const text = (await row.textContent())!.replace(/\s+/g, ' ')
    expect(text).toContain('IL-2 group') // the arm's label (its id stays in data-arm)
    expect(text).toContain('week 16: due 2026-05-11')
    expect(text).toContain('overdue (window closed 2026-05-18, not recorded)')
    expect(await row.locator('[data-missed]').count()).toBe(0)
    await screenshot(page, shot('subjects-list'), { fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it('randomized to the per-kg MSC arm: the calendar asks for the body weight in place, then shows the doses', async () => {
    for (const width of [1280, 390]) {
      const code = `S-2${width}`
      const page = await session.browser.newPage({ viewport: { width, height: 900 } })
      const errors = watchErrors(page)
      await openSignedIn(page, session.server.url, session.server.adminToken, `#/protocols/nct05631717/subjects`)
      await expect.poll(() => page.getByRole('heading', { name: 'Subjects', level: 1 }).isVisible()).toBe(true)
      await register(page, code, eligibleRecord())
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Registered' }).textContent()).toContain(`✓ Registered ${code}`)
      await page.getByRole('link', { name: `Open ${code}` }).click()
      await expect.poll(() => page.getByRole('heading', { name: `Subject ${code}` }).isVisible()).toBe(true)
      await page.getByRole('button', { name: 'Screen now' }).click()
      await expect.poll(() => page.locator('tr[data-evaluation]').first().textContent()).toContain('✓ Eligible')
      await page.getByLabel('Arm').selectOption('msc')
      await page.getByRole('button', { name: 'Randomize' }).click()
      await expect.poll(() => page.getByTestId('status').textContent()).toBe('randomized')

      // no weight recorded: the calendar says so and takes it here; the visits are shown meanwhile, and no "Try again"
      const calendar = page.locator('tp-subject-calendar')
      await expect.poll(() => calendar.locator('.needs').textContent()).toContain('The dosing calendar needs the body weight.')
      expect(await calendar.getByTestId('timeline').locator('tbody tr').count()).toBe(6)
      expect(await calendar.getByRole('button', { name: 'Try again' }).count()).toBe(0)
      await screenshot(page, shot(`subject-msc-needs-weight-${width}px`), { fullPage: true })
      await calendar.getByLabel('Body weight', { exact: true }).fill('132')
      await calendar.getByLabel('Unit').selectOption('[lb_av]')
      await calendar.getByLabel('Weighed on (YYYY-MM-DD)').fill('2026-01-19')
      await calendar.getByRole('button', { name: 'Save the weight' }).click()
      // 2 × 10⁶ cells/kg × 132 lb (59.874 kg)
      await expect.poll(() => calendar.getByTestId('dosing').locator('tbody tr').count()).toBe(1)
      expect(await calendar.getByTestId('dosing').locator('tbody tr').first().textContent()).toContain('119,748')
      // the visit form names the weight just recorded
      await expect.poll(() => page.locator('tp-subject-visit-form').getByText('Last recorded: 132 lb on 2026-01-19', { exact: false }).isVisible()).toBe(true)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
      await screenshot(page, shot(`subject-msc-with-weight-${width}px`), { fullPage: true })
      expect(errors).toEqual([])
      await page.close()
    }
  }, 180_000)

  it('works at 360 px wide', async () => {
    const page = await session.browser.newPage({ viewport: { width: 360, height: 800 } })
    const errors = watchErrors(page)
    await openSignedIn(page, session.server.url, session.server.adminToken, `#/protocols/nct05631717/subjects`)
    await expect.poll(() => page.locator('tr[data-subject="S-101"]').textContent()).toContain('randomized')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await screenshot(page, shot('subjects-list-360px'), { fullPage: true })

    await page.goto(subjectUrl)
    await expect.poll(() => page.getByTestId('dosing').locator('tbody tr').count(), { timeout: 20_000 }).toBeGreaterThan(5)
    await expect.poll(() => page.locator('article[data-chart="upcr"] canvas').count()).toBeGreaterThan(0)
    // nothing wider than the screen
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(overflow).toBeLessThanOrEqual(360)
    await screenshot(page, shot('subject-page-360px'), { fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)
})
