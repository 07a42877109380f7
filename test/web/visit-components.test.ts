// @vitest-environment happy-dom
/**
 * The visit form generated from the protocol (with body weight for a per-kg
 * dose, the lab's ULN where a definition reads it, the baseline note) and
 * the calendar's missing-weight path, against a stubbed server.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ProtocolDocument } from '../../engine/index.ts'
import type { Subject, SubjectCalendar } from '../../web/api/subjects.ts'
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
  protocol: { id: 'P1' },
  parameters: {},
  reference_dates: { randomization: { label: 'randomization' } },
  arms: [
    {
      id: 'msc',
      label: 'MSCs group',
      text: '',
      interventions: [
        {
          id: 'uc_msc_iv',
          product: 'MSC',
          dose: { amount: 2000000, unit: '{cells}', per: 'kg' },
          route: 'intravenous',
          start: { ref: 'randomization', day: 1 },
          doses_per_cycle: 1,
          cycles: 1,
        },
      ],
    },
    {
      id: 'il2',
      label: 'IL-2 group',
      text: '',
      interventions: [
        {
          id: 'il2_sc',
          product: 'IL-2',
          dose: { amount: 1000000, unit: '[IU]' },
          route: 'subcutaneous',
          start: { ref: 'randomization', day: 1 },
          doses_per_cycle: 1,
          cycles: 1,
        },
      ],
    },
  ],
  visits: [
    { id: 'baseline', label: 'baseline', ref: 'randomization', day: 1, window: { before_days: 28, after_days: 0 } },
    { id: 'week_4', label: 'week 4', ref: 'randomization', day: 29, window: { before_days: 7, after_days: 7 } },
  ],
  attestations: { other_deterioration: { question: 'Any other deterioration?' } },
  endpoints: [
    {
      id: 'pr',
      type: 'response',
      title: 'PR',
      visits: ['week_4'],
      logic: {
        all: [
          { measurement: { concept: 'serum_creatinine', op: '>', value: { times_upper_limit: 1 }, window: { visit: 'baseline' } } },
          { measurement: { concept: 'urine_protein_creatinine_ratio', op: '<', value: 0.5, unit: 'g/g', window: { visit: 'current' } } },
          { attestation: 'other_deterioration', is: false, at: 'current' },
        ],
      },
    },
  ],
} as unknown as ProtocolDocument

const labs = [
  { id: 'serum_creatinine', name: 'Serum creatinine', unit: 'mg/dL', molar_mass_g_per_mol: 113.12 },
  { id: 'urine_protein_creatinine_ratio', name: 'UPCR', unit: 'g/g', denominator_molar_mass_g_per_mol: 113.12 },
]
const plan = [
  { visit: 'baseline', label: 'baseline', day: 1, due: '2026-01-19', window_start: '2025-12-22', window_end: '2026-01-19' },
  { visit: 'week_4', label: 'week 4', day: 29, due: '2026-02-16', window_start: '2026-02-09', window_end: '2026-02-23' },
]
const record = {
  id: 'S-001',
  arm: 'msc',
  dates: { randomization: '2026-01-19' },
  measurements: [
    { concept: 'serum_creatinine', value: 1.4, unit: 'mg/dL', date: '2026-01-05', reference_range: { high: 1.1 } },
    { concept: 'urine_protein_creatinine_ratio', value: 2.2, unit: 'g/g', date: '2025-12-01' }, // before the baseline window
  ],
}

// every describe below mounts these components, in whatever order the tests run
beforeAll(async () => {
  await import('../../web/components/tp-subject-visit-form.ts')
  await import('../../web/components/tp-subject-calendar.ts')
})

describe('tp-subject-visit-form', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    calls.length = 0
  })

  async function mount() {
    document.body.innerHTML = ''
    const el = document.createElement('tp-subject-visit-form')
    Object.assign(el, { subjectId: 'sid-1', protocolId: 'p1', doc, record, recorded: [] })
    document.body.append(el)
    await vi.waitFor(() => expect(calls.some(c => c.path.startsWith('/protocols/p1/visits'))).toBe(true))
    await el.updateComplete
    return el
  }
  const set = (root: ShadowRoot, sel: string, value: string, type = 'input') => {
    const input = root.querySelector(sel) as HTMLInputElement
    input.value = value
    input.dispatchEvent(new Event(type))
  }

  it('at baseline: the creatinine with its ULN, the weight for the per-kg dose, and the screening value already in the window', async () => {
    routes = {
      'GET /dictionary/lab-concepts': () => ({ status: 200, body: labs }),
      'GET /protocols/p1/visits?start=2026-01-19': () => ({ status: 200, body: { version: 1, visits: plan, problems: [] } }),
    }
    stubFetch()
    const el = await mount()
    const root = el.shadowRoot!
    set(root, '#visit', 'baseline', 'change')
    await el.updateComplete
    await vi.waitFor(() => expect(root.querySelector('[data-testid="baseline-note"]')).toBeTruthy())
    expect(text(root.querySelector('[data-testid="baseline-note"]'))).toContain('Serum creatinine: 1.4 mg/dL on 2026-01-05')
    expect(text(root.querySelector('[data-testid="baseline-note"]'))).not.toContain('UPCR') // dated before the window
    // baseline reads creatinine (against its ULN) but not UPCR; no visit question at baseline
    expect(root.querySelector('#m-serum_creatinine')).toBeTruthy()
    expect(root.querySelector('#m-serum_creatinine-high')).toBeTruthy()
    expect(root.querySelector('#m-urine_protein_creatinine_ratio')).toBeNull()
    expect(root.querySelectorAll('legend')).toHaveLength(0)
    expect(text(root.querySelector('label[for="weight"]'))).toBe('Body weight')
    expect(text(root)).toContain('None recorded yet: the per-kg dose of MSCs group (MSC) needs it.')
    const units = [...root.querySelectorAll('select[aria-label="Body weight unit"] option')].map(o => text(o))
    expect(units).toEqual(['kg', 'lb'])
  })

  it('sends the weight in the unit chosen and the limit with its value; refuses a weight of 0 without sending', async () => {
    routes = {
      'GET /dictionary/lab-concepts': () => ({ status: 200, body: labs }),
      'GET /protocols/p1/visits?start=2026-01-19': () => ({ status: 200, body: { version: 1, visits: plan, problems: [] } }),
      'POST /subjects/sid-1/visits': () => ({ status: 201, body: { warnings: [] } }),
    }
    stubFetch()
    const el = await mount()
    const root = el.shadowRoot!
    set(root, '#visit', 'baseline', 'change')
    await el.updateComplete
    set(root, '#visit-date', '2026-01-19')
    set(root, '#m-serum_creatinine', '1.3')
    set(root, '#m-serum_creatinine-high', '1.1')
    set(root, '#weight', '0')
    await el.updateComplete
    root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }))
    await vi.waitFor(() => expect(text(root.querySelector('[role="alert"]'))).toContain('Body weight: expected a number > 0, got "0"'))
    expect(calls.some(c => c.method === 'POST')).toBe(false)

    set(root, '#weight', '132')
    set(root, 'select[aria-label="Body weight unit"]', '[lb_av]', 'change')
    await el.updateComplete
    root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }))
    await vi.waitFor(() =>
      expect(calls.find(c => c.method === 'POST')?.body).toEqual({
        visit: 'baseline',
        date: '2026-01-19',
        measurements: [
          { concept: 'serum_creatinine', value: 1.3, unit: 'mg/dL', date: '2026-01-19', reference_range: { high: 1.1 } },
          { concept: 'body_weight', value: 132, unit: '[lb_av]', date: '2026-01-19' },
        ],
      }),
    )
  })

  it('at week 4: UPCR and the visit question; the last weight is named', async () => {
    routes = {
      // fetched here when this test runs first; otherwise the page kept it from an earlier one
      'GET /dictionary/lab-concepts': () => ({ status: 200, body: labs }),
      'GET /protocols/p1/visits?start=2026-01-19': () => ({ status: 200, body: { version: 1, visits: plan, problems: [] } }),
    }
    stubFetch()
    document.body.innerHTML = ''
    const el = document.createElement('tp-subject-visit-form')
    Object.assign(el, {
      subjectId: 'sid-1',
      protocolId: 'p1',
      doc,
      recorded: ['baseline'],
      record: { ...record, measurements: [{ concept: 'body_weight', value: 61, unit: 'kg', date: '2026-01-18' }] },
    })
    document.body.append(el)
    await el.updateComplete
    const root = el.shadowRoot!
    expect([...root.querySelectorAll('#visit option')].map(o => text(o))).toEqual(['Choose…', 'week 4'])
    set(root, '#visit', 'week_4', 'change')
    await el.updateComplete
    // the dictionary's name (fetched once per page: here, or kept from an earlier test)
    await vi.waitFor(() => expect(text(root.querySelector('label[for="m-urine_protein_creatinine_ratio"]'))).toBe('UPCR'))
    expect(root.querySelector('#m-serum_creatinine')).toBeNull()
    expect([...root.querySelectorAll('legend')].map(l => text(l))).toEqual(['Any other deterioration?'])
    expect(text(root)).toContain('Last recorded: 61 kg on 2026-01-18.')
    expect(root.querySelector('[data-testid="baseline-note"]')).toBeNull()
  })
})

describe('tp-subject-calendar without a body weight', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    calls.length = 0
  })

  const subject = {
    id: 'sid-1',
    protocol_id: 'p1',
    code: 'S-001',
    status: 'randomized',
    arm: 'msc',
    created_at: '',
    updated_at: '',
    record,
    record_version: 3,
    screening: [],
  } as unknown as Subject
  const noDosing: SubjectCalendar = {
    version: 1,
    arm: 'msc',
    arm_label: 'MSCs group',
    interventions: { uc_msc_iv: 'MSC' },
    dosing: null,
    dosing_problems: ['arm "msc", intervention "uc_msc_iv": dose is per kg: body weight needed'],
    needs_weight: true,
    visits: plan,
    visit_problems: [],
    baseline_from_data: { baseline: '2026-01-05' },
  }

  async function mount(canManage: boolean) {
    document.body.innerHTML = ''
    const el = document.createElement('tp-subject-calendar')
    Object.assign(el, { subject, canManage })
    document.body.append(el)
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector('[data-testid="timeline"]')).toBeTruthy())
    return el
  }

  it('says what to enter, offers the weight in place, still shows the visits, and offers no "Try again"', async () => {
    routes = { 'GET /subjects/sid-1/calendar': () => ({ status: 200, body: noDosing }) }
    stubFetch()
    const el = await mount(true)
    const root = el.shadowRoot!
    expect(text(root.querySelector('.needs'))).toContain(
      'The dosing calendar needs the body weight. Arm MSCs group is dosed per kg of body weight and no body weight is recorded for this subject.',
    )
    expect(root.querySelector('#cal-weight')).toBeTruthy()
    expect(root.querySelectorAll('[data-testid="timeline"] tbody tr')).toHaveLength(2)
    // the baseline visit was not recorded, but the screening creatinine lies in its window: done, not missed
    expect(text(root.querySelector('[data-testid="timeline"] tr[data-visit="baseline"]'))).toContain('✓ done (from screening data, 2026-01-05)')
    expect([...root.querySelectorAll('button')].map(b => text(b))).toEqual(['Save the weight'])
  })

  it('saves the weight as a new version of the record and tells the page; a bad weight is refused before sending', async () => {
    let saved: unknown
    routes = {
      'GET /subjects/sid-1/calendar': () => ({ status: 200, body: noDosing }),
      'PUT /subjects/sid-1/record': body => {
        saved = body
        return { status: 200, body: { subject, version: { version: 4 }, screening: null } }
      },
    }
    stubFetch()
    const el = await mount(true)
    const root = el.shadowRoot!
    const changed = vi.fn()
    el.addEventListener('subject-changed', changed)
    const set = (sel: string, value: string, type = 'input') => {
      const input = root.querySelector(sel) as HTMLInputElement
      input.value = value
      input.dispatchEvent(new Event(type))
    }
    set('#cal-weight', 'sixty')
    set('#cal-weight-date', '2026-01-19')
    await el.updateComplete
    root.querySelector('.needs form')!.dispatchEvent(new Event('submit', { cancelable: true }))
    await vi.waitFor(() => expect(text(root.querySelector('.needs [role="alert"]'))).toContain('Body weight: expected a number ≥ 0, got "sixty"'))
    expect(calls.some(c => c.method === 'PUT')).toBe(false)

    set('#cal-weight', '60,5')
    await el.updateComplete
    root.querySelector('.needs form')!.dispatchEvent(new Event('submit', { cancelable: true }))
    await vi.waitFor(() => expect(changed).toHaveBeenCalledOnce())
    expect(saved).toEqual({
      record: { ...record, measurements: [...record.measurements, { concept: 'body_weight', value: 60.5, unit: 'kg', date: '2026-01-19' }] },
      base_version: 3,
      note: 'body weight for the per-kg dose',
    })
  })

  it('a viewer is told who can enter it, with no form', async () => {
    routes = { 'GET /subjects/sid-1/calendar': () => ({ status: 200, body: noDosing }) }
    stubFetch()
    const el = await mount(false)
    expect(text(el.shadowRoot!.querySelector('.needs'))).toContain('A clinician or admin can enter it on this page.')
    expect(el.shadowRoot!.querySelector('form')).toBeNull()
  })

  it('a refused request shows the problem without "Try again"; a network failure offers it', async () => {
    routes = {
      'GET /subjects/sid-1/calendar': () => ({
        status: 409,
        body: { type: 'x/conflict', title: 'Conflict', status: 409, detail: 'subject has no randomization date' },
      }),
    }
    stubFetch()
    document.body.innerHTML = ''
    const el = document.createElement('tp-subject-calendar')
    Object.assign(el, { subject, canManage: true })
    document.body.append(el)
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector('tp-problem')).toBeTruthy())
    expect(el.shadowRoot!.querySelector('button')).toBeNull()
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch')
    })
    el.revision = 1
    await vi.waitFor(() => expect(text(el.shadowRoot!.querySelector('button'))).toBe('Try again'))
  })
})

describe('tp-subject-calendar: doses recorded as given', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    calls.length = 0
  })
  const dose = {
    intervention: 'uc_msc_iv',
    date: '2026-01-19',
    day: 1,
    cycle: 1,
    dose_in_cycle: 1,
    amount: 120000000,
    unit: '{cells}',
    route: 'intravenous' as const,
    basis: '2e6 {cells}/kg × 60 kg',
  }
  const withDosing: SubjectCalendar = {
    version: 1,
    arm: 'msc',
    arm_label: 'MSCs group',
    interventions: { uc_msc_iv: 'MSC' },
    dosing: { arm: 'msc', start: '2026-01-19', administrations: [dose], totals: [{ intervention: 'uc_msc_iv', amount: 120000000, unit: '{cells}', doses: 1 }] },
    dosing_problems: [],
    needs_weight: false,
    visits: plan,
    visit_problems: [],
    baseline_from_data: {},
  }
  const subjectWith = (extra: object) =>
    ({
      id: 'sid-1',
      protocol_id: 'p1',
      code: 'S-001',
      status: 'randomized',
      arm: 'msc',
      created_at: '',
      updated_at: '',
      record: { ...record, ...extra },
      record_version: 3,
      screening: [],
    }) as unknown as Subject

  async function mount(subject: Subject, canManage: boolean) {
    routes['GET /subjects/sid-1/calendar'] = () => ({ status: 200, body: withDosing })
    stubFetch()
    document.body.innerHTML = ''
    const el = document.createElement('tp-subject-calendar')
    Object.assign(el, { subject, canManage })
    document.body.append(el)
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector('[data-testid="dosing"]')).toBeTruthy())
    return el
  }

  it("names the arm and the product in the protocol's words, never their ids; the baseline without data stays missed", async () => {
    routes = {}
    const el = await mount(subjectWith({ visits: [{ visit: 'week_4', date: '2026-02-16' }] }), false)
    const root = el.shadowRoot!
    expect(text(root.querySelector('p.note'))).toBe('1 planned dose from 2026-01-19 (arm MSCs group); MSC: 1 dose, 120,000,000 cells in total.')
    expect(text(root.querySelector('[data-testid="dosing"]'))).not.toMatch(/uc_msc_iv|\bmsc\b/)
    expect(text(root.querySelector('tr[data-visit="baseline"]'))).toContain('missed')
    // a viewer reads the dose as not given, with nothing to press
    expect(text(root.querySelector('tr[data-dose="1"]'))).toContain('not recorded as given')
    expect(root.querySelector('tr[data-dose="1"] button')).toBeNull()
  })

  it('records a planned dose as given (date, the planned amount editable) as a new version; a future date or no amount is refused before sending', async () => {
    let saved: unknown
    routes = {
      'PUT /subjects/sid-1/record': body => {
        saved = body
        return { status: 200, body: { version: { version: 4 }, screening: null } }
      },
    }
    const el = await mount(subjectWith({}), true)
    const root = el.shadowRoot!
    const changed = vi.fn()
    el.addEventListener('subject-changed', changed)
    ;(root.querySelector('tr[data-dose="1"] button') as HTMLButtonElement).click()
    await el.updateComplete
    const date = root.querySelector('#given-date') as HTMLInputElement
    const amount = root.querySelector('#given-amount') as HTMLInputElement
    expect(date.value).toBe('2026-01-19') // the planned date, already past
    expect(amount.value).toBe('120000000')
    expect(text(root.querySelector('label[for="given-amount"]'))).toBe('Dose given (cells)')
    const set = (input: HTMLInputElement, value: string) => {
      input.value = value
      input.dispatchEvent(new Event('input'))
    }
    const submit = async () => {
      await el.updateComplete
      root.querySelector('.give form')!.dispatchEvent(new Event('submit', { cancelable: true }))
    }
    set(date, '2999-01-01')
    set(amount, '')
    await submit()
    await vi.waitFor(() => expect(text(root.querySelector('.give [role="alert"]'))).toContain('Date given: 2999-01-01 is after today'))
    expect(text(root.querySelector('.give [role="alert"]'))).toContain('Dose given: enter the amount given')
    expect(calls.some(c => c.method === 'PUT')).toBe(false)

    set(date, '2026-01-20')
    set(amount, '110,000,000')
    await submit()
    await vi.waitFor(() => expect(changed).toHaveBeenCalledOnce())
    expect(saved).toEqual({
      record: { ...record, administrations: [{ intervention: 'uc_msc_iv', date: '2026-01-20', amount: 110000000, unit: '{cells}' }] },
      base_version: 3,
      note: 'dose 1 of the calendar (planned 2026-01-19) given',
    })
  })

  it('a dose given reads "given (date)", with the amount when it differs from the plan, and offers no button', async () => {
    routes = {}
    const el = await mount(subjectWith({ administrations: [{ intervention: 'uc_msc_iv', date: '2026-01-20', amount: 110000000, unit: '{cells}' }] }), true)
    const row = el.shadowRoot!.querySelector('tr[data-dose="1"]')
    expect(text(row)).toContain('✓ given (2026-01-20): 110,000,000 cells')
    expect(row!.querySelector('button')).toBeNull()
  })
})
