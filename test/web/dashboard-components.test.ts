// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { TpStudyDashboard } from '../../web/components/tp-study-dashboard.ts'
import type { ScreeningFunnelReport, StudyResults } from '../../web/api/dashboard.ts'
import { emptyResults, funnelReport, protocolDocument, studyResults } from './dashboard-fixtures.ts'
import { text } from './dom.ts'

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status < 400 ? 'application/json' : 'application/problem+json' } })
const problem = (status: number, detail: string) => json({ type: 'https://x/problems/internal', title: 'Internal error', status, detail }, status)

let calls: string[]

interface Server {
  funnel?: (population: string) => Response | Promise<Response>
  results?: () => Response | Promise<Response>
  cohort?: () => Response | Promise<Response>
}

/** The server for protocol p1: the funnel, the results and the document, each replaceable. */
function stubServer(s: Server = {}) {
  calls = []
  vi.stubGlobal('fetch', async (url: string) => {
    calls.push(url)
    const u = new URL(url, 'http://x')
    if (u.pathname === '/protocols/p1/screening-funnel') return s.funnel ? s.funnel(u.searchParams.get('population')!) : json(funnelReport())
    if (u.pathname === '/protocols/p1/results') return s.results ? s.results() : json(studyResults())
    if (u.pathname === '/protocols/p1') return json({ version: 1, document: protocolDocument() })
    if (u.pathname === '/protocols/p1/cohort' && s.cohort) return s.cohort()
    return problem(404, `no ${url}`)
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

/** Wait until `tag` inside the dashboard has rendered something matching `selector`. */
async function until(root: ShadowRoot, tag: string, selector: string): Promise<ShadowRoot> {
  await vi.waitFor(() => expect(inner(root, tag)?.querySelector(selector)).toBeTruthy())
  return inner(root, tag)!
}

describe('tp-study-dashboard', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-study-dashboard.ts')
  })
  afterEach(() => vi.unstubAllGlobals())

  it('says it is loading while the requests are out', async () => {
    stubServer({ funnel: () => new Promise(() => {}), results: () => new Promise(() => {}) })
    const root = await mount()
    const statuses = [...root.querySelectorAll('[role="status"]')].map(text)
    expect(statuses).toEqual(['Loading the screening funnel…', 'Loading the study results…'])
  })

  it('draws the funnel as a flow of boxes in words and counts, and the attrition table', async () => {
    stubServer()
    const root = await mount()
    const funnel = await until(root, 'tp-screening-funnel', '[data-testid="flow"]')
    const box = (key: string) => text(funnel.querySelector(`[data-box="${key}"]`))
    expect(box('screened')).toBe('Screened: 5 latest screening of 5 subjects')
    expect(box('excluded')).toContain('Excluded (ineligible): 2')
    expect(box('excluded')).toContain('IN02 · Age 18 to 65: 1')
    expect(box('undetermined')).toContain('IN01 · Lupus nephritis: 1')
    expect(box('eligible')).toContain('Eligible: 2')
    expect(box('arm:il2')).toContain('IL-2 group: 1')
    expect(funnel.querySelector('[data-box="excluded"] .symbol')!.getAttribute('aria-hidden')).toBe('true')
    expect(funnel.querySelector('ol.flow')!.getAttribute('aria-label')).toBe('Screening flow')
    expect(text(funnel.querySelector('[data-testid="funnel-basis"]'))).toContain('latest of each registered subject')
    expect(text(funnel)).toContain('Includes screenings against version 1')
    const row = funnel.querySelector('tr[data-criterion="IN02"]')!
    expect([...row.querySelectorAll('td')].map(text)).toEqual(['inclusion', '5', '✗ 1 (20.0 %)', '0', '4', '1'])
    expect(calls).toContain('/protocols/p1/screening-funnel?population=subjects')
  })

  it('shows rates per arm with CIs, the difference, and a plot named in words', async () => {
    stubServer()
    const root = await mount()
    const rates = await until(root, 'tp-response-rates', 'table')
    const row = rates.querySelector('tr[data-row="week_4:PR"]')!
    expect(text(row.querySelector('td[data-arm="il2"]'))).toBe('1/2 · 50.0 % 95 % CI 1.3 to 98.7 %')
    expect(text(row.querySelector('td[data-arm="msc"]'))).toBe('0/2 · 0.0 % 95 % CI 0.0 to 84.2 %')
    expect(text(row.querySelector('[data-testid="difference"]'))).toContain('+50.0 pp 95 % CI −27.5 to +90.3 pp')
    const plot = row.querySelector('svg[role="img"]')!
    expect(plot.getAttribute('aria-label')).toContain('● IL-2 group: 1/2, 50.0 %')
    // one whisker per arm: a circle for the first arm, a square for the second
    expect(plot.querySelectorAll('g.whisker circle')).toHaveLength(1)
    expect(plot.querySelectorAll('g.whisker rect')).toHaveLength(1)
    expect(text(rates.querySelector('tr[data-row="week_8:PR"] td[data-arm="msc"]'))).toContain('1 ungraded')
    expect(text(root.querySelector('section[aria-labelledby="rates-h"] p.note'))).toBe(
      'Over 4 randomized subjects (IL-2 group 2, MSCs group 2), endpoints of version 1.',
    )
  })

  it('hands the Kaplan–Meier curves to tp-chart, with a summary per arm', async () => {
    stubServer()
    const root = await mount()
    const km = await until(root, 'tp-time-to-response', 'section[data-endpoint="time_to_pr"]')
    const chart = km.querySelector('tp-chart') as HTMLElement & { series: Array<{ label: string; step?: boolean }>; yMax: number; xLabel: string }
    expect(chart.getAttribute('label')).toBe('Time to PR: cumulative incidence of response by arm (Kaplan–Meier)')
    expect(chart.series.map(s => [s.label, s.step])).toEqual([
      ['IL-2 group', true],
      ['MSCs group', true],
    ])
    expect(chart.xLabel).toBe('Days since random allocation')
    expect(chart.yMax).toBe(100)
    expect([...km.querySelectorAll('tr[data-arm="il2"] td')].map(text)).toEqual(['2', '2', '1', '0', '42 days', '100.0 %'])
    expect(text(km.querySelector('caption'))).toContain(
      'an interval-censored response (visits before it not evaluable) is counted at the visit first seen (right endpoint)',
    )
  })

  it('counting anonymous evaluations asks the server again with population=all', async () => {
    const populations: string[] = []
    stubServer({
      funnel: p => {
        populations.push(p)
        const r: ScreeningFunnelReport = { ...funnelReport(), population: p as 'all', anonymous: p === 'all' ? 3 : 0 }
        return json(r)
      },
    })
    const root = await mount()
    await until(root, 'tp-screening-funnel', '[data-testid="flow"]')
    const select = root.querySelector('select#population') as HTMLSelectElement
    expect(root.querySelector('label[for="population"]')).toBeTruthy()
    select.value = 'all'
    select.dispatchEvent(new Event('change'))
    await vi.waitFor(() => expect(text(inner(root, 'tp-screening-funnel')?.querySelector('[data-box="screened"]'))).toContain('3 anonymous evaluations'))
    expect(populations).toEqual(['subjects', 'all'])
  })

  it('a failed request shows the problem in its own section; the other part still shows', async () => {
    stubServer({ results: () => problem(500, 'the results broke') })
    const root = await mount()
    await vi.waitFor(() => expect(root.querySelector('tp-problem[context="Loading the study results"]')).toBeTruthy())
    const p = root.querySelector('tp-problem[context="Loading the study results"]')!
    await vi.waitFor(() => expect(text(p.shadowRoot)).toContain('the results broke'))
    await until(root, 'tp-screening-funnel', '[data-testid="flow"]')
  })

  it('empty study: no one screened, no one randomized, said in words', async () => {
    stubServer({
      funnel: () => {
        const r = funnelReport()
        r.flow = {
          screened: 0,
          steps: r.flow.steps.map(s => ({ ...s, entering: 0, excluded: 0, unknown: 0, pass: 0 })),
          excluded: { total: 0, other_criteria: 0 },
          undetermined: { total: 0, first_undecided: [] },
          eligible: 0,
        }
        r.subjects = { registered: 2, screened: 0, not_screened: 2, withdrawn: 0 }
        return json(r)
      },
      results: () => json(emptyResults() satisfies StudyResults),
    })
    const root = await mount()
    const funnel = await until(root, 'tp-screening-funnel', '[data-testid="funnel-empty"]')
    expect(text(funnel.querySelector('[data-testid="funnel-empty"]'))).toContain('No screenings counted yet (2 subjects registered, none screened)')
    expect(funnel.querySelector('ol.flow')).toBeNull()
    await vi.waitFor(() => expect(root.querySelector('[data-testid="results-empty"]')).toBeTruthy())
    expect(text(root.querySelector('[data-testid="results-empty"]'))).toContain('No subjects randomized yet')
    expect(root.querySelector('tp-response-rates')).toBeNull()
  })

  describe('feasibility in the warehouse', () => {
    const step = (criterion: string, entering: number, pass: number, fail: number, unknown: number, all: { fail: number; unknown: number }) => ({
      criterion,
      kind: 'inclusion',
      entering,
      pass,
      fail,
      unknown,
      all: { pass: entering - all.fail - all.unknown, ...all },
    })
    const report = {
      protocol_id: 'p1',
      version: 1,
      source: 'the tables in /warehouse',
      persons: 120,
      funnel: {
        records: 120,
        invalid: 0,
        evaluated: 120,
        criteria: [step('IN01', 120, 100, 15, 5, { fail: 15, unknown: 5 }), step('IN03', 100, 0, 0, 100, { fail: 0, unknown: 120 })],
        overall: { eligible: 0, ineligible: 15, undetermined: 105 },
      },
      unknown_in_sql: [{ criterion: 'IN03', reasons: ['SLEDAI-2K score derived by the engine is not expressed in SQL yet'] }],
    }

    it('counts only when asked, then shows persons, verdicts, attrition and what SQL leaves unknown', async () => {
      stubServer({ cohort: () => json(report) })
      const root = await mount()
      const cohort = await until(root, 'tp-cohort-funnel', '[data-testid="run-cohort"]')
      expect(calls.some(u => u.includes('/cohort'))).toBe(false)
      ;(cohort.querySelector('[data-testid="run-cohort"]') as HTMLButtonElement).click()
      await vi.waitFor(() => expect(cohort.querySelector('[data-testid="cohort-report"]')).toBeTruthy())
      expect(text(cohort.querySelector('.summary')!)).toBe('120 persons in the tables in /warehouse ✓ eligible 0 ✗ ineligible 15 ? undetermined 105')
      const rows = [...cohort.querySelectorAll('tbody tr')].map(r => [...r.querySelectorAll('th, td')].map(text))
      expect(rows).toEqual([
        ['IN01', '120', '100', '✗ 15', '? 5', '15', '5'],
        ['IN03', '100', '0', '0', '? 100', '0', '120'],
      ])
      expect(text(cohort.querySelector('[data-testid="cohort-unknown"]')!)).toBe('IN03: SLEDAI-2K score derived by the engine is not expressed in SQL yet')
    })

    it('no warehouse configured: the server says so, in words', async () => {
      stubServer({
        cohort: () =>
          json(
            {
              type: 'https://x/problems/no-omop-source',
              title: 'No OMOP source is configured',
              status: 409,
              detail: 'no OMOP source is configured: start the server with OMOP_SOURCE set',
            },
            409,
          ),
      })
      const root = await mount()
      const cohort = await until(root, 'tp-cohort-funnel', '[data-testid="run-cohort"]')
      ;(cohort.querySelector('[data-testid="run-cohort"]') as HTMLButtonElement).click()
      await vi.waitFor(() => expect(text(cohort.querySelector('tp-problem')?.shadowRoot ?? cohort)).toMatch(/OMOP_SOURCE/))
    })
  })
})
