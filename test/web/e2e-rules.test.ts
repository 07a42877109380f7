/**
 * End to end in real headless Chromium against the real server: sign in,
 * open NCT05631717's Rules tab, read the protocol in plain words, filter the
 * criteria, expand one (by mouse and by keyboard), show its compiled
 * json-rules-engine rules and copy them; then the same on a 360 px phone.
 * Screenshots go to test-results/web/ (rules, rules-json, rules-360px).
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eligibilityFromFhir, eligibilityFromUsdm } from '../../engine/export/index.ts'
import { shippedProtocol } from '../helpers/protocols.ts'
import { e2eSession, shot, signIn, watchErrors, screenshot } from './browser.ts'

const session = e2eSession()

// Counted from the shipped file, so that a parameter added to the protocol does not break this test
const PARAMETERS = Object.values(shippedProtocol('NCT05631717').doc.parameters ?? {})
const OPEN_PARAMETERS = PARAMETERS.filter(p => p.open === true).length

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

/** Open the library, then NCT05631717, then its Rules tab, as a user would. */
async function openRules(page: Page): Promise<void> {
  await signIn(page, session.server.url, session.server.adminToken)
  await page
    .locator('tr[data-protocol="nct05631717"]')
    .getByRole('link', { name: /^(Edit|View) NCT05631717$/ })
    .click()
  await page.getByRole('navigation', { name: 'Protocol NCT05631717' }).getByRole('link', { name: 'Rules' }).click()
  await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/protocols/nct05631717/rules')
  await page.getByRole('heading', { name: 'Rules: NCT05631717 v1' }).waitFor()
}

const disclosure = (page: Page, id: string) => page.locator(`li[data-criterion="${id}"] button.disclosure`)

