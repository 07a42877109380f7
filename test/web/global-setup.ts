/**
 * Global setup of the browser layer (vitest.config.ts, project `browser`):
 * once for every e2e file, check that Chromium is installed (stop at once with
 * the command to install it), build web/dist if stale, start one Chromium
 * that every file connects to (each file opens its own contexts, so nothing
 * of a page is shared) and one server (its own temporary DATA_DIR) that the
 * files share unless they ask for their own (test/web/browser.ts
 * `e2eSession({ ownServer: true })`: a file that changes or counts what the
 * others read), which the server factory starts in this process on request.
 * The servers run here, on one worker pool (test/web/server.ts).
 */
import type { TestProject } from 'vitest/node'
import { chromium } from 'playwright-core'
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from './chromium.ts'
import { serverFactory } from './server-factory.ts'
import { buildWebIfStale } from '../../web/build-if-stale.ts'
import { startServer, stopServerPool } from './server.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** playwright's websocket endpoint of the shared Chromium (chromium.connect). */
    chromiumEndpoint: string
    /** The shared server's address and its admin token (first-start output). */
    sharedServer: { url: string; adminToken: string }
    /** Where a file asks for a server of its own (test/web/server-factory.ts). */
    serverFactory: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = chromiumMissing()
  if (missing) throw new Error(missing)
  // built once here (as `npm start` does), not per file: a build in the middle of another file's run would change the
  // bundle under its pages; Vite is loaded in this process already
  await buildWebIfStale()
  const env = serversEnv(project)
  const [browser, server, factory] = await Promise.all([
    chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
    startServer(env),
    serverFactory(env),
  ])
  project.provide('chromiumEndpoint', browser.wsEndpoint())
  project.provide('sharedServer', { url: server.url, adminToken: server.adminToken })
  project.provide('serverFactory', factory.url)
  return async () => {
    await Promise.all([browser.close(), server.stop(), factory.close()])
    await stopServerPool()
  }
}

/**
 * The servers' settings: the browser project's test env (vitest.config.ts: the budget a loaded machine needs), which
 * the global setup's process does not get by itself, with two pool threads, as several files send them work.
 */
function serversEnv(project: TestProject): Record<string, string> {
  return { ...(project.config.env as Record<string, string>), CPU_THREADS: '2' }
}
