// @vitest-environment happy-dom
import { beforeAll, describe, expect, it } from 'vitest'
import type { ChartSeries, TpChart } from '../../web/components/tp-chart.ts'
import { text } from './dom.ts'

async function mount(props: Partial<Pick<TpChart, 'series' | 'thresholds' | 'label' | 'xLabel' | 'yLabel' | 'xIsDate'>>): Promise<TpChart> {
  document.body.innerHTML = ''
  const el = document.createElement('tp-chart')
  Object.assign(el, props)
  document.body.append(el)
  await el.updateComplete
  return el
}

const upcr: ChartSeries = {
  label: 'UPCR (g/g)',
  points: [
    { x: 0, y: 3.2 },
    { x: 28, y: 1.1 },
  ],
}
const egfr: ChartSeries = { label: 'eGFR', points: [{ x: 14, y: 80 }], dash: true }

describe('tp-chart', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-chart.ts')
  })

  it('says there is nothing to chart when no series has a value', async () => {
    const el = await mount({ label: 'UPCR over time', series: [{ label: 'UPCR', points: [{ x: 0, y: null }] }] })
    expect(text(el.shadowRoot)).toBe('UPCR over time: no values to chart yet.')
    expect(el.shadowRoot!.querySelector('[role="img"]')).toBeNull()
  })

  it('is an image named by its label, with the data as a table (merged x, a dash where a series has no value)', async () => {
    const el = await mount({ label: 'Kidney values', series: [upcr, egfr], xLabel: 'Study day', yLabel: 'value' })
    const img = el.shadowRoot!.querySelector('[role="img"]')!
    expect(img.getAttribute('aria-label')).toContain('Kidney values. value against Study day; 3 points')
    const details = el.shadowRoot!.querySelector('details')!
    expect(text(details.querySelector('summary'))).toBe('Show data as a table')
    const head = [...details.querySelectorAll('thead th')].map(text)
    expect(head).toEqual(['Study day', 'UPCR (g/g)', 'eGFR'])
    const rows = [...details.querySelectorAll('tbody tr')].map(tr => [...tr.children].map(text))
    expect(rows).toEqual([
      ['0', '3.2', '—'],
      ['14', '—', '80'],
      ['28', '1.1', '—'],
    ])
  })

  it('tells series apart in words, not colour only, and lists reference lines', async () => {
    const el = await mount({ label: 'x', series: [upcr, egfr], thresholds: [{ y: 0.5, label: 'Complete response' }] })
    expect(text(el.shadowRoot)).toContain('UPCR (g/g): solid line, filled markers; eGFR: dashed line, hollow markers.')
    expect(text(el.shadowRoot!.querySelector('.thresholds'))).toBe('Reference line (dashed grey): Complete response at 0.5.')
  })

  it('shows dates as ISO dates when xIsDate', async () => {
    const el = await mount({ label: 'x', xIsDate: true, series: [{ label: 'a', points: [{ x: Date.parse('2024-02-29'), y: 1 }] }] })
    expect(text(el.shadowRoot!.querySelector('tbody th'))).toBe('2024-02-29')
  })

  it('leaves the loading state for a drawn chart or a worded reason (happy-dom has no canvas)', async () => {
    const el = await mount({ label: 'x', series: [upcr] })
    expect(text(el.shadowRoot)).toContain('Loading the chart…')
    await expect.poll(() => el._state, { timeout: 5000 }).not.toBe('loading')
    await el.updateComplete
    if (el._state === 'failed') expect(text(el.shadowRoot)).toContain('The chart is not shown')
    expect(text(el.shadowRoot)).not.toContain('Loading the chart…')
  })
})
