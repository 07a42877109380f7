/**
 * axe-core (WCAG 2.0/2.1 A and AA) on every screen, in real headless
 * Chromium against the real server, at 1280 px and at 390 px: the library,
 * the editor, the rules, the evaluate form showing a verdict, match with its
 * ranking, the subjects list, a randomized subject's page, the dashboard,
 * the comparison of two versions and the new-protocol screen. Each screen
 * must have no serious or critical violation. One server, one browser, one
 * page. Screenshots: test-results/web/a11y-<screen>-<width>.png.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { examplePatient } from '../../engine/index.ts'
import { shippedProtocol } from '../helpers/protocols.ts'
import { formatViolations, seriousViolations, type A11yViolation } from './axe.ts'
import { e2eSession, shot, signIn, watchErrors, screenshot } from './browser.ts'

const P = 'nct05631717'
const examples = shippedProtocol('NCT05631717').examples!

async function api<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ body: T; headers: Headers }> {
  const res = await fetch(`${session.server.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${session.server.adminToken}`,
      ...(body !== undefined && typeof body !== 'string' ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`)
  return { body: (res.headers.get('Content-Type') ?? '').includes('json') ? (JSON.parse(text) as T) : (text as T), headers: res.headers }
}

/** The eligible example patient without its id. */
function eligibleRecord(): Record<string, unknown> {
  const { id: _id, ...record } = examplePatient(examples, 'eligible-baseline') as unknown as Record<string, unknown>
  return record
}

let subjectId = ''

/** A subject registered, screened eligible and randomized to the MSC arm; version 2 of the protocol with a criterion's title reworded (for the comparison). */
async function seed(): Promise<void> {
  const { id } = (await api<{ id: string }>('POST', `/protocols/${P}/subjects`, { code: 'A11Y-01', record: eligibleRecord() })).body
  subjectId = id
  await api('POST', `/subjects/${id}/screening`, {})
  await api('POST', `/subjects/${id}/randomize`, { arm: 'msc', date: '2026-01-12' })
  const v1 = await api<string>('GET', `/protocols/${P}`, undefined, { Accept: 'application/yaml' })
  // the first criterion's title (criteria titles are indented by four spaces; the protocol's by two)
  const yaml = v1.body.replace(/^( {4}title: .*)$/m, '$1 (reworded)')
  if (yaml === v1.body) throw new Error('no criterion title to reword was found in the protocol')
  await api('PUT', `/protocols/${P}`, yaml, {
    'Content-Type': 'application/yaml',
    'If-Match': v1.headers.get('ETag')!,
    'X-Change-Note': 'reword a criterion title (a11y test)',
  })
}

// its own server: it saves version 2 of the shipped NCT05631717 (to compare), which the other files read as version 1
const session = e2eSession({ ownServer: true, ready: () => seed() })

/** Open a screen as the app's links do (the address's hash), without reloading the page: axe stays loaded in it. */
const go = async (page: Page, hash: string) => {
  await page.evaluate(h => {
    location.hash = h
  }, hash)
}

