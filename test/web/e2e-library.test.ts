/**
 * End to end in real headless Chromium against the real server: from the
 * library, create a protocol from a copy of NCT05631717 under another
 * registry id (first with a YAML error, located; then fixed, given a title
 * of its own, created as a draft and opened in the editor; activated from the
 * library with a reason), tighten a threshold through the API (PUT with
 * If-Match), and compare the two versions: the threshold in the structured
 * diff and in the YAML line diff. Screenshots go to test-results/web/.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { e2eSession, shot, signIn, watchErrors, screenshot } from './browser.ts'
import { examplePatient, type PatientRecord } from '../../engine/index.ts'
import { shippedProtocol } from '../helpers/protocols.ts'

/** The eligible example patient with a UPCR of `upcr` g/g and a 24-h protein of 0.9 g (that path closed). */
function patientWithUpcr(upcr: number): PatientRecord {
  const base = examplePatient(shippedProtocol('NCT05631717').examples!, 'eligible-baseline')
  return {
    ...base,
    measurements: [
      ...(base.measurements ?? []).filter(m => m.concept !== 'urine_protein_creatinine_ratio'),
      { concept: 'urine_protein_creatinine_ratio', value: upcr, unit: 'g/g', date: '2026-01-04' },
      { concept: 'urine_protein_24h', value: 0.9, unit: 'g/(24.h)', date: '2026-01-04' },
    ],
  }
}

