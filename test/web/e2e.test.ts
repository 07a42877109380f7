/**
 * End to end in real headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core) against the real server: sign in, open NCT05631717 in
 * the editor, introduce an error and see it located, fix it, save version 2,
 * and meet a stale-save conflict; fill the generated patient form to an
 * eligible patient, then ineligible, then undetermined, export and print the
 * verdict. Screenshots go to test-results/web/.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { Page } from 'playwright-core'
import { e2eSession, openSignedIn, shot, signIn as signInAs, watchErrors, screenshot } from './browser.ts'

const signIn = (page: Page, token: string) => signInAs(page, session.server.url, token)

// its own server: it saves versions 2 to 4 of the shipped NCT05631717, which the other files read as version 1
const session = e2eSession({ ownServer: true })

/** Double-click a word in the editor's line that contains `lineText`, as a user selects it. */
async function selectWord(page: Page, lineText: string, word: string): Promise<void> {
  const line = page.locator('.cm-line', { hasText: lineText }).first()
  await line.scrollIntoViewIfNeeded()
  const box = await line.evaluate((el, w) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent!.indexOf(w)
      if (i >= 0) {
        const r = document.createRange()
        r.setStart(n, i)
        r.setEnd(n, i + w.length)
        const b = r.getBoundingClientRect()
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 }
      }
    }
    return undefined
  }, word)
  if (!box) throw new Error(`"${word}" not found in the line with "${lineText}"`)
  await page.mouse.dblclick(box.x, box.y)
}

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${session.server.url}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${session.server.adminToken}`, ...(init.headers as Record<string, string>) },
  })
}

describe('web UI in Chromium', () => {
  it('signs in, locates a YAML error as you type, and saves the fix as version 2', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)

    await page.goto(session.server.url)
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true)
    await page.getByLabel('Access token').fill('lnt_not-a-real-token')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not known')
    await screenshot(page, shot('01-sign-in-error'))

    await page.getByLabel('Access token').fill(session.server.adminToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByTestId('role').textContent()).toBe('admin')
    const row = page.locator('tr[data-protocol="nct05631717"]')
    await expect.poll(() => row.textContent()).toContain('NCT05631717')
    expect(await row.locator('td[data-label="Criteria"]').textContent()).toBe('17') // criteria: 7 inclusion + 10 exclusion
    await screenshot(page, shot('02-library'), { fullPage: true })

    await page.getByRole('link', { name: 'Edit NCT05631717' }).click()
    await page.locator('.cm-content').waitFor()
    expect(await page.locator('.cm-content').getAttribute('aria-label')).toBe('YAML of protocol nct05631717')
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toMatch(/^0 errors/)
    await screenshot(page, shot('03-editor'))

    // line 14 is `  target_enrollment: 40`; the number starts at column 22
    await selectWord(page, 'target_enrollment: 40', '40')
    await page.keyboard.type('forty')
    const problem = page.locator('button.problem', { hasText: 'E_SCHEMA_TYPE' })
    await expect.poll(() => problem.first().textContent(), { timeout: 10_000 }).toContain('14:22')
    expect(await problem.first().textContent()).toContain('Error')
    expect(await page.locator('.cm-lintRange-error').count()).toBeGreaterThan(0) // the squiggle
    expect(await page.getByRole('button', { name: /^Save as version 2/ }).isDisabled()).toBe(true)
    await screenshot(page, shot('04-editor-error'))

    // the problems list jumps to the line
    await page.locator('.cm-line', { hasText: 'registry_id' }).first().click()
    await problem.first().click()
    await expect.poll(() => page.locator('.cm-activeLine').textContent()).toContain('target_enrollment: forty')

    await selectWord(page, 'target_enrollment: forty', 'forty')
    await page.keyboard.type('40')
    await expect.poll(() => page.getByTestId('problem-count').textContent(), { timeout: 10_000 }).toMatch(/^0 errors/)
    await page.getByLabel('Change note').fill('round trip from the web UI')
    await page.getByRole('button', { name: 'Save as version 2' }).click()
    await expect.poll(() => page.getByTestId('saved').textContent()).toContain('Saved as version 2')
    expect(await page.getByTestId('base-version').textContent()).toBe('2')
    await screenshot(page, shot('05-saved'))

    const list = (await (await api('/protocols')).json()) as Array<{ id: string; version: number }>
    expect(list.find(p => p.id === 'nct05631717')?.version).toBe(2)
    const v2 = (await (await api('/protocols/nct05631717?version=2')).json()) as { change_note: string; yaml: string }
    expect(v2.change_note).toBe('round trip from the web UI')
    expect(v2.yaml).toContain('target_enrollment: 40')
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it('a stale save shows the newer version and keeps the text typed', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await signIn(page, session.server.adminToken)
    await page.goto(`${session.server.url}/#/protocols/nct05631717/edit`)
    await page.locator('.cm-content').waitFor()
    await expect.poll(() => page.getByTestId('base-version').textContent()).toBe('2')

    // someone else saves version 3 meanwhile
    const latest = await api('/protocols/nct05631717')
    const { yaml } = (await latest.clone().json()) as { yaml: string }
    const put = await api('/protocols/nct05631717', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'If-Match': latest.headers.get('ETag')! },
      body: JSON.stringify({ yaml: yaml.replace('target_enrollment: 40', 'target_enrollment: 42'), change_note: 'someone else' }),
    })
    expect(put.status).toBe(200)

    await selectWord(page, 'target_enrollment: 40', '40')
    await page.keyboard.type('44')
    await expect.poll(() => page.getByTestId('problem-count').textContent(), { timeout: 10_000 }).toMatch(/^0 errors/)
    await page.getByLabel('Change note').fill('my edit')
    await page.getByRole('button', { name: 'Save as version 3' }).click()
    const conflict = page.getByTestId('conflict')
    await expect.poll(() => conflict.textContent()).toContain('someone saved version 3 after you opened version 2')
    expect(await page.locator('.cm-content').textContent()).toContain('target_enrollment: 44') // nothing lost
    await screenshot(page, shot('06-conflict'))

    await page.getByRole('button', { name: 'Keep my text, save over version 3' }).click()
    await page.getByRole('button', { name: 'Save as version 4' }).click()
    await expect.poll(() => page.getByTestId('saved').textContent()).toContain('Saved as version 4')
    const v4 = (await (await api('/protocols/nct05631717?version=4')).json()) as { yaml: string }
    expect(v4.yaml).toContain('target_enrollment: 44')
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it('loads a patient record from JSON into the form and shows the verdict', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await signIn(page, session.server.adminToken)
    await page.getByRole('link', { name: 'Evaluate a patient for NCT05631717' }).click()
    const overall = page.getByTestId('overall')
    await expect.poll(() => overall.textContent()).toContain('Undetermined') // the empty form, evaluated to list what is needed
    await page.getByText('Load from JSON').click()
    await page.getByRole('button', { name: 'Load into the form' }).click() // the README's starter record
    await expect.poll(() => page.getByLabel('Date of birth').inputValue()).toBe('1990-05-01')
    expect(await page.getByLabel('Informed consent date').inputValue()).toBe('2026-01-05')
    await expect.poll(() => overall.textContent()).toContain('Undetermined') // the starter record leaves most data out
    expect(await page.getByRole('heading', { name: /^Still needed/ }).isVisible()).toBe(true)
    await page.locator('li[data-criterion] summary').first().click()
    await screenshot(page, shot('09-verdict'))
    await page.locator('li[data-criterion="IN02"]').scrollIntoViewIfNeeded()
    await screenshot(page, shot('09b-verdict-criteria'))

    await page.getByLabel('Patient record (JSON)').fill('{"birth_date": 12}')
    await page.getByRole('button', { name: 'Load into the form' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The patient record has errors')
    expect(await page.getByLabel('Date of birth').inputValue()).toBe('1990-05-01') // a rejected record leaves the form as it was
    await screenshot(page, shot('10-evaluate-error'))
    expect(errors).toEqual([])
    await page.close()
  }, 60_000)

  it('fills the generated form to an eligible patient, then ineligible (IN04), then undetermined (no birth date)', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await openSignedIn(page, session.server.url, session.server.adminToken, '#/protocols/nct05631717/evaluate')
    const overall = page.getByTestId('overall')
    await expect.poll(() => overall.textContent()).toContain('Undetermined')
    await screenshot(page, shot('11-form-empty'))

    // the eligible-baseline example of protocols/nct05631717.examples.yaml, typed in
    const group = (name: string) => page.getByRole('group', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`) })
    const answer = (name: string, choice: 'Yes' | 'No' | 'Female') => group(name).getByLabel(choice, { exact: true }).check()
    await page.getByLabel('Date of birth').fill('1990-05-01')
    await page.getByLabel('Informed consent date').fill('2026-01-05')
    await page.getByLabel('Screening date').fill('2026-01-05')
    await page.getByLabel('Random allocation date').fill('2026-01-19')
    await answer('Sex', 'Female')
    await answer('Informed consent signed', 'Yes')
    await answer('Fertile', 'Yes')
    await answer('Pregnant', 'No')
    await answer('Lactating', 'No')
    await answer('Agrees to use effective contraception', 'Yes')
    for (const specimen of ['Urine', 'Serum']) {
      await page.getByLabel(`${specimen} pregnancy test result`).selectOption('negative')
      await page.getByLabel(`${specimen} pregnancy test date`).fill('2026-01-05')
    }
    await page.getByLabel('SLEDAI-2K date').fill('2026-01-05')
    await page.getByLabel('SLEDAI-2K total score').fill('10')
    await page.getByLabel('Urine protein/creatinine ratio', { exact: true }).fill('1.8')
    expect(await page.getByLabel('Unit of urine protein/creatinine ratio').inputValue()).toBe('g/g')
    await page.getByLabel('Date of urine protein/creatinine ratio').fill('2026-01-04')
    for (const item of ['Malar rash', 'Arthritis', 'Renal disorder', 'Immunologic disorder', 'Antinuclear antibody']) await answer(item, 'Yes')
    await page.locator('section', { hasText: 'ACR 1997' }).getByRole('button', { name: 'Mark the rest absent' }).click()
    await expect.poll(() => page.getByTestId('acr-count').textContent()).toContain('5 of 11 present')

    const add = (what: string) => page.getByRole('button', { name: `Add ${what}`, exact: true }).click()
    const meds: Array<{ drug: string; start: string; doses: Array<[string, string]> }> = [
      {
        drug: 'mycophenolate mofetil',
        start: '2025-03-01',
        doses: [
          ['2025-03-01', '1000'],
          ['2025-06-01', '1500'],
        ],
      },
      { drug: 'prednisone', start: '2025-03-01', doses: [['2025-03-01', '10']] },
      { drug: 'hydroxychloroquine', start: '2024-06-01', doses: [] },
    ]
    for (const [i, m] of meds.entries()) {
      await add('medication')
      const item = group(`Medication ${i + 1}`)
      await item.getByLabel('Drug').fill(m.drug)
      await item.getByLabel('Start').fill(m.start)
      await item.getByLabel('Ongoing').check()
      for (const [k, [date, amount]] of m.doses.entries()) {
        await item.getByRole('button', { name: 'Add dose change' }).click()
        await item.getByLabel(`Dose ${k + 1} from`).fill(date)
        await item.locator(`[data-dose="${k}"]`).getByLabel('Amount').fill(amount)
      }
    }
    await add('condition')
    await group('Condition 1').getByLabel('Condition', { exact: true }).fill('systemic_lupus_erythematosus')
    await group('Condition 1').getByLabel('Onset').fill('2022-04-01')
    await group('Condition 1').getByLabel('Ongoing').check()
    await add('procedure')
    await group('Procedure 1').getByLabel('Procedure', { exact: true }).fill('kidney_biopsy')
    await group('Procedure 1').getByLabel('Date').fill('2025-02-20')
    await group('Procedure 1').getByLabel('Major surgery').selectOption('no')
    await add('vaccination')
    await group('Vaccination 1').getByLabel('Vaccine').fill('influenza_inactivated')
    await group('Vaccination 1').getByLabel('Date').fill('2025-10-20')
    for (const organ of ['cardiovascular', 'nervous system', 'lung', 'liver', 'endocrine', 'gastrointestinal'])
      await answer(`Does the patient have severe and uncontrolled ${organ} disease`, 'No')
    await answer('Would the major surgery', 'No')
    await answer('Does the patient agree to comply', 'Yes')

    await expect.poll(() => overall.textContent(), { timeout: 10_000 }).toContain('Eligible')
    await screenshot(page, shot('12-form-eligible'))
    await page.locator('[data-section="medications"]').scrollIntoViewIfNeeded()
    await screenshot(page, shot('12b-form-lists'))

    // export the verdict as a JSON file
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export verdict' }).click()])
    expect(download.suggestedFilename()).toMatch(/^verdict-nct05631717-patient-\d{4}-\d{2}-\d{2}\.json$/)
    // the browser is the shared one (test/web/global-setup.ts): a download is saved here, its path is the browser's
    const downloads = mkdtempSync(join(tmpdir(), 'ln-e2e-download-'))
    onTestFinished(() => rmSync(downloads, { recursive: true, force: true }))
    const saved = join(downloads, download.suggestedFilename())
    await download.saveAs(saved)
    const exported = JSON.parse(await readFile(saved, 'utf8')) as { verdict: { overall: string }; patient: { birth_date: string; medications: unknown[] } }
    expect(exported.verdict.overall).toBe('eligible')
    expect(exported.patient.birth_date).toBe('1990-05-01')
    expect(exported.patient.medications).toHaveLength(3)

    // UPCR 1.0 g/g is not > 1.0, and a 24-h protein of 0.9 g is not either: IN04 not met
    await page.getByLabel('Urine protein/creatinine ratio', { exact: true }).fill('1.0')
    await page.getByLabel('Protein in 24-hour urine', { exact: true }).fill('0.9')
    await page.getByLabel('Date of protein in 24-hour urine').fill('2026-01-04')
    await expect.poll(() => overall.textContent(), { timeout: 10_000 }).toContain('Ineligible')
    const in04 = page.locator('li[data-criterion="IN04"]')
    expect(await in04.getByTestId('truth').textContent()).toContain('Not met')
    expect(await overall.textContent()).toContain('Ruled out by IN04')
    await in04.scrollIntoViewIfNeeded()
    await screenshot(page, shot('13-form-ineligible'))

    // back above the threshold, then no birth date: undecided, and the date of birth is still needed
    await page.getByLabel('Urine protein/creatinine ratio', { exact: true }).fill('1.8')
    await page.getByLabel('Date of birth').fill('')
    await expect.poll(() => overall.textContent(), { timeout: 10_000 }).toContain('Undetermined')
    expect(await page.locator('section.needed').textContent()).toContain('Date of birth') // in the form's words
    expect(await page.locator('li[data-criterion="IN02"]').getByTestId('truth').textContent()).toContain('Unknown')
    await page.getByLabel('Date of birth').scrollIntoViewIfNeeded()
    await screenshot(page, shot('14-form-undetermined'))

    // everything so far was a preview: the screening log holds none of it until it is recorded deliberately
    const logged = async () => ((await (await api('/protocols/nct05631717/screening-log?limit=500')).json()) as { items: unknown[] }).items.length
    const before = await logged()
    expect(await page.getByRole('status').filter({ hasText: 'not recorded' }).isVisible()).toBe(true)
    await page.getByRole('button', { name: 'Record in the screening log' }).click()
    await expect.poll(() => page.getByText(/Recorded in the screening log as evaluation \d+/).isVisible()).toBe(true)
    expect(await logged()).toBe(before + 1)
    expect(await page.getByRole('button', { name: 'Record in the screening log' }).isDisabled()).toBe(true)

    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('tp-patient-form').isVisible()).toBe(false)
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false)
    expect(await overall.isVisible()).toBe(true)
    expect(await page.getByText(/Protocol NCT05631717 v\d+ · evaluation \d+ · printed/).isVisible()).toBe(true)
    await screenshot(page, shot('15-print'), { fullPage: true })
    await page.emulateMedia({ media: 'screen' })
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it('fits a 360 px wide screen', async () => {
    const page = await session.browser.newPage({ viewport: { width: 360, height: 740 } })
    const errors = watchErrors(page)
    await signIn(page, session.server.adminToken)
    await page.locator('tr[data-protocol="nct05631717"]').waitFor()
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    await screenshot(page, shot('07-library-360px'), { fullPage: true })
    expect(await overflow()).toBe(0)
    await page.getByRole('link', { name: 'Edit NCT05631717' }).click()
    await page.locator('.cm-content').waitFor()
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toMatch(/^0 errors/)
    await screenshot(page, shot('08-editor-360px'), { fullPage: true })
    expect(await overflow()).toBe(0)
    await page.goto(`${session.server.url}/#/protocols/nct05631717/evaluate`)
    await expect.poll(() => page.getByTestId('overall').textContent()).toContain('Undetermined')
    await page.getByRole('button', { name: 'Add medication' }).click()
    await page.getByRole('button', { name: 'Add dose change' }).click()
    await screenshot(page, shot('16-evaluate-360px'), { fullPage: true })
    expect(await overflow()).toBe(0)
    expect(errors).toEqual([])
    await page.close()
  }, 60_000)
})
