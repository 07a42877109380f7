import { describe, expect, it } from 'vitest'
import { interval, percent, plural, points, pointsInterval, shareOf } from '../../web/dashboard/format.ts'
import { flowModel, funnelRows, versionNote } from '../../web/dashboard/funnel-view.ts'
import { kmPanels } from '../../web/dashboard/km.ts'
import { plotX, rateTables } from '../../web/dashboard/rates.ts'
import { emptyResults, funnelReport, protocolDocument, studyResults } from './dashboard-fixtures.ts'
import { clopperPearson, differenceInProportions } from '../../engine/statistics/index.ts'

describe('format', () => {
  it.each([
    { p: 0, want: '0.0 %' },
    { p: 0.4286, want: '42.9 %' },
    { p: 1, want: '100.0 %' },
    { p: undefined, want: '—' }, // no subjects: no estimate, not 0 %
    { p: Number.NaN, want: '—' },
  ])('percent($p) = $want', ({ p, want }) => expect(percent(p)).toBe(want))

  it.each([
    { d: 0.143, want: '+14.3 pp' },
    { d: -0.05, want: '−5.0 pp' }, // a true minus sign
    { d: 0, want: '0.0 pp' },
    { d: -0.0001, want: '0.0 pp' }, // rounds to zero: no sign
    { d: undefined, want: '—' },
  ])('points($d) = $want', ({ d, want }) => expect(points(d)).toBe(want))

  it('intervals, shares and plurals', () => {
    expect(interval(0.0126, 0.9874)).toBe('1.3 to 98.7 %')
    expect(pointsInterval(-0.2754, 0.9025)).toBe('−27.5 to +90.3 pp')
    expect(shareOf(1, 4)).toBe('25.0 %')
    expect(shareOf(0, 0)).toBe('—')
    expect(plural(1, 'subject')).toBe('1 subject')
    expect(plural(0, 'subject')).toBe('0 subjects')
  })
})

describe('flowModel', () => {
  it('stages top to bottom, excluded and undetermined branching off the screened', () => {
    const m = flowModel(funnelReport())
    expect(m.empty).toBe(false)
    expect(m.stages.map(s => [s.main.title, s.main.count])).toEqual([
      ['Registered subjects', 6],
      ['Screened', 5],
      ['Eligible', 2],
      ['Randomized', 2],
    ])
    expect(m.stages[0]!.side).toMatchObject([{ title: 'Not yet screened', count: 1 }])
    const [excluded, undetermined] = m.stages[1]!.side
    expect(excluded).toMatchObject({ title: 'Excluded (ineligible)', count: 2, tone: 'out' })
    expect(excluded!.note).toContain('40.0 % of screened')
    expect(excluded!.items).toEqual([
      { label: 'IN02 · Age 18 to 65', count: 1 },
      { label: 'EX01', count: 1 }, // no title: the id alone
    ])
    expect(undetermined).toMatchObject({ title: 'Undetermined', count: 1, tone: 'unknown', items: [{ label: 'IN01 · Lupus nephritis', count: 1 }] })
    expect(m.stages[1]!.main.note).toBe('latest screening of 5 subjects')
    expect(m.arms).toMatchObject([
      { title: 'IL-2 group', count: 1 },
      { title: 'MSCs group', count: 1 },
    ])
  })

  it('no "not yet screened" box when every subject is screened; anonymous evaluations named', () => {
    const r = funnelReport()
    r.subjects.not_screened = 0
    r.population = 'all'
    r.anonymous = 3
    const m = flowModel(r)
    expect(m.stages[0]!.side).toEqual([])
    expect(m.stages[1]!.main.note).toBe('5 subjects (latest screening) + 3 anonymous evaluations')
  })

  it('"data still needed for" only when criteria follow it', () => {
    const r = funnelReport()
    expect(flowModel(r).stages[1]!.side[1]!.note).toBe('20.0 % of screened; data still needed for')
    r.flow.undetermined = { total: 0, first_undecided: [] }
    expect(flowModel(r).stages[1]!.side[1]!.note).toBe('0.0 % of screened')
  })

  it('removed criteria: a count of their own', () => {
    const r = funnelReport()
    r.flow.excluded = { total: 3, other_criteria: 1 }
    r.flow.undetermined.first_undecided = [{ criterion: 'EX09', count: 1 }]
    const m = flowModel(r)
    expect(m.stages[1]!.side[0]!.items!.at(-1)).toEqual({ label: 'criteria no longer in this version', count: 1 })
    expect(m.stages[1]!.side[1]!.items).toEqual([{ label: 'EX09 (not in version 2)', count: 1 }])
  })

  it('empty when nothing was screened', () => {
    const r = funnelReport()
    r.flow.screened = 0
    expect(flowModel(r).empty).toBe(true)
  })

  it('table rows in protocol order, with the share excluded of those entering', () => {
    expect(funnelRows(funnelReport())).toEqual([
      { criterion: 'IN01', kind: 'inclusion', title: 'Lupus nephritis', entering: 5, excluded: 0, excludedShare: '0.0 %', unknown: 2, pass: 3, failAll: 0 },
      { criterion: 'IN02', kind: 'inclusion', title: 'Age 18 to 65', entering: 5, excluded: 1, excludedShare: '20.0 %', unknown: 0, pass: 4, failAll: 1 },
      { criterion: 'EX01', kind: 'exclusion', title: '', entering: 4, excluded: 1, excludedShare: '25.0 %', unknown: 0, pass: 3, failAll: 1 },
    ])
  })

  it('names other versions counted, and says nothing when there are none', () => {
    expect(versionNote(funnelReport())).toBe('Includes screenings against version 1, read against the criteria of version 2.')
    const r = funnelReport()
    r.evaluated_versions = [2]
    expect(versionNote(r)).toBeUndefined()
  })
})

