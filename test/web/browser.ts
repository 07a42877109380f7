/**
 * Debian's Chromium driven by playwright-core. Never downloads a browser:
 * when /usr/bin/chromium is missing the tests fail and say how to install it.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import { ROOT, buildWebUi, startServer, type RunningServer } from './server.ts'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SCREENSHOTS = join(ROOT, 'test-results', 'web')

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the browser tests need Debian's chromium package. ` +
        `Install it with: apt-get update && apt-get install -y chromium (.ci/run does this in CI).`,
    )
  }
  mkdirSync(SCREENSHOTS, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    // as root in a closed network: no sandbox, and no background calls home that the network refuses
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
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
 * The real server (free port, temporary data dir) and Chromium for one e2e
 * file: started before its tests (then `ready`, e.g. to seed data through the
 * API), stopped after them.
 */
export function e2eSession(ready?: (s: { server: RunningServer; browser: Browser }) => Promise<void>): { readonly server: RunningServer; readonly browser: Browser } {
  const session = {} as { server: RunningServer; browser: Browser }
  beforeAll(async () => {
    buildWebUi()
    session.server = await startServer()
    session.browser = await launchChromium()
    await ready?.(session)
  }, 240_000)
  afterAll(async () => {
    await session.browser?.close()
    await session.server?.stop()
  })
  return session
}
