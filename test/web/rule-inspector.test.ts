// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { compileProtocol } from '../../engine/index.ts'
import { describeProtocol } from '../../engine/describe/index.ts'
import type { TpRuleInspector } from '../../web/components/tp-rule-inspector.ts'
import { shippedProtocol } from '../helpers/protocols.ts'

const { doc } = shippedProtocol('NCT05631717')
const DESCRIPTION = { version: 3, description: describeProtocol(doc) }
const RULES = { version: 3, eligibility: compileProtocol(doc).rules, endpoints: [] }

type Route = (url: string) => Response | Promise<Response>
const ok = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
const problem = (status: number, type: string, detail: string) =>
  new Response(JSON.stringify({ type: `https://ln-trial-rules.dev/problems/${type}`, title: type, status, detail }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  })

let calls: string[] = []
function stubFetch(routes: Record<string, Route>) {
  calls = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      calls.push(url)
      const route = Object.entries(routes).find(([prefix]) => url.startsWith(prefix))
      if (!route) throw new Error(`unexpected request ${url}`)
      return route[1](url)
    }),
  )
}

/** Text of a node and every shadow root below it, whitespace collapsed. */
function deepText(node: Node | null | undefined): string {
  if (!node) return ''
  const parts: string[] = []
  const walk = (n: Node) => {
    if (n.nodeType === 3) parts.push(n.textContent ?? '')
    const el = n as Element
    if (el.shadowRoot) el.shadowRoot.childNodes.forEach(walk)
    n.childNodes.forEach(walk)
  }
  walk(node)
  return parts.join('').replace(/\s+/g, ' ').trim()
}

/** Let pending fetches settle and Lit re-render (nested elements included). */
async function settle(el: TpRuleInspector) {
  for (let i = 0; i < 6; i++) {
    await new Promise(r => setTimeout(r, 0))
    await el.updateComplete
  }
}

async function mount(protocolId = 'nct05631717'): Promise<TpRuleInspector> {
  document.body.innerHTML = ''
  const el = document.createElement('tp-rule-inspector')
  el.protocolId = protocolId
  document.body.append(el)
  await settle(el)
  return el
}

const root = (el: TpRuleInspector) => el.shadowRoot!
const criterion = (el: TpRuleInspector, id: string) => root(el).querySelector<HTMLLIElement>(`li[data-criterion="${id}"]`)
const shownIds = (el: TpRuleInspector) => [...root(el).querySelectorAll('li[data-criterion]')].map(li => li.getAttribute('data-criterion'))
const button = (scope: ParentNode, text: RegExp) => [...scope.querySelectorAll('button')].find(b => text.test(b.textContent ?? ''))!

async function filter(el: TpRuleInspector, value: string) {
  const input = root(el).querySelector('input[type="search"]') as HTMLInputElement
  input.value = value
  input.dispatchEvent(new Event('input'))
  await settle(el)
}

