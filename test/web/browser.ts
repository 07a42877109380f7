/**
 * Debian's Chromium driven by playwright-core (test/web/chromium.ts finds it;
 * never a downloaded browser). The browser layer's global setup
 * (global-setup.ts) starts one Chromium; each e2e file connects to it.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, inject } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import { ROOT, startServer, type RunningServer } from './server.ts'

export const SCREENSHOTS = join(ROOT, 'test-results', 'web')

/** The Chromium the global setup started, connected: its pages and contexts belong to this file. */
async function connectChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  return chromium.connect(inject('chromiumEndpoint'))
}

export const shot = (name: string) => join(SCREENSHOTS, `${name}.png`)

/** Errors thrown in the page (or logged as console errors) collected, so the test that caused them can assert none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text())
  })
  return errors
}

/** Open the app at `url` and sign in with `token`, waiting until the role badge shows `role`. */
export async function signIn(page: Page, url: string, token: string, role = 'admin'): Promise<void> {
  await page.goto(url)
  await page.getByLabel('Access token').fill(token)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect.poll(() => page.getByTestId('role').textContent()).toBe(role)
}

/**
 * The real server (free port, temporary data dir: this file's own) and the
 * shared Chromium for one e2e file: ready before its tests (then `ready`,
 * e.g. to seed data through the API); the server stopped and the browser
 * disconnected (its pages closed) after them. web/dist is built by the
 * global setup.
 */
export function e2eSession(ready?: (s: { server: RunningServer; browser: Browser }) => Promise<void>): { readonly server: RunningServer; readonly browser: Browser } {
  const session = {} as { server: RunningServer; browser: Browser }
  beforeAll(async () => {
    ;[session.server, session.browser] = await Promise.all([startServer(), connectChromium()])
    await ready?.(session)
  }, 240_000)
  afterAll(async () => {
    await session.browser?.close()
    await session.server?.stop()
  })
  return session
}
