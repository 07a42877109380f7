/**
 * Where the browser tests find Chromium: Debian's package (or CHROMIUM_PATH),
 * never a downloaded browser. Used by the preflight of `npm test`
 * (test/browser-preflight.ts) and the browser layer's global setup.
 */
import { existsSync } from 'node:fs'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The command that installs it, as .ci/run runs it. */
export const INSTALL_CHROMIUM = 'apt-get update && apt-get install -y chromium'

/** Why the browser tests cannot run here, or undefined when Chromium is installed. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined
  return (
    `Chromium is not installed at ${CHROMIUM}: the browser tests (test/web/e2e-*.test.ts) need Debian's chromium package. ` +
    `Install it with:\n\n  ${INSTALL_CHROMIUM}\n\n(.ci/run does this in CI; CHROMIUM_PATH names another binary; ` +
    '`npm run test:unit` and `npm run test:integration` need no browser.)'
  )
}

/** Chromium's flags: as root in a closed network, no sandbox and no background calls home that the network refuses. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