describe('rateTables', () => {
  it('one table per classification endpoint; a row per visit and level (CR, PR, any)', () => {
    const [t, ...rest] = rateTables(studyResults(), protocolDocument())
    expect(rest).toEqual([])
    expect(t).toMatchObject({
      endpoint: 'response_status',
      title: 'Response rates (CR and RR)',
      arms: [
        { label: 'IL-2 group', shape: 'circle' },
        { label: 'MSCs group', shape: 'square' },
      ],
    })
    expect(t!.missingNote).toContain('counts as NR')
    expect(t!.rows.map(r => [r.visitLabel, r.level])).toEqual([
      ['week 4', 'CR'],
      ['week 4', 'PR'],
      ['week 4', 'any'],
      ['week 8', 'CR'],
      ['week 8', 'PR'],
      ['week 8', 'any'],
    ])
    expect(t!.rows[0]!.levelLabel).toBe('Complete response (CR)') // the title already names the level
    expect(t!.rows[2]!.levelLabel).toBe('CR or PR (any response)')
  })

  it('a level whose title does not name it gets the level first; no title, the level alone', () => {
    const doc = protocolDocument()
    Object.assign(doc.endpoints!.find(e => e.id === 'partial_response')!, { title: 'Partial response' })
    Object.assign(doc.endpoints!.find(e => e.id === 'complete_response')!, { title: 'CR' })
    const rows = rateTables(studyResults(), doc)[0]!.rows
    expect(rows.slice(0, 2).map(r => r.levelLabel)).toEqual(['CR', 'PR · Partial response'])
  })

  it('n/N, %, CI per arm and the signed difference with its CI', () => {
    const row = rateTables(studyResults(), protocolDocument())[0]!.rows[1]! // week 4, PR
    expect(row.arms.map(a => [a.fraction, a.percent, a.ci])).toEqual([
      ['1/2', '50.0 %', '1.3 to 98.7 %'],
      ['0/2', '0.0 %', '0.0 to 84.2 %'],
    ])
    expect(row.difference).toMatchObject({ label: 'IL-2 group − MSCs group', text: '+50.0 pp', ci: '−27.5 to +90.3 pp' })
    expect(row.summary).toBe(
      '● IL-2 group: 1/2, 50.0 %, 95 % CI 1.3 to 98.7 %; ■ MSCs group: 0/2, 0.0 %, 95 % CI 0.0 to 84.2 %; difference +50.0 pp, 95 % CI −27.5 to +90.3 pp',
    )
    const week8 = rateTables(studyResults(), protocolDocument())[0]!.rows[5]!
    expect(week8.arms[1]).toMatchObject({ unknown: 1, fraction: '1/2' })
  })

  it('then a table per SLE Responder Index endpoint (a row per visit) and per safety endpoint (one row, the whole study)', () => {
    const rateOf = (x: number, n: number) => ({ x, n, ci: clopperPearson(x, n) })
    const results = {
      ...studyResults(),
      responder_index: [
        {
          endpoint: 'sri_4',
          visit: 'week_4',
          arms: [
            { arm: 'il2', rate: rateOf(2, 2), unknown: 1 },
            { arm: 'msc', rate: rateOf(1, 2), unknown: 0 },
          ],
          difference: differenceInProportions({ x: 2, n: 2 }, { x: 1, n: 2 }),
        },
      ],
      safety: [
        {
          endpoint: 'teae',
          arms: [
            { arm: 'il2', rate: rateOf(3, 10), unknown: 1 },
            { arm: 'msc', rate: rateOf(1, 10), unknown: 0 },
          ],
          difference: differenceInProportions({ x: 3, n: 10 }, { x: 1, n: 10 }),
        },
      ],
    }
    const [, sri, teae, ...rest] = rateTables(results, protocolDocument())
    expect(rest).toEqual([])
    expect(sri).toMatchObject({
      endpoint: 'sri_4',
      outcomeHeader: 'Response',
      missingNote: expect.stringContaining('left out of that visit’s denominator') as unknown,
    })
    expect(sri!.rows.map(r => [r.visitLabel, r.levelLabel, r.arms.map(a => [a.label, a.fraction, a.unknown]), r.difference?.text])).toEqual([
      [
        'week 4',
        'responders',
        [
          ['IL-2 group', '2/2', 1],
          ['MSCs group', '1/2', 0],
        ],
        '+50.0 pp',
      ],
    ])
    expect(teae).toMatchObject({ endpoint: 'teae', outcomeHeader: 'Event', caption: 'teae: subjects with the event / randomized subjects, per arm' })
    expect(teae!.rows.map(r => [r.visitLabel, r.levelLabel, r.arms.map(a => a.fraction), r.difference?.text])).toEqual([
      ['whole study', 'subjects with the event', ['3/10', '1/10'], '+20.0 pp'],
    ])
    expect(teae!.missingNote).toContain('counts as without the event')
  })

  it('an arm with no subjects has no estimate and says so', () => {
    const results = studyResults()
    const msc = results.responses[0]!.arms[1]!
    msc.rates.PR = { x: 0, n: 0, ci: { estimate: undefined, lower: 0, upper: 1 } }
    results.responses[0]!.differences.PR = { difference: undefined, lower: -1, upper: 1, method: 'newcombe-hybrid-score' }
    const row = rateTables(results, protocolDocument())[0]!.rows[1]!
    expect(row.arms[1]).toMatchObject({ fraction: '0/0', percent: '—', ci: 'no subjects' })
    expect(row.arms[1]!.estimate).toBeUndefined()
    expect(row.difference).toMatchObject({ text: '—', ci: 'an arm has no subjects' })
  })

  it('no responses: no tables', () => {
    expect(rateTables(emptyResults(), protocolDocument())).toEqual([])
  })

  it.each([
    { v: 0, want: 0 },
    { v: 0.25, want: 50 },
    { v: 1, want: 200 },
    { v: 1.2, want: 200 }, // clamped to the plot
    { v: -0.1, want: 0 },
  ])('plotX($v) on [0, 1] over 200 px = $want', ({ v, want }) => expect(plotX(v, [0, 1], 200)).toBe(want))

  it('plotX on the difference scale [-1, 1]: 0 is the middle', () => expect(plotX(0, [-1, 1], 200)).toBe(100))
})

