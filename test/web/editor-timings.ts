/**
 * How long the editor keeps a designer waiting, measured in the page (not
 * asserted: `npm run bench` territory; the browser test prints them beside
 * their targets): from opening the editor to the first example results, and
 * from the last key pressed to the located errors and to the example
 * results. An init script stamps every keydown and, on each animation frame,
 * every change of the examples summary and the problem count (found through
 * the components' shadow roots) with performance.now().
 */
import type { Page } from 'playwright-core'

export interface Change {
  at: number
  text: string | null
}

interface Timings {
  keys: number[]
  opened?: number
  changes: Record<'summary' | 'problems', Change[]>
}

declare global {
  interface Window {
    __editorTimings: Timings
  }
}

/**
 * The watcher, as the page runs it: a script's text rather than a function, as Playwright sends a function's source
 * and a transpiler (tsx, for `npm run bench`) may wrap the inner functions in helpers the page does not have.
 */
const WATCHER = `(() => {
  const timings = { keys: [], changes: { summary: [], problems: [] } }
  window.__editorTimings = timings
  document.addEventListener('keydown', () => timings.keys.push(performance.now()), true)
  const deep = (root, selector) => {
    const hit = root.querySelector(selector)
    if (hit) return hit
    for (const el of root.querySelectorAll('*')) {
      const found = el.shadowRoot ? deep(el.shadowRoot, selector) : null
      if (found) return found
    }
    return null
  }
  const watched = { summary: '[data-testid="examples-summary"]', problems: '[data-testid="problem-count"]' }
  const last = {}
  const frame = () => {
    for (const [name, selector] of Object.entries(watched)) {
      const text = deep(document, selector)?.textContent ?? null
      if (text !== last[name]) {
        last[name] = text
        timings.changes[name].push({ at: performance.now(), text })
      }
    }
    requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
})()`

/** Install the watcher in every document the page loads from now on. */
export async function watchEditorTimings(page: Page): Promise<void> {
  await page.addInitScript({ content: WATCHER })
}

/** Go to `hash` in the page, stamped as the moment the editor was asked for. */
export async function openAt(page: Page, hash: string): Promise<void> {
  await page.evaluate(h => {
    window.__editorTimings.opened = performance.now()
    location.hash = h
  }, hash)
}

/** Ms from opening to the first time `what` showed text matching `want`. */
export async function sinceOpened(page: Page, what: keyof Timings['changes'], want: RegExp): Promise<number | undefined> {
  const t = await page.evaluate(() => window.__editorTimings)
  const hit = t.changes[what].find(c => c.at >= (t.opened ?? 0) && want.test(c.text ?? ''))
  return hit && t.opened !== undefined ? hit.at - t.opened : undefined
}

/** Ms from the last key pressed before `what` last showed text matching `want`, to that moment. */
export async function sinceLastKey(page: Page, what: keyof Timings['changes'], want: RegExp): Promise<number | undefined> {
  const t = await page.evaluate(() => window.__editorTimings)
  const hit = t.changes[what].findLast(c => want.test(c.text ?? ''))
  const key = hit && t.keys.findLast(k => k <= hit.at)
  return hit && key !== undefined ? hit.at - key : undefined
}

export const ms = (x: number | undefined) => (x === undefined ? 'not seen' : `${Math.round(x)} ms`)
