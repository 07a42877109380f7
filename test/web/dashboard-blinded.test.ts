// @vitest-environment happy-dom
/**
 * The study dashboard for a blinded reader (server/routes/blinding.ts): one
 * pooled group, no difference, no arm in the funnel, and a note saying why;
 * an unblinded answer of the same study shows no such note.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { POOLED_ARM, clopperPearson } from '../../engine/study.ts'
import type { TpStudyDashboard } from '../../web/components/tp-study-dashboard.ts'
import type { ScreeningFunnelView, StudyResults } from '../../web/api/dashboard.ts'
import { funnelReport, protocolDocument, studyResults } from './dashboard-fixtures.ts'
import { text } from './dom.ts'

const REASON = 'protocol NCT0 is double-blind and this token has no unblinded permission: figures are pooled over every randomized subject'
const blinding = { blinded: true, masking: 'double_blind' as const, reason: REASON }

/** studyResults() pooled by hand: its 4 subjects (2 per arm) as one group, no differences. */
function pooledResults(): StudyResults {
  const r = (x: number, n: number) => ({ x, n, ci: clopperPearson(x, n) })
  const per = studyResults()
  const km = per.time_to_event[0]!
  return {
    ...per,
    blinded: true,
    blinding,
    arms: [{ ...POOLED_ARM, subjects: 4 }],
    responses: [
      {
        endpoint: 'response_status',
        visit: 'week_4',
        missing_as: 'otherwise',
        arms: [{ ...POOLED_ARM, subjects: 4, unknown: 0, rates: { CR: r(0, 4), PR: r(1, 4), any: r(1, 4) } }],
        differences: {},
      },
      {
        endpoint: 'response_status',
        visit: 'week_8',
        missing_as: 'otherwise',
        arms: [{ ...POOLED_ARM, subjects: 4, unknown: 1, rates: { CR: r(1, 4), PR: r(2, 4), any: r(3, 4) } }],
        differences: {},
      },
    ],
    time_to_event: [
      {
        ...km,
        arms: [
          {
            arm: POOLED_ARM.arm,
            subjects: 4,
            events: 3,
            interval_censored: 1,
            median: 56,
            steps: [
              {
                time: 28,
                atRisk: 4,
                events: 1,
                censored: 1,
                survival: 0.75,
                lower: 0.13,
                upper: 0.96,
                incidence: 0.25,
                incidenceLower: 0.04,
                incidenceUpper: 0.87,
              },
              { time: 56, atRisk: 2, events: 2, censored: 0, survival: 0, lower: 0, upper: 0, incidence: 1, incidenceLower: 1, incidenceUpper: 1 },
            ],
          },
        ],
      },
    ],
  }
}

function blindedFunnel(): ScreeningFunnelView {
  const f = funnelReport()
  return { ...f, randomized: { ...f.randomized, arms: [] }, blinded: true, blinding }
}

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })

function stubServer(results: StudyResults, funnel: ScreeningFunnelView) {
  vi.stubGlobal('fetch', async (url: string) => {
    const u = new URL(url, 'http://x')
    if (u.pathname === '/protocols/p1/screening-funnel') return json(funnel)
    if (u.pathname === '/protocols/p1/results') return json(results)
    if (u.pathname === '/protocols/p1') return json({ version: 1, document: protocolDocument() })
    return new Response('{}', { status: 404 })
  })
}

async function mount(): Promise<ShadowRoot> {
  document.body.innerHTML = ''
  const el = document.createElement('tp-study-dashboard') as TpStudyDashboard
  el.protocolId = 'p1'
  document.body.append(el)
  await el.updateComplete
  return el.shadowRoot!
}

const inner = (root: ShadowRoot, tag: string) => root.querySelector(tag)?.shadowRoot

