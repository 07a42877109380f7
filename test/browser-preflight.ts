/**
 * First step of `npm test`: stop at once, with the command to run, when the
 * browser tests cannot find Chromium (instead of failing every e2e file after
 * the other layers have run). Installs nothing.
 */
import { chromiumMissing } from './web/chromium.ts'

const missing = chromiumMissing()
if (missing) {
  process.stderr.write(`npm test: ${missing}\n`)
  process.exitCode = 1
}
