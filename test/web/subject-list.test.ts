// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { TpSubjectList } from '../../web/components/tp-subject-list.ts'
import { text } from './dom.ts'

type Handler = (init: { method: string; body: unknown }) => { status: number; body: unknown }
let routes: Record<string, Handler>
const calls: Array<{ method: string; path: string; body: unknown }> = []

/** fetch answering `routes['METHOD /path']`, problem+json 404 otherwise. */
function stubFetch() {
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET'
    const body = init.body ? JSON.parse(String(init.body)) : undefined
    calls.push({ method, path: input, body })
    const h = routes[`${method} ${input}`]
    const r = h
      ? h({ method, body })
      : { status: 404, body: { type: 'about:blank/not-found', title: 'Not Found', status: 404, detail: `no route ${method} ${input}` } }
    const type = r.status >= 400 ? 'application/problem+json' : 'application/json'
    return new Response(JSON.stringify(r.body), { status: r.status, headers: { 'Content-Type': type } })
  })
}

const problem = (status: number, detail: string) => ({
  status,
  body: {
    type: `https://ln-trial-rules.dev/problems/${status === 409 ? 'conflict' : 'bad-request'}`,
    title: status === 409 ? 'Conflict' : 'Bad Request',
    status,
    detail,
  },
})

const subjects = [
  {
    id: 'a1',
    code: 'S-001',
    status: 'randomized',
    arm: 'il2',
    arm_label: 'IL-2 group',
    screenings: null,
    next_visit: { visit: 'week_4', label: 'week 4', day: 29, due: '2026-02-16', window_start: '2026-02-09', window_end: '2026-02-23' },
    missed_visits: [],
  },
  { id: 'b2', code: 'S-002', status: 'screened', arm: null, arm_label: null, screenings: 0, next_visit: null, missed_visits: [] },
  { id: 'd4', code: 'S-004', status: 'screened', arm: null, arm_label: null, screenings: 1, next_visit: null, missed_visits: [] },
]

async function mount(canManage: boolean): Promise<TpSubjectList> {
  document.body.innerHTML = ''
  const el = document.createElement('tp-subject-list')
  el.protocolId = 'nct05631717'
  el.canManage = canManage
  document.body.append(el)
  await el.updateComplete
  return el
}
const $ = (el: TpSubjectList, sel: string) => el.shadowRoot!.querySelector(sel)