/** Every screen: how to open it in the state worth checking. */
const SCREENS = [
  {
    name: 'library',
    open: async (page: Page) => {
      await go(page, '#/protocols')
      await page.locator(`tr[data-protocol="${P}"]`).waitFor()
    },
  },
  {
    name: 'editor',
    open: async (page: Page) => {
      await go(page, `#/protocols/${P}/edit`)
      await page.locator('#editor-host .cm-content').waitFor()
      await expect.poll(() => page.getByTestId('examples-summary').textContent(), { timeout: 30_000 }).toMatch(/^\d+\/\d+ pass$/)
    },
  },
  {
    name: 'rules',
    open: async (page: Page) => {
      await go(page, `#/protocols/${P}/rules`)
      await page.getByRole('heading', { name: /^Rules: NCT05631717/ }).waitFor()
    },
  },
  {
    name: 'evaluate',
    open: async (page: Page) => {
      await go(page, `#/protocols/${P}/evaluate`)
      await page.getByTestId('overall').waitFor()
      await page.getByText('Load from JSON').click()
      await page.getByLabel('Patient record (JSON)').fill(JSON.stringify(examplePatient(examples, 'eligible-baseline')))
      await page.getByRole('button', { name: 'Load into the form' }).click()
      await expect.poll(() => page.getByTestId('overall').textContent(), { timeout: 20_000 }).toContain('Eligible')
    },
  },
  {
    name: 'match',
    open: async (page: Page) => {
      await go(page, '#/match')
      await page.getByRole('heading', { name: 'Match a patient across protocols' }).waitFor()
      const json = page.getByLabel(/JSON record/) // the choice between starting from a form or from JSON, where offered
      if (await json.count()) await json.check()
      await page.getByLabel(/Patient record \(JSON/).fill(JSON.stringify(examplePatient(examples, 'eligible-baseline')))
      await page.getByRole('button', { name: 'Match', exact: true }).click()
      await expect.poll(() => page.locator('li.row').count(), { timeout: 20_000 }).toBeGreaterThan(1)
    },
  },
  {
    name: 'subjects',
    open: async (page: Page) => {
      await go(page, `#/protocols/${P}/subjects`)
      await page.locator('tr[data-subject="A11Y-01"]').waitFor()
    },
  },
  {
    name: 'subject',
    open: async (page: Page) => {
      await go(page, `#/subjects/${encodeURIComponent(subjectId)}`)
      await page.getByRole('heading', { name: 'Subject A11Y-01' }).waitFor()
      // the sections are a chunk of their own: wait until they are defined (or failed to load: reported below)
      const failed = page.getByText('Failed to fetch dynamically imported module')
      await expect
        .poll(async () => (await failed.count()) > 0 || (await page.evaluate(() => customElements.get('tp-subject-calendar') !== undefined)), {
          timeout: 30_000,
        })
        .toBe(true)
      await page.waitForLoadState('networkidle')
    },
  },
  {
    name: 'dashboard',
    open: async (page: Page) => {
      await go(page, `#/protocols/${P}/dashboard`)
      await page.locator('tp-screening-funnel [data-box="screened"]').waitFor({ timeout: 15_000 })
      await page.waitForLoadState('networkidle')
    },
  },
  {
    name: 'compare',
    open: async (page: Page) => {
      await go(page, `#/protocols/${P}/compare?from=1&to=2`)
      await page.getByRole('heading', { name: /^What changed for evaluation/ }).waitFor({ timeout: 15_000 })
      // A11Y-01, screened under version 1, re-evaluated under both: the table of verdicts shows
      await page.getByTestId('impact-summary').waitFor({ timeout: 30_000 })
    },
  },
  {
    name: 'new-protocol',
    open: async (page: Page) => {
      await go(page, '#/protocols/new')
      await page.getByRole('heading', { name: 'New protocol' }).waitFor()
      await page.waitForLoadState('networkidle')
    },
  },
] as const

const WIDTHS = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
] as const

describe('accessibility (axe-core, WCAG 2.1 AA) on every screen in Chromium', () => {
  it('the check itself finds what it looks for: an image without text, a nameless button inside a shadow root, grey on white', async () => {
    const page = await session.browser.newPage()
    await page.setContent(`<!doctype html><html lang="en"><title>Control</title><main><h1>Control</h1><img src="data:,"><p style="color:#bbb;background:#fff">faint text</p><div id="host"></div></main>
      <script>document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML = '<button></button>'</script></html>`)
    const found = await seriousViolations(page)
    expect(found.map(v => v.rule).sort()).toEqual(['button-name', 'color-contrast', 'image-alt'])
    expect(found[0]!.impact).toBe('critical') // worst first
    expect(found.find(v => v.rule === 'button-name')!.targets).toEqual(['#host >> button'])
    // a second run on the same page reuses the axe it was given
    expect((await seriousViolations(page)).length).toBe(3)
    await page.close()
  })

  it('finds no serious or critical violation on any screen at 1280 and 390 px', async () => {
    const context = await session.browser.newContext({ viewport: WIDTHS[0] })
    const page = await context.newPage()
    const errors = watchErrors(page)
    await signIn(page, session.server.url, session.server.adminToken)
    const found: string[] = []
    for (const viewport of WIDTHS) {
      await page.setViewportSize(viewport)
      for (const screen of SCREENS) {
        await screen.open(page)
        // judge what the screen shows once loaded, not its "Loading …" placeholders
        await expect.poll(() => page.getByText(/^Loading\b.*…$/).count(), { timeout: 30_000 }).toBe(0)
        // a bundle rebuilt while the test runs leaves the page asking for chunks that are gone: no screen to judge
        if (await page.getByText('Failed to fetch dynamically imported module').count())
          throw new Error(`${screen.name}: the web bundle changed under the test (rebuilt meanwhile); run it again`)
        await screenshot(page, shot(`a11y-${screen.name}-${viewport.width}`), { fullPage: true })
        const violations: A11yViolation[] = await seriousViolations(page)
        if (violations.length) found.push(`${screen.name} at ${viewport.width} px:\n${formatViolations(violations)}`)
      }
    }
    expect(found.join('\n\n')).toBe('')
    expect(errors).toEqual([])
    await context.close()
  }, 240_000) // measured 77 s (load average 10) to 200 s (15) on 2 cores shared with other runs: mostly axe and full-page screenshots
})
