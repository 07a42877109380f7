// @vitest-environment happy-dom
/**
 * A subject's record through the generated form (tp-subject-record-editor),
 * the Evaluate page's record attached to a subject (tp-attach-subject), the
 * screening log's links to subjects (tp-screening-log), and what a save does
 * to the stored record (web/subjects/record-edit.ts).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { parse } from 'yaml'
import type { PatientRecord, ProtocolDocument, SubjectRecord } from '../../engine/index.ts'
import labConcepts from '../../engine/dictionary/lab-concepts.json' with { type: 'json' }
import type { Subject } from '../../web/api/subjects.ts'
import type { TpAttachSubject } from '../../web/components/tp-attach-subject.ts'
import type { TpScreeningLog } from '../../web/components/tp-screening-log.ts'
import type { TpSubjectRecordEditor } from '../../web/components/tp-subject-record-editor.ts'
import { applyMergePatch, attachedRecord, editedRecord, mergeDiff } from '../../web/subjects/record-edit.ts'
import { text } from './dom.ts'

const doc = parse(readFileSync(join(import.meta.dirname, '../../protocols/nct05631717.yaml'), 'utf8')) as ProtocolDocument
const UPCR_INPUT = '#f-measurement-urine_protein_creatinine_ratio'

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
const buttonNamed = (root: ParentNode, name: string) => deepAll(root, 'button').find(b => text(b) === name) as HTMLButtonElement | undefined

const upcr = (value: number) => ({ concept: 'urine_protein_creatinine_ratio', value, unit: 'g/g', date: '2026-01-04' })
/** A stored record with what the form has no control for: a visit, an adverse event, a kidney biopsy. */
const stored: SubjectRecord = {
  id: 'S-001',
  birth_date: '1990-05-01',
  sex: 'female',
  dates: { consent: '2026-01-05', screening: '2026-01-05' },
  measurements: [upcr(1.0), { concept: 'serum_albumin', value: 35, unit: 'g/L', date: '2026-01-04' }],
  visits: [{ visit: 'baseline', date: '2026-01-19' }],
  adverse_events: [{ term: 'Headache', onset: '2026-01-20', seriousness: {}, relatedness: 'not_related' }],
  kidney_biopsies: [{ date: '2025-11-01', classes: ['IV-G'] }],
}
const subject = (over: Partial<Subject> = {}): Subject => ({
  id: 'sid-1',
  protocol_id: 'nct05631717',
  code: 'S-001',
  status: 'screened',
  arm: null,
  created_at: '2026-01-05T09:00:00.000Z',
  updated_at: '2026-01-05T09:00:00.000Z',
  record: stored,
  record_version: 3,
  screening: [],
  ...over,
})
const versions = {
  subject_id: 'sid-1',
  code: 'S-001',
  latest: 3,
  versions: [
    { version: 1, actor: 'alice', created_at: '2026-01-05T09:00:00.000Z', action: 'register', note: null },
    { version: 2, actor: 'alice', created_at: '2026-01-05T09:10:00.000Z', action: 'record edited (v2)', note: 'labs from the screening visit' },
    { version: 3, actor: 'bob', created_at: '2026-01-06T08:00:00.000Z', action: 'adverse event Headache', note: null },
  ],
}
const verdict = (overall: string, failing: string[]) => ({
  evaluation_id: 12,
  version: 1,
  subject_id: 'sid-1',
  protocol: { registry_id: 'NCT05631717', version: '1.0.0' },
  overall,
  failing,
  undecided: [],
  missing: [],
  criteria: [],
  warnings: [],
})

async function mountEditor(s: Subject, canManage: boolean): Promise<TpSubjectRecordEditor> {
  document.body.innerHTML = ''
  const el = document.createElement('tp-subject-record-editor')
  el.subject = s
  el.canManage = canManage
  document.body.append(el)
  await el.updateComplete
  return el
}

const editorRoutes = (put: (body: unknown) => Answer): typeof routes => ({
  'GET /protocols/nct05631717': () => ({ status: 200, body: { version: 1, document: doc } }),
  'GET /dictionary/lab-concepts': () => ({ status: 200, body: labConcepts }),
  'GET /subjects/sid-1/record/versions': () => ({ status: 200, body: versions }),
  'PUT /subjects/sid-1/record': put,
})

