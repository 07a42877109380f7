/**
 * `npm run bench`: how long the protocol editor keeps a designer waiting, in
 * headless Chromium against a server started here (as `npm start` starts it,
 * on this machine's cores), on an otherwise idle machine: from opening the
 * editor to the first example results (the first open after the server
 * started, then later opens), and from the last key pressed to the located
 * errors and to the example results. The same in-page stamps as the browser
 * test (test/web/editor-timings.ts), printed beside the targets.
 */
import { availableParallelism } from 'node:os'
import { chromium, type Page } from 'playwright-core'
import { buildWebIfStale } from '../../web/build-if-stale.ts'
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from '../web/chromium.ts'
import { lineWith } from '../web/codemirror-lines.ts'
import { openAt, sinceLastKey, sinceOpened, watchEditorTimings } from '../web/editor-timings.ts'
import { startServer, stopServerPool } from '../web/server.ts'
import { TOKEN_KEY } from '../../web/api.ts'

const P = 'nct05631717'
const ROUNDS = Number(process.env.BENCH_EDITOR_ROUNDS ?? 6)
/** The targets, in ms. */
const TARGET = { open: 1000, errors: 150, results: 300 } as const

const missing = chromiumMissing()
if (missing) {
  console.log(`editor bench skipped: ${missing}`)
  process.exit(0)
}
await buildWebIfStale()
// as `npm start` starts it: a thread per core, each warmed up with the edit loop before the server listens
const server = await startServer({ CPU_THREADS: String(availableParallelism()), WARM_UP: '1' })
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })

/** Wait until `read` gives a number (the in-page stamps are read after the change showed). */
async function stamped(read: () => Promise<number | undefined>): Promise<number> {
  for (let i = 0; i < 400; i++) {
    const v = await read()
    if (v !== undefined) return v
    await new Promise(r => setTimeout(r, 25))
  }
  throw new Error('the editor never showed what the bench waits for')
}

/** A page signed in as the admin, on the library, with the editor's stamps installed. */
async function libraryPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  await page.addInitScript(([key, token]) => sessionStorage.setItem(key, token), [TOKEN_KEY, server.adminToken] as const)
  await watchEditorTimings(page)
  await page.goto(`${server.url}/#/protocols`)
  await page.locator(`tr[data-protocol="${P}"]`).waitFor()
  return page
}

const samples = { firstOpen: [] as number[], open: [] as number[], errors: [] as number[], results: [] as number[] }
for (let round = 0; round < ROUNDS; round++) {
  const page = await libraryPage()
  await openAt(page, `#/protocols/${P}/edit`)
  const allPass = /^(\d+)\/\1 pass$/
  ;(round === 0 ? samples.firstOpen : samples.open).push(await stamped(() => sinceOpened(page, 'summary', allPass)))
  // IN04's UPCR threshold 1.0 -> 1.02 (some examples fail) and back (all pass): two edits whose results change
  const editor = page.locator('#editor-host')
  const value = await lineWith(page, editor, /^ {12}value: 1\.0$/, { fromTop: true })
  await value.click()
  await page.keyboard.press('End')
  await page.keyboard.type('2')
  samples.results.push(await stamped(() => sinceLastKey(page, 'summary', /^(\d+)\/(?!\1 )\d+ pass$/)))
  await page.keyboard.press('Backspace')
  samples.results.push(await stamped(() => sinceLastKey(page, 'summary', allPass)))
  // a key that makes the value text: one located error; taken back, none
  await page.keyboard.type('x')
  samples.errors.push(await stamped(() => sinceLastKey(page, 'problems', /^1 error/)))
  await page.keyboard.press('Backspace')
  samples.errors.push(await stamped(() => sinceLastKey(page, 'problems', /^0 errors/)))
  await page.close()
}
await browser.close()
await server.stop()
await stopServerPool()

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!
const line = (label: string, xs: number[], target: number) =>
  `  ${label.padEnd(44)} p50 ${String(Math.round(p50(xs))).padStart(5)} ms  (n=${xs.length}; target ≤ ${target} ms: ${p50(xs) <= target ? 'met' : 'missed'})`
console.log(`The editor in Chromium, ${ROUNDS} rounds, server on ${availableParallelism()} pool threads`)
console.log(line('open -> first example results (first open)', samples.firstOpen, TARGET.open))
console.log(line('open -> first example results (later opens)', samples.open, TARGET.open))
console.log(line('keystroke -> located errors', samples.errors, TARGET.errors))
console.log(line('keystroke -> example results', samples.results, TARGET.results))
