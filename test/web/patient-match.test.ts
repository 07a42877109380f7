// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { TpPatientMatch } from '../../web/components/tp-patient-match.ts'
import undetermined from './fixtures/verdict-undetermined.json' with { type: 'json' }
import { text } from './dom.ts'

const row = (over: Record<string, unknown>) => ({
  rank: 1,
  protocol_id: 'p',
  version: 1,
  registry_id: 'NCT0',
  title: 'A trial',
  encoding_version: '1.0.0',
  overall: 'eligible',
  failing: [],
  undecided: [],
  missing: [],
  counts: { passed: 3, failed: 0, unknown: 0, total: 3 },
  verdict: undetermined,
  ...over,
})

async function mountAndMatch(answer: () => Response, json?: string): Promise<{ root: ShadowRoot; calls: Array<[string, RequestInit]> }> {
  const calls: Array<[string, RequestInit]> = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push([url, init])
    return answer()
  })
  document.body.innerHTML = ''
  const el = document.createElement('tp-patient-match') as TpPatientMatch
  document.body.append(el)
  await el.updateComplete
  const root = el.shadowRoot!
  // the page starts from a protocol's form; these tests paste JSON
  const jsonMode = root.querySelectorAll<HTMLInputElement>('input[name="mode"]')[1]!
  jsonMode.checked = true
  jsonMode.dispatchEvent(new Event('change'))
  await el.updateComplete
  await new Promise(r => setTimeout(r, 0))
  calls.length = 0 // the list of protocols the form mode asked for
  if (json !== undefined) {
    const ta = root.querySelector('textarea')!
    ta.value = json
    ta.dispatchEvent(new Event('input'))
  }
  root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }))
  await vi.waitFor(async () => {
    await el.updateComplete
    if (el._pending) throw new Error('still matching')
  })
  await el.updateComplete
  return { root, calls }
}

describe('tp-patient-match', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-patient-match.ts')
  })
  afterEach(() => vi.unstubAllGlobals())

  it('posts the record to /match and shows the ranked rows with verdicts in words, failing criteria and missing data', async () => {
    const body = {
      patient_id: null,
      rows: [
        row({ rank: 1, protocol_id: 'a', registry_id: 'NCT-A' }),
        row({
          rank: 2,
          protocol_id: 'b',
          registry_id: 'NCT-B',
          overall: 'undetermined',
          missing: [{ key: 'birth_date', description: 'date of birth' }],
          counts: { passed: 2, failed: 0, unknown: 1, total: 3 },
        }),
        row({
          rank: 3,
          protocol_id: 'c',
          registry_id: 'NCT-C',
          overall: 'ineligible',
          failing: [{ id: 'IN04', title: 'UPCR ≥ 1.5', reason: '0.8 g/g on 2026-01-04' }],
        }),
      ],
    }
    const { root, calls } = await mountAndMatch(
      () => new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } }),
      '{"birth_date":"1990-05-01"}',
    )
    expect(calls).toHaveLength(1)
    expect(calls[0]![0]).toBe('/match')
    expect(calls[0]![1].method).toBe('POST')
    expect(JSON.parse(calls[0]![1].body as string)).toEqual({ birth_date: '1990-05-01' })
    const rows = [...root.querySelectorAll('li.row')]
    expect(rows.map(r => r.getAttribute('data-protocol'))).toEqual(['a', 'b', 'c'])
    expect(rows.map(r => text(r.querySelector('[data-testid="match-overall"]')))).toEqual(['✓ Eligible', '? Undetermined', '✗ Ineligible'])
    expect(text(rows[1])).toContain('Still needed (1) date of birth')
    expect(text(rows[2])).toContain('Ruled out by IN04 UPCR ≥ 1.5: 0.8 g/g on 2026-01-04')
    expect(rows[2]!.querySelector('a')!.getAttribute('href')).toBe('#/protocols/c/evaluate')
    expect(text(root.querySelector('[role="status"]'))).toBe('3 protocols ranked')
  })

  it('says what is wrong with a record that is not JSON, without a request', async () => {
    const { root, calls } = await mountAndMatch(() => new Response('{}'), '{ birth_date: ')
    expect(calls).toHaveLength(0)
    expect(text(root.querySelector('tp-problem')?.shadowRoot)).toContain('not valid JSON')
  })

  it('shows the problem detail of a 422', async () => {
    const problem = {
      type: 'https://example/problems/invalid-patient',
      title: 'Invalid patient',
      status: 422,
      detail: 'the patient record has 1 error(s)',
      diagnostics: [],
    }
    const { root } = await mountAndMatch(() => new Response(JSON.stringify(problem), { status: 422, headers: { 'Content-Type': 'application/problem+json' } }))
    expect(text(root.querySelector('tp-problem')?.shadowRoot)).toContain('the patient record has 1 error(s)')
    expect(root.querySelectorAll('li.row')).toHaveLength(0)
  })

  it('imported items to review are counted on the row and listed as "Review: …", apart from the data still needed', async () => {
    const rtx = {
      key: 'unrecognised.medications[0]',
      description:
        'unrecognised "10 ML rituximab 10 MG/ML Injection [Rituxan]" (2026-10-05): it could be rituximab or any other B cell depletion therapy — review it',
      review: true,
    }
    const other = { key: 'unrecognised.conditions[1]', description: 'unrecognised "<i>Neoplasm</i>": it could be any condition — review it', review: true }
    const body = {
      patient_id: 'P-REVIEW',
      rows: [
        row({
          rank: 1,
          protocol_id: 'a',
          registry_id: 'NCT-A',
          overall: 'undetermined',
          missing: [{ key: 'birth_date', description: 'date of birth' }, rtx, other],
          counts: { passed: 1, failed: 0, unknown: 2, total: 3 },
        }),
        row({ rank: 2, protocol_id: 'b', registry_id: 'NCT-B' }),
      ],
    }
    const { root } = await mountAndMatch(() => new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } }))
    const [a, b] = [...root.querySelectorAll('li.row')]
    expect(text(a!.querySelector('[data-testid="review-count"]'))).toBe('⚠ 2 imported items to review')
    expect([...a!.querySelectorAll('ul.to-review li')].map(text)).toEqual([
      `Review: ${rtx.description} ${rtx.key}`,
      `Review: ${other.description} ${other.key}`,
    ])
    expect([...a!.querySelectorAll('ul.needed li')].map(text)).toEqual(['date of birth'])
    expect(a!.querySelector('ul.to-review i')).toBeNull() // text, never markup
    expect(b!.querySelector('[data-testid="review-count"]')).toBeNull()
    expect(b!.querySelector('ul.to-review')).toBeNull()
  })
})
