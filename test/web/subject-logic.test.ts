import { describe, expect, it } from 'vitest'
import type { PlannedVisit } from '../../engine/index.ts'
import { daysBetweenIso, parseIsoDate } from '../../engine/calculators/dates.ts'
import { todayIso } from '../../web/subjects/dates.ts'
import { visitTimeline } from '../../web/subjects/timeline.ts'
import { canRandomize } from '../../engine/subject/randomization.ts'
import { adverseEventInput, courseWords, emptyAeForm, seriousWords } from '../../web/subjects/adverse-events.ts'
import { responseTable } from '../../web/subjects/responses.ts'
import { subjectCharts } from '../../web/subjects/charts.ts'

describe('dates', () => {
  it.each([
    { iso: '1970-01-02', want: 1 },
    { iso: '2024-02-29', want: 19782 }, // leap day
    { iso: '2026-02-29', want: undefined }, // not a leap year
    { iso: '2026-1-5', want: undefined },
  ])("parseIsoDate($iso) = $want (the engine's, which the web imports)", ({ iso, want }) => expect(parseIsoDate(iso)).toBe(want))

  it('counts days across a daylight-saving change without drift', () => {
    expect(daysBetweenIso('2026-03-28', '2026-03-30')).toBe(2)
    expect(daysBetweenIso('2026-10-24', '2026-10-26')).toBe(2)
    expect(daysBetweenIso('2026-10-24', '2026-02-30')).toBeUndefined()
  })

  it("gives the user's local date", () => expect(todayIso(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05'))
})

describe('visitTimeline', () => {
  const week4: PlannedVisit = { visit: 'week_4', label: 'week 4', day: 29, due: '2026-02-16', window_start: '2026-02-09', window_end: '2026-02-23' }
  const one = (recorded: string | undefined, today: string) => visitTimeline([week4], recorded ? [{ visit: 'week_4', date: recorded }] : [], today)[0]!

  // the statuses themselves are tested in visit-status.test.ts; the timeline carries them and the recorded date
  it.each([
    { recorded: '2026-02-16', today: '2026-03-01', state: 'done', words: 'done (2026-02-16)', note: undefined },
    { recorded: '2026-02-24', today: '2026-03-01', state: 'done', words: 'done (2026-02-24)', note: '1 day after the window closed' },
    { recorded: undefined, today: '2026-02-08', state: 'not-yet-due', words: 'not yet due (window opens 2026-02-09)', note: undefined },
    { recorded: undefined, today: '2026-02-24', state: 'overdue', words: 'overdue (window closed 2026-02-23, not recorded)', note: undefined },
  ])('recorded $recorded, today $today -> $state', ({ recorded, today, state, words, note }) => {
    const row = one(recorded, today)
    expect(row).toMatchObject({ state, words })
    expect([row.recorded, row.note]).toEqual([recorded, note])
  })

  it('lists a recorded visit the plan could not place', () => {
    expect(visitTimeline([], [{ visit: 'week_4', date: '2026-02-16' }], '2026-03-01')).toMatchObject([{ visit: 'week_4', state: 'unplanned' }])
  })
})

describe('canRandomize', () => {
  const screening = (overall: 'eligible' | 'ineligible' | 'undetermined', id = 1) => ({
    id,
    overall,
    failing: overall === 'ineligible' ? ['IN04'] : [],
    version: 1,
  })
  it('allows a screened subject whose latest screening is eligible', () => {
    expect(canRandomize('screened', [screening('ineligible', 1), screening('eligible', 2)])).toEqual({ allowed: true })
  })
  it.each([
    { status: 'screened', list: [], why: 'has not been screened yet' },
    { status: 'screened', list: [screening('eligible', 1), screening('ineligible', 2)], why: 'found the subject ineligible (failing: IN04)' }, // the latest counts
    { status: 'screened', list: [screening('undetermined')], why: 'found the subject undetermined' },
    { status: 'randomized', list: [screening('eligible')], why: 'already randomized' },
  ])('refuses $status with $list.length screening(s), saying why', ({ status, list, why }) => {
    const r = canRandomize(status, list)
    expect(r.allowed).toBe(false)
    expect(r.allowed ? '' : r.why).toContain(why)
    expect(r.allowed ? '' : r.reason).toBe(status === 'screened' ? 'screening' : 'status')
  })
})

describe('adverseEventInput', () => {
  const ok = { ...emptyAeForm(), term: ' Injection site reaction ', onset: '2026-01-20', relatedness: 'related' }
  it('builds the event with only what was given', () => {
    expect(adverseEventInput({ ...ok, end: '2026-01-22', grade: '1', serious: ['hospitalization'] }).value).toEqual({
      term: 'Injection site reaction',
      onset: '2026-01-20',
      end: '2026-01-22',
      seriousness: { hospitalization: true },
      relatedness: 'related',
      ctcae_grade: 1,
    })
    expect(adverseEventInput(ok).value).toEqual({ term: 'Injection site reaction', onset: '2026-01-20', seriousness: {}, relatedness: 'related' })
  })
  it('refuses an end before the onset, and both an end and ongoing', () => {
    expect(adverseEventInput({ ...ok, end: '2026-01-19' }).errors).toEqual(['Resolved on: 2026-01-19 is before the onset 2026-01-20'])
    expect(adverseEventInput({ ...ok, end: '2026-01-20' }).errors).toEqual([]) // same day
    expect(adverseEventInput({ ...ok, end: '2026-01-21', ongoing: true }).errors).toEqual([
      'Ongoing: an event with a resolution date is not ongoing; clear one of them',
    ])
  })
  it('requires term, onset and relatedness', () => {
    expect(adverseEventInput(emptyAeForm()).errors).toHaveLength(3)
  })
  it('describes seriousness and course in words', () => {
    const ae = adverseEventInput({ ...ok, serious: ['life_threatening', 'hospitalization'] }).value!
    expect(seriousWords(ae)).toBe('Serious: life-threatening, required or prolonged hospitalisation')
    expect(seriousWords(adverseEventInput(ok).value!)).toBe('Not serious')
    expect(courseWords({ ...ae, ongoing: true })).toBe('2026-01-20, ongoing')
    expect(courseWords(ae)).toBe('2026-01-20, resolution not recorded')
  })
})

describe('responseTable', () => {
  it('gives each visit its status, each endpoint its truth, and what is missing once', () => {
    const missing = [{ key: 'm', description: 'UPCR at week 8' }]
    const t = responseTable({
      responses: [
        { endpoint: 'complete_response', visit: 'week_4', truth: 'met', explanation: {} as never, missing: [] },
        { endpoint: 'partial_response', visit: 'week_4', truth: 'not_met', explanation: {} as never, missing: [] },
        { endpoint: 'complete_response', visit: 'week_8', truth: 'unknown', explanation: {} as never, missing },
      ],
      classifications: [
        { endpoint: 'response_status', visit: 'week_4', level: 'CR', detail: '', missing: [] },
        { endpoint: 'response_status', visit: 'week_8', level: 'unknown', at_least: 'PR', detail: '', missing },
      ],
    })
    expect(t.endpoints).toEqual(['complete_response', 'partial_response'])
    expect(t.rows).toEqual([
      {
        visit: 'week_4',
        pending: false,
        status: [{ endpoint: 'response_status', level: 'CR', words: 'CR' }],
        truths: { complete_response: '✓ met', partial_response: '✗ not met' },
        missing: [],
      },
      {
        visit: 'week_8',
        pending: false,
        status: [{ endpoint: 'response_status', level: 'unknown', words: '? unknown (at least PR)' }],
        truths: { complete_response: '? unknown' },
        missing: ['UPCR at week 8'],
      },
    ])
  })
})

describe('subjectCharts', () => {
  const view = {
    version: 1,
    anchor: { ref: 'randomization', date: '2026-01-19' },
    series: [
      {
        id: 'glucocorticoid' as const,
        label: 'g',
        unit: 'mg/d',
        step: true,
        points: [
          { date: '2026-01-01', day: -18, value: 30, note: '' },
          { date: '2026-02-01', day: 14, value: null, note: 'why' },
        ],
        problems: ['why'],
        thresholds: [{ y: 10, label: 'CR' }],
      },
    ],
  }
  it('charts study days with gaps kept, as steps, with the thresholds', () => {
    const [c] = subjectCharts(view)
    expect(c).toMatchObject({
      title: 'Glucocorticoid dose over time',
      xIsDate: false,
      yLabel: 'mg/day (prednisone-eq.)',
      thresholds: [{ y: 10, label: 'CR' }],
      problems: ['why'],
    })
    expect(c!.xLabel).toBe('Study day')
    expect(c!.series).toEqual([
      {
        label: 'Glucocorticoid dose (mg/day prednisone-equivalent)',
        step: true,
        points: [
          { x: -18, y: 30 },
          { x: 14, y: null },
        ],
      },
    ])
  })
  it('charts by date when the record has no anchor date', () => {
    const [c] = subjectCharts({ ...view, anchor: null, series: [{ ...view.series[0]!, points: view.series[0]!.points.map(p => ({ ...p, day: null })) }] })
    expect(c!.xIsDate).toBe(true)
    expect(c!.series[0]!.points[0]!.x).toBe(Date.parse('2026-01-01'))
  })
})
