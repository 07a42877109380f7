/**
 * The protocol editor in real headless Chromium against the real server:
 * JSON-Schema completion (Ctrl-Space after a partial key in a criterion,
 * pick a suggestion), the example patients re-run live (all pass, then a
 * tightened threshold makes a named example fail with its badge, and the
 * failure opens to expected vs actual), the examples YAML tab edited and
 * saved, and the whole at 360 px. Screenshots: test-results/web/editor-*.png.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { parseDocument } from 'yaml'
import { ROOT } from './root.ts'
import { e2eSession, shot, openSignedIn, signIn, watchErrors, screenshot } from './browser.ts'
import { lineWith } from './codemirror-lines.ts'
import { ms, openAt, sinceLastKey, sinceOpened, watchEditorTimings } from './editor-timings.ts'

const P = 'nct05631717'
const TOTAL = (parseDocument(readFileSync(join(ROOT, 'protocols', `${P}.examples.yaml`), 'utf8')).toJS() as { examples: unknown[] }).examples.length

const session = e2eSession()

async function api(path: string): Promise<Response> {
  return fetch(`${session.server.url}${path}`, { headers: { Authorization: `Bearer ${session.server.adminToken}` } })
}

const openEditor = async (page: Page) => {
  await openSignedIn(page, session.server.url, session.server.adminToken, `#/protocols/${P}/edit`)
  await page.locator('#editor-host .cm-content').waitFor()
}

describe('protocol editor: completion and example patients (Chromium)', () => {
  it('completes a key from the schema with Ctrl-Space, runs the examples live, and shows a tightened threshold failing a named example', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await watchEditorTimings(page)
    await signIn(page, session.server.url, session.server.adminToken)
    await openAt(page, `#/protocols/${P}/edit`)
    await page.locator('#editor-host .cm-content').waitFor()
    const editor = page.locator('#editor-host')
    const summary = page.getByTestId('examples-summary')
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toBe(`${TOTAL}/${TOTAL} pass`)
    const allPass = new RegExp(`^${TOTAL}/${TOTAL} pass$`)
    const opened = await sinceOpened(page, 'summary', allPass)
    expect(await page.locator('ol[aria-label="Example patients"] [data-testid="example-badge"]', { hasText: '✓ pass' }).count()).toBe(TOTAL)
    await screenshot(page, shot('editor-examples'))

    // IN07 has no notes: a new line under its title, "no", then Ctrl-Space
    const title = await lineWith(page, editor, 'title: Signed informed consent and willing to comply')
    await title.click()
    await page.keyboard.press('End')
    await page.keyboard.press('Enter')
    await page.keyboard.type('no')
    await page.keyboard.press('Escape') // the list typing opened: close it, and ask for it
    await expect.poll(() => page.locator('.cm-tooltip-autocomplete').count()).toBe(0)
    await page.keyboard.press('Control+Space')
    const options = page.locator('.cm-tooltip-autocomplete li')
    await expect.poll(() => options.allTextContents(), { timeout: 15_000 }).toContainEqual(expect.stringContaining('notes'))
    // keys IN07 already has are not offered again
    expect((await options.allTextContents()).join(' ')).not.toMatch(/\btitle\b|\bkind\b/)
    await expect.poll(() => page.locator('.cm-completionInfo').textContent()).toContain('Interpretation notes')
    await screenshot(page, shot('editor-completion'))
    // picked with the mouse, as below: CodeMirror ignores an Enter that comes within 75 ms of the list opening or
    // changing (its interactionDelay), and under load the Enter inserted a line break instead
    await options
      .filter({ hasText: /^notes/ })
      .first()
      .click()
    await page.keyboard.type('Completed from the schema in the browser test.')
    await lineWith(page, editor, 'Completed from the schema')
    const drawn = await editor.locator('.cm-line').allTextContents()
    const at = drawn.findIndex(l => l.includes('Completed from the schema'))
    expect(drawn.slice(at - 2, at + 1)).toEqual([
      '    title: Signed informed consent and willing to comply',
      '    notes:',
      '      - Completed from the schema in the browser test.',
    ])
    await expect.poll(() => page.getByTestId('problem-count').textContent(), { timeout: 10_000 }).toMatch(/^0 errors/)
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toBe(`${TOTAL}/${TOTAL} pass`)

    // IN04: UPCR > 1.0 g/g tightened to > 1.02: example upcr-1.01 (1.01 g/g) no longer meets it
    const value = await lineWith(page, editor, /^ {12}value: 1\.0$/, { fromTop: true })
    await value.click()
    await page.keyboard.press('End')
    for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace')
    await page.keyboard.type('1.02')
    const failing = page.locator('li[data-example="upcr-1.01"]')
    await expect.poll(() => failing.getByTestId('example-badge').textContent(), { timeout: 20_000 }).toBe('✗ fail')
    const failed = await page.locator('ol[aria-label="Example patients"] [data-testid="example-badge"]', { hasText: '✗ fail' }).count()
    expect(failed).toBeGreaterThan(0)
    expect(await summary.textContent()).toBe(`${TOTAL - failed}/${TOTAL} pass`)
    const results = await sinceLastKey(page, 'summary', new RegExp(`^${TOTAL - failed}/${TOTAL} pass$`))
    expect(await page.locator('li[data-example="eligible-baseline"] [data-testid="example-badge"]').textContent()).toBe('✓ pass')
    await failing.getByRole('button', { name: /^Why: overall, IN04 differ/ }).click()
    const rows = failing.locator('tbody tr')
    expect(await rows.nth(0).textContent()).toMatch(/overall\s*eligible\s*✗ undetermined/)
    expect(await rows.nth(1).textContent()).toMatch(/IN04.*met\s*✗ unknown/s)
    await failing.locator('table').scrollIntoViewIfNeeded()
    await screenshot(page, shot('editor-examples-fail'))

    // back to 1.0: all pass again
    await editor.locator('.cm-line', { hasText: /^ {12}value: 1\.02$/ }).click()
    await page.keyboard.press('End')
    for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace')
    await page.keyboard.type('1.0')
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toBe(`${TOTAL}/${TOTAL} pass`)

    // a key that makes the value text: the error is located; taken back, all pass again
    await page.keyboard.type('x')
    await expect.poll(() => page.getByTestId('problem-count').textContent(), { timeout: 10_000 }).toMatch(/^1 error/)
    const located = await sinceLastKey(page, 'problems', /^1 error/)
    await page.keyboard.press('Backspace')
    await expect.poll(() => page.getByTestId('problem-count').textContent(), { timeout: 10_000 }).toMatch(/^0 errors/)
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toBe(`${TOTAL}/${TOTAL} pass`)
    // printed, not asserted (timed assertions flake on a loaded machine): the targets of the edit loop
    console.log(
      `editor, measured in the page: open -> first example results ${ms(opened)} (target <= 1000 ms); keystroke -> located errors ${ms(located)} (target <= 150 ms); keystroke -> example results ${ms(results)} (target <= 300 ms)`,
    )
    for (const measured of [opened, located, results]) expect(measured).toBeGreaterThan(0)
    expect(errors).toEqual([])
    await page.close()
  }, 180_000)

  it('edits the examples YAML in its tab (located errors, completion) and saves it as version 2', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await openEditor(page)
    const summary = page.getByTestId('examples-summary')
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toBe(`${TOTAL}/${TOTAL} pass`)
    expect(await page.locator('.cm-content').count()).toBe(1) // the examples editor is made when its tab opens

    // an example's line link opens the examples tab at that example
    await page.getByRole('button', { name: /^Show upcr-1\.01 in the examples YAML/ }).click()
    const examples = page.locator('#examples-host')
    await examples.locator('.cm-content').waitFor()
    expect(await page.getByRole('tab', { name: 'Examples YAML' }).getAttribute('aria-selected')).toBe('true')
    expect(await page.locator('#editor-host').isHidden()).toBe(true)
    await expect.poll(() => examples.locator('.cm-activeLine').textContent()).toBe('  - id: upcr-1.01')

    // a wrong expectation value is located in the examples YAML
    // down to its expectation (long lines wrap: a press moves one drawn row)
    const active = examples.locator('.cm-activeLine')
    for (let i = 0; i < 8 && !(await active.textContent())?.includes('expect:'); i++) await page.keyboard.press('ArrowDown')
    expect(await active.textContent()).toBe('    expect: { overall: eligible, criteria: { IN04: met } }')
    await page.keyboard.press('End')
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft') // before " } }"
    for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace') // "met"
    await page.keyboard.type('maybe')
    const problem = page.locator('tp-examples-panel button.problem').first()
    await expect.poll(() => problem.textContent(), { timeout: 20_000 }).toContain('Error')
    expect(await page.getByTestId('examples-stale').textContent()).toContain('The examples have errors')
    expect(await page.getByRole('button', { name: 'Save examples as version 2' }).isDisabled()).toBe(true)
    await screenshot(page, shot('editor-examples-error'))

    // completion offers the truths a criterion can have
    for (let i = 0; i < 5; i++) await page.keyboard.press('Backspace')
    await page.keyboard.press('Control+Space')
    const options = page.locator('.cm-tooltip-autocomplete li')
    await expect.poll(() => options.allTextContents(), { timeout: 15_000 }).toEqual(['met', 'not_met', 'unknown'])
    // pick it with the mouse: under load an Enter can land after the list has re-opened or closed, and then inserts a line break
    await options.filter({ hasText: /^met$/ }).click()
    await expect.poll(() => examples.locator('.cm-activeLine').textContent()).toBe('    expect: { overall: eligible, criteria: { IN04: met } }')
    await page.keyboard.press('End')
    await page.keyboard.type(' # just above the threshold')
    await expect.poll(() => page.locator('tp-examples-panel button.problem').count(), { timeout: 20_000 }).toBe(0)
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toBe(`${TOTAL}/${TOTAL} pass`)

    await page.getByLabel('What changed in the examples').fill('comment on upcr-1.01')
    await page.getByRole('button', { name: 'Save examples as version 2' }).click()
    await expect.poll(() => page.getByTestId('examples-saved').textContent()).toContain('Examples saved as version 2')
    const saved = (await (await api(`/protocols/${P}/examples`)).json()) as { version: number; yaml: string; change_note: string }
    expect(saved).toMatchObject({ version: 2, change_note: 'comment on upcr-1.01' })
    expect(saved.yaml).toContain('criteria: { IN04: met } } # just above the threshold')

    // the protocol tab is as it was
    await page.getByRole('tab', { name: 'Protocol YAML' }).click()
    expect(await page.locator('#editor-host').isVisible()).toBe(true)
    expect(errors).toEqual([])
    await page.close()
  }, 180_000)

  it('fits a 360 px wide screen', async () => {
    const page = await session.browser.newPage({ viewport: { width: 360, height: 740 } })
    const errors = watchErrors(page)
    await openEditor(page)
    await expect.poll(() => page.getByTestId('examples-summary').textContent(), { timeout: 20_000 }).toMatch(/^\d+\/\d+ pass$/)
    await page.getByRole('heading', { name: 'Example patients' }).scrollIntoViewIfNeeded()
    await screenshot(page, shot('editor-examples-360px'), { fullPage: true })
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0)
    expect(errors).toEqual([])
    await page.close()
  }, 60_000)
})
