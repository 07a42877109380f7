// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { defaultDictionary, type ProtocolDocument } from '../../engine/index.ts'
import type { TpProtocolCompare } from '../../web/components/tp-protocol-compare.ts'
import { text, until } from './dom.ts'

/** A small protocol whose IN04 compares UPCR with `upcr` g/g. */
const doc = (upcr: number): ProtocolDocument =>
  ({
    protocol: { registry_id: 'NCT00000001', title: 'Test', version: '1.0.0', sponsor: 'x', phase: '3', target_enrollment: 10 },
    reference_dates: { screening: { label: 'screening' } },
    parameters: { lookback_days: { value: 28 } },
    criteria: [
      {
        id: 'IN04',
        kind: 'inclusion',
        title: 'Proteinuria',
        text: 'UPCR ≥ 1.0',
        logic: {
          measurement: {
            concept: 'urine_protein_creatinine_ratio',
            op: '>=',
            value: upcr,
            unit: 'g/g',
            window: { days: { param: 'lookback_days' }, before: 'screening' },
          },
        },
      },
    ],
  }) as unknown as ProtocolDocument

/** 40 lines of YAML with the UPCR threshold on line 20. */
const yaml = (upcr: string) => `${Array.from({ length: 40 }, (_, i) => (i === 19 ? `            value: ${upcr}` : `line_${i + 1}: ${i + 1}`)).join('\n')}\n`

const VERSIONS = [
  { protocol_id: 'p1', version: 1, content_hash: 'a', author: 'admin', created_at: '2026-01-02T09:00:00Z', change_note: 'created' },
  { protocol_id: 'p1', version: 2, content_hash: 'b', author: 'alice', created_at: '2026-01-03T09:00:00Z', change_note: 'UPCR 1.0 -> 0.5' },
  { protocol_id: 'p1', version: 3, content_hash: 'c', author: 'bob', created_at: '2026-01-04T09:00:00Z', change_note: 'UPCR back to 1.0' },
]
const UPCR: Record<number, number> = { 1: 1, 2: 0.5, 3: 1 }

const diffOf = (from: number, to: number) => ({
  from,
  to,
  criteria: {
    added: [],
    removed: [],
    changed:
      UPCR[from] === UPCR[to]
        ? []
        : [{ id: 'IN04', fields: ['logic'], changes: [{ path: 'logic.measurement.value', kind: 'threshold', from: UPCR[from], to: UPCR[to] }] }],
  },
  parameters: [],
  arms: { added: [], removed: [], changed: [] },
  visits: { added: [], removed: [], changed: [] },
  endpoints: { added: [], removed: [], changed: [] },
  identical: UPCR[from] === UPCR[to],
})

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status < 400 ? 'application/json' : 'application/problem+json' } })

let calls: string[]

/** The server, for protocol p1 with `versions`; `diffFails` answers the diff with a 500 problem. */
function stubServer(versions = VERSIONS, diffFails = false) {
  calls = []
  vi.stubGlobal('fetch', async (url: string) => {
    calls.push(url)
    const u = new URL(url, 'http://x')
    if (u.pathname === '/protocols/p1/versions') return json(versions)
    if (u.pathname === '/dictionary/lab-concepts') return json(defaultDictionary.labConcepts)
    if (u.pathname === '/protocols/p1/diff') {
      if (diffFails) return json({ type: 'https://x/problems/internal', title: 'Internal error', status: 500, detail: 'the diff broke' }, 500)
      return json(diffOf(Number(u.searchParams.get('from')), Number(u.searchParams.get('to'))))
    }
    if (u.pathname === '/protocols/p1') {
      const v = Number(u.searchParams.get('version'))
      return json({ ...versions[v - 1], yaml: yaml(String(UPCR[v]).replace(/^1$/, '1.0')), document: doc(UPCR[v]!), warnings: [] })
    }
    return json({ type: 'about:blank', title: 'Not found', status: 404, detail: `no ${url}` }, 404)
  })
}

async function mount(props: { from?: number; to?: number } = {}): Promise<{ el: TpProtocolCompare; root: ShadowRoot }> {
  document.body.innerHTML = ''
  const el = document.createElement('tp-protocol-compare') as TpProtocolCompare
  el.protocolId = 'p1'
  el.from = props.from
  el.to = props.to
  document.body.append(el)
  await el.updateComplete
  return { el, root: el.shadowRoot! }
}

const structured = (root: ShadowRoot) => until(() => root.querySelector('[data-testid="structured"]'))

