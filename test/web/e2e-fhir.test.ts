/**
 * End to end in real headless Chromium against the real server: sign in,
 * open Evaluate for NCT05631717, load the complete synthetic FHIR bundle
 * from a file with "Load from FHIR", see the form filled, the verdict
 * Eligible and the resources that were not mapped; a non-Bundle is refused
 * with its located reason; a drug the dictionary lacks is listed to review
 * and keeps the verdict undetermined, through edits of the form; the panel
 * fits a 360 px phone.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { e2eSession, shot, openSignedIn, signIn, watchErrors, screenshot } from './browser.ts'

const FIXTURES = join(import.meta.dirname, '../fixtures/fhir')

const session = e2eSession()

describe('Load from FHIR in Chromium', () => {
  it('fills the form from a FHIR bundle file and shows Eligible with what was not mapped', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await signIn(page, session.server.url, session.server.adminToken)
    await page.getByRole('link', { name: 'Evaluate a patient for NCT05631717', exact: true }).click()
    const overall = page.getByTestId('overall')
    await expect.poll(() => overall.textContent()).toContain('Undetermined') // the empty form

    await page.getByText('Load from FHIR').click()
    await page.getByLabel('FHIR R4 Bundle file (.json)').setInputFiles(join(FIXTURES, 'complete.json'))
    await expect.poll(() => page.getByLabel('or paste the Bundle (JSON)').inputValue()).toContain('"resourceType": "Bundle"')
    await page.getByRole('button', { name: 'Import into the form' }).click()

    await expect.poll(() => page.getByLabel('Date of birth').inputValue()).toBe('1990-05-01')
    expect(await page.getByLabel('Screening date').inputValue()).toBe('2026-01-05')
    expect(await page.getByLabel('SLEDAI-2K total score').inputValue()).toBe('10')
    expect(await page.getByLabel('Urine protein/creatinine ratio', { exact: true }).inputValue()).toBe('1.8')
    await expect.poll(() => overall.textContent(), { timeout: 15_000 }).toContain('Eligible')
    expect(await overall.textContent()).not.toContain('Ineligible')

    const status = page.locator('tp-fhir-import [role="status"]')
    await expect.poll(() => status.textContent()).toMatch(/Imported \d+ items into the form \(patient SYN-FHIR-1\); 2 not mapped/)
    await expect.poll(() => page.locator('tp-fhir-import p.unused').textContent()).toContain('AllergyIntolerance ×1, Encounter ×1')
    expect(await page.locator('tp-fhir-import ul.unmapped li').count()).toBe(0)
    expect(await page.locator('tp-fhir-import ul.by-name li').count()).toBe(2)
    await page.locator('tp-fhir-import').scrollIntoViewIfNeeded()
    await screenshot(page, shot('fhir-import'))

    // a single resource instead of a Bundle: the server's located reason, the form left as it was
    await page.getByLabel('or paste the Bundle (JSON)').fill('{ "resourceType": "Patient", "id": "x" }')
    await page.getByRole('button', { name: 'Import into the form' }).click()
    await expect.poll(() => page.locator('tp-fhir-import').getByRole('alert').textContent()).toContain('not a FHIR R4 Bundle')
    expect(await page.locator('tp-fhir-import').getByRole('alert').textContent()).toContain('got a Patient resource')
    expect(await page.getByLabel('Date of birth').inputValue()).toBe('1990-05-01')
    await screenshot(page, shot('fhir-import-error'))
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it('lists a drug nobody recognised to review; the verdict stays undetermined, "Review: …", while the form is edited', async () => {
    const bundle = JSON.parse(readFileSync(join(FIXTURES, 'complete.json'), 'utf8'))
    bundle.entry.push({
      fullUrl: 'urn:uuid:zorbximab',
      resource: {
        resourceType: 'MedicationRequest',
        id: 'zorbximab',
        status: 'completed',
        intent: 'order',
        subject: { reference: bundle.entry[0].fullUrl },
        authoredOn: '2025-10-05',
        medicationCodeableConcept: {
          coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '9999999', display: '10 ML Zorbximab 10 MG/ML Injection' }],
        },
      },
    })
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await openSignedIn(page, session.server.url, session.server.adminToken, `#/protocols/nct05631717/evaluate`)
    await page.getByText('Load from FHIR').click()
    await page.getByLabel('or paste the Bundle (JSON)').fill(JSON.stringify(bundle))
    await page.getByRole('button', { name: 'Import into the form' }).click()

    const review = page.locator('tp-fhir-import section.to-review')
    await expect.poll(() => review.locator('li').count()).toBe(1)
    expect(await review.locator('h3').textContent()).toContain('To review (1)')
    const item = (await review.locator('li').textContent())!.replace(/\s+/g, ' ')
    expect(item).toContain('Medication “10 ML Zorbximab 10 MG/ML Injection” http://www.nlm.nih.gov/research/umls/rxnorm|9999999')
    expect(item).toContain('2025-10-05')
    expect(await page.locator('tp-fhir-import [role="status"]').textContent()).toMatch(/1 to review, 2 not mapped/)

    // the form has no input for it, yet the verdict still waits for it
    const overall = page.getByTestId('overall')
    await expect.poll(() => overall.textContent(), { timeout: 15_000 }).toContain('imported item to review')
    expect(await overall.textContent()).toContain('Undetermined')
    const ex01a = page.locator('tp-verdict-panel li[data-criterion="EX01a"]')
    expect(await ex01a.locator('ul.review li').first().textContent()).toMatch(/Review:.*Zorbximab/)
    await screenshot(page.locator('tp-verdict-panel'), shot('fhir-import-to-review-verdict'))
    await screenshot(page, shot('fhir-import-to-review'))

    await page.getByLabel('SLEDAI-2K total score').fill('12')
    await expect
      .poll(
        () =>
          page
            .locator('tp-verdict-panel')
            .getByText(/SLEDAI-2K score ≥ 6.*12/)
            .count(),
        { timeout: 15_000 },
      )
      .toBeGreaterThan(0)
    expect(await overall.textContent()).toContain('imported item to review')
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it('fits a 360 px phone', async () => {
    const page = await session.browser.newPage({ viewport: { width: 360, height: 780 } })
    const errors = watchErrors(page)
    await openSignedIn(page, session.server.url, session.server.adminToken, `#/protocols/nct05631717/evaluate`)
    await page.getByText('Load from FHIR').click()
    await page.getByLabel('FHIR R4 Bundle file (.json)').setInputFiles(join(FIXTURES, 'missing-dates.json'))
    await expect.poll(() => page.getByLabel('or paste the Bundle (JSON)').inputValue()).toContain('Bundle')
    await page.getByRole('button', { name: 'Import into the form' }).click()
    await expect.poll(() => page.locator('tp-fhir-import ul.unmapped li').count()).toBeGreaterThan(3)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.locator('tp-fhir-import ul.unmapped').scrollIntoViewIfNeeded()
    await screenshot(page, shot('fhir-import-360px'))
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)
})
