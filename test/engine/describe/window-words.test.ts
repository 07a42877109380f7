/**
 * One wording of a window (engine/words/windows.ts) for the compiled labels,
 * the evaluation's explanations, the protocol description and the version
 * comparison: a window reads in the units the designer wrote.
 */
import { describe, expect, it } from 'vitest'
import { compileProtocol, type Window } from '../../../engine/index.ts'
import { describeProtocol } from '../../../engine/describe/index.ts'
import { describeWindow } from '../../../engine/compile/labels.ts'
import { resolveWindow } from '../../../engine/compile/resolve.ts'
import { formatWindow } from '../../../engine/diff/diff-words.ts'
import { plainNumbers, spanWords, valueWindowWords, windowWords } from '../../../engine/words/windows.ts'
import { protocolWith } from '../../helpers/protocol-builder.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const doc = protocolWith([], {
  parameters: { lookback: { value: 28, rationale: 'test' } },
  visits: [{ id: 'week_24', label: 'week 24', ref: 'randomization', day: 169, window: { before_days: 7, after_days: 7 } }],
})
const words = (w: Window | undefined) => windowWords(w, plainNumbers(doc))

describe('windowWords', () => {
  it.each([
    { w: undefined, want: 'at any time' },
    { w: { planned: 'during_study' }, want: 'planned during the study' },
    { w: { visit: 'current' }, want: 'at the visit' },
    { w: { visit: 'week_24' }, want: 'at week 24' },
    { w: { at: 'screening' }, want: 'current at screening' },
    { w: { days: 28, before: 'screening' }, want: 'within 28 days before screening' },
    { w: { weeks: 4, before: 'screening' }, want: 'within 4 weeks before screening' },
    { w: { weeks: 1, before: 'screening' }, want: 'within 1 week before screening' },
    { w: { years: 1, weeks: 2, before: 'randomization' }, want: 'within 1 year and 2 weeks before random allocation' },
    { w: { months: 0, days: 0, before: 'screening' }, want: 'on the screening date' },
    { w: { ref: 'randomization', from_day: 309, to_day: 365 }, want: 'from study day 309 to day 365 (day 1 = the random allocation date)' },
  ] as Array<{ w: Window | undefined; want: string }>)('$w -> $want', ({ w, want }) => {
    expect(words(w)).toBe(want)
  })

  it('a measured value at a reference date is the one dated that day; an event is current at it', () => {
    expect(valueWindowWords({ at: 'screening' }, plainNumbers(doc))).toBe('on the screening date')
    expect(valueWindowWords({ weeks: 4, before: 'screening' }, plainNumbers(doc))).toBe('within 4 weeks before screening')
  })

  it('tells which reference dates it counts from, and reads parameters as the caller wants', () => {
    const refs: string[] = []
    const text = windowWords(
      { days: { param: 'lookback' }, before: 'screening' },
      { doc, number: x => (typeof x === 'number' ? String(x) : `${x.param}?`), onRef: r => refs.push(r) },
    )
    expect(text).toBe('within lookback? days before screening')
    expect(refs).toEqual(['screening'])
    expect(spanWords({ months: 6, days: 0 }, String)).toBe('6 months')
  })

  it('a compiled window keeps the units as written: weeks stay weeks, days stay days', () => {
    const params = { lookback: 28 }
    expect(describeWindow(resolveWindow({ days: { param: 'lookback' }, before: 'screening' }, params), doc)).toBe('within 28 days before screening')
    expect(describeWindow(resolveWindow({ weeks: 4, before: 'screening' }, params), doc)).toBe('within 4 weeks before screening')
    expect(describeWindow(resolveWindow({ years: 1, before: 'screening' }, params), doc)).toBe('within 1 year before screening')
    // a window resolved without its span (built by hand) reads its calendar months and days
    expect(describeWindow({ kind: 'range', ref: 'screening', days: 28, months: 12 }, doc)).toBe('within 12 months and 28 days before screening')
  })
})

describe('NCT05631717: the same window reads the same everywhere', () => {
  const { doc: nct } = shippedProtocol('NCT05631717')
  const compiled = JSON.stringify(compileProtocol(nct).criteria)
  const described = JSON.stringify(describeProtocol(nct).criteria)

  it('IN04 (days: screening_lookback_days = 28) reads "within 28 days before screening" compiled and described', () => {
    expect(compiled).toContain('Urine protein/creatinine ratio > 1 g/g (latest, within 28 days before screening)')
    expect(described).toContain('Urine protein/creatinine ratio > 1 g/g, latest within 28 days before screening')
    expect(compiled).not.toContain('(latest, within 4 weeks before screening)')
  })

  it('EX01c (weeks: 4) reads "within 4 weeks before screening" compiled and described, and in the comparison', () => {
    expect(compiled).toContain('within 4 weeks before screening')
    expect(described).toContain('taken within 4 weeks before screening')
    expect(formatWindow({ weeks: 4, before: 'screening' }, nct)).toBe('within 4 weeks before screening')
  })
})