/** Open the form and type a UPCR into it. */
async function editUpcr(el: HTMLElement, value: string) {
  await vi.waitFor(() => expect(buttonNamed(el.shadowRoot!, 'Edit record')?.disabled).toBe(false))
  buttonNamed(el.shadowRoot!, 'Edit record')!.click()
  await vi.waitFor(() => expect(deep(el.shadowRoot!, UPCR_INPUT)).toBeTruthy())
  const input = deep(el.shadowRoot!, UPCR_INPUT) as HTMLInputElement
  expect(input.value).toBe('1') // prefilled with the stored record
  input.value = value
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }))
}

// every describe below mounts these components, in whatever order the tests run
beforeAll(async () => {
  await import('../../web/components/tp-subject-record-editor.ts')
  await import('../../web/components/tp-attach-subject.ts')
  await import('../../web/components/tp-screening-log.ts')
})

describe('record-edit: what a save does to the stored record', () => {
  it('mergeDiff and applyMergePatch follow RFC 7386', () => {
    expect(mergeDiff({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { a: 1, b: { c: 2 }, e: [1, 2], f: 'x' })).toEqual({ b: { d: null }, e: [1, 2], f: 'x' })
    expect(applyMergePatch({ a: 1, b: { c: 2, d: 3 } }, { a: null, b: { d: null, e: 4 } })).toEqual({ b: { c: 2, e: 4 } })
    expect(mergeDiff({ a: 1 }, { a: 1 })).toEqual({})
  })

  it('changes only what the form changed and keeps what it has no control for', () => {
    const filled: PatientRecord = { id: 'S-001', birth_date: '1990-05-01', sex: 'female', measurements: [upcr(1.0)] }
    const edited: PatientRecord = { id: 'S-001', birth_date: '1990-05-02', measurements: [upcr(1.2)] }
    const saved = editedRecord(stored, filled, edited)
    expect(saved).toMatchObject({
      birth_date: '1990-05-02',
      measurements: [upcr(1.2)],
      visits: stored.visits,
      adverse_events: stored.adverse_events,
      kidney_biopsies: stored.kidney_biopsies,
    })
    expect(saved.sex).toBeUndefined() // cleared in the form: removed
    // nothing changed in the form: the stored record as it is
    expect(editedRecord(stored, filled, filled)).toEqual(stored)
  })

  it('an attached record replaces the screening data but keeps the study data, the arm and the randomization date', () => {
    const randomized: SubjectRecord = { ...stored, arm: 'il2', dates: { ...stored.dates, randomization: '2026-01-19' } }
    const evaluated: PatientRecord = { id: 'patient-7', birth_date: '1991-01-01', dates: { consent: '2026-02-01' }, measurements: [upcr(1.5)] }
    expect(attachedRecord(randomized, evaluated, 'S-001')).toEqual({
      id: 'S-001',
      birth_date: '1991-01-01',
      dates: { consent: '2026-02-01', randomization: '2026-01-19' },
      measurements: [upcr(1.5)],
      arm: 'il2',
      visits: stored.visits,
      adverse_events: stored.adverse_events,
    })
    expect(attachedRecord({ id: 'S-002' }, { sex: 'male' }, 'S-002')).toEqual({ id: 'S-002', sex: 'male' })
  })
})

describe('tp-subject-record-editor', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    calls.length = 0
  })

  it('lists the versions (newest first, who, when, what, note) and offers no editing to a viewer', async () => {
    routes = editorRoutes(() => ({ status: 500, body: {} }))
    stubFetch()
    const el = await mountEditor(subject(), false)
    await vi.waitFor(() => expect(deepAll(el.shadowRoot!, 'tr[data-version]')).toHaveLength(3))
    const rows = deepAll(el.shadowRoot!, 'tr[data-version]').map(r => text(r).replace(/\s+/g, ' '))
    expect(rows[0]).toBe('v3 (current) 2026-01-06 08:00 UTC bob adverse event Headache —')
    expect(rows[1]).toBe('v2 2026-01-05 09:10 UTC alice record edited (v2) labs from the screening visit')
    expect(buttonNamed(el.shadowRoot!, 'Edit record')).toBeUndefined()
    expect(calls.some(c => c.path === '/protocols/nct05631717')).toBe(false)
  })

  it('edits the stored record in the form, saves it on top of the version opened, and shows the new verdict', async () => {
    let changed = 0
    routes = editorRoutes(body => ({
      status: 200,
      body: {
        subject: { ...subject(), record_version: 4 },
        version: { version: 4, actor: 'alice', created_at: '2026-01-07T10:00:00.000Z', action: 'record edited (v4)', note: 'corrected UPCR' },
        screening: verdict('eligible', []),
        _sent: body,
      },
    }))
    stubFetch()
    const el = await mountEditor(subject(), true)
    el.addEventListener('subject-changed', () => changed++)
    await editUpcr(el, '1.2')
    const note = deep(el.shadowRoot!, '#record-note') as HTMLInputElement
    note.value = 'corrected UPCR'
    note.dispatchEvent(new Event('input'))
    await el.updateComplete
    buttonNamed(el.shadowRoot!, 'Save record')!.click()
    await vi.waitFor(() => expect(deep(el.shadowRoot!, '[data-testid="record-saved"]')).toBeTruthy())

    const put = calls.find(c => c.method === 'PUT')!
    const sent = put.body as { record: SubjectRecord; base_version: number; note: string }
    expect(sent.base_version).toBe(3)
    expect(sent.note).toBe('corrected UPCR')
    expect(sent.record.measurements).toEqual(expect.arrayContaining([upcr(1.2), stored.measurements![1]]))
    expect(sent.record.measurements).toHaveLength(2)
    // what the form does not show is sent back unchanged
    expect(sent.record).toMatchObject({
      id: 'S-001',
      visits: stored.visits,
      adverse_events: stored.adverse_events,
      kidney_biopsies: stored.kidney_biopsies,
      dates: stored.dates,
    })
    expect(text(deep(el.shadowRoot!, '[data-testid="record-saved"]'))).toBe('✓ Saved as version 4.')
    expect(text(deep(el.shadowRoot!, '[data-testid="rescreened"]'))).toBe(
      'Screening after the save: ✓ Eligible (evaluation 12, protocol version 1; open for the criteria)',
    )
    expect(deep(el.shadowRoot!, 'tp-verdict-panel')).toBeTruthy()
    expect(deep(el.shadowRoot!, '[data-testid="record-form"]')).toBeUndefined() // closed after the save
    expect(changed).toBe(1)
    // the page reloads the subject at the saved version: the message still reports the current record
    el.subject = { ...subject(), record_version: 4 }
    await el.updateComplete
    expect(text(deep(el.shadowRoot!, '[data-testid="record-saved"]'))).toBe('✓ Saved as version 4.')
    // the record moved on (a randomization, a visit...): the message says it reports an earlier version
    el.subject = { ...subject(), record_version: 6 }
    await el.updateComplete
    expect(text(deep(el.shadowRoot!, '[data-testid="record-saved"]'))).toBe('Earlier: saved as version 4; the record is now at version 6.')
    expect(text(deep(el.shadowRoot!, '[data-testid="rescreened"]'))).toContain('Screening after the save of version 4: ✓ Eligible')
  })

  it('shows someone else’s save meanwhile (409) as a problem and keeps the form open', async () => {
    routes = editorRoutes(() => ({
      status: 409,
      body: {
        type: 'x/conflict',
        title: 'Conflict',
        status: 409,
        detail: 'the record of subject S-001 is at version 4, but this edit started from version 3: someone saved it meanwhile. Nothing was saved',
        latest_version: 4,
      },
    }))
    stubFetch()
    const el = await mountEditor(subject(), true)
    await editUpcr(el, '1.2')
    buttonNamed(el.shadowRoot!, 'Save record')!.click()
    await vi.waitFor(() => expect(deepText(el.shadowRoot!)).toContain('Saving the record failed: Conflict'))
    expect(deepText(el.shadowRoot!)).toContain('someone saved it meanwhile')
    expect(deep(el.shadowRoot!, '[data-testid="record-form"]')).toBeTruthy()
    expect(deep(el.shadowRoot!, '[data-testid="record-saved"]')).toBeUndefined()
  })

  it('says why a randomized subject’s corrected record is not re-screened', async () => {
    const randomized = subject({ status: 'randomized', arm: 'il2', record: { ...stored, arm: 'il2' } })
    routes = editorRoutes(() => ({
      status: 200,
      body: {
        subject: { ...randomized, record_version: 4 },
        version: { version: 4, actor: 'alice', created_at: '2026-01-07T10:00:00.000Z', action: 'record edited (v4)', note: null },
        screening: null,
        not_rescreened_because: 'subject S-001 is randomized: … not re-screened',
      },
    }))
    stubFetch()
    const el = await mountEditor(randomized, true)
    await vi.waitFor(() => expect(deepText(el.shadowRoot!)).toContain('A randomized subject is not re-screened'))
    await editUpcr(el, '0.9')
    buttonNamed(el.shadowRoot!, 'Save record')!.click()
    await vi.waitFor(() => expect(deep(el.shadowRoot!, '[data-testid="not-rescreened"]')).toBeTruthy())
    expect(text(deep(el.shadowRoot!, '[data-testid="not-rescreened"]'))).toContain('Not re-screened: subject S-001 is randomized')
    expect((calls.find(c => c.method === 'PUT')!.body as { record: SubjectRecord }).record.arm).toBe('il2')
    expect(deep(el.shadowRoot!, 'tp-verdict-panel')).toBeUndefined()
  })
})

