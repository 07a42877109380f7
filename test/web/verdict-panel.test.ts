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
    const headings = [...root.querySelectorAll('h3')].map(h => text(h))
    expect(headings).toEqual(['Still needed (1)', 'Inclusion criteria (must be met)', 'Exclusion criteria (must not be met)', 'Warnings about the record'])
  })

  it('shows the reason and a closed explanation that opens onto the clause tree', async () => {
    const root = await mount(fixture('verdict-undetermined.json'))
    const li = root.querySelector('li[data-criterion="IN02"]')!
    expect(text(li.querySelector('.reason'))).toBe('no UPCR within 28 days before screening')
    const details = li.querySelector('details')!
    expect(details.open).toBe(false)
    expect(text(details.querySelector('summary'))).toBe('Explanation')
    const leaves = [...details.querySelectorAll('ul.tree ul > li')].map(n => text(n))
    expect(leaves).toEqual([
      expect.stringMatching(/^\? Unknown: UPCR > 1\.0 g\/g — not recorded\s*needs: urine protein\/creatinine ratio within 28 days before screening$/),
      '✗ Not met: 24-h urine protein > 1.0 g — 0.4 g on 2026-01-04',
    ])
  })

  it('lists the data still needed in words, not its key', async () => {
    const root = await mount(fixture('verdict-undetermined.json'))
    expect(text(root.querySelector('.needed li'))).toBe('urine protein/creatinine ratio within 28 days before screening')
    expect(root.querySelector('.needed li button')).toBeNull() // no form on the page to take the user to
  })

  it("with the form's labels, makes each item still needed a button that asks for its field", async () => {
    document.body.innerHTML = ''
    const el = document.createElement('tp-verdict-panel') as TpVerdictPanel
    el.verdict = fixture('verdict-undetermined.json')
    el.labelFor = key => (key === 'measurement:urine_protein_creatinine_ratio' ? 'Urine protein/creatinine ratio' : undefined)
    document.body.append(el)
    await el.updateComplete
    const asked: string[] = []
    document.body.addEventListener('focus-field', e => asked.push((e as CustomEvent<{ key: string }>).detail.key))
    const button = el.shadowRoot!.querySelector<HTMLButtonElement>('.needed li button')!
    expect(text(button)).toBe('Urine protein/creatinine ratio')
    expect(text(el.shadowRoot!.querySelector('.needed li'))).toBe(
      'Urine protein/creatinine ratio — urine protein/creatinine ratio within 28 days before screening',
    )
    button.click()
    expect(asked).toEqual(['measurement:urine_protein_creatinine_ratio'])
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
      criteria: v.criteria.map(c => (c.id === 'EX01' ? { ...c, truth: 'met', applicable: 'met', outcome: 'fail' } : c)),
    }
    const root = await mount(ineligible)
    expect(text(root.querySelector('[data-testid="overall"] h2'))).toBe('Ineligible')
    expect(text(root.querySelector('[data-testid="overall"]'))).toContain('Ruled out by EX01.')
    const ex = root.querySelector('li[data-criterion="EX01"]')!
    expect(ex.classList.contains('fail')).toBe(true)
    expect(text(ex.querySelector('.head'))).toContain('rules out')
    expect(root.querySelector('.needed')).toBeNull()
  })

  describe('imported items to review (missing items marked review)', () => {
    const RITUXAN = {
      key: 'unrecognised.medications[0]',
      description:
        'unrecognised "10 ML rituximab 10 MG/ML Injection [Rituxan]" (http://www.nlm.nih.gov/research/umls/rxnorm|1657864; 2026-10-05): not in the drug dictionary; it could be rituximab or any other B cell depletion therapy — review it',
      review: true,
    }
    const BIOPSY = {
      key: 'unrecognised.procedures[0]',
      description: 'unrecognised "<b>Renal procedure</b>" (2025-12-01): it could be any procedure — review it',
      review: true,
    }
    const UPCR = { key: 'measurement:urine_protein_creatinine_ratio', description: 'urine protein/creatinine ratio within 28 days before screening' }

    /** IN02 waits for a UPCR and the Rituxan entry; EX01 (made undecided) for both imported items. */
    function withReview(): Verdict {
      const v = fixture('verdict-undetermined.json')
      return {
        ...v,
        undecided: ['IN02', 'EX01'],
        missing: [UPCR, RITUXAN, BIOPSY],
        criteria: v.criteria.map(c => {
          if (c.id === 'IN02') return { ...c, missing: [UPCR, RITUXAN] }
          if (c.id === 'EX01') {
            return {
              ...c,
              truth: 'unknown',
              applicable: 'met',
              outcome: 'unknown',
              reason: 'an imported item could be a B cell depletion therapy',
              explanation: { ...c.explanation, truth: 'unknown', detail: 'not recognised', missing: [RITUXAN, BIOPSY] },
              missing: [RITUXAN, BIOPSY],
            }
          }
          return c
        }),
      }
    }

    it('the summary counts them, and they are listed apart from the data still needed, as "Review: …"', async () => {
      const root = await mount(withReview())
      expect(text(root.querySelector('[data-testid="overall"]'))).toContain('Undecided: IN02, EX01. 2 imported items to review.')
      expect(text(root.querySelector('[data-testid="review-count"]'))).toBe('2 imported items to review.')
      const headings = [...root.querySelectorAll('h3')].map(h => text(h))
      expect(headings.slice(0, 2)).toEqual(['⚠ To review (2)', 'Still needed (1)'])
      expect([...root.querySelectorAll('section.review li')].map(text)).toEqual([
        `Review: ${RITUXAN.description} ${RITUXAN.key}`,
        `Review: ${BIOPSY.description} ${BIOPSY.key}`,
      ])
      expect([...root.querySelectorAll('section.needed li')].map(text)).toEqual([UPCR.description])
    })

    it('each undecided criterion says which imported items it waits for; its explanation says "review:", not "needs:"', async () => {
      const root = await mount(withReview())
      const in02 = root.querySelector('li[data-criterion="IN02"]')!
      expect([...in02.querySelectorAll('ul.review li')].map(text)).toEqual([`⚠ Review: ${RITUXAN.description}`])
      const ex01 = root.querySelector('li[data-criterion="EX01"]')!
      expect([...ex01.querySelectorAll('ul.review li')].map(text)).toEqual([`⚠ Review: ${RITUXAN.description}`, `⚠ Review: ${BIOPSY.description}`])
      const leaf = text(ex01.querySelector('ul[aria-label="Explanation of EX01"]'))
      expect(leaf).toContain(`review: ${RITUXAN.description}; ${BIOPSY.description}`)
      expect(leaf).not.toContain('needs:')
      // a criterion that is decided shows nothing to review
      expect(root.querySelector('li[data-criterion="IN01"] ul.review')).toBeNull()
    })

    it('shows what an import wrote as text, never as markup', async () => {
      const root = await mount(withReview())
      expect(root.querySelector('section.review b')).toBeNull()
      expect(text(root.querySelector('section.review'))).toContain('"<b>Renal procedure</b>"')
    })

    it('one item: "1 imported item to review"; none: no count and no section', async () => {
      const v = withReview()
      const one = await mount({ ...v, missing: [RITUXAN], criteria: v.criteria.map(c => ({ ...c, missing: c.missing.filter(m => m.key !== BIOPSY.key) })) })
      expect(text(one.querySelector('[data-testid="review-count"]'))).toBe('1 imported item to review.')
      const none = await mount(fixture('verdict-undetermined.json'))
      expect(none.querySelector('[data-testid="review-count"]')).toBeNull()
      expect(none.querySelector('section.review')).toBeNull()
    })
  })
})