describe('rule inspector in Chromium', () => {
  it('reads the protocol in plain words, filters, expands a criterion and shows and copies its compiled JSON', async () => {
    const context = await session.browser.newContext({ viewport: { width: 1280, height: 900 } })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.server.url })
    const page = await context.newPage()
    const errors = watchErrors(page)
    await openRules(page)

    // identity, reference dates, parameters with the open ones flagged in words
    expect(await page.locator('tp-rule-context dt', { hasText: 'informed consent' }).textContent()).toContain('consent')
    const parameters = page.locator('tp-rule-context details[data-section="parameters"]')
    expect(await parameters.locator('summary').textContent()).toMatch(
      new RegExp(`Parameters: ${PARAMETERS.length}, of which ${OPEN_PARAMETERS}\\s*⚠ open\\s*\\(not settled by the registry text\\)`),
    )
    await parameters.locator('summary').click()
    expect(await parameters.locator('li[data-parameter="il2_cycles"]').textContent()).toContain('Open: the registry text does not settle this')
    await parameters.locator('summary').click()
    expect(await page.locator('li[data-criterion]').count()).toBe(17)

    // expand two criteria: one by mouse, one by keyboard
    await disclosure(page, 'IN02').click()
    expect(await disclosure(page, 'IN02').getAttribute('aria-expanded')).toBe('true')
    await disclosure(page, 'IN04').focus()
    await page.keyboard.press('Enter')
    expect(await disclosure(page, 'IN04').getAttribute('aria-expanded')).toBe('true')
    const in04 = page.locator('li[data-criterion="IN04"] tp-rule-tree li[data-path="logic.any[0]"]')
    expect(await in04.textContent()).toContain('Urine protein/creatinine ratio > 1 g/g, latest within 28 days before screening')
    expect(await page.locator('li[data-criterion="IN02"] tp-rule-tree li[data-path="logic.all[0]"]').textContent()).toContain(
      'age at informed consent > 18 years, exact age',
    )
    await screenshot(page, shot('rules'), { fullPage: true })

    // filter: one criterion left, said in words
    await page.getByLabel('Filter criteria').fill('rituximab')
    await expect.poll(() => page.locator('li[data-criterion]').count()).toBe(1)
    expect(await page.locator('.count').textContent()).toBe('1 of 17 criteria match “rituximab”')
    await disclosure(page, 'EX01a').click()
    const leaf = page.locator('li[data-criterion="EX01a"] tp-rule-tree li[data-path="logic"]')
    expect(await leaf.textContent()).toContain('rituximab or any other B cell depletion therapy taken within 24 weeks before screening')

    // the compiled rule, loaded on demand, pretty-printed, copied
    const show = page.locator('li[data-criterion="EX01a"]').getByRole('button', { name: 'Show compiled rules (JSON)' })
    await show.click()
    const pre = page.getByRole('region', { name: 'Compiled rules of EX01a (JSON)' })
    await pre.waitFor()
    const shown = JSON.parse((await pre.textContent())!) as { name: string; conditions: { all: Array<{ fact: string; params: { window: unknown } }> } }
    expect(shown.name).toBe('EX01a')
    expect(shown.conditions.all[0]).toMatchObject({ fact: 'medication', params: { window: { kind: 'range', ref: 'screening', days: 168 } } })
    const compiled = (await (
      await fetch(`${session.server.url}/protocols/nct05631717/rules?version=1`, { headers: { Authorization: `Bearer ${session.server.adminToken}` } })
    ).json()) as {
      eligibility: Array<{ name: string }>
    }
    expect(await pre.textContent()).toBe(
      JSON.stringify(
        compiled.eligibility.find(r => r.name === 'EX01a'),
        null,
        2,
      ),
    )
    // the block scrolls inside itself, not the page
    expect(await pre.evaluate(el => getComputedStyle(el).overflow)).toBe('auto')
    await page.getByRole('button', { name: 'Copy the compiled rules of EX01a' }).click()
    await expect.poll(() => page.locator('tp-rule-json [role="status"]').textContent()).toContain('Copied to the clipboard')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await pre.textContent())
    await page.locator('li[data-criterion="EX01a"]').scrollIntoViewIfNeeded()
    await screenshot(page, shot('rules-json'))

    // collapse all, then clear the filter: every criterion back, none open
    await page.getByRole('button', { name: 'Collapse all' }).click()
    await page.getByLabel('Filter criteria').fill('')
    await expect.poll(() => page.locator('li[data-criterion]').count()).toBe(17)
    expect(await page.locator('li[data-criterion] .body').count()).toBe(0)
    await page.getByRole('button', { name: 'Expand all' }).click()
    expect(await page.locator('li[data-criterion] .body').count()).toBe(17)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    expect(errors).toEqual([])
    await context.close()
  })

  it('exports the version as CDISC USDM and FHIR R5: the downloaded files read back with every criterion, and what each cannot carry is listed', async () => {
    const context = await session.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    const page = await context.newPage()
    const errors = watchErrors(page)
    await openRules(page)
    const group = page.getByRole('group', { name: 'Export this version' })
    for (const [button, filename, read] of [
      ['CDISC USDM 4.0', 'nct05631717-v1.usdm.json', eligibilityFromUsdm],
      ['FHIR R5', 'nct05631717-v1.fhir-r5.json', eligibilityFromFhir],
    ] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), group.getByRole('button', { name: button }).click()])
      expect(download.suggestedFilename()).toBe(filename)
      const file = join(mkdtempSync(join(tmpdir(), 'export-')), filename)
      await download.saveAs(file)
      const criteria = read(JSON.parse(readFileSync(file, 'utf8')))
      expect(criteria.map(c => c.text)).toEqual(shippedProtocol('NCT05631717').doc.criteria.map(c => c.text))
      await expect.poll(() => page.locator('tp-protocol-export [role="status"]').textContent()).toContain(`Downloaded ${filename}`)
    }
    const notes = page.locator('tp-protocol-export details')
    expect(await notes.locator('summary').textContent()).toMatch(/^\d+ part\(s\) of the protocol HL7 FHIR R5 \(5\.0\.0\) does not carry as the protocol does$/)
    await notes.locator('summary').click()
    expect(await notes.locator('li', { hasText: 'criteria.IN01.logic' }).count()).toBe(1)
    await screenshot(page, shot('rules-export'))
    expect(errors).toEqual([])
    await context.close()
  })

  it('works at 360 px: no sideways scrolling, the JSON scrolls inside its box', async () => {
    const page = await session.browser.newPage({ viewport: { width: 360, height: 780 } })
    const errors = watchErrors(page)
    await openRules(page)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await screenshot(page, shot('rules-360px-top'))
    await disclosure(page, 'IN04').click()
    await page.locator('li[data-criterion="IN04"]').getByRole('button', { name: 'Show compiled rules (JSON)' }).click()
    const pre = page.getByRole('region', { name: 'Compiled rules of IN04 (JSON)' })
    await pre.waitFor()
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    // wider than the phone: the block scrolls sideways by itself
    expect(await pre.evaluate(el => el.scrollWidth > el.clientWidth && el.getBoundingClientRect().right <= window.innerWidth)).toBe(true)
    await page.locator('li[data-criterion="IN04"]').scrollIntoViewIfNeeded()
    await screenshot(page, shot('rules-360px'))
    expect(errors).toEqual([])
    await page.close()
  })
})
