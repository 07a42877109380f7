// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { TpProtocolCreate } from '../../web/components/tp-protocol-create.ts'
import { registryIdOf } from '../../web/protocol-text.ts'
import { text, until } from './dom.ts'

const GOOD = `protocol:
  registry_id: NCT05631717
  target_enrollment: 40
criteria: []
`
const BAD = GOOD.replace('target_enrollment: 40', 'target_enrollment: forty')
const DIAGNOSTIC = {
  code: 'E_SCHEMA_TYPE',
  severity: 'error',
  message: 'expected a number, got string "forty"',
  path: 'protocol.target_enrollment',
  line: 3,
  column: 22,
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status < 400 ? 'application/json' : 'application/problem+json' } })

let calls: Array<{ url: string; method: string; body: { yaml: string; id?: string; change_note?: string } }>

/** The server: protocol nct05631717 exists; /validate flags "forty"; POST /protocols answers `create` (default: created). */
function stubServer(create?: (body: { yaml: string }) => Response) {
  calls = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const body = (init.body ? JSON.parse(String(init.body)) : {}) as { yaml: string; id?: string; change_note?: string }
    calls.push({ url, method: init.method ?? 'GET', body })
    if (url === '/protocols' && init.method === 'POST') {
      if (create) return create(body)
      const id = body.id ?? registryIdOf(body.yaml)!.toLowerCase()
      if (id === 'nct05631717')
        return json(
          { type: 'https://x/problems/conflict', title: 'Conflict', status: 409, detail: `protocol ${id} already exists; update it with PUT /protocols/${id}` },
          409,
        )
      return json(
        {
          protocol_id: id,
          version: 1,
          content_hash: 'h',
          author: 'admin',
          created_at: '2026-01-05T10:00:00Z',
          change_note: body.change_note ?? 'created',
          warnings: [],
        },
        201,
      )
    }
    if (url === '/protocols')
      return json([
        {
          id: 'nct05631717',
          registry_id: 'NCT05631717',
          title: 'MSCs versus IL-2 in LN',
          version: 2,
          encoding_version: '1.0.0',
          content_hash: 'h',
          updated_at: '2026-01-04T00:00:00Z',
          counts: { criteria: 17, arms: 2, visits: 6, endpoints: 14 },
          warnings: 0,
        },
      ])
    if (url === '/protocols/nct05631717')
      return json({ protocol_id: 'nct05631717', version: 2, yaml: GOOD, author: 'admin', created_at: '2026-01-04T00:00:00Z', change_note: 'v2', warnings: [] })
    if (url === '/validate') return json({ valid: !body.yaml.includes('forty'), diagnostics: body.yaml.includes('forty') ? [DIAGNOSTIC] : [] })
    return json({ type: 'about:blank', title: 'Not found', status: 404, detail: `no ${url}` }, 404)
  })
}

async function mount(): Promise<{ el: TpProtocolCreate; root: ShadowRoot }> {
  document.body.innerHTML = ''
  const el = document.createElement('tp-protocol-create') as TpProtocolCreate
  document.body.append(el)
  await el.updateComplete
  return { el, root: el.shadowRoot! }
}

function type(root: ShadowRoot, value: string): void {
  const ta = root.querySelector('textarea')!
  ta.value = value
  ta.dispatchEvent(new InputEvent('input'))
}

const createButton = (root: ShadowRoot) => [...root.querySelectorAll('button')].find(b => /^Create|^Creating/.test(text(b)))!
const count = (root: ShadowRoot) => text(root.querySelector('[data-testid="problem-count"]'))
const problems = (root: ShadowRoot) => root.querySelector('tp-problem-list')!.shadowRoot!

describe('registryIdOf', () => {
  it.each([
    { yaml: GOOD, want: 'NCT05631717' },
    { yaml: 'protocol:\n  title: x\n  registry_id: "NCT-1" # quoted\n', want: 'NCT-1' },
    { yaml: "protocol:\n  registry_id: 'abc'\n", want: 'abc' },
    { yaml: 'registry_id: top-level\n', want: undefined }, // not inside a mapping: not a protocol's registry id
    { yaml: '', want: undefined },
  ])('$want', ({ yaml, want }) => {
    expect(registryIdOf(yaml)).toBe(want)
  })
})

