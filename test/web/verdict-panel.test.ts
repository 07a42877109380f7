// @vitest-environment happy-dom
import { beforeAll, describe, expect, it } from 'vitest'
import type { Verdict } from '../../engine/index.ts'
import type { TpVerdictPanel } from '../../web/components/tp-verdict-panel.ts'
import undetermined from './fixtures/verdict-undetermined.json' with { type: 'json' }
import { text } from './dom.ts'

// a fresh copy per test: the panel must not depend on earlier renders
const fixture = (_name: 'verdict-undetermined.json'): Verdict => structuredClone(undetermined) as Verdict

async function mount(verdict: Verdict | undefined): Promise<ShadowRoot> {
  document.body.innerHTML = ''
  const el = document.createElement('tp-verdict-panel') as TpVerdictPanel
  el.verdict = verdict
  document.body.append(el)
  await el.updateComplete
  return el.shadowRoot!
}


describe('tp-verdict-panel', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-verdict-panel.ts')
  })

  it('says there is no verdict yet', async () => {
    expect(text(await mount(undefined))).toBe('No verdict yet.')
  })

  it('names the overall verdict in words, not colour alone, and the undecided criteria', async () => {
    const root = await mount(fixture('verdict-undetermined.json'))
    const overall = root.querySelector('[data-testid="overall"]')!
    expect(overall.getAttribute('role')).toBe('status')
    expect(overall.classList.contains('undetermined')).toBe(true)
    expect(text(overall.querySelector('h2'))).toBe('Undetermined')
    expect(text(overall)).toContain('Undecided: IN02.')
  })

  it.each([
    { id: 'IN01', want: 'Met', cls: 'pass' },
    { id: 'IN02', want: 'Unknown', cls: 'undecided' },
    { id: 'EX01', want: 'Not met', cls: 'pass' }, // an exclusion not met passes
  ])('$id is labelled "$want"', async ({ id, want, cls }) => {
    const root = await mount(fixture('verdict-undetermined.json'))
    const li = root.querySelector(`li[data-criterion="${id}"]`)!
    expect(text(li.querySelector('[data-testid="truth"]'))).toContain(want)
    expect(li.classList.contains(cls)).toBe(true)
  })

  it('groups inclusion and exclusion criteria under headings', async () => {
    const root = await mount(fixture('verdict-undetermined.json'))
    const headings = [...root.querySelectorAll('h3')].map((h) => text(h))
    expect(headings).toEqual(['Still needed (1)', 'Inclusion criteria (must be met)', 'Exclusion criteria (must not be met)', 'Warnings about the record'])
  })

  it('shows the reason and a closed explanation that opens onto the clause tree', async () => {
    const root = await mount(fixture('verdict-undetermined.json'))
    const li = root.querySelector('li[data-criterion="IN02"]')!
    expect(text(li.querySelector('.reason'))).toBe('no UPCR within 4 weeks before screening')
    const details = li.querySelector('details')!
    expect(details.open).toBe(false)
    expect(text(details.querySelector('summary'))).toBe('Explanation')
    const leaves = [...details.querySelectorAll('ul.tree ul > li')].map((n) => text(n))
    expect(leaves).toEqual([
      expect.stringMatching(/^\? Unknown: UPCR > 1\.0 g\/g — not recorded\s*needs: urine protein\/creatinine ratio within 4 weeks before screening$/),
      '✗ Not met: 24-h urine protein > 1.0 g — 0.4 g on 2026-01-04',
    ])
  })

  it('lists the data still needed with its key', async () => {
    const root = await mount(fixture('verdict-undetermined.json'))
    expect(text(root.querySelector('.needed li'))).toBe('urine protein/creatinine ratio within 4 weeks before screening measurement:urine_protein_creatinine_ratio')
  })

  it('says when an exclusion does not apply, and why', async () => {
    const root = await mount(fixture('verdict-undetermined.json'))
    const li = root.querySelector('li[data-criterion="EX01"]')!
    expect(text(li.querySelector('.head'))).toContain('(does not apply to this patient)')
    expect(text(li.querySelector('ul[aria-label="When it applies"]'))).toBe('✗ Not met: Applies if: sex is female — male')
  })

  it('an ineligible verdict names the criteria that rule the patient out', async () => {
    const v = fixture('verdict-undetermined.json')
    const ineligible: Verdict = {
      ...v,
      overall: 'ineligible',
      failing: ['EX01'],
      undecided: [],
      missing: [],
      warnings: [],
      criteria: v.criteria.map((c) => (c.id === 'EX01' ? { ...c, truth: 'met', applicable: 'met', outcome: 'fail' } : c)),
    }
    const root = await mount(ineligible)
    expect(text(root.querySelector('[data-testid="overall"] h2'))).toBe('Ineligible')
    expect(text(root.querySelector('[data-testid="overall"]'))).toContain('Ruled out by EX01.')
    const ex = root.querySelector('li[data-criterion="EX01"]')!
    expect(ex.classList.contains('fail')).toBe(true)
    expect(text(ex.querySelector('.head'))).toContain('rules out')
    expect(root.querySelector('.needed')).toBeNull()
  })
})
