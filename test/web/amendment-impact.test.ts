// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { TpAmendmentImpact } from '../../web/components/tp-amendment-impact.ts'
import { text } from './dom.ts'

const zero = () => ({ eligible: 0, undetermined: 0, ineligible: 0 })

const report = {
  protocol_id: 'p',
  from: 1,
  to: 2,
  population: 'subjects',
  diff: {
    criteria: { added: [], removed: [], changed: [] },
    parameters: [],
    arms: { added: [], removed: [], changed: [] },
    visits: { added: [], removed: [], changed: [] },
    endpoints: { added: [], removed: [], changed: [] },
    identical: false,
  },
  screened: 4,
  evaluated: 3,
  not_reevaluable: 1,
  unchanged: 2,
  changed: [
    {
      evaluation_id: 7,
      subject_id: 's1',
      subject_code: 'LN-007',
      screened_at: '2026-01-05T10:00:00.000Z',
      screened_version: 1,
      before: { overall: 'eligible', failing: [] },
      after: { overall: 'ineligible', failing: ['IN04'] },
      criteria: [{ id: 'IN04', title: 'UPCR > 1.5', before: 'pass', after: 'fail', reason: 'UPCR 1.2 g/g on 2026-01-04' }],
    },
  ],
  shifted: [],
  transitions: { eligible: { eligible: 1, undetermined: 0, ineligible: 1 }, undetermined: zero(), ineligible: { eligible: 0, undetermined: 0, ineligible: 1 } },
}

async function mount(answer: (url: string) => Response): Promise<{ el: TpAmendmentImpact; urls: string[] }> {
  const urls: string[] = []
  vi.stubGlobal('fetch', async (url: string) => {
    urls.push(url)
    return answer(url)
  })
  document.body.innerHTML = ''
  const el = document.createElement('tp-amendment-impact') as TpAmendmentImpact
  el.protocolId = 'p'
  el.from = 1
  el.to = 2
  document.body.append(el)
  await vi.waitFor(async () => {
    await el.updateComplete
    if (!el.shadowRoot!.querySelector('[data-testid="impact-summary"], tp-problem[error]') && !text(el.shadowRoot).includes('Working out'))
      throw new Error('not loaded')
    if (text(el.shadowRoot).includes('Re-evaluating')) throw new Error('still loading')
  })
  return { el, urls }
}

const ok = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } })

describe('tp-amendment-impact', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-amendment-impact.ts')
  })
  afterEach(() => vi.unstubAllGlobals())

  it('summarises, tabulates transitions and lists each changed patient with the criteria that moved', async () => {
    const { el, urls } = await mount(() => ok(report))
    const root = el.shadowRoot!
    expect(urls).toEqual(['/protocols/p/impact?from=1&to=2&population=subjects'])
    expect(text(root.querySelector('[data-testid="impact-summary"]'))).toBe(
      '1 of 3 screened patients change verdict from version 1 to version 2. 1 screening was logged without the record and cannot be re-evaluated.',
    )
    const rows = [...root.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(td => text(td)))
    expect(rows).toEqual([
      ['1', '0', '1'],
      ['0', '0', '0'],
      ['0', '0', '1'],
    ])
    const li = root.querySelector('li[data-evaluation="7"]')!
    expect(text(li)).toContain('LN-007')
    expect(text(li)).toContain('✓ Eligible → ✗ Ineligible (ruled out by IN04)')
    expect(text(li)).toContain('IN04 UPCR > 1.5: passes → fails — UPCR 1.2 g/g on 2026-01-04')
  })

  it('asks again with population=all when the user widens who counts as screened', async () => {
    const { el, urls } = await mount(() => ok(report))
    const all = el.shadowRoot!.querySelector<HTMLInputElement>('input[value="all"]')!
    all.checked = true
    all.dispatchEvent(new Event('change'))
    await vi.waitFor(() => expect(urls).toContain('/protocols/p/impact?from=1&to=2&population=all'))
  })

  it('says when nobody has been screened', async () => {
    const { el } = await mount(() => ok({ ...report, screened: 0, evaluated: 0, not_reevaluable: 0, changed: [] }))
    expect(text(el.shadowRoot!.querySelector('[data-testid="impact-summary"]'))).toBe('No patients have been screened for p yet (as registered subjects).')
  })
})