describe('tp-protocol-create', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-protocol-create.ts')
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    location.hash = ''
  })

  it('labels every control', async () => {
    stubServer()
    const { root } = await mount()
    for (const control of root.querySelectorAll('textarea, input, select')) {
      expect(root.querySelector(`label[for="${control.id}"]`), `label for #${control.id}`).not.toBeNull()
    }
  })

  it('validates as you type (debounced) and locates the error; Create waits for a clean check', async () => {
    stubServer()
    const { root } = await mount()
    expect(createButton(root).disabled).toBe(true)
    type(root, BAD.slice(0, 20))
    type(root, BAD)
    await until(() => /error/.test(count(root)))
    expect(calls.filter(c => c.url === '/validate')).toHaveLength(1) // the first keystroke's check was superseded
    expect(count(root)).toBe('✗ 1 error, 0 warnings')
    const problem = problems(root).querySelector('button.problem')!
    expect(text(problem)).toContain('3:22')
    expect(text(problem)).toContain('E_SCHEMA_TYPE')
    expect(createButton(root).disabled).toBe(true)

    // choosing the problem selects "forty" in the text
    problem.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }))
    const ta = root.querySelector('textarea')!
    expect(ta.value.slice(ta.selectionStart, ta.selectionEnd)).toBe('forty')
    await until(() => text(root.querySelector('#caret')) === 'Cursor at line 3, column 22')

    type(root, GOOD)
    await until(() => count(root) === '✓ 0 errors, 0 warnings')
    expect(createButton(root).disabled).toBe(false)
  })

  it('copies an existing protocol, and says its id must change', async () => {
    stubServer()
    const { root } = await mount()
    const select = await until(() => root.querySelector<HTMLSelectElement>('select#copy-from:not([disabled])'))
    expect(text(select.selectedOptions[0])).toContain('NCT05631717 (v2)')
    root.querySelector<HTMLFormElement>('form.copy')!.dispatchEvent(new Event('submit', { cancelable: true }))
    await until(() => root.querySelector('textarea')!.value === GOOD)
    const copied = text(root.querySelector('[data-testid="copied"]'))
    expect(copied).toContain('Copied from NCT05631717 version 2')
    expect(copied).toContain('change registry_id')
    expect(text(root.querySelector('[data-testid="id-exists"]'))).toContain('A protocol with id nct05631717 already exists')

    // another id: no warning
    const id = root.querySelector<HTMLInputElement>('#protocol-id')!
    id.value = 'nct05631717-low'
    id.dispatchEvent(new InputEvent('input'))
    await (root.host as TpProtocolCreate).updateComplete
    expect(root.querySelector('[data-testid="id-exists"]')).toBeNull()
  })

  it("says before sending that a copy still has its source's title", async () => {
    stubServer()
    const { root } = await mount()
    await until(() => root.querySelector('select#copy-from:not([disabled])'))
    const sameTitle = GOOD.replace('  registry_id: NCT05631717\n', '  registry_id: NCT05631717-B\n  title: "mscs versus  IL-2 in LN"\n')
    type(root, sameTitle)
    await until(() => count(root) === '✓ 0 errors, 0 warnings')
    expect(text(root.querySelector('[data-testid="title-exists"]'))).toContain('Protocol nct05631717 already has this title')
    await until(() => text(root.querySelector('form.create')).includes('Give the protocol a title of its own before creating it.'))
    type(root, sameTitle.replace('mscs versus  IL-2 in LN', 'MSCs versus IL-2 in LN: low UPCR'))
    await until(() => !createButton(root).disabled)
    expect(root.querySelector('[data-testid="title-exists"]')).toBeNull()
    expect(text(root.querySelector('form.create'))).not.toContain('title of its own')
  })

  it('a 409 says the id exists and keeps the text', async () => {
    stubServer()
    const { root } = await mount()
    type(root, GOOD)
    await until(() => !createButton(root).disabled)
    createButton(root)
      .closest('form')!
      .dispatchEvent(new Event('submit', { cancelable: true }))
    const conflict = await until(() => root.querySelector('[data-testid="create-conflict"]'))
    expect(text(conflict)).toContain('Not created: a protocol with this id already exists.')
    expect(conflict.getAttribute('role')).toBe('alert')
    expect(root.querySelector('textarea')!.value).toBe(GOOD)
    expect(location.hash).toBe('')
  })

  it('a check the server could not run (over budget, too large) is shown as such, never as "no problems"', async () => {
    stubServer()
    const { root } = await mount()
    type(root, GOOD)
    await until(() => count(root) === '✓ 0 errors, 0 warnings')
    const checked = globalThis.fetch
    vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) =>
      url === '/validate'
        ? json(
            {
              type: 'https://x/problems/over-budget',
              title: 'The request needs more computing than one request may use',
              status: 422,
              detail: 'checking this protocol needed more than 1.5 s of computing and was stopped',
            },
            422,
          )
        : checked(url, init),
    )
    type(root, `${GOOD}# a much longer text\n`)
    await until(() => text(root.querySelector('tp-problem')?.shadowRoot ?? null).includes('needed more than 1.5 s'))
    expect(root.querySelector('tp-problem-list')).toBeNull()
    expect(text(root)).not.toContain('No problems found')
    expect(createButton(root).disabled).toBe(true)
    expect(text(root)).toContain('The check did not run')
  })

  it('a 422 places the server diagnostics in the problems list', async () => {
    stubServer(() =>
      json(
        {
          type: 'https://x/problems/invalid-protocol',
          title: 'Invalid protocol',
          status: 422,
          detail: 'the protocol has 1 error(s)',
          diagnostics: [{ ...DIAGNOSTIC, line: 2, column: 16, message: 'late error' }],
        },
        422,
      ),
    )
    const { root } = await mount()
    type(root, GOOD)
    await until(() => !createButton(root).disabled)
    createButton(root)
      .closest('form')!
      .dispatchEvent(new Event('submit', { cancelable: true }))
    await until(() => text(problems(root)).includes('late error'))
    expect(text(problems(root).querySelector('button.problem'))).toContain('2:16')
  })

  it('creates with the id and change note typed, then opens the editor', async () => {
    stubServer()
    const { root, el } = await mount()
    const created = new Promise<CustomEvent>(r => el.addEventListener('protocol-created', e => r(e as CustomEvent), { once: true }))
    type(root, GOOD)
    const id = root.querySelector<HTMLInputElement>('#protocol-id')!
    id.value = 'nct05631717-low'
    id.dispatchEvent(new InputEvent('input'))
    const note = root.querySelector<HTMLInputElement>('#create-note')!
    note.value = 'copy with a lower UPCR'
    note.dispatchEvent(new InputEvent('input'))
    await until(() => !createButton(root).disabled)
    createButton(root)
      .closest('form')!
      .dispatchEvent(new Event('submit', { cancelable: true }))
    expect((await created).detail).toEqual({ id: 'nct05631717-low', version: 1 })
    expect(calls.find(c => c.method === 'POST' && c.url === '/protocols')!.body).toEqual({
      yaml: GOOD,
      id: 'nct05631717-low',
      change_note: 'copy with a lower UPCR',
    })
    expect(location.hash).toBe('#/protocols/nct05631717-low/edit')
  })

  it('loads a .yaml file into the text and checks it', async () => {
    stubServer()
    const { root } = await mount()
    const input = root.querySelector<HTMLInputElement>('input[type="file"]')!
    Object.defineProperty(input, 'files', { value: [new File([BAD], 'draft.yaml', { type: 'application/yaml' })] })
    input.dispatchEvent(new Event('change'))
    await until(() => root.querySelector('textarea')!.value === BAD)
    expect(text(root)).toContain('Loaded draft.yaml.')
    await until(() => count(root) === '✗ 1 error, 0 warnings')
  })
})
