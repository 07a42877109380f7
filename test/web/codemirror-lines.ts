/**
 * Finding a line in a CodeMirror editor from Playwright, for the browser
 * tests and the editor bench (test/bench/editor.bench.ts).
 */
import type { Locator, Page } from 'playwright-core'

/**
 * Scroll an editor until a line containing `text` is drawn (CodeMirror
 * draws only the lines near the viewport and the cursor's), and return that
 * line. `fromTop`: start at the top, so that the first such line of the file
 * is found whatever was drawn before (lines added elsewhere in the protocol
 * then do not move the test).
 */
export async function lineWith(page: Page, editor: Locator, text: string | RegExp, { fromTop = false } = {}): Promise<Locator> {
  const line = editor.locator('.cm-line', { hasText: text }).first()
  const scroller = editor.locator('.cm-scroller')
  // CodeMirror measures and draws the new viewport in animation frames: wait for two after each scroll rather than a
  // fixed time, which a loaded machine outran (a line scrolled past before it was drawn, then never found)
  const drawn = () => page.evaluate(() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done))))
  if (fromTop) {
    await scroller.evaluate(el => el.scrollTo(0, 0))
    await drawn()
  }
  for (let i = 0; i < 200 && (await line.count()) === 0; i++) {
    await scroller.evaluate(el => el.scrollBy(0, el.clientHeight * 0.8))
    await drawn()
  }
  // the lint and example runs redraw lines under the test (100 ms after a key): a line replaced meanwhile is found again
  for (let attempt = 1; ; attempt++) {
    try {
      await line.scrollIntoViewIfNeeded()
      return line
    } catch (e) {
      if (attempt === 5 || !/not attached/.test(String(e))) throw e
      await drawn()
    }
  }
}
