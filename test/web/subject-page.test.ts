// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { TpSubjectPage } from '../../web/components/tp-subject-page.ts'
import type { Subject } from '../../web/api/subjects.ts'
import { text } from './dom.ts'

type Answer = { status: number; body: unknown }
let routes: Record<string, (body: unknown) => Answer>
const calls: Array<{ method: string; path: string; body: unknown }> = []

function stubFetch() {
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET'
    const body = init.body ? JSON.parse(String(init.body)) : undefined
    calls.push({ method, path: input, body })
    const h = routes[`${method} ${input}`]
    const r = h ? h(body) : { status: 404, body: { type: 'x/not-found', title: 'Not Found', status: 404, detail: `no route ${method} ${input}` } }
    return new Response(JSON.stringify(r.body), {
      status: r.status,
      headers: { 'Content-Type': r.status >= 400 ? 'application/problem+json' : 'application/json' },
    })
  })
}

const doc = {
  arms: [
    { id: 'il2', label: 'IL-2 group', text: '', interventions: [] },
    { id: 'control', label: 'Control group', text: '', interventions: [] },
  ],
  visits: [
    { id: 'baseline', label: 'baseline' },
    { id: 'week_4', label: 'week 4' },
  ],
  attestations: { other_deterioration: { question: 'At this visit, any other deterioration?' } },
  endpoints: [
    {
      id: 'complete_response',
      title: 'Complete response (CR)',
      type: 'response',
      visits: ['week_4'],
      logic: { attestation: 'other_deterioration', is: false, at: 'current' },
    },
    { id: 'time_to_cr', title: 'Time to CR', type: 'time_to_event' },
  ],
}
const eligible = { id: 7, created_at: '2026-01-05T10:00:00.000Z', version: 1, overall: 'eligible', failing: [], actor: 'admin' }
const subject = (over: Record<string, unknown> = {}): Subject =>
  ({
    id: 'sid-1',
    protocol_id: 'nct05631717',
    code: 'S-001',
    status: 'screened',
    arm: null,
    created_at: '2026-01-05T09:00:00.000Z',
    updated_at: '2026-01-05T09:00:00.000Z',
    record: { id: 'S-001', dates: { randomization: '2026-01-19' } },
    record_version: 1,
    screening: [eligible],
    ...over,
  }) as Subject
const randomized = subject({
  status: 'randomized',
  arm: 'il2',
  record: {
    id: 'S-001',
    arm: 'il2',
    dates: { randomization: '2026-01-19' },
    visits: [{ visit: 'baseline', date: '2026-01-19' }],
    adverse_events: [{ term: 'Injection site reaction', onset: '2026-01-20', end: '2026-01-22', seriousness: {}, relatedness: 'related', ctcae_grade: 1 }],
  },
})
const calendar = {
  version: 1,
  arm: 'il2',
  arm_label: 'IL-2 group',
  interventions: { il2_sc: 'Interleukin-2' },
  visit_problems: [],
  baseline_from_data: {},
  dosing: {
    arm: 'il2',
    start: '2026-01-19',
    totals: [{ intervention: 'il2_sc', amount: 2000000, unit: '[IU]', doses: 2 }],
    administrations: [
      { intervention: 'il2_sc', date: '2026-01-19', day: 1, cycle: 1, dose_in_cycle: 1, amount: 1000000, unit: '[IU]', route: 'subcutaneous', basis: 'fixed' },
      { intervention: 'il2_sc', date: '2026-01-21', day: 3, cycle: 1, dose_in_cycle: 2, amount: 1000000, unit: '[IU]', route: 'subcutaneous', basis: 'fixed' },
    ],
  },
  visits: [
    { visit: 'baseline', label: 'baseline', day: 1, due: '2026-01-19', window_start: '2025-12-22', window_end: '2026-01-19' },
    { visit: 'week_4', label: 'week 4', day: 29, due: '2026-02-16', window_start: '2026-02-09', window_end: '2026-02-23' },
  ],
}
const series = {
  version: 1,
  anchor: { ref: 'randomization', date: '2026-01-19' },
  series: [
    {
      id: 'upcr',
      label: 'UPCR',
      unit: 'g/g',
      step: false,
      points: [
        { date: '2026-01-04', day: -15, value: 1.8, note: '' },
        { date: '2026-02-16', day: 29, value: 0.4, note: '' },
      ],
      problems: [],
      thresholds: [{ y: 0.5, label: 'Complete response (CR): < 0.5 g/g' }],
    },
    { id: 'serum_creatinine', label: 'Serum creatinine', unit: 'mg/dL', step: false, points: [], problems: ['2026-01-04: 88 mL left out'], thresholds: [] },
  ],
}
const endpoints = {
  version: 1,
  subject: 'S-001',
  arm: 'il2',
  responses: [{ endpoint: 'complete_response', visit: 'week_4', truth: 'met', explanation: {}, missing: [] }],
  classifications: [{ endpoint: 'response_status', visit: 'week_4', level: 'CR', detail: '', missing: [] }],
  times_to_event: [{ endpoint: 'time_to_cr', event: true, days: 28, detail: '' }],
  changes: [],
  responder_index: [],
  safety: [],
}