describe('tp-protocol-compare', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-protocol-compare.ts')
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    location.hash = ''
  })

  it('with one version, says there is nothing to compare yet', async () => {
    stubServer(VERSIONS.slice(0, 1))
    const { root } = await mount()
    const p = await until(() => root.querySelector('[data-testid="single-version"]'))
    expect(text(p)).toContain('Nothing to compare yet')
    expect(text(p)).toContain('version 1')
    expect(root.querySelector('select')).toBeNull()
    expect(calls.some(c => c.includes('/diff'))).toBe(false)
  })

  it('defaults to the previous version against the latest, with two labelled selects', async () => {
    stubServer()
    const { root } = await mount()
    await structured(root)
    expect(calls).toContain('/protocols/p1/diff?from=2&to=3')
    const from = root.querySelector<HTMLSelectElement>('select#from')!
    const to = root.querySelector<HTMLSelectElement>('select#to')!
    expect(text(root.querySelector('label[for="from"]'))).toBe('From version')
    expect(text(root.querySelector('label[for="to"]'))).toBe('To version')
    expect(from.value).toBe('2')
    expect(to.value).toBe('3')
    expect(text(from.selectedOptions[0])).toContain('alice')
  })

  it('shows a changed threshold in words and symbols, old -> new', async () => {
    stubServer()
    const { root } = await mount({ from: 1, to: 2 })
    const s = await structured(root)
    const item = s.querySelector('li[data-item="IN04"]')!
    expect(item.getAttribute('data-status')).toBe('changed')
    expect(text(item.querySelector('.tag'))).toBe('~ Changed')
    expect(text(item.querySelector('li[data-kind="threshold"]'))).toMatch(/^Threshold changed: Urine protein\/creatinine ratio ≥ 1 g\/g → ≥ 0\.5 g\/g/)
    expect(text(s.querySelector('[data-section="parameters"]'))).toContain('No change.')
    expect(s.querySelector('[data-testid="identical"]')).toBeNull()
  })

  it('says when nothing that evaluation reads differs', async () => {
    stubServer()
    const { root } = await mount({ from: 1, to: 3 })
    const s = await structured(root)
    expect(text(s.querySelector('[data-testid="identical"]'))).toContain('No change to the criteria')
  })

  it('shows the YAML line diff with both line numbers, +/- markers, and folded unchanged runs that open', async () => {
    stubServer()
    const { root } = await mount({ from: 1, to: 2 })
    await structured(root)
    const lines = root.querySelector('[data-testid="line-diff"]')!
    expect(text(lines.querySelector('.counts'))).toBe('+1 line added, −1 line removed')
    const removed = lines.querySelector('tr.removed')!
    const added = lines.querySelector('tr.added')!
    expect([...removed.querySelectorAll('td')].map(text)).toEqual(['20', '', '− removed', 'value: 1.0'])
    expect([...added.querySelectorAll('td')].map(text)).toEqual(['', '20', '+ added', 'value: 0.5'])
    const gaps = [...lines.querySelectorAll<HTMLButtonElement>('tr.gap button')]
    expect(gaps.map(text)).toEqual(['⋯ Show 16 unchanged lines (1–16)', '⋯ Show 17 unchanged lines (24–40)'])
    expect(lines.querySelectorAll('tr.same')).toHaveLength(6) // 3 lines of context each side
    gaps[0]!.click()
    await until(() => lines.querySelectorAll('tr.gap').length === 1)
    expect(lines.querySelectorAll('tr.same')).toHaveLength(22)
    expect(text(lines.querySelector('tr.same td.text'))).toBe('line_1: 1')
  })

  it('choosing another version updates the location hash and compares again', async () => {
    stubServer()
    location.hash = '#/protocols/p1/compare'
    const { root } = await mount()
    await structured(root)
    expect(location.hash).toBe('#/protocols/p1/compare?from=2&to=3') // the default pair, linkable
    const from = root.querySelector<HTMLSelectElement>('select#from')!
    from.value = '1'
    from.dispatchEvent(new Event('change'))
    expect(location.hash).toBe('#/protocols/p1/compare?from=1&to=3')
    await until(() => calls.includes('/protocols/p1/diff?from=1&to=3'))
    await until(() => root.querySelector('[data-testid="identical"]'))
  })

  it('the same version on both sides asks for two different ones', async () => {
    stubServer()
    const { root } = await mount({ from: 2, to: 2 })
    await until(() => root.querySelector('select'))
    expect(text(root)).toContain('Both sides are version 2')
    expect(calls.some(c => c.includes('/diff'))).toBe(false)
  })

  it('a version in the link that does not exist falls back to previous and latest, and says so', async () => {
    stubServer()
    const { root } = await mount({ from: 9, to: 3 })
    await structured(root)
    expect(text(root)).toContain('A version in the link does not exist')
    expect(calls).toContain('/protocols/p1/diff?from=2&to=3')
  })

  it('a failed diff shows the problem and a way to try again', async () => {
    stubServer(VERSIONS, true)
    const { root } = await mount()
    const problem = await until(() => root.querySelector('tp-problem'))
    await (problem as unknown as { updateComplete: Promise<unknown> }).updateComplete
    expect(text(problem.shadowRoot)).toContain('the diff broke')
    expect([...root.querySelectorAll('button')].map(text)).toContain('Try again')
  })
})