describe('tp-attach-subject', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    calls.length = 0
    sessionStorage.clear()
  })

  async function mountAttach(role: string, record: PatientRecord): Promise<TpAttachSubject> {
    routes['GET /me'] = () => ({ status: 200, body: { name: 'alice', role, permissions: [] } })
    stubFetch()
    sessionStorage.setItem('tp-token', 'secret')
    document.body.innerHTML = ''
    const el = document.createElement('tp-attach-subject')
    el.protocolId = 'nct05631717'
    el.record = record
    document.body.append(el)
    await el.updateComplete
    return el
  }

  it('is not offered to a role that cannot manage subjects', async () => {
    routes = {}
    const el = await mountAttach('viewer', {})
    await vi.waitFor(() => expect(calls.some(c => c.path === '/me')).toBe(true))
    await el.updateComplete
    expect(deep(el.shadowRoot!, '[data-testid="attach-subject"]')).toBeUndefined()
  })

  it('registers a new subject with the record, screens it, and links to it', async () => {
    routes = {
      'POST /protocols/nct05631717/subjects': body => ({
        status: 201,
        body: { ...subject({ code: 'S-009', id: 'sid-9', record_version: 1 }), record: { ...(body as { record: object }).record, id: 'S-009' } },
      }),
      'POST /subjects/sid-9/screening': () => ({ status: 200, body: { ...verdict('undetermined', []), subject_id: 'sid-9' } }),
    }
    let attached: unknown
    const el = await mountAttach('clinician', { id: 'patient-7', birth_date: '1990-05-01', measurements: [upcr(1.5)] })
    el.addEventListener('subject-attached', e => (attached = (e as CustomEvent).detail))
    await vi.waitFor(() => expect(deep(el.shadowRoot!, '#attach-code')).toBeTruthy())
    expect(text(deep(el.shadowRoot!, '#attach-code-hint'))).toContain('never a name')
    ;(deep(el.shadowRoot!, '#attach-code') as HTMLInputElement).value = 'S-009'
    deep(el.shadowRoot!, 'form')!.dispatchEvent(new Event('submit', { cancelable: true }))
    await vi.waitFor(() => expect(deep(el.shadowRoot!, '[data-testid="attached"]')).toBeTruthy())
    const posts = calls.filter(c => c.method === 'POST')
    expect(posts.map(c => c.path)).toEqual(['/protocols/nct05631717/subjects', '/subjects/sid-9/screening'])
    // the Evaluate id is not the subject's: the code is
    expect(posts[0]!.body).toEqual({ code: 'S-009', record: { birth_date: '1990-05-01', measurements: [upcr(1.5)] } })
    const result = deep(el.shadowRoot!, '[data-testid="attached"]')!
    expect(text(result).replace(/\s+/g, ' ')).toContain('✓ Saved as version 1 of the record of S-009. Screening (evaluation 12, version 1): ? Undetermined.')
    expect(result.querySelector('a')!.getAttribute('href')).toBe('#/subjects/sid-9')
    expect(attached).toEqual({ id: 'sid-9', code: 'S-009' })
  })

  it('saves the record to an existing subject as a new version on top of its latest, keeping its study data', async () => {
    routes = {
      'GET /protocols/nct05631717/subjects': () => ({
        status: 200,
        body: [{ id: 'sid-1', code: 'S-001', status: 'screened', arm: null, next_visit: null, missed_visits: [] }],
      }),
      'GET /subjects/sid-1': () => ({ status: 200, body: subject() }),
      'PUT /subjects/sid-1/record': () => ({
        status: 200,
        body: {
          subject: subject({ record_version: 4 }),
          version: {
            version: 4,
            actor: 'alice',
            created_at: '2026-01-07T10:00:00.000Z',
            action: 'record edited (v4)',
            note: 'attached from the Evaluate page',
          },
          screening: verdict('eligible', []),
        },
      }),
    }
    const el = await mountAttach('clinician', { birth_date: '1990-05-01', measurements: [upcr(1.5)] })
    await vi.waitFor(() => expect(deep(el.shadowRoot!, 'input[value="existing"]')).toBeTruthy())
    const existing = deep(el.shadowRoot!, 'input[value="existing"]') as HTMLInputElement
    existing.checked = true
    existing.dispatchEvent(new Event('change'))
    await vi.waitFor(() => expect(deepAll(el.shadowRoot!, '#attach-subject option').map(o => text(o))).toEqual(['S-001 (screened)']))
    deep(el.shadowRoot!, 'form')!.dispatchEvent(new Event('submit', { cancelable: true }))
    await vi.waitFor(() => expect(deep(el.shadowRoot!, '[data-testid="attached"]')).toBeTruthy())
    const put = calls.find(c => c.method === 'PUT')!.body as { record: SubjectRecord; base_version: number; note: string }
    expect(put.base_version).toBe(3)
    expect(put.note).toBe('attached from the Evaluate page')
    expect(put.record).toEqual({
      id: 'S-001',
      birth_date: '1990-05-01',
      measurements: [upcr(1.5)],
      visits: stored.visits,
      adverse_events: stored.adverse_events,
    })
    expect(text(deep(el.shadowRoot!, '[data-testid="attached"]')).replace(/\s+/g, ' ')).toContain(
      '✓ Saved as version 4 of the record of S-001. Screening (evaluation 12, version 1): ✓ Eligible.',
    )
  })
})