// its own server: it activates a copy of NCT05631717, which the match screen of the other files would then rank
const session = e2eSession({ ownServer: true })

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${session.server.url}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${session.server.adminToken}`, ...(init.headers as Record<string, string>) },
  })
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

/** IN04's UPCR threshold in NCT05631717 (protocols/nct05631717.yaml). */
const UPCR_1_0 = 'concept: urine_protein_creatinine_ratio\n            op: ">"\n            value: 1.0'

describe('protocol library in Chromium: create from a copy, compare versions', () => {
  it('creates a copy under a new registry id, then compares its two versions', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await signIn(page, session.server.url, session.server.adminToken)
    await page.locator('tr[data-protocol="nct05631717"]').waitFor()
    // one version only: nothing to compare yet, so no link
    expect(await page.getByRole('link', { name: 'Compare versions of NCT05631717', exact: true }).count()).toBe(0)
    await screenshot(page, shot('library-new-button'))

    await page.getByRole('link', { name: 'New protocol' }).click()
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/protocols/new')
    await page.getByLabel('A copy of an existing protocol').selectOption('nct05631717')
    await page.getByRole('button', { name: 'Copy', exact: true }).click()
    const yamlBox = page.getByLabel('Protocol YAML')
    await expect.poll(() => yamlBox.inputValue()).toContain('registry_id: NCT05631717\n')
    expect(await page.getByTestId('copied').textContent()).toContain('change registry_id')
    expect(await page.getByTestId('id-exists').textContent()).toContain('nct05631717 already exists')
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toContain('0 errors')
    // the copy keeps its source's title: said before sending (the server refuses it too)
    expect(await page.getByTestId('title-exists').textContent()).toContain('nct05631717 already has this title')

    // a new registry id, and a YAML error on line 14 (`  target_enrollment: 40`, the number at column 22)
    const copy = await yamlBox.inputValue()
    const renamed = copy
      .replace('registry_id: NCT05631717\n', 'registry_id: NCT05631717-B\n')
      .replace(/^ {2}title: .*$/m, '  title: MSCs and low-dose IL-2 in LN, stricter proteinuria (copy B)')
    await yamlBox.fill(renamed.replace('target_enrollment: 40', 'target_enrollment: forty'))
    const problem = page.locator('button.problem', { hasText: 'E_SCHEMA_TYPE' })
    await expect.poll(() => problem.first().textContent(), { timeout: 10_000 }).toContain('14:22')
    expect(await page.getByTestId('problem-count').textContent()).toContain('1 error')
    expect(await page.getByRole('button', { name: 'Create protocol' }).isDisabled()).toBe(true)
    expect(await page.getByTestId('id-exists').count()).toBe(0) // the id is now nct05631717-b
    await problem.first().click()
    expect(await yamlBox.evaluate((ta: HTMLTextAreaElement) => ta.value.slice(ta.selectionStart, ta.selectionEnd))).toBe('forty')
    expect(await page.locator('#caret').textContent()).toBe('Cursor at line 14, column 22')
    await screenshot(page, shot('create-error'))

    await yamlBox.fill(renamed)
    await expect.poll(() => page.getByTestId('problem-count').textContent(), { timeout: 10_000 }).toContain('0 errors')
    await page.getByLabel('Change note (optional)').fill('copy of NCT05631717 for a stricter proteinuria arm')
    await page.getByRole('button', { name: 'Create protocol' }).click()
    await expect.poll(() => page.evaluate(() => location.hash), { timeout: 20_000 }).toBe('#/protocols/nct05631717-b/edit')
    await page.locator('.cm-content').waitFor()
    expect(await page.getByTestId('base-version').textContent()).toBe('1')
    const created = (await (await api('/protocols/nct05631717-b?version=1')).json()) as { yaml: string; change_note: string }
    expect(created.change_note).toBe('copy of NCT05631717 for a stricter proteinuria arm')
    expect(created.yaml).toBe(renamed)

    // creating it again is a conflict, shown as such
    await page.goto(`${session.server.url}/#/protocols/new`)
    await page.getByLabel('Protocol YAML').fill(renamed)
    await expect.poll(() => page.getByTestId('problem-count').textContent(), { timeout: 10_000 }).toContain('0 errors')
    await page.getByRole('button', { name: 'Create protocol' }).click()
    await expect.poll(() => page.getByTestId('create-conflict').textContent()).toContain('already exists')

    // created as a draft: activated from the library, with a reason
    await page.goto(`${session.server.url}/#/protocols`)
    const copyRow = page.locator('tr[data-protocol="nct05631717-b"]')
    await expect.poll(() => copyRow.getByTestId('status').textContent()).toBe('Draft')
    await copyRow.getByRole('button', { name: 'Activate NCT05631717-b' }).click()
    await page.getByLabel('Why activate NCT05631717-b? (optional)').fill('reviewed for the stricter proteinuria arm')
    await screenshot(page, shot('library-activate'))
    await page.getByTestId('status-form').getByRole('button', { name: 'Activate', exact: true }).click()
    await expect.poll(() => copyRow.getByTestId('status').textContent()).toBe('Active')
    const history = (await (await api('/protocols/nct05631717-b/status')).json()) as { changes: Array<{ to_status: string; reason: string | null }> }
    expect(history.changes.at(-1)).toMatchObject({ to_status: 'active', reason: 'reviewed for the stricter proteinuria arm' })

    // two subjects screened under version 1: UPCR 1.2 (eligible until the amendment) and 1.8 (eligible either way)
    for (const [code, upcr] of [
      ['AMD-012', 1.2],
      ['AMD-018', 1.8],
    ] as const) {
      const reg = await api('/protocols/nct05631717-b/subjects', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code, record: patientWithUpcr(upcr) }),
      })
      expect(reg.status).toBe(201)
      const { id } = (await reg.json()) as { id: string }
      expect((await api(`/subjects/${id}/screening`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(200)
    }

    // someone tightens IN04 through the API: UPCR > 1.0 -> > 1.5 g/g
    const latest = await api('/protocols/nct05631717-b')
    const put = await api('/protocols/nct05631717-b', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'If-Match': latest.headers.get('ETag')! },
      body: JSON.stringify({ yaml: renamed.replace(UPCR_1_0, UPCR_1_0.replace('value: 1.0', 'value: 1.5')), change_note: 'tighten UPCR to > 1.5 g/g' }),
    })
    expect(put.status).toBe(200)

    await page.goto(`${session.server.url}/#/protocols`)
    await page.reload() // the library was open already (activation): read the list again
    await page.locator('tr[data-protocol="nct05631717-b"]').waitFor()
    expect(await page.getByRole('link', { name: 'Compare versions of NCT05631717', exact: true }).count()).toBe(0) // still one version
    await screenshot(page, shot('library-compare-link'))
    await page.getByRole('link', { name: 'Compare versions of NCT05631717-B' }).click()
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/protocols/nct05631717-b/compare?from=1&to=2')
    const in04 = page.locator('li[data-item="IN04"]')
    await expect.poll(() => in04.textContent(), { timeout: 10_000 }).toContain('Changed')
    const threshold = (await in04.locator('li[data-kind="threshold"]').textContent())!.replace(/\s+/g, ' ').trim()
    expect(threshold).toMatch(/^Threshold changed: Urine protein\/creatinine ratio > 1 g\/g → > 1\.5 g\/g/)
    expect(await page.locator('[data-section="parameters"]').textContent()).toContain('No change.')
    const removed = page.locator('tr.removed')
    const added = page.locator('tr.added')
    expect(await removed.count()).toBe(1)
    expect(await added.count()).toBe(1)
    expect((await removed.locator('td.text').textContent())!.trim()).toBe('value: 1.0')
    expect((await added.locator('td.text').textContent())!.trim()).toBe('value: 1.5')
    const lineNo = Number(await removed.locator('td.no').first().textContent())
    expect(renamed.split('\n')[lineNo - 1]).toBe('            value: 1.0')
    expect(await page.getByLabel('From version').inputValue()).toBe('1')
    expect(await page.getByLabel('To version').inputValue()).toBe('2')
    expect(await page.locator('tr.gap').count()).toBe(2)
    // the amendment's impact on the patients already screened: exactly the one with UPCR 1.2
    const impact = page.getByTestId('impact-summary')
    await expect.poll(() => impact.textContent(), { timeout: 20_000 }).toContain('1 of 2 screened patients change verdict from version 1 to version 2')
    const changed = page.locator('tp-amendment-impact li[data-evaluation]')
    expect(await changed.count()).toBe(1)
    expect((await changed.textContent())!.replace(/\s+/g, ' ')).toMatch(/AMD-012.*✓ Eligible → ✗ Ineligible \(ruled out by IN04\).*IN04 .*passes → fails/)
    await screenshot(page, shot('compare'), { fullPage: true })

    // the folded lines open; swapping the sides reverses the change
    await page.locator('tr.gap button').first().click()
    await expect.poll(() => page.locator('tr.gap').count()).toBe(1)
    await page.getByRole('button', { name: 'Swap' }).click()
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/protocols/nct05631717-b/compare?from=2&to=1')
    await expect.poll(() => in04.locator('li[data-kind="threshold"]').textContent()).toContain('1.5 g/g → > 1 g/g')
    expect(await page.getByLabel('From version').inputValue()).toBe('2')
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it('fits a 360 px wide screen', async () => {
    const page = await session.browser.newPage({ viewport: { width: 360, height: 740 } })
    const errors = watchErrors(page)
    await signIn(page, session.server.url, session.server.adminToken)
    await page.locator('tr[data-protocol="nct05631717-b"]').waitFor()
    expect(await overflow(page)).toBe(0)
    await page.goto(`${session.server.url}/#/protocols/nct05631717-b/compare?from=1&to=2`)
    await expect.poll(() => page.locator('li[data-item="IN04"]').textContent(), { timeout: 10_000 }).toContain('Threshold changed')
    await screenshot(page, shot('compare-360px'), { fullPage: true })
    expect(await overflow(page)).toBe(0)
    await page.goto(`${session.server.url}/#/protocols/new`)
    await page.getByLabel('Protocol YAML').waitFor()
    await screenshot(page, shot('create-360px'), { fullPage: true })
    expect(await overflow(page)).toBe(0)
    expect(errors).toEqual([])
    await page.close()
  }, 60_000)
})