describe('tp-rule-inspector', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-rule-inspector.ts')
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('says it is loading, then shows identity, reference dates and parameters with open ones in words', async () => {
    let release: () => void = () => {}
    stubFetch({ '/protocols/nct05631717/description': () => new Promise<Response>(r => (release = () => r(ok(DESCRIPTION)))) })
    document.body.innerHTML = ''
    const el = document.createElement('tp-rule-inspector')
    el.protocolId = 'nct05631717'
    document.body.append(el)
    await settle(el)
    expect(root(el).querySelector('[role="status"]')?.textContent).toBe('Loading the rules of nct05631717…')
    release()
    await settle(el)
    expect(calls).toEqual(['/protocols/nct05631717/description'])
    expect(deepText(root(el).querySelector('h1'))).toBe('Rules: NCT05631717 v3')
    const context = deepText(root(el).querySelector('tp-rule-context'))
    expect(context).toContain('informed consent consent Date the patient signed informed consent (age is taken at this date). Used by: IN02')
    const parameters = Object.values(doc.parameters ?? {})
    expect(context).toContain(
      `Parameters: ${parameters.length}, of which ${parameters.filter(p => p.open === true).length} ⚠ open (not settled by the registry text)`,
    )
    const cycles = root(el).querySelector('tp-rule-context')!.shadowRoot!.querySelector('li[data-parameter="il2_cycles"]')
    expect(deepText(cycles)).toMatch(/^il2_cycles = 3 ⚠ Open Open: the registry text does not settle this/)
    expect(deepText(cycles)).toContain('Used by: arm il2')
  })

  it('a failed load shows the problem and Try again loads again', async () => {
    let fail = true
    stubFetch({ '/protocols/nope/description': () => (fail ? problem(404, 'not-found', 'protocol nope not found') : ok(DESCRIPTION)) })
    const el = await mount('nope')
    expect(deepText(root(el).querySelector('tp-problem'))).toBe('Loading the rules failed: not-found protocol nope not found')
    fail = false
    button(root(el), /Try again/).click()
    await settle(el)
    expect(root(el).querySelector('tp-problem')).toBeNull()
    expect(shownIds(el)).toHaveLength(17)
  })

  it('lists criteria collapsed, by kind; a disclosure button shows the text and the logic in plain words', async () => {
    stubFetch({ '/protocols/nct05631717/description': () => ok(DESCRIPTION) })
    const el = await mount()
    expect(shownIds(el).slice(0, 3)).toEqual(['IN01', 'IN02', 'IN03'])
    expect(deepText(root(el).querySelector('#inclusion-h'))).toBe('Inclusion criteria (every one must be met)')
    const li = criterion(el, 'IN04')!
    const toggle = li.querySelector('button.disclosure') as HTMLButtonElement
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    expect(li.querySelector('.body')).toBeNull()
    toggle.click()
    await settle(el)
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    expect(toggle.getAttribute('aria-controls')).toBe('body-IN04')
    const body = li.querySelector('#body-IN04')!
    expect(deepText(body.querySelector('blockquote'))).toBe(doc.criteria.find(c => c.id === 'IN04')!.text)
    const tree = body.querySelector('tp-rule-tree')!
    expect(tree.shadowRoot!.querySelector('ul')!.getAttribute('aria-label')).toBe('Logic of IN04')
    const leaf = tree.shadowRoot!.querySelector('li[data-path="logic.any[0]"]')
    expect(deepText(leaf)).toBe('Urine protein/creatinine ratio > 1 g/g, latest within 28 days before screening uses screening_lookback_days = 28')
    toggle.click()
    await settle(el)
    expect(li.querySelector('.body')).toBeNull()
  })

  it('shows applies_if apart, designer labels in quotes, and exclusion wording', async () => {
    stubFetch({ '/protocols/nct05631717/description': () => ok(DESCRIPTION) })
    const el = await mount()
    const li = criterion(el, 'EX04')!
    ;(li.querySelector('button.disclosure') as HTMLButtonElement).click()
    await settle(el)
    expect(deepText(li)).toContain('Excludes when')
    expect(deepText(li)).toContain('“severe active infection, current or within 4 weeks before random allocation”: bacterial, viral')
    const in05 = criterion(el, 'IN05')!
    ;(in05.querySelector('button.disclosure') as HTMLButtonElement).click()
    await settle(el)
    const trees = in05.querySelectorAll('tp-rule-tree')
    expect(trees[0]!.shadowRoot!.querySelector('ul')!.getAttribute('aria-label')).toBe('When IN05 applies')
    expect(deepText(trees[0])).toContain('contraception_criterion_applies_to_men = true')
  })

  it.each([
    { q: 'rituximab', want: ['EX01a'] },
    { q: 'ex01', want: ['EX01a', 'EX01b', 'EX01c'] },
    { q: 'PREGNANCY TEST', want: ['IN06'] }, // case-insensitive, found in the plain-words logic
    { q: 'screening_lookback_days', want: ['IN03', 'IN04', 'IN06'] }, // by a parameter used
  ])('filter "$q" -> $want', async ({ q, want }) => {
    stubFetch({ '/protocols/nct05631717/description': () => ok(DESCRIPTION) })
    const el = await mount()
    await filter(el, q)
    expect(shownIds(el)).toEqual(want)
    expect(root(el).querySelector('.count')?.textContent).toBe(`${want.length} of 17 criteria match “${q}”`)
  })

  it('a filter matching nothing says so; clearing it shows every criterion', async () => {
    stubFetch({ '/protocols/nct05631717/description': () => ok(DESCRIPTION) })
    const el = await mount()
    await filter(el, 'zzzz')
    expect(shownIds(el)).toEqual([])
    expect(deepText(root(el).querySelector('.empty'))).toBe('No criterion matches “zzzz”. Clear the filter to see all 17.')
    expect(button(root(el), /Expand all/).disabled).toBe(true)
    await filter(el, '')
    expect(shownIds(el)).toHaveLength(17)
    expect(root(el).querySelector('.count')?.textContent).toBe('17 criteria')
  })

  it('expand all opens the criteria shown, collapse all closes them', async () => {
    stubFetch({ '/protocols/nct05631717/description': () => ok(DESCRIPTION) })
    const el = await mount()
    await filter(el, 'ex0')
    button(root(el), /Expand all/).click()
    await settle(el)
    expect(root(el).querySelectorAll('.body')).toHaveLength(shownIds(el).length)
    await filter(el, '')
    // criteria hidden by the filter were not opened
    expect(criterion(el, 'IN01')!.querySelector('button.disclosure')!.getAttribute('aria-expanded')).toBe('false')
    button(root(el), /Collapse all/).click()
    await settle(el)
    expect(root(el).querySelectorAll('.body')).toHaveLength(0)
    expect(button(root(el), /Collapse all/).disabled).toBe(true)
  })

  it('compiled JSON on demand: loaded once for the version shown, pretty-printed, copied', async () => {
    stubFetch({ '/protocols/nct05631717/description': () => ok(DESCRIPTION), '/protocols/nct05631717/rules': () => ok(RULES) })
    const writeText = vi.fn(async () => {})
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const el = await mount()
    button(root(el), /Expand all/).click()
    await settle(el)
    expect(calls.some(c => c.includes('/rules'))).toBe(false) // not before it is asked for
    const show = button(criterion(el, 'IN02')!, /Show compiled rules/)
    expect(show.getAttribute('aria-expanded')).toBe('false')
    show.click()
    await settle(el)
    expect(show.getAttribute('aria-expanded')).toBe('true')
    expect(calls.filter(c => c.includes('/rules'))).toEqual(['/protocols/nct05631717/rules?version=3'])
    const json = criterion(el, 'IN02')!.querySelector('tp-rule-json')!
    const pre = json.shadowRoot!.querySelector('pre')!
    expect(pre.getAttribute('tabindex')).toBe('0')
    expect(pre.getAttribute('aria-label')).toBe('Compiled rules of IN02 (JSON)')
    expect((JSON.parse(pre.textContent!) as { name: string }).name).toBe('IN02')
    expect(pre.textContent).toBe(
      JSON.stringify(
        RULES.eligibility.find(r => r.name === 'IN02'),
        null,
        2,
      ),
    )

    ;(json.shadowRoot!.querySelector('button') as HTMLButtonElement).click()
    await settle(el)
    expect(writeText).toHaveBeenCalledWith(pre.textContent)
    expect(json.shadowRoot!.querySelector('[role="status"]')?.textContent?.trim()).toBe('✓ Copied to the clipboard')

    // IN01 compiles to its rule plus one per at_least member: shown as an array, no second request
    button(criterion(el, 'IN01')!, /Show compiled rules/).click()
    await settle(el)
    expect(calls.filter(c => c.includes('/rules'))).toHaveLength(1)
    const in01 = JSON.parse(criterion(el, 'IN01')!.querySelector('tp-rule-json')!.shadowRoot!.querySelector('pre')!.textContent!) as Array<{ name: string }>
    expect(in01.map(r => r.name)).toEqual(['IN01:logic.at_least.of[0]', ...Array.from({ length: 10 }, (_, i) => `IN01:logic.at_least.of[${i + 1}]`), 'IN01'])
  })

  it('a copy the browser refuses says so in words', async () => {
    stubFetch({ '/protocols/nct05631717/description': () => ok(DESCRIPTION), '/protocols/nct05631717/rules': () => ok(RULES) })
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: vi.fn(async () => Promise.reject(new Error('denied'))) } })
    const el = await mount()
    ;(criterion(el, 'EX08')!.querySelector('button.disclosure') as HTMLButtonElement).click()
    await settle(el)
    button(criterion(el, 'EX08')!, /Show compiled rules/).click()
    await settle(el)
    const json = criterion(el, 'EX08')!.querySelector('tp-rule-json')!
    ;(json.shadowRoot!.querySelector('button') as HTMLButtonElement).click()
    await settle(el)
    expect(json.shadowRoot!.querySelector('[role="status"]')?.textContent?.trim()).toBe('✗ Copying is not available here: the JSON is selected, press Ctrl+C')
    // EX08 has an applies_if rule too
    const rules = JSON.parse(json.shadowRoot!.querySelector('pre')!.textContent!) as Array<{ name: string }>
    expect(rules.map(r => r.name)).toEqual(['EX08', 'EX08:applies_if'])
  })

  it('a failed rules request shows the problem and Try again asks again', async () => {
    let fail = true
    stubFetch({
      '/protocols/nct05631717/description': () => ok(DESCRIPTION),
      '/protocols/nct05631717/rules': () => (fail ? problem(500, 'internal', 'the rules could not be compiled') : ok(RULES)),
    })
    const el = await mount()
    ;(criterion(el, 'IN03')!.querySelector('button.disclosure') as HTMLButtonElement).click()
    await settle(el)
    button(criterion(el, 'IN03')!, /Show compiled rules/).click()
    await settle(el)
    expect(deepText(criterion(el, 'IN03')!.querySelector('tp-problem'))).toBe('Loading the compiled rules failed: internal the rules could not be compiled')
    fail = false
    button(criterion(el, 'IN03')!, /Try again/).click()
    await settle(el)
    expect(criterion(el, 'IN03')!.querySelector('tp-rule-json')).not.toBeNull()
    expect(calls.filter(c => c.includes('/rules'))).toHaveLength(2)
  })
})