/** Every element matching `sel` in `root` and in every shadow root below it. */
function deepAll(root: ParentNode, sel: string): Element[] {
  const out = [...root.querySelectorAll(sel)]
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) out.push(...deepAll(el.shadowRoot, sel))
  return out
}
const deep = (root: ParentNode, sel: string) => deepAll(root, sel)[0]
const deepText = (root: ParentNode): string => {
  let t = text(root)
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) t += ` ${deepText(el.shadowRoot)}`
  return t
}

async function mount(canManage: boolean): Promise<TpSubjectPage> {
  document.body.innerHTML = ''
  const el = document.createElement('tp-subject-page')
  el.subjectId = 'sid-1'
  el.canManage = canManage
  document.body.append(el)
  await el.updateComplete
  return el
}

describe('tp-subject-page', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-subject-page.ts')
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    calls.length = 0
  })

  it('shows the loading state, then a 404 as a problem', async () => {
    routes = {}
    stubFetch()
    const el = await mount(true)
    expect(text(el.shadowRoot)).toBe('Loading the subject…')
    await vi.waitFor(() => expect(deepText(el.shadowRoot!)).toContain('Loading the subject failed: Not Found'))
  })

  it('offers randomization after an eligible screening, and reloads the page once randomized', async () => {
    let current = subject()
    routes = {
      'GET /subjects/sid-1': () => ({ status: 200, body: current }),
      'GET /protocols/nct05631717': () => ({ status: 200, body: { version: 1, document: doc } }),
      'POST /subjects/sid-1/randomize': () => {
        current = randomized
        return { status: 200, body: randomized }
      },
      'GET /subjects/sid-1/calendar': () => ({ status: 200, body: calendar }),
      'GET /subjects/sid-1/series': () => ({ status: 200, body: series }),
      'GET /subjects/sid-1/endpoints': () => ({ status: 200, body: endpoints }),
    }
    stubFetch()
    const el = await mount(true)
    await vi.waitFor(() => expect(deep(el.shadowRoot!, 'select#arm')).toBeTruthy())
    expect(text(deep(el.shadowRoot!, '[data-testid="status"]'))).toBe('screened') // one screening: screened
    expect(text(deep(el.shadowRoot!, 'tr[data-evaluation="7"]'))).toContain('✓ Eligible')
    expect(deepAll(el.shadowRoot!, 'select#arm option').map(o => text(o))).toEqual(['IL-2 group (il2)', 'Control group (control)'])
    expect((deep(el.shadowRoot!, '#rand-date') as HTMLInputElement).value).toBe('2026-01-19')
    await vi.waitFor(() => expect(deepText(el.shadowRoot!)).toContain('The dosing calendar and visit plan appear once the subject is randomized.'))

    const form = deep(el.shadowRoot!, 'tp-subject-screening')!.shadowRoot!.querySelector('form')!
    form.dispatchEvent(new Event('submit', { cancelable: true }))
    await vi.waitFor(() => expect(text(deep(el.shadowRoot!, '[data-testid="status"]'))).toBe('randomized'))
    // the arm by the protocol's label, its id only in data-arm
    expect(text(deep(el.shadowRoot!, 'dd[data-arm]'))).toBe('IL-2 group')
    expect(calls.find(c => c.method === 'POST')).toEqual({ method: 'POST', path: '/subjects/sid-1/randomize', body: { arm: 'il2', date: '2026-01-19' } })
    await vi.waitFor(() => expect(deepAll(el.shadowRoot!, '[data-testid="dosing"] tbody tr')).toHaveLength(2))
  })

  it('does not offer randomization after an ineligible screening, and says why', async () => {
    routes = {
      'GET /subjects/sid-1': () => ({
        status: 200,
        body: subject({ screening: [eligible, { ...eligible, id: 8, overall: 'ineligible', failing: ['IN04'] }] }),
      }),
      'GET /protocols/nct05631717': () => ({ status: 200, body: { version: 1, document: doc } }),
    }
    stubFetch()
    const el = await mount(true)
    await vi.waitFor(() => expect(deep(el.shadowRoot!, '[data-testid="randomize-why"]')).toBeTruthy())
    expect(text(deep(el.shadowRoot!, '[data-testid="randomize-why"]'))).toContain('found the subject ineligible (failing: IN04)')
    expect(deep(el.shadowRoot!, 'select#arm')).toBeUndefined()
  })

  it('screens on request and shows the verdict, then the new screening', async () => {
    let screened = false
    routes = {
      'GET /subjects/sid-1': () => ({ status: 200, body: subject({ screening: screened ? [eligible] : [] }) }),
      'GET /protocols/nct05631717': () => ({ status: 200, body: { version: 1, document: doc } }),
      'POST /subjects/sid-1/screening': () => {
        screened = true
        return {
          status: 200,
          body: {
            evaluation_id: 7,
            version: 1,
            subject_id: 'sid-1',
            protocol: { registry_id: 'NCT05631717', version: '1.0.0' },
            overall: 'eligible',
            failing: [],
            undecided: [],
            missing: [],
            criteria: [],
            warnings: [],
          },
        }
      },
    }
    stubFetch()
    const el = await mount(true)
    await vi.waitFor(() => expect(deepText(el.shadowRoot!)).toContain('Not screened yet.'))
    const button = deepAll(el.shadowRoot!, 'button').find(b => text(b) === 'Screen now') as HTMLButtonElement
    button.click()
    await vi.waitFor(() => expect(deep(el.shadowRoot!, 'tr[data-evaluation="7"]')).toBeTruthy())
    expect(calls.find(c => c.method === 'POST')?.body).toEqual({})
    expect(text(deep(el.shadowRoot!, 'details summary'))).toContain('Show the stored record')
    expect(deepText(el.shadowRoot!)).toContain('Verdict of evaluation 7')
  })

  it('screens with changes to the record (a merge patch), and sends nothing when they are not a JSON object', async () => {
    routes = {
      'GET /subjects/sid-1': () => ({ status: 200, body: subject({ screening: [] }) }),
      'GET /protocols/nct05631717': () => ({ status: 200, body: { version: 1, document: doc } }),
      'POST /subjects/sid-1/screening': () => ({
        status: 422,
        body: {
          type: 'x/invalid-subject',
          title: 'Invalid subject',
          status: 422,
          detail: 'the subject record would have 1 error(s); nothing was saved',
          diagnostics: [{ code: 'E_SCHEMA_TYPE', severity: 'error', message: 'expected a string', path: 'sex' }],
        },
      }),
    }
    stubFetch()
    const el = await mount(true)
    await vi.waitFor(() => expect(deep(el.shadowRoot!, '#patch')).toBeTruthy())
    // registered, never screened: not "screened"
    expect(text(deep(el.shadowRoot!, '[data-testid="status"]'))).toBe('registered, not screened yet')
    const screening = deep(el.shadowRoot!, 'tp-subject-screening')!.shadowRoot!
    const patch = screening.querySelector('#patch') as HTMLTextAreaElement
    const go = () => ([...screening.querySelectorAll('button')].find(b => text(b) === 'Screen with these changes') as HTMLButtonElement).click()
    patch.value = '"sex"'
    go()
    await vi.waitFor(() => expect(deepText(screening)).toContain('The changes are not a JSON object: expected a JSON object'))
    expect(calls.some(c => c.method === 'POST')).toBe(false)
    patch.value = '{ "sex": 1 }'
    go()
    await vi.waitFor(() => expect(deepText(screening)).toContain('Screening failed: Invalid subject'))
    expect(deepText(screening)).toContain('E_SCHEMA_TYPE at sex — expected a string')
    expect(calls.find(c => c.method === 'POST')?.body).toEqual({ sex: 1 })
  })

  it('shows a randomized subject: dosing calendar, timeline in words, charts, responses and adverse events', async () => {
    routes = {
      'GET /subjects/sid-1': () => ({ status: 200, body: randomized }),
      'GET /protocols/nct05631717': () => ({ status: 200, body: { version: 1, document: doc } }),
      'GET /subjects/sid-1/calendar': () => ({ status: 200, body: calendar }),
      'GET /subjects/sid-1/series': () => ({ status: 200, body: series }),
      'GET /subjects/sid-1/endpoints': () => ({ status: 200, body: endpoints }),
    }
    stubFetch()
    const el = await mount(false)
    await vi.waitFor(() => expect(deepAll(el.shadowRoot!, '[data-testid="dosing"] tbody tr')).toHaveLength(2))
    const dose = deepAll(el.shadowRoot!, '[data-testid="dosing"] tbody tr')[1]!
    expect([...dose.children].map(c => text(c))).toEqual([
      '2026-01-21',
      '3',
      '1',
      '2',
      '1,000,000',
      'IU',
      'subcutaneous (Interleukin-2)',
      'not recorded as given',
    ])
    expect(text(deep(el.shadowRoot!, '[data-testid="timeline"] tr[data-visit="baseline"]'))).toContain('✓ done (2026-01-19)')

    await vi.waitFor(() => expect(deep(el.shadowRoot!, 'article[data-chart="upcr"]')).toBeTruthy())
    const upcr = deep(el.shadowRoot!, 'article[data-chart="upcr"] tp-chart')!
    await vi.waitFor(() =>
      expect(deepAll(upcr.shadowRoot!, 'details tbody tr').map(r => [...r.children].map(c => text(c)))).toEqual([
        ['-15', '1.8'],
        ['29', '0.4'],
      ]),
    )
    expect(text(upcr.shadowRoot!.querySelector('.thresholds'))).toContain('Complete response (CR): < 0.5 g/g at 0.5')
    const creat = deep(el.shadowRoot!, 'article[data-chart="serum_creatinine"]')!
    expect(text(creat)).toContain('⚠ 2026-01-04: 88 mL left out')
    expect(deepText(creat)).toContain('Serum creatinine over time: no values to chart yet.')

    await vi.waitFor(() => expect(deep(el.shadowRoot!, '[data-testid="responses"] tr[data-visit="week_4"]')).toBeTruthy())
    const th = deepAll(el.shadowRoot!, '[data-testid="responses"] thead th').map(t => text(t))
    expect(th).toEqual(['Visit', 'Response status', 'Complete response (CR)', 'Still needed'])
    expect(text(deep(el.shadowRoot!, '[data-testid="responses"] tr[data-visit="week_4"]'))).toBe('week 4 CR ✓ met nothing')
    expect(deepText(el.shadowRoot!)).toContain('Time to CR: 28 days.')

    await vi.waitFor(() => expect(deep(el.shadowRoot!, '[data-testid="adverse-events"]')).toBeTruthy())
    expect(text(deep(el.shadowRoot!, '[data-testid="adverse-events"] tbody tr'))).toBe(
      'Injection site reaction Grade 1 Not serious related 2026-01-20 to 2026-01-22',
    )
    // a viewer: no forms
    expect(deep(el.shadowRoot!, 'tp-subject-visit-form')).toBeUndefined()
    expect(deep(el.shadowRoot!, 'tp-subject-ae-form')).toBeUndefined()
  })

  it('keeps the other sections when one request fails', async () => {
    routes = {
      'GET /subjects/sid-1': () => ({ status: 200, body: randomized }),
      'GET /protocols/nct05631717': () => ({ status: 200, body: { version: 1, document: doc } }),
      'GET /subjects/sid-1/calendar': () => ({
        status: 422,
        body: { type: 'x/invalid-request', title: 'Unprocessable', status: 422, detail: 'no dosing calendar for arm il2: a per-kg dose needs a weight' },
      }),
      'GET /subjects/sid-1/series': () => ({ status: 200, body: series }),
      'GET /subjects/sid-1/endpoints': () => ({ status: 200, body: endpoints }),
    }
    stubFetch()
    const el = await mount(true)
    await vi.waitFor(() => expect(deepText(el.shadowRoot!)).toContain('Loading the dosing calendar failed: Unprocessable'))
    expect(deepText(el.shadowRoot!)).toContain('a per-kg dose needs a weight')
    await vi.waitFor(() => expect(deep(el.shadowRoot!, '[data-testid="responses"]')).toBeTruthy())
  })

  it('records a visit: the form is checked first, then the visit is sent and the page reloads', async () => {
    let current = randomized
    routes = {
      'GET /subjects/sid-1': () => ({ status: 200, body: current }),
      'GET /protocols/nct05631717': () => ({ status: 200, body: { version: 1, document: doc } }),
      'GET /subjects/sid-1/calendar': () => ({ status: 200, body: calendar }),
      'GET /subjects/sid-1/series': () => ({ status: 200, body: series }),
      'GET /subjects/sid-1/endpoints': () => ({ status: 200, body: endpoints }),
      'POST /subjects/sid-1/visits': body => {
        const b = body as { visit: string; date: string }
        current = { ...randomized, record: { ...randomized.record, visits: [...(randomized.record.visits ?? []), { visit: b.visit, date: b.date }] } }
        return { status: 201, body: { ...current, warnings: [] } }
      },
    }
    stubFetch()
    const el = await mount(true)
    await vi.waitFor(() => expect(deep(el.shadowRoot!, 'tp-subject-visit-form')?.shadowRoot?.querySelector('form')).toBeTruthy())
    const vf = deep(el.shadowRoot!, 'tp-subject-visit-form')!.shadowRoot!
    // baseline is recorded: only week 4 is offered
    expect([...vf.querySelectorAll('#visit option')].map(o => text(o))).toEqual(['Choose…', 'week 4'])
    // the fields come from what the endpoints read: this protocol's only endpoint asks one question at each visit
    expect([...vf.querySelectorAll('legend')].map(l => text(l))).toEqual(['At this visit, any other deterioration?'])
    vf.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }))
    await vi.waitFor(() => expect(text(vf.querySelector('[role="alert"]'))).toContain('Nothing was sent: the form has 2 problems'))
    expect(calls.some(c => c.method === 'POST')).toBe(false)

    const set = (sel: string, value: string, type = 'input') => {
      const input = vf.querySelector(sel) as HTMLInputElement
      input.value = value
      input.dispatchEvent(new Event(type))
    }
    set('#visit', 'week_4', 'change')
    set('#visit-date', '2026-02-16')
    ;(vf.querySelectorAll('input[type="radio"]')[1] as HTMLInputElement).dispatchEvent(new Event('change')) // "No"
    await (deep(el.shadowRoot!, 'tp-subject-visit-form') as HTMLElementTagNameMap['tp-subject-visit-form']).updateComplete
    vf.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }))
    await vi.waitFor(() =>
      expect(calls.find(c => c.method === 'POST')?.body).toEqual({
        visit: 'week_4',
        date: '2026-02-16',
        attestations: { other_deterioration: false },
      }),
    )
    await vi.waitFor(() => expect(calls.filter(c => c.path === '/subjects/sid-1').length).toBe(2)) // reloaded
  })
})
