// @vitest-environment happy-dom
/**
 * The protocol library (web/components/tp-protocol-library.ts): id, title,
 * status and version of each protocol; status controls for designers and
 * admins; drafts hidden from clinicians and "Evaluate" on active protocols
 * only. Also the title check the create form runs before sending
 * (web/protocol-title.ts).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { TpProtocolLibrary } from '../../web/components/tp-protocol-library.ts'
import { protocolTitleOf, titleKey } from '../../web/protocol-title.ts'
import { text, until } from './dom.ts'

type Status = 'draft' | 'active' | 'retired'
interface Row {
  id: string
  registry_id: string
  title: string
  status: Status
  version: number
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status < 400 ? 'application/json' : 'application/problem+json' } })

/** The server rule (server/routes/protocol-status.ts), as the stub answers it. */
const TRANSITIONS: Record<Status, Array<{ status: Status; by: string; reason_required: boolean }>> = {
  draft: [
    { status: 'active', by: 'edit_protocols', reason_required: false },
    { status: 'retired', by: 'edit_protocols', reason_required: true },
  ],
  active: [{ status: 'retired', by: 'edit_protocols', reason_required: true }],
  retired: [{ status: 'active', by: 'admin', reason_required: true }],
}

let rows: Row[]
let posts: Array<{ url: string; body: { status: Status; reason?: string } }>
/** When set, POST …/status answers this problem instead. */
let refuse: { status: number; detail: string } | undefined

function stubServer() {
  rows = [
    { id: 'nct05631717', registry_id: 'NCT05631717', title: 'MSCs and IL-2 in LN', status: 'active', version: 3 },
    { id: 'sandbox', registry_id: 'NCT05631717', title: 'MSCs and IL-2 in LN: sandbox', status: 'draft', version: 1 },
    { id: 'nct01639339', registry_id: 'NCT01639339', title: 'Belimumab in LN', status: 'retired', version: 2 },
  ]
  posts = []
  refuse = undefined
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    if (url === '/protocols') {
      return json(
        rows.map(r => ({
          ...r,
          status_transitions: TRANSITIONS[r.status],
          encoding_version: '1.0.0',
          content_hash: 'h',
          updated_at: '2026-12-01T23:30:00Z',
          counts: { criteria: 17, arms: 2, visits: 6, endpoints: 14 },
          warnings: 0,
        })),
      )
    }
    const m = /^\/protocols\/([^/]+)\/status$/.exec(url)
    const row = m ? rows.find(r => r.id === decodeURIComponent(m[1]!)) : undefined
    if (row && init.method === 'POST') {
      const body = JSON.parse(String(init.body)) as { status: Status; reason?: string }
      posts.push({ url, body })
      if (refuse) return json({ type: 'https://x/problems/conflict', title: 'Conflict', status: refuse.status, detail: refuse.detail }, refuse.status)
      const from = row.status
      row.status = body.status
      return json({
        id: row.id,
        status: row.status,
        change: {
          id: 9,
          protocol_id: row.id,
          from_status: from,
          to_status: body.status,
          reason: body.reason ?? null,
          actor: 'd',
          actor_role: 'designer',
          at: '2026-12-02T08:00:00Z',
        },
      })
    }
    return json({ type: 'about:blank', title: 'Not found', status: 404, detail: `no ${url}` }, 404)
  })
}

async function mount(props: { canEdit?: boolean; canEvaluate?: boolean; canAdminister?: boolean }): Promise<ShadowRoot> {
  document.body.innerHTML = ''
  const el = document.createElement('tp-protocol-library') as TpProtocolLibrary
  Object.assign(el, props)
  document.body.append(el)
  await el.updateComplete
  const root = el.shadowRoot!
  await until(() => root.querySelector('tbody tr'))
  return root
}

const row = (root: ShadowRoot, id: string) => root.querySelector<HTMLTableRowElement>(`tr[data-protocol="${id}"]`)
const buttons = (tr: Element | null) => [...(tr?.querySelectorAll('button[data-action]') ?? [])].map(b => text(b))
const links = (tr: Element | null) => [...(tr?.querySelectorAll('td.actions a') ?? [])].map(a => text(a))