describe('tp-subject-list', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-subject-list.ts')
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
    calls.length = 0
  })

  it('lists code, status, arm and next visit due with its window, each code linking to the subject page', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date(2026, 1, 10, 12)) // inside week 4's window
    routes = { 'GET /protocols/nct05631717/subjects': () => ({ status: 200, body: subjects }) }
    stubFetch()
    const el = await mount(false)
    expect(text($(el, '[role="status"]'))).toBe('Loading subjects…')
    await vi.waitFor(() => expect(el.shadowRoot!.querySelectorAll('tbody tr')).toHaveLength(3))
    const [first, second, third] = [...el.shadowRoot!.querySelectorAll('tbody tr')]
    expect(first!.querySelector('a')!.getAttribute('href')).toBe('#/subjects/a1')
    // the arm by its label (the id stays in data-arm), a subject with no screening yet in words
    expect(text(first)).toBe('S-001 randomized IL-2 group week 4: due 2026-02-16 ● due (window 2026-02-09 to 2026-02-23)')
    expect(first!.querySelector('[data-arm]')!.getAttribute('data-arm')).toBe('il2')
    expect(text(second)).toBe('S-002 registered, not screened yet none yet — (not randomized)')
    expect(text(third)).toBe('S-004 screened none yet — (not randomized)')
    expect(text($(el, 'caption'))).toBe('3 subjects in this protocol')
    expect($(el, 'form')).toBeNull() // a viewer registers no one
  })

  it('names the visits missed before the last recorded one, beside the next one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date(2026, 1, 20, 12)) // inside week 8's window
    const week8 = { visit: 'week_8', label: 'week 8', day: 57, due: '2026-03-16', window_start: '2026-03-09', window_end: '2026-03-23' }
    routes = { 'GET /protocols/nct05631717/subjects': () => ({ status: 200, body: [{ ...subjects[0], next_visit: week8, missed_visits: ['baseline'] }] }) }
    stubFetch()
    const el = await mount(false)
    await vi.waitFor(() => expect(el.shadowRoot!.querySelectorAll('tbody tr')).toHaveLength(1))
    expect(text($(el, 'tbody tr'))).toBe(
      'S-001 randomized IL-2 group week 8: due 2026-03-16 ○ not yet due (window opens 2026-03-09) ✗ baseline: missed (a later visit was recorded)',
    )
    expect(text($(el, 'tbody tr'))).not.toContain('overdue')
  })

  it('says a visit is overdue once its window has closed (the day after, not on the last day)', async () => {
    routes = { 'GET /protocols/nct05631717/subjects': () => ({ status: 200, body: subjects.slice(0, 1) }) }
    stubFetch()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date(2026, 1, 23, 12)) // the window's last day
    let el = await mount(false)
    await vi.waitFor(() => expect(el.shadowRoot!.querySelectorAll('tbody tr')).toHaveLength(1))
    expect(text($(el, 'tbody tr'))).toContain('● due (window 2026-02-09 to 2026-02-23)')
    vi.setSystemTime(new Date(2026, 1, 24, 12))
    el = await mount(false)
    await vi.waitFor(() => expect(text($(el, 'tbody tr'))).toContain('! overdue (window closed 2026-02-23, not recorded)'))
    expect($(el, '[data-status]')?.getAttribute('data-status')).toBe('overdue')
  })

  it('shows a failed load with the problem and a retry', async () => {
    routes = {
      'GET /protocols/nct05631717/subjects': () => ({
        status: 500,
        body: { type: 'x/internal', title: 'Internal Server Error', status: 500, detail: 'database locked' },
      }),
    }
    stubFetch()
    const el = await mount(true)
    await vi.waitFor(() => expect(text($(el, 'tp-problem')?.shadowRoot)).toContain('Loading the subjects failed: Internal Server Error'))
    expect(text($(el, 'tp-problem')?.shadowRoot)).toContain('database locked')
    routes['GET /protocols/nct05631717/subjects'] = () => ({ status: 200, body: [] })
    ;($(el, 'tp-problem + button') as HTMLButtonElement).click()
    await vi.waitFor(() => expect(text(el.shadowRoot)).toContain('No subjects registered yet.'))
  })

  it('registers a code with a record, then lists it; a taken code shows the 409', async () => {
    const list = subjects.slice(0, 2)
    routes = {
      'GET /protocols/nct05631717/subjects': () => ({ status: 200, body: list }),
      'POST /protocols/nct05631717/subjects': ({ body }) => {
        const { code } = body as { code: string }
        if (list.some(s => s.code === code)) return problem(409, `subject code ${code} already exists in protocol nct05631717`)
        list.push({ id: 'c3', code, status: 'screened', arm: null, arm_label: null, screenings: 0, next_visit: null, missed_visits: [] })
        return { status: 201, body: { id: 'c3', code, status: 'screened', arm: null, record: {} } }
      },
    }
    stubFetch()
    const el = await mount(true)
    await vi.waitFor(() => expect(el.shadowRoot!.querySelectorAll('tbody tr')).toHaveLength(2))
    expect(text($(el, '#code-hint'))).toContain('never a name: 2 to 32 letters, digits or hyphens')
    const form = $(el, 'form') as HTMLFormElement
    const submit = async (code: string, record: string) => {
      ;($(el, '#code') as HTMLInputElement).value = code
      ;($(el, '#record') as HTMLTextAreaElement).value = record
      form.dispatchEvent(new Event('submit', { cancelable: true }))
      await el.updateComplete
    }

    await submit('S-001', '')
    await vi.waitFor(() => expect(text($(el, 'form tp-problem')?.shadowRoot)).toContain('Registering the subject failed: Conflict'))
    expect(text($(el, 'form tp-problem')?.shadowRoot)).toContain('subject code S-001 already exists')

    await submit('S-003', '{ "sex": "female" }')
    await vi.waitFor(() => expect(text($(el, '.ok'))).toBe('✓ Registered S-003. Open S-003 to enter their record and screen them.'))
    expect(calls.filter(c => c.method === 'POST').at(-1)!.body).toEqual({ code: 'S-003', record: { sex: 'female' } })
    expect($(el, 'form tp-problem')).toBeNull()
    await vi.waitFor(() => expect(el.shadowRoot!.querySelectorAll('tbody tr')).toHaveLength(3))
  })

  it('refuses a record that is not a JSON object before sending anything', async () => {
    routes = { 'GET /protocols/nct05631717/subjects': () => ({ status: 200, body: [] }) }
    stubFetch()
    const el = await mount(true)
    ;($(el, '#code') as HTMLInputElement).value = 'S-009'
    ;($(el, '#record') as HTMLTextAreaElement).value = '[1, 2]'
    $(el, 'form')!.dispatchEvent(new Event('submit', { cancelable: true }))
    await el.updateComplete
    await vi.waitFor(() => expect(text($(el, 'form tp-problem')?.shadowRoot)).toContain('The initial record is not a JSON object: expected a JSON object'))
    expect(calls.some(c => c.method === 'POST')).toBe(false)
  })
})
