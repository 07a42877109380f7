/**
 * Debian's Chromium driven by playwright-core (test/web/chromium.ts finds it;
 * never a downloaded browser). The browser layer's global setup
 * (global-setup.ts) starts one Chromium and one server; each e2e file
 * connects to them (or asks the setup for a server of its own: `e2eSession`).
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, inject } from 'vitest'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'
import { TOKEN_KEY } from '../../web/api.ts'
import { ROOT } from './root.ts'
import type { RunningServer } from './server.ts'

export const SCREENSHOTS = join(ROOT, 'test-results', 'web')

/** A server of this file's own, started by the global setup's server factory (test/web/server-factory.ts). */
async function ownServer(): Promise<{ id: string; url: string; adminToken: string }> {
  const res = await fetch(`${inject('serverFactory')}/servers`, { method: 'POST' })
  const body = (await res.json()) as { id: string; url: string; adminToken: string; error?: string }
  if (res.status !== 201) throw new Error(`no server of this file's own: ${body.error}`)
  return body
}

/** The Chromium the global setup started, connected: its pages and contexts belong to this file. */
async function connectChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  return chromium.connect(inject('chromiumEndpoint'))
}

export const shot = (name: string) => join(SCREENSHOTS, `${name}.png`)

/**
 * Screenshots for a person to look at (test-results/web), taken when E2E_SCREENSHOTS=1
 * (`E2E_SCREENSHOTS=1 npm run test:browser`). They assert nothing and cost about a fifth of the layer's time, so
 * `npm test` skips them; an element's shot still waits for the element to be visible, as the shot would.
 */
export const TAKE_SCREENSHOTS = process.env.E2E_SCREENSHOTS === '1'

export async function screenshot(target: Page | Locator, path: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (TAKE_SCREENSHOTS) {
    await ('goto' in target ? target.screenshot({ path, ...options }) : target.screenshot({ path }))
  } else if (!('goto' in target)) {
    await target.waitFor({ state: 'visible' })
  }
}

/** Errors thrown in the page (or logged as console errors) collected, so the test that caused them can assert none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', e => errors.push(String(e)))
  page.on('console', m => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text())
  })
  return errors
}

/**
 * Open the app at `url` + `hash` signed in with `token`, waiting until the role badge shows `role`: the token is put
 * where the sign-in form keeps it (the tab's sessionStorage) before the app loads, which saves loading the sign-in
 * page first. Once per page, so a later "Sign out" stays signed out. `signIn` goes through the form.
 */
export async function openSignedIn(page: Page, url: string, token: string, hash: string, role = 'admin'): Promise<void> {
  await page.addInitScript(
    ([key, value]) => {
      if (sessionStorage.getItem('e2e-token-seeded')) return
      sessionStorage.setItem('e2e-token-seeded', '1')
      sessionStorage.setItem(key, value)
    },
    [TOKEN_KEY, token] as const,
  )
  await page.goto(`${url}/${hash}`)
  await expect.poll(() => page.getByTestId('role').textContent()).toBe(role)
}

/** Open the app at `url` and sign in with `token` through the sign-in form, waiting until the role badge shows `role`. */
export async function signIn(page: Page, url: string, token: string, role = 'admin'): Promise<void> {
  await page.goto(url)
  await page.getByLabel('Access token').fill(token)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect.poll(() => page.getByTestId('role').textContent()).toBe(role)
}

/** What a file's session holds: the server (shared, or this file's own) and the shared Chromium, connected. */
export interface E2eSession {
  readonly server: Pick<RunningServer, 'url' | 'adminToken'>
  readonly browser: Browser
}

export interface E2eOptions {
  /**
   * A server of this file's own (free port, temporary data dir), started
   * before its tests and stopped after them: for a file that changes what the
   * others read (a shipped protocol's versions, which protocols are active)
   * or counts what the others add (a protocol's subjects, its evaluations).
   * Otherwise the server the global setup started, shared by every file.
   */
  ownServer?: boolean
  /** Run once the session is ready, e.g. to seed data through the API. */
  ready?: (s: E2eSession) => Promise<void>
}

/**
 * The server and the shared Chromium for one e2e file: ready before its tests
 * (then `ready`); the browser disconnected (its pages closed) after them, and
 * the server stopped when it is the file's own. web/dist is built by the
 * global setup.
 */
export function e2eSession(options: E2eOptions = {}): E2eSession {
  const session = {} as { server: Pick<RunningServer, 'url' | 'adminToken'>; browser: Browser }
  let own: string | undefined
  beforeAll(async () => {
    const server = options.ownServer
      ? ownServer().then(s => {
          own = s.id
          return s
        })
      : Promise.resolve(inject('sharedServer'))
    ;[session.server, session.browser] = await Promise.all([server, connectChromium()])
    await options.ready?.(session)
  }, 240_000)
  afterAll(async () => {
    await session.browser?.close()
    if (own) await fetch(`${inject('serverFactory')}/servers/${own}`, { method: 'DELETE' })
  })
  return session
}