describe('tp-protocol-library', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-protocol-library.ts')
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('shows each protocol\'s id, title, status and version as "v3", drafts and retired ones marked', async () => {
    stubServer()
    const root = await mount({ canEdit: true })
    expect([...root.querySelectorAll('tbody tr')].map(tr => tr.getAttribute('data-protocol'))).toEqual(['nct05631717', 'sandbox', 'nct01639339'])
    const active = row(root, 'nct05631717')!
    expect(text(active.querySelector('th[scope="row"]'))).toBe('NCT05631717')
    expect(text(active.querySelector('td.title .title-text'))).toBe('MSCs and IL-2 in LN')
    expect(text(active.querySelector('td.title .note'))).toBe('Registry NCT05631717')
    expect(text(active.querySelector('[data-label="Version"]'))).toBe('v3 saved 2026-12-01')
    expect(text(active.querySelector('[data-testid="status"]'))).toBe('Active')
    // the copy is told apart from its source by its id and title, and marked a draft
    const copy = row(root, 'sandbox')!
    expect(text(copy.querySelector('th[scope="row"]'))).toBe('sandbox')
    expect(text(copy.querySelector('[data-testid="status"]'))).toBe('Draft')
    expect(copy.classList.contains('draft')).toBe(true)
    expect(text(row(root, 'nct01639339')!.querySelector('[data-testid="status"]'))).toBe('Retired')
    expect(text(root.querySelector('caption'))).toBe('3 protocols (1 active, 1 draft, 1 retired), latest versions')
    expect([...root.querySelectorAll('th[scope="col"]')].map(th => text(th)).slice(0, 4)).toEqual(['Protocol id', 'Title', 'Status', 'Version'])
  })

  it('offers a designer the changes the status allows: activate or retire a draft, retire an active one; not reactivation', async () => {
    stubServer()
    const root = await mount({ canEdit: true })
    expect(buttons(row(root, 'sandbox'))).toEqual(['Activate…', 'Retire…'])
    expect(buttons(row(root, 'nct05631717'))).toEqual(['Retire…'])
    expect(buttons(row(root, 'nct01639339'))).toEqual([])
  })

  it('offers an admin reactivation of a retired protocol; a clinician gets no status control', async () => {
    stubServer()
    const admin = await mount({ canEdit: true, canEvaluate: true, canAdminister: true })
    expect(buttons(row(admin, 'nct01639339'))).toEqual(['Reactivate…'])
    // an admin may preview a draft
    expect(links(row(admin, 'sandbox'))).toContain('Evaluate')
    const clinician = await mount({ canEvaluate: true })
    expect(clinician.querySelectorAll('button[data-action]')).toHaveLength(0)
  })

  it('hides drafts from clinicians and offers "Evaluate" on active protocols only', async () => {
    stubServer()
    const root = await mount({ canEvaluate: true })
    expect(row(root, 'sandbox')).toBeNull()
    expect(links(row(root, 'nct05631717'))).toEqual(['View', 'Evaluate', 'Compare'])
    // a retired protocol stays listed (its subjects are still followed) but is not evaluated
    expect(links(row(root, 'nct01639339'))).toEqual(['View', 'Compare'])
    expect(text(root.querySelector('caption'))).toBe('2 protocols (1 active, 1 retired), latest versions')
    expect(root.querySelector('[data-testid="new-protocol"]')).toBeNull()
  })

  it('retires with a required reason, sends it, reloads the list and announces the change', async () => {
    stubServer()
    const root = await mount({ canEdit: true })
    row(root, 'nct05631717')!.querySelector<HTMLButtonElement>('button[data-action="retired"]')!.click()
    const form = await until(() => root.querySelector<HTMLFormElement>('[data-testid="status-form"]'))
    const reason = form.querySelector('textarea')!
    expect(text(root.querySelector(`label[for="${reason.id}"]`))).toBe('Why retire NCT05631717? (required)')
    expect(reason.required).toBe(true)
    const submit = () => form.querySelector<HTMLButtonElement>('button[type="submit"]')!
    expect(submit().disabled).toBe(true)
    reason.value = 'recruitment complete'
    reason.dispatchEvent(new InputEvent('input'))
    await until(() => !submit().disabled)
    form.dispatchEvent(new Event('submit', { cancelable: true }))
    await until(() => text(row(root, 'nct05631717')?.querySelector('[data-testid="status"]')) === 'Retired')
    expect(posts).toEqual([{ url: '/protocols/nct05631717/status', body: { status: 'retired', reason: 'recruitment complete' } }])
    expect(text(root.querySelector('[data-testid="announce"]'))).toBe('NCT05631717 is now retired.')
    expect(root.querySelector('[data-testid="status-form"]')).toBeNull()
  })

  it('activates a draft without a reason (optional)', async () => {
    stubServer()
    const root = await mount({ canEdit: true })
    row(root, 'sandbox')!.querySelector<HTMLButtonElement>('button[data-action="active"]')!.click()
    const form = await until(() => root.querySelector<HTMLFormElement>('[data-testid="status-form"]'))
    expect(text(form.querySelector('label'))).toBe('Why activate sandbox? (optional)')
    expect(form.querySelector<HTMLButtonElement>('button[type="submit"]')!.disabled).toBe(false)
    form.dispatchEvent(new Event('submit', { cancelable: true }))
    await until(() => text(row(root, 'sandbox')?.querySelector('[data-testid="status"]')) === 'Active')
    expect(posts[0]!.body).toEqual({ status: 'active' })
  })

  it("keeps the form and shows the server's problem when the change is refused", async () => {
    stubServer()
    const root = await mount({ canEdit: true })
    refuse = { status: 409, detail: 'protocol nct05631717 changed status meanwhile (it is retired); nothing changed' }
    row(root, 'nct05631717')!.querySelector<HTMLButtonElement>('button[data-action="retired"]')!.click()
    const form = await until(() => root.querySelector<HTMLFormElement>('[data-testid="status-form"]'))
    const reason = form.querySelector('textarea')!
    reason.value = 'closing'
    reason.dispatchEvent(new InputEvent('input'))
    await (root.host as TpProtocolLibrary).updateComplete
    form.dispatchEvent(new Event('submit', { cancelable: true }))
    await until(() => text(form.querySelector('tp-problem')?.shadowRoot).includes('changed status meanwhile'))
    expect(text(row(root, 'nct05631717')!.querySelector('[data-testid="status"]'))).toBe('Active')
    // cancel closes the form without a request
    form.querySelector<HTMLButtonElement>('button.secondary')!.click()
    await until(() => !root.querySelector('[data-testid="status-form"]'))
    expect(posts).toHaveLength(1)
  })
})

describe('the title a new protocol is checked by before sending', () => {
  it.each([
    ['protocol:\n  registry_id: NCT1\n  title: Plain title # note\ncriteria: []\n', 'Plain title'],
    ['protocol:\n  title: "Quoted: with \\"escapes\\""\n', 'Quoted: with "escapes"'],
    ["protocol:\n    title: 'it''s single'\n", "it's single"],
    // a criterion's title is not the protocol's
    ['protocol:\n  registry_id: NCT1\ncriteria:\n  - id: IN01\n    title: Age\n', undefined],
    ['protocol:\n  title: >\n    folded\n', undefined],
    ['', undefined],
  ])('%j → %j', (yaml, want) => {
    expect(protocolTitleOf(yaml)).toBe(want)
  })

  it('compares titles as people read them: case and runs of blanks do not count', () => {
    expect(titleKey('  MSCs  and IL-2 in LN ')).toBe(titleKey('mscs and il-2 in ln'))
    expect(titleKey('MSCs and IL-2 in LN')).not.toBe(titleKey('MSCs and IL-2 in LN: copy'))
  })
})
