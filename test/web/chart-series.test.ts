import { describe, expect, it } from 'vitest'
import { formatCell, formatNumber, formatX, hasData, lineStyleOf, mergeSeries, tableRows, yRange, type ChartSeries } from '../../web/charts/series.ts'

describe('mergeSeries', () => {
  it('merges different x values onto one ascending axis, null where a series has none', () => {
    const merged = mergeSeries([
      {
        label: 'a',
        points: [
          { x: 28, y: 1.2 },
          { x: 0, y: 3.1 },
        ],
      },
      {
        label: 'b',
        points: [
          { x: 14, y: 5 },
          { x: 28, y: 4 },
        ],
      },
    ])
    expect(merged.xs).toEqual([0, 14, 28])
    expect(merged.columns).toEqual([
      { label: 'a', ys: [3.1, null, 1.2] },
      { label: 'b', ys: [null, 5, 4] },
    ])
  })

  it('keeps an explicit null as a gap, turns NaN into a gap and drops non-finite x', () => {
    const merged = mergeSeries([
      {
        label: 'a',
        points: [
          { x: 0, y: null },
          { x: 1, y: Number.NaN },
          { x: Number.NaN, y: 9 },
          { x: 2, y: 2 },
        ],
      },
    ])
    expect(merged.xs).toEqual([0, 1, 2])
    expect(merged.columns[0]!.ys).toEqual([null, null, 2])
  })

  it('keeps the later of two points at the same x', () => {
    expect(
      mergeSeries([
        {
          label: 'dose',
          points: [
            { x: 5, y: 60 },
            { x: 5, y: 40 },
          ],
        },
      ]).columns[0]!.ys,
    ).toEqual([40])
  })

  it('aligns a confidence band with its points', () => {
    const merged = mergeSeries([
      {
        label: 'rate',
        points: [
          { x: 2, y: 0.5 },
          { x: 4, y: 0.6 },
        ],
        band: { lower: [0.3, 0.4], upper: [0.7, 0.8] },
      },
      { label: 'other', points: [{ x: 3, y: 1 }] },
    ])
    expect(merged.columns[0]).toEqual({ label: 'rate', ys: [0.5, null, 0.6], lower: [0.3, null, 0.4], upper: [0.7, null, 0.8] })
    expect(merged.columns[1]).not.toHaveProperty('lower')
  })

  it('merges no series to an empty axis', () => {
    expect(mergeSeries([])).toEqual({ xs: [], columns: [] })
  })
})

describe('hasData', () => {
  it.each<{ series: ChartSeries[]; want: boolean }>([
    { series: [], want: false },
    { series: [{ label: 'a', points: [] }], want: false },
    { series: [{ label: 'a', points: [{ x: 0, y: null }] }], want: false }, // only gaps
    { series: [{ label: 'a', points: [{ x: 0, y: 0 }] }], want: true }, // zero is a value
  ])('$series -> $want', ({ series, want }) => expect(hasData(series)).toBe(want))
})

describe('formatting', () => {
  it.each([
    { v: 3, want: '3' },
    { v: 0.12345, want: '0.1235' },
    { v: 1.23456, want: '1.235' },
    { v: 12.3456, want: '12.35' },
    { v: 123.456, want: '123.5' },
    { v: 1234.56, want: '1235' },
    { v: -0.5, want: '-0.5' },
  ])('formatNumber($v) = $want', ({ v, want }) => expect(formatNumber(v)).toBe(want))

  it('shows date x values as UTC ISO dates (no time-zone drift) and numbers as numbers', () => {
    expect(formatX(Date.parse('2024-03-01'), true)).toBe('2024-03-01')
    expect(formatX(Date.parse('2024-03-01T23:30:00Z'), true)).toBe('2024-03-01')
    expect(formatX(14, false)).toBe('14')
  })

  it('writes a band as "value (lower to upper)" and a missing value as a dash', () => {
    const merged = mergeSeries([
      {
        label: 'r',
        points: [
          { x: 1, y: 0.5 },
          { x: 2, y: null },
        ],
        band: { lower: [0.25, null], upper: [0.75, null] },
      },
    ])
    expect(formatCell(merged.columns[0]!, 0)).toBe('0.5 (0.25 to 0.75)')
    expect(formatCell(merged.columns[0]!, 1)).toBe('—')
  })
})

describe('tableRows', () => {
  it('lists each x once with one cell per series and leaves out x values with no value at all', () => {
    const merged = mergeSeries([
      {
        label: 'a',
        points: [
          { x: 0, y: 1 },
          { x: 7, y: null },
        ],
      },
      { label: 'b', points: [{ x: 14, y: 2 }] },
    ])
    expect(tableRows(merged, false)).toEqual([
      { x: '0', cells: ['1', '—'] },
      { x: '14', cells: ['—', '2'] },
    ])
  })
})

describe('yRange', () => {
  const merged = mergeSeries([
    {
      label: 'a',
      points: [
        { x: 0, y: 1 },
        { x: 1, y: 3 },
      ],
    },
  ])
  it('pads the data by 10 %', () => expect(yRange(merged, [])).toEqual([0.8, 3.2]))
  it('takes in a threshold above the data so its line is drawn', () => expect(yRange(merged, [{ y: 5, label: 't' }])[1]).toBeCloseTo(5.4))
  it('uses yMin and yMax when given', () => expect(yRange(merged, [], 0, 10)).toEqual([0, 10]))
  it('never returns an empty range', () => {
    const flat = mergeSeries([{ label: 'a', points: [{ x: 0, y: 0 }] }])
    const [lo, hi] = yRange(flat, [])
    expect(hi).toBeGreaterThan(lo)
  })
})

describe('lineStyleOf', () => {
  it('gives neighbouring series different dashes and markers, and says so in words', () => {
    const a = lineStyleOf(0, {})
    const b = lineStyleOf(1, {})
    expect(a.dash).not.toEqual(b.dash)
    expect(a.hollow).not.toBe(b.hollow)
    expect(a.words).toBe('solid line, filled markers')
    expect(lineStyleOf(0, { dash: true, step: true }).words).toBe('dashed line, filled markers, drawn as steps')
  })
})
