// @vitest-environment happy-dom
/**
 * tp-examples-panel against the real API in-process (fetch answered by the
 * Hono app over an in-memory store): the summary and a badge in words per
 * example, a tightened draft failing a named example whose row opens to
 * expected vs actual, stale results while the draft has errors, debounced
 * runs with stale requests aborted, and the states without examples.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { parseDocument } from 'yaml'
import type { TpExamplesPanel } from '../../web/components/tp-examples-panel.ts'
import { PROTOCOLS_DIR } from '../helpers/protocols.ts'
import { retitled, testApp, type TestApp } from '../server/helpers.ts'
import { text } from './dom.ts'

const P = 'nct05631717'
const PROTOCOL = readFileSync(join(PROTOCOLS_DIR, `${P}.yaml`), 'utf8')
const TOTAL = (parseDocument(readFileSync(join(PROTOCOLS_DIR, `${P}.examples.yaml`), 'utf8')).toJS() as { examples: unknown[] }).examples.length
// IN04 UPCR > 1.0 g/g tightened to > 1.02 (see test/server/examples.test.ts)
const IN04_UPCR = 'concept: urine_protein_creatinine_ratio\n            op: ">"\n            value: 1.0\n'
const TIGHTER = PROTOCOL.replace(IN04_UPCR, IN04_UPCR.replace('value: 1.0', 'value: 1.02'))
const SUBJECTS = (parseDocument(readFileSync(join(PROTOCOLS_DIR, `${P}.examples.yaml`), 'utf8')).toJS() as { subjects: unknown[] }).subjects.length
// complete response UPCR < 0.5 g/g tightened to < 0.3 (see test/server/examples.test.ts)
const CR_UPCR = 'measurement: { concept: urine_protein_creatinine_ratio, op: "<", value: 0.5, unit: g/g, window: { visit: current } }'
const TIGHTER_CR = PROTOCOL.replace(CR_UPCR, CR_UPCR.replace('value: 0.5', 'value: 0.3'))

// the built UI is not served here; its module resolves web/dist with a file URL, which happy-dom's URL does not make
vi.mock('../../server/static.ts', () => ({ serveWebUi: () => undefined }))

let t: TestApp
/** Requests the panel made: method and path. */
let requests: string[] = []
/** Requests whose signal was aborted before the answer was read. */
let aborted = 0
/** The bodies of the example runs asked for, parsed. */
let runBodies: Array<{ yaml?: string; examples?: string }> = []

beforeAll(async () => {
  t = await testApp()
  await import('../../web/components/tp-examples-panel.ts')
}, 60_000)

function useApi(role: 'designer' | 'viewer' = 'designer') {
  requests = []
  aborted = 0
  runBodies = []
  sessionStorage.setItem('tp-token', t.tokenFor(role))
  vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
    requests.push(`${init.method ?? 'GET'} ${path}`)
    if (/\/examples\/run\b/.test(path)) runBodies.push(JSON.parse(String(init.body ?? '{}')))
    // network latency: the engine runs in microtasks, so without a pause no timer (debounce, abort) could come between
    await new Promise(r => setTimeout(r, 200))
    const res = await t.app.request(path, {
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      ...(init.body ? { body: init.body as string } : {}),
    })
    if (init.signal?.aborted) {
      aborted++
      throw new DOMException('The operation was aborted.', 'AbortError')
    }
    return res
  })
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

async function mount(props: Partial<Pick<TpExamplesPanel, 'protocolId' | 'draft' | 'canEdit' | 'saved'>>): Promise<TpExamplesPanel> {
  const el = document.createElement('tp-examples-panel')
  Object.assign(el, { protocolId: P, canEdit: true, draft: PROTOCOL, ...props })
  document.body.append(el)
  await el.updateComplete
  return el
}

const root = (el: TpExamplesPanel) => el.shadowRoot!
const summary = (el: TpExamplesPanel) => text(root(el).querySelector('[data-testid="examples-summary"]'))
const row = (el: TpExamplesPanel, id: string) => root(el).querySelector(`li[data-example="${id}"]`)
const badges = (el: TpExamplesPanel, list = 'Example patients') =>
  [...root(el).querySelectorAll(`ol[aria-label="${list}"] [data-testid="example-badge"]`)].map(b => text(b))
const subjectSummary = (el: TpExamplesPanel) => text(root(el).querySelector('[data-testid="subject-examples-summary"]'))
const runs = () => requests.filter(r => /\/examples\/run(\?|$)/.test(r)).length
const until = (check: () => void) => vi.waitFor(check, { timeout: 40_000, interval: 50 })

