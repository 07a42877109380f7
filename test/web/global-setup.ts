/**
 * Global setup of the browser layer (vitest.config.ts, project `browser`):
 * once for every e2e file, check that Chromium is installed (stop at once with
 * the command to install it), build web/dist if stale, and start one Chromium
 * that every file connects to (each file opens its own contexts, so nothing
 * of a page is shared). Each file still starts its own server
 * (test/web/server.ts): the files seed and count the same shipped protocol's
 * subjects, so they need a data directory each.
 */
import type { TestProject } from 'vitest/node'
import { chromium } from 'playwright-core'
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from './chromium.ts'
import { buildWebUi } from './server.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** playwright's websocket endpoint of the shared Chromium (chromium.connect). */
    chromiumEndpoint: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = chromiumMissing()
  if (missing) throw new Error(missing)
  // built once here, not per file: a build in the middle of another file's run would change the bundle under its pages
  buildWebUi()
  const browser = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  project.provide('chromiumEndpoint', browser.wsEndpoint())
  return async () => {
    await browser.close()
  }
}
