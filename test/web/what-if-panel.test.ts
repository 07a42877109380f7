// @vitest-environment happy-dom
/**
 * The what-if panel: a switch per criterion and a field per number, each
 * change re-evaluated through the route (stubbed here with the seed
 * protocol), the flow's counts before → after with the moved ones marked,
 * and "Save as draft amendment" handing the edited YAML to the editor.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { TpWhatIf } from '../../web/components/tp-what-if.ts'
import { HANDOFF, take } from '../../web/handoff.ts'
import { PROTOCOLS_DIR, shippedProtocol } from '../helpers/protocols.ts'
import { text } from './dom.ts'

const yaml = readFileSync(join(PROTOCOLS_DIR, 'nct05631717.yaml'), 'utf8')
const document_ = shippedProtocol('NCT05631717').doc
const step = (criterion: string, entering: number, excluded: number) => ({
  criterion,
  kind: 'inclusion',
  entering,
  excluded,
  unknown: 0,
  pass: entering - excluded,
})
const flow = (in04Excluded: number, eligible: number) => ({
  screened: 3,
  steps: [step('IN01', 3, 0), step('IN04', 3, in04Excluded)],
  excluded: { total: in04Excluded, other_criteria: 0 },
  undetermined: { total: 0 },
  eligible,
})
let posted: unknown[]
/** What the server writes for the edits (its own test checks how). */
const EDITED_YAML = yaml.replace('value: 1.0', 'value: 0.8')

function stubServer() {
  posted = []
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const u = new URL(url, 'http://x')
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
    if (u.pathname === '/protocols/p1') return json({ version: 1, yaml, document: document_ })
    if (u.pathname === '/protocols/p1/what-if') {
      posted.push(JSON.parse(String(init?.body)))
      return json({
        version: 1,
        over: 'screened',
        evaluated: 3,
        not_reevaluable: 0,
        flows: { before: flow(2, 1), after: flow(1, 2) },
        changed: [{ who: { evaluation_id: 2, subject_code: 'S-09' }, before: { overall: 'ineligible' }, after: { overall: 'eligible' } }],
        document: document_,
        yaml: EDITED_YAML,
      })
    }
    return new Response('{}', { status: 404 })
  })
}

async function mount(canEdit: boolean): Promise<ShadowRoot> {
  document.body.innerHTML = ''
  const el = document.createElement('tp-what-if') as TpWhatIf
  el.protocolId = 'p1'
  el.canEdit = canEdit
  document.body.append(el)
  await vi.waitFor(() => expect(el.shadowRoot!.querySelector('fieldset[data-criterion="IN04"]')).toBeTruthy())
  return el.shadowRoot!
}

describe('tp-what-if', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-what-if.ts')
  })
  afterEach(() => vi.unstubAllGlobals())

  it('a criterion switched off and a threshold moved are sent as edits; the counts show before → after, the moved ones marked', async () => {
    stubServer()
    const root = await mount(false)
    expect(posted).toEqual([])
    const in04 = root.querySelector('fieldset[data-criterion="IN04"]')!
    const upcr = in04.querySelector<HTMLInputElement>('input[type="number"]')!
    expect(upcr.value).toBe('1')
    upcr.value = '0.8'
    upcr.dispatchEvent(new Event('input'))
    const ex02 = root.querySelector<HTMLInputElement>('fieldset[data-criterion="EX02"] input[type="checkbox"]')!
    ex02.checked = false
    ex02.dispatchEvent(new Event('change'))
    await vi.waitFor(() => expect(root.querySelector('[data-testid="what-if-report"]')).toBeTruthy())
    // one request for both changes (debounced), naming the threshold by its path
    expect(posted).toHaveLength(1)
    expect(posted[0]).toMatchObject({ disabled: ['EX02'], values: [{ value: 0.8 }] })
    expect((posted[0] as { values: Array<{ path: unknown[] }> }).values[0]!.path[0]).toBe('criteria')
    expect(text(root.querySelector('[data-testid="eligible"]')!)).toBe('1 → 2')
    const cells = [...root.querySelectorAll('tr[data-criterion="IN04"] td')].map(td => [text(td), td.classList.contains('moved')])
    expect(cells).toEqual([
      ['3 → 3', false],
      ['2 → 1', true],
      ['0 → 0', false],
    ])
    expect(text(root.querySelector('[data-testid="what-if-changed"]')!)).toBe('S-09: ineligible → eligible')
    // a reader who may not save versions gets no save button
    expect(root.querySelector('[data-testid="save-draft"]')).toBeNull()
  })

  it('"Save as draft amendment" hands the edited YAML to the editor and opens it', async () => {
    stubServer()
    const root = await mount(true)
    const upcr = root.querySelector<HTMLInputElement>('fieldset[data-criterion="IN04"] input[type="number"]')!
    upcr.value = '0.8'
    upcr.dispatchEvent(new Event('input'))
    await vi.waitFor(() => expect(root.querySelector('[data-testid="save-draft"]')).toBeTruthy())
    ;(root.querySelector('[data-testid="save-draft"]') as HTMLButtonElement).click()
    const m = /^#\/protocols\/p1\/edit\?draft=([0-9a-f]+)$/.exec(location.hash)
    expect(m).not.toBeNull()
    expect(take(HANDOFF.protocolDraft, m![1]!)).toBe(EDITED_YAML)
  })

  it('an uploaded extract is re-evaluated instead of the screened subjects; a file that is not records is said with its line', async () => {
    stubServer()
    const root = await mount(false)
    const input = root.querySelector<HTMLInputElement>('[data-testid="extract"]')!
    const upload = async (name: string, content: string) => {
      Object.defineProperty(input, 'files', { value: [new File([content], name)], configurable: true })
      input.dispatchEvent(new Event('change'))
    }
    await upload('extract.ndjson', '{"id":"R1","sex":"female"}\n\n{"id":"R2"}\n')
    await vi.waitFor(() => expect(posted).toHaveLength(1))
    expect(posted[0]).toMatchObject({ disabled: [], values: [], records: [{ id: 'R1', sex: 'female' }, { id: 'R2' }] })
    expect(text(root.querySelector('p.note')!)).toContain('the 2 records of extract.ndjson are re-evaluated')
    await upload('broken.ndjson', '{"id":"R1"}\nnot json\n')
    await vi.waitFor(() => expect(text(root.querySelector('[role="alert"]')!)).toBe('broken.ndjson: line 2 is not JSON'))
    expect(posted).toHaveLength(1)
  })
})

describe('recordsOf', () => {
  it('reads a JSON array or NDJSON, and says what is wrong', async () => {
    const { recordsOf } = await import('../../web/components/tp-what-if.ts')
    expect(recordsOf('[{"id":"a"},{"id":"b"}]')).toEqual({ records: [{ id: 'a' }, { id: 'b' }] })
    expect(recordsOf('{"id":"a"}\r\n{"id":"b"}')).toEqual({ records: [{ id: 'a' }, { id: 'b' }] })
    expect(recordsOf('  ')).toEqual({ error: 'the file is empty' })
    expect(recordsOf('[{"id":')).toMatchObject({ error: expect.stringMatching(/^not valid JSON/) })
    expect(recordsOf(`[${Array.from({ length: 2001 }, () => '{}').join(',')}]`)).toEqual({ error: '2001 records; the what-if takes at most 2000 at once' })
  })
})