describe('tp-examples-panel', () => {
  it(`runs the saved examples against the draft: "${TOTAL}/${TOTAL} pass", a "✓ pass" badge on each`, async () => {
    useApi()
    const el = await mount({})
    await until(() => expect(summary(el)).toBe(`${TOTAL}/${TOTAL} pass`))
    expect(badges(el)).toEqual(Array(TOTAL).fill('✓ pass'))
    expect(text(root(el).querySelector('.summary'))).toContain('✓ all pass')
    expect(text(row(el, 'eligible-baseline'))).toContain('meets every inclusion criterion')
  }, 90_000)

  it('a draft still equal to the saved version runs as that version (no draft sent to check again); an edited one is sent', async () => {
    useApi()
    const el = await mount({ saved: { version: 1, yaml: PROTOCOL } })
    await until(() => expect(summary(el)).toBe(`${TOTAL}/${TOTAL} pass`))
    expect(requests.filter(r => r.includes('/examples/run'))).toEqual([`POST /protocols/${P}/examples/run?version=1`])
    expect(runBodies).toEqual([{}])
    el.draft = TIGHTER
    await until(() => expect(text(row(el, 'upcr-1.01')?.querySelector('[data-testid="example-badge"]'))).toBe('✗ fail'))
    expect(requests.filter(r => r.includes('/examples/run')).at(-1)).toBe(`POST /protocols/${P}/examples/run`)
    expect(runBodies.at(-1)).toEqual({ yaml: TIGHTER })
  }, 90_000)

  it('a tightened threshold fails upcr-1.01, listed first with "✗ fail"; its row opens to expected vs actual per criterion', async () => {
    useApi()
    const el = await mount({})
    await until(() => expect(summary(el)).toBe(`${TOTAL}/${TOTAL} pass`))
    el.draft = TIGHTER
    await until(() => expect(text(row(el, 'upcr-1.01')?.querySelector('[data-testid="example-badge"]'))).toBe('✗ fail'))
    const failed = badges(el).filter(b => b === '✗ fail').length
    expect(summary(el)).toBe(`${TOTAL - failed}/${TOTAL} pass`)
    expect(text(root(el).querySelector('.summary'))).toContain(`✗ ${failed} fail`)
    expect(badges(el).slice(0, failed)).toEqual(Array(failed).fill('✗ fail')) // failures first
    expect(text(row(el, 'eligible-baseline')?.querySelector('[data-testid="example-badge"]'))).toBe('✓ pass')

    const why = row(el, 'upcr-1.01')!.querySelector<HTMLButtonElement>('button[aria-expanded]')!
    expect(text(why)).toBe('Why: overall, IN04 differ')
    expect(why.getAttribute('aria-expanded')).toBe('false')
    why.click()
    await el.updateComplete
    expect(why.getAttribute('aria-expanded')).toBe('true')
    const rows = [...row(el, 'upcr-1.01')!.querySelectorAll('tbody tr')].map(r => [...r.children].map(c => text(c)))
    expect(rows[0]).toEqual(['overall', 'eligible', '✗ undetermined'])
    expect(rows[1]![0]).toMatch(/^IN04/)
    expect(rows[1]![1]).toBe('met')
    expect(rows[1]![2]).toMatch(/^✗ unknown/)
    expect(why.getAttribute('aria-controls')).toBe(row(el, 'upcr-1.01')!.querySelector('table')!.id)
  }, 90_000)

  it('runs the example subjects too: all pass, then a tightened complete response fails some, each opening to endpoint @ visit', async () => {
    useApi()
    const el = await mount({})
    await until(() => expect(subjectSummary(el)).toBe(`${SUBJECTS}/${SUBJECTS} pass`))
    expect(badges(el, 'Example subjects')).toEqual(Array(SUBJECTS).fill('✓ pass'))
    el.draft = TIGHTER_CR
    await until(() => expect(subjectSummary(el)).not.toBe(`${SUBJECTS}/${SUBJECTS} pass`))
    const failed = badges(el, 'Example subjects').filter(b => b === '✗ fail').length
    expect(failed).toBeGreaterThan(0)
    expect(subjectSummary(el)).toBe(`${SUBJECTS - failed}/${SUBJECTS} pass`)
    expect(summary(el)).toBe(`${TOTAL}/${TOTAL} pass`) // eligibility untouched
    const first = root(el).querySelector('ol[aria-label="Example subjects"] li')!
    const why = first.querySelector<HTMLButtonElement>('button[aria-expanded]')!
    expect(text(why)).toMatch(/^Why: .*complete_response@week_\d+/)
    why.click()
    await el.updateComplete
    expect(text(first.querySelector('thead'))).toContain('Endpoint @ visit')
    expect(why.getAttribute('aria-controls')).toBe(first.querySelector('table')!.id)
    expect(first.querySelector('table')!.id).toMatch(/^why-subject-/)
  }, 90_000)

  it('while the draft has errors the last results stay, marked as stale, and nothing runs', async () => {
    useApi()
    const el = await mount({})
    await until(() => expect(summary(el)).toBe(`${TOTAL}/${TOTAL} pass`))
    const before = runs()
    el.draft = undefined
    await el.updateComplete
    expect(text(root(el).querySelector('[data-testid="examples-stale"]'))).toContain('The protocol draft has errors')
    expect(summary(el)).toBe(`${TOTAL}/${TOTAL} pass`)
    await new Promise(r => setTimeout(r, 600))
    expect(runs()).toBe(before)
  }, 90_000)

  it('drafts set one after another (already debounced by the editor) make one run, for the last draft', async () => {
    useApi()
    const el = await mount({})
    await until(() => expect(summary(el)).toBe(`${TOTAL}/${TOTAL} pass`))
    const before = runs()
    for (const v of ['1.01', '1.015', '1.02']) {
      el.draft = PROTOCOL.replace(IN04_UPCR, IN04_UPCR.replace('value: 1.0', `value: ${v}`))
      await el.updateComplete
    }
    await until(() => expect(text(row(el, 'upcr-1.01')?.querySelector('[data-testid="example-badge"]'))).toBe('✗ fail'))
    expect(runs() - before).toBe(1)
  }, 90_000)

  it('a draft arriving while a run is under way aborts it; the answer shown is for the newer draft', async () => {
    useApi()
    const el = await mount({})
    await until(() => expect(summary(el)).toBe(`${TOTAL}/${TOTAL} pass`))
    el.draft = TIGHTER
    const before = runs()
    await until(() => expect(runs()).toBe(before + 1)) // the tightened draft is being run
    el.draft = PROTOCOL
    await until(() => expect(aborted).toBe(1))
    await until(() => expect(runs()).toBe(before + 2))
    await until(() => expect(root(el).querySelector('.summary .note')).toBeNull()) // no longer "Running…"
    expect(summary(el)).toBe(`${TOTAL}/${TOTAL} pass`)
  }, 90_000)

  it("clicking an example's line asks the editor to show it", async () => {
    useApi('viewer')
    const el = await mount({ canEdit: false })
    await until(() => expect(summary(el)).toBe(`${TOTAL}/${TOTAL} pass`))
    const seen: number[] = []
    el.addEventListener('example-selected', e => seen.push((e as CustomEvent<{ line: number }>).detail.line))
    const link = row(el, 'upcr-1.01')!.querySelector<HTMLButtonElement>('button[aria-label^="Show upcr-1.01"]')!
    link.click()
    expect(seen).toEqual([Number(text(link).replace('line ', ''))])
    expect(root(el).querySelector('form')).toBeNull() // a viewer may not save
  }, 90_000)

  it('a designer gets the save form, disabled until the examples change', async () => {
    useApi()
    const el = await mount({})
    await until(() => expect(summary(el)).toBe(`${TOTAL}/${TOTAL} pass`))
    const button = root(el).querySelector<HTMLButtonElement>('form button[type="submit"]')!
    expect(text(button)).toBe('Save examples as version 2')
    expect(button.disabled).toBe(true)
    expect(text(root(el).querySelector('form'))).toContain('No changes to the examples.')
    expect(root(el).querySelector('label[for="examples-note"]')).not.toBeNull()
  }, 90_000)

  it('says so when a protocol has no examples yet, and runs nothing', async () => {
    useApi()
    const created = await t.app.request('/protocols', {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.tokenFor('designer')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ yaml: retitled(PROTOCOL, 'copy without examples'), id: 'bare' }),
    })
    expect(created.status).toBe(201)
    const el = await mount({ protocolId: 'bare' })
    await until(() => expect(text(root(el).querySelector('.summary'))).toContain('No example patients saved for this protocol yet'))
    await new Promise(r => setTimeout(r, 600))
    expect(runs()).toBe(0)
  }, 90_000)

  it('shows the problem when the examples cannot be loaded', async () => {
    useApi()
    const el = await mount({ protocolId: 'nope' })
    await until(() => expect(text(root(el).querySelector('tp-problem')?.shadowRoot)).toContain('protocol nope not found'))
    expect(text(root(el).querySelector('tp-problem')?.shadowRoot)).toContain('Loading the example patients')
  }, 90_000)
})