describe('tp-study-dashboard, blinded', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-study-dashboard.ts')
  })
  afterEach(() => vi.unstubAllGlobals())

  it('shows pooled rates and one pooled curve, no arm and no difference, under a note that says why', async () => {
    stubServer(pooledResults(), blindedFunnel())
    const root = await mount()
    await vi.waitFor(() => expect(root.querySelector('[data-testid="blinded-note"]')).toBeTruthy())
    const note = root.querySelector('[data-testid="blinded-note"]')!
    expect(note.getAttribute('role')).toBe('note')
    expect(text(note)).toBe(`Blinded: per-arm results are shown only to unblinded users. P${REASON.slice(1)}.`)
    expect(text(root.querySelector('#rates-h')!)).toBe('Rates, all randomized subjects pooled')
    expect(text(root.querySelector('#rates-h ~ p.note')!)).toBe('Over 4 randomized subjects, endpoints of version 1.')

    await vi.waitFor(() => expect(inner(root, 'tp-response-rates')?.querySelector('table')).toBeTruthy())
    const rates = inner(root, 'tp-response-rates')!
    const heads = [...rates.querySelectorAll('thead th')].map(text)
    expect(heads).toEqual(['Visit', 'Response', '● All randomized subjects', 'Rates, 95 % CI'])
    expect(rates.querySelector('[data-testid="difference"]')).toBeNull()
    expect(text(rates.querySelector('caption')!)).toMatch(/per visit, all randomized subjects pooled$/)
    expect(text(rates.querySelector('section > p.note')!)).toMatch(/Exact \(Clopper–Pearson\) 95 % CI, all randomized subjects pooled\.$/)
    const week8Any = rates.querySelector('tr[data-row="week_8:any"] td[data-arm="all"]')!
    expect(text(week8Any)).toMatch(/^3\/4 · 75(\.0)? %/)

    await vi.waitFor(() => expect(inner(root, 'tp-time-to-response')?.querySelector('table')).toBeTruthy())
    const km = inner(root, 'tp-time-to-response')!
    expect(text(km.querySelector('thead th')!)).toBe('Group')
    expect([...km.querySelectorAll('tbody tr')].map(tr => tr.getAttribute('data-arm'))).toEqual(['all'])
    expect(text(km.querySelector('caption')!)).toMatch(/^All randomized subjects pooled; days since/)
    expect(km.querySelector('tp-chart')!.getAttribute('label')).toMatch(/over all randomized subjects pooled/)

    await vi.waitFor(() => expect(inner(root, 'tp-screening-funnel')?.querySelector('[data-box="randomized"]')).toBeTruthy())
    const funnel = inner(root, 'tp-screening-funnel')!
    expect(text(funnel.querySelector('[data-box="randomized"] .note')!)).toBe('allocation per arm not shown (blinded)')
    expect(funnel.querySelector('ul.arms')).toBeNull()

    // no arm named anywhere on the page
    for (const r of [root, rates, km, funnel]) expect(r.innerHTML).not.toMatch(/IL-2 group|MSCs group/)
  })

  it('an unblinded answer: per-arm heading and counts, no note', async () => {
    const f = funnelReport()
    stubServer({ ...studyResults(), blinded: false, blinding: { ...blinding, blinded: false, reason: 'x' } }, { ...f, blinded: false })
    const root = await mount()
    await vi.waitFor(() => expect(root.querySelector('#rates-h ~ p.note')).toBeTruthy())
    expect(text(root.querySelector('#rates-h')!)).toBe('Rates per arm')
    expect(text(root.querySelector('#rates-h ~ p.note')!)).toMatch(/\(IL-2 group 2, MSCs group 2\)/)
    expect(root.querySelector('[data-testid="blinded-note"]')).toBeNull()
    await vi.waitFor(() => expect(inner(root, 'tp-screening-funnel')?.querySelector('[data-box="randomized"]')).toBeTruthy())
    expect(inner(root, 'tp-screening-funnel')!.querySelector('[data-box="randomized"] .note')).toBeNull()
  })
})