describe('tp-screening-log', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    calls.length = 0
  })

  it('links an entry filed under a subject to the subject, and says when an entry has none', async () => {
    const entry = (id: number, sid: string | null, code: string | null, overall: string) => ({
      id,
      created_at: `2026-01-0${id}T10:00:00.000Z`,
      protocol_id: 'nct05631717',
      version: 1,
      subject_id: sid,
      subject_code: code,
      overall,
      failing: overall === 'ineligible' ? ['IN04'] : [],
      actor: 'alice',
    })
    routes = {
      'GET /protocols/nct05631717/screening-log?after=0&limit=1000': () => ({
        status: 200,
        body: { items: [entry(1, null, null, 'undetermined'), entry(2, 'sid-1', 'S-001', 'ineligible')], next_after: null },
      }),
    }
    stubFetch()
    document.body.innerHTML = ''
    const el = document.createElement('tp-screening-log') as TpScreeningLog
    el.protocolId = 'nct05631717'
    document.body.append(el)
    await vi.waitFor(() => expect(el.shadowRoot!.querySelectorAll('tr[data-entry]')).toHaveLength(2))
    const [newest, oldest] = [...el.shadowRoot!.querySelectorAll('tr[data-entry]')]
    expect(newest!.getAttribute('data-entry')).toBe('2')
    expect(newest!.querySelector('a')!.getAttribute('href')).toBe('#/subjects/sid-1')
    expect(text(newest!.querySelector('a'))).toBe('S-001')
    expect(text(newest)).toContain('IN04')
    expect(oldest!.querySelector('a')).toBeNull()
    expect(text(oldest)).toContain('not filed under a subject')
  })
})
