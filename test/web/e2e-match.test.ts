/**
 * End to end in Chromium: match one patient across every stored protocol
 * from the "Match a patient" screen. Screenshots: match, match-360px.
 */
import { describe, expect, it } from 'vitest'
import { examplePatient } from '../../engine/index.ts'
import { shippedProtocol, shippedProtocols } from '../helpers/protocols.ts'
import { e2eSession, shot, signIn, watchErrors, screenshot } from './browser.ts'

const session = e2eSession()

const eligible = examplePatient(shippedProtocol('NCT05631717').examples!, 'eligible-baseline')

describe('match a patient in Chromium', () => {
  it('ranks every protocol for one record, explains each, and rejects a record that is not JSON', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await signIn(page, session.server.url, session.server.adminToken)
    await page.getByRole('link', { name: 'Match a patient' }).click()
    await page.getByRole('heading', { name: 'Match a patient across protocols' }).waitFor()
    await page.getByLabel('a JSON record or a FHIR bundle').check() // the page starts from a protocol's form

    await page.getByLabel(/Patient record \(JSON/).fill('{ "birth_date": ')
    await page.getByRole('button', { name: 'Match', exact: true }).click()
    await expect.poll(() => page.getByText('The record is not valid JSON').isVisible()).toBe(true)

    await page.getByLabel(/Patient record \(JSON/).fill(JSON.stringify(eligible, null, 2))
    await page.getByRole('button', { name: 'Match', exact: true }).click()
    const rows = page.locator('li.row')
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(shippedProtocols().length)
    expect(await rows.first().getAttribute('data-protocol')).toBe('nct05631717')
    expect(await rows.first().getByTestId('match-overall').textContent()).toContain('Eligible')
    // every other trial says why not, or what it still needs
    for (const row of (await rows.all()).slice(1)) expect(await row.textContent()).toMatch(/Ruled out by|Still needed/)
    await rows
      .nth(1)
      .getByText(/^Every criterion of/)
      .click()
    await rows.nth(1).locator('tp-verdict-panel [data-testid="overall"]').waitFor()
    await screenshot(page, shot('match'), { fullPage: true })

    await page.setViewportSize({ width: 360, height: 740 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    await screenshot(page, shot('match-360px'))
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)
})