describe('kmPanels', () => {
  it('a step series per arm from day 0, in percent, every other arm dashed, with the 95 % band', () => {
    const [p] = kmPanels(studyResults(), protocolDocument())
    expect(p).toMatchObject({
      endpoint: 'time_to_pr',
      title: 'Time to PR',
      from: 'random allocation',
      excluded: 0,
      intervalCensoredAs: 'at the visit first seen (right endpoint)',
      hasData: true,
    })
    expect(p!.series[0]).toEqual({
      label: 'IL-2 group',
      points: [
        { x: 0, y: 0 },
        { x: 28, y: 50 },
        { x: 56, y: 100 },
      ],
      step: true,
      band: { lower: [0, 9, 100], upper: [0, 99.4, 100] },
    })
    expect(p!.series[1]).toMatchObject({ label: 'MSCs group', dash: true, step: true })
    expect(p!.arms).toEqual([
      { arm: 'il2', label: 'IL-2 group', subjects: 2, events: 2, median: '42 days', final: '100.0 %', censored: 0, interval_censored: 1 },
      { arm: 'msc', label: 'MSCs group', subjects: 2, events: 1, median: 'not reached', final: '100.0 %', censored: 1, interval_censored: 0 },
    ])
  })

  it('no subject with a known time: no data', () => {
    const results = studyResults()
    for (const a of results.time_to_event[0]!.arms) Object.assign(a, { subjects: 0, events: 0, steps: [], median: undefined })
    const [p] = kmPanels(results, protocolDocument())
    expect(p!.hasData).toBe(false)
    expect(p!.arms[0]).toMatchObject({ final: '—', median: 'not reached' })
  })
})
