/**
 * Time to first response with visits that could not be graded: exact when
 * the visit before the event was graded as no event (or the event is at the
 * first scheduled visit), interval-censored otherwise, right-censored without
 * an event; the per-arm convention (right endpoint or midpoint) and the count
 * of interval-censored subjects.
 */
import { describe, expect, it } from 'vitest'
import { compileProtocol } from '../../../engine/index.ts'
import { runSubjectExamples, subjectCalendar, summarizeStudy } from '../../../engine/study.ts'
import type {
  ClassificationAtVisit,
  ProtocolDocument,
  SubjectEndpointResults,
  SubjectRecord,
  TimeToEventEndpoint,
  TimeToEventResult,
} from '../../../engine/types.ts'
import { classify } from '../../../engine/endpoints/responses.ts'
import { eventStatus, intervalConvention, intervalPoint, observedTime, timeToEvent } from '../../../engine/endpoints/time-to-event.ts'
import { checkProtocol } from '../../../engine/semantic/check-protocol.ts'
import { describeProtocol } from '../../../engine/describe/index.ts'
import { formatStudy } from '../../../engine/cli/format-study.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const shipped = shippedProtocol('NCT05631717')
const doc = shipped.doc
const compiled = compileProtocol(doc)
const endpoint = (id: string) => doc.endpoints!.find((e): e is TimeToEventEndpoint => e.id === id && e.type === 'time_to_event')!
const timeToPr = endpoint('time_to_pr')
const timeToCr = endpoint('time_to_cr')

// random allocation 2026-01-19; visits on their nominal days: week 4 = day 28 ... week 24 = day 168
const VISIT_DATES = { week_4: '2026-02-16', week_8: '2026-03-16', week_16: '2026-05-11', week_20: '2026-06-08', week_24: '2026-07-06' }
const subject: SubjectRecord = {
  id: 'S',
  arm: 'il2',
  dates: { randomization: '2026-01-19' },
  visits: Object.entries(VISIT_DATES).map(([visit, date]) => ({ visit, date })),
}
const calendar = subjectCalendar(doc, compiled.parameters, subject)

/** Grades at week 4, 8, 16, 20, 24: a level, `?` (nothing decided) or a grade object. */
function grades(...levels: Array<string | Partial<ClassificationAtVisit>>): ClassificationAtVisit[] {
  return Object.keys(VISIT_DATES).map((visit, i) => {
    const g = levels[i] ?? '?'
    const base = { endpoint: 'response_status', visit, detail: '', missing: [] }
    if (typeof g !== 'string') return { ...base, level: 'unknown', ...g }
    return g === '?' ? { ...base, level: 'unknown', possible: ['CR', 'PR', 'NR'] } : { ...base, level: g }
  })
}

const run = (e: TimeToEventEndpoint, gs: ClassificationAtVisit[], convention: 'right' | 'midpoint' = 'right') =>
  timeToEvent(doc, e, convention, subject, gs, calendar)

describe('per subject: exact, interval-censored, right-censored', () => {
  it('exact when the visit just before the event visit was graded as no event', () => {
    const t = run(timeToPr, grades('NR', 'PR', 'PR', 'CR', 'CR'))
    expect(t).toEqual({ endpoint: 'time_to_pr', event: true, days: 56, detail: 'PR first at week 8 on 2026-03-16, day 56 from randomization' })
    expect(run(timeToCr, grades('NR', 'PR', 'PR', 'CR', 'CR'))).toMatchObject({ event: true, days: 140 })
    expect(run(timeToCr, grades('NR', 'PR', 'PR', 'CR', 'CR')).interval).toBeUndefined()
  })

  it('exact at the first scheduled visit: the design cannot resolve it further', () => {
    const t = run(timeToPr, grades('PR', 'PR', 'CR', 'CR', 'CR'))
    expect(t).toMatchObject({ event: true, days: 28 })
    expect(t.interval).toBeUndefined()
  })

  it('interval-censored when visits between the last no-event visit and the event visit could not be graded', () => {
    const t = run(timeToCr, grades('NR', 'NR', '?', '?', 'CR'))
    expect(t).toMatchObject({ event: true, interval: { after_days: 56, by_days: 168 }, days: 168, days_as: 'right' })
    expect(t.detail).toBe(
      'CR between week 8 (day 56, NR) and week 24 (day 168, CR); week 16, week 20 not evaluable: interval-censored, counted at day 168 (right endpoint: the visit at which it was first seen)',
    )
  })

  it('one unknown visit is enough; one decided visit just before is enough for exact', () => {
    expect(run(timeToCr, grades('NR', 'NR', 'PR', '?', 'CR'))).toMatchObject({ interval: { after_days: 112, by_days: 168 } })
    const exact = run(timeToCr, grades('NR', '?', '?', 'PR', 'CR'))
    expect(exact).toMatchObject({ days: 168 })
    expect(exact.interval).toBeUndefined()
  })

  it('unknown first visit: the interval starts at the reference date, day 0', () => {
    const t = run(timeToPr, grades('?', 'PR', 'PR', 'CR', 'CR'))
    expect(t).toMatchObject({ event: true, interval: { after_days: 0, by_days: 56 }, days: 56 })
    expect(t.detail).toContain('between random allocation (day 0) and week 8 (day 56, PR); week 4 not evaluable')
  })

  it('midpoint convention: days is the middle of the interval, an exact time is unchanged', () => {
    expect(run(timeToCr, grades('NR', 'NR', '?', '?', 'CR'), 'midpoint')).toMatchObject({
      days: 112,
      days_as: 'midpoint',
      interval: { after_days: 56, by_days: 168 },
    })
    expect(run(timeToPr, grades('?', 'PR'), 'midpoint')).toMatchObject({ days: 28 })
    const exact = run(timeToPr, grades('NR', 'PR'), 'midpoint')
    expect(exact).toMatchObject({ days: 56 })
    expect(exact.days_as).toBeUndefined()
  })

  it('right-censored at the last visit known to be no event; later unknown visits said', () => {
    const t = run(timeToCr, grades('NR', 'PR', 'PR', '?', '?'))
    expect(t).toEqual({
      endpoint: 'time_to_cr',
      event: false,
      censored_at_days: 112,
      detail: 'no CR by week 16: censored at day 112; 2 later visit(s) not evaluable',
    })
    expect(run(timeToCr, grades('NR', 'PR', 'PR', 'PR', 'PR'))).toMatchObject({ event: false, censored_at_days: 168 })
  })

  it('no evaluable visit, or no reference date: unknown, neither event nor censoring time', () => {
    expect(run(timeToPr, grades())).toEqual({ endpoint: 'time_to_pr', event: false, detail: 'no evaluable visit' })
    const noDate = timeToEvent(doc, timeToPr, 'right', { ...subject, dates: {} }, grades('PR'), calendar)
    expect(noDate).toEqual({ endpoint: 'time_to_pr', event: false, detail: 'no random allocation date' })
  })

  it('an undecided grade still counts when every level it can be is on one side', () => {
    // week 8 "at least PR" (CR undecided): a response for time to PR-or-CR, not yet known for CR
    const atLeastPr = { at_least: 'PR', possible: ['CR', 'PR'] }
    expect(run(timeToPr, grades('NR', atLeastPr, 'CR'))).toMatchObject({ event: true, days: 56 })
    expect(run(timeToCr, grades('NR', atLeastPr, 'CR'))).toMatchObject({ interval: { after_days: 28, by_days: 112 } })
    // week 16 "PR or NR" (CR ruled out): no CR, so CR at week 20 is exact
    const notCr = { possible: ['PR', 'NR'] }
    const exact = run(timeToCr, grades('NR', 'PR', notCr, 'CR'))
    expect(exact).toMatchObject({ event: true, days: 140 })
    expect(exact.interval).toBeUndefined()
    expect(run(timeToPr, grades('NR', 'NR', notCr, 'PR'))).toMatchObject({ interval: { after_days: 56, by_days: 140 } })
  })
})

describe('eventStatus and classify', () => {
  const g = (x: Partial<ClassificationAtVisit>): ClassificationAtVisit => ({
    endpoint: 'response_status',
    visit: 'week_8',
    level: 'unknown',
    detail: '',
    missing: [],
    ...x,
  })
  it.each<[Partial<ClassificationAtVisit>, string[], string]>([
    [{ level: 'PR' }, ['PR', 'CR'], 'event'],
    [{ level: 'NR' }, ['PR', 'CR'], 'no_event'],
    [{ level: 'PR' }, ['CR'], 'no_event'],
    [{ possible: ['CR', 'PR'] }, ['PR', 'CR'], 'event'],
    [{ possible: ['CR', 'PR'] }, ['CR'], 'unknown'],
    [{ possible: ['PR', 'NR'] }, ['CR'], 'no_event'],
    [{ possible: ['PR', 'NR'] }, ['PR', 'CR'], 'unknown'],
    [{}, ['CR'], 'unknown'],
  ])('%o for levels %o: %s', (grade, levels, want) => {
    expect(eventStatus(g(grade), levels)).toBe(want)
  })

  const cls = doc.endpoints!.find(e => e.id === 'response_status' && e.type === 'classification')
  const response = (endpoint: string, truth: 'met' | 'not_met' | 'unknown') => ({
    endpoint,
    visit: 'week_8',
    truth,
    explanation: { kind: 'leaf' } as never,
    missing: [],
  })
  it('classify lists the levels an unknown grade can still be', () => {
    if (cls?.type !== 'classification') throw new Error('no classification')
    expect(classify(cls, [response('complete_response', 'unknown'), response('partial_response', 'met')], 'week_8', 'week 8')).toMatchObject({
      level: 'unknown',
      at_least: 'PR',
      possible: ['CR', 'PR'],
    })
    expect(classify(cls, [response('complete_response', 'not_met'), response('partial_response', 'unknown')], 'week_8', 'week 8')).toMatchObject({
      level: 'unknown',
      possible: ['PR', 'NR'],
    })
    expect(classify(cls, [response('complete_response', 'unknown'), response('partial_response', 'unknown')], 'week_8', 'week 8')).toMatchObject({
      level: 'unknown',
      possible: ['CR', 'PR', 'NR'],
    })
    expect(classify(cls, [response('complete_response', 'not_met'), response('partial_response', 'met')], 'week_8', 'week 8').possible).toBeUndefined()
  })
})

describe('the convention', () => {
  it('intervalPoint: right endpoint or midpoint', () => {
    expect(intervalPoint({ after_days: 56, by_days: 168 }, 'right')).toBe(168)
    expect(intervalPoint({ after_days: 56, by_days: 168 }, 'midpoint')).toBe(112)
    expect(intervalPoint({ after_days: 0, by_days: 28 }, 'midpoint')).toBe(14)
    expect(intervalPoint({ after_days: 28, by_days: 56 }, 'midpoint')).toBe(42)
  })

  it('defaults to right, reads a { param }, refuses anything else', () => {
    const bare: TimeToEventEndpoint = { ...timeToPr, interval_censored_as: undefined }
    expect(intervalConvention(bare, compiled.parameters)).toBe('right')
    expect(intervalConvention(timeToPr, compiled.parameters)).toBe('right')
    expect(intervalConvention({ ...timeToPr, interval_censored_as: 'midpoint' }, compiled.parameters)).toBe('midpoint')
    const withParam = withConvention({ param: 'ttr_convention' }, 'midpoint')
    const e = withParam.endpoints!.find((x): x is TimeToEventEndpoint => x.id === 'time_to_pr' && x.type === 'time_to_event')!
    expect(intervalConvention(e, compileProtocol(withParam).parameters)).toBe('midpoint')
    expect(() => intervalConvention({ ...timeToPr, interval_censored_as: 'left' as never }, compiled.parameters)).toThrow('expected right or midpoint')
  })

  it('the semantic check names an undeclared parameter or a value other than right or midpoint', () => {
    const undeclared = structuredClone(doc)
    for (const e of undeclared.endpoints!) if (e.type === 'time_to_event') e.interval_censored_as = { param: 'nowhere' }
    expect(checkProtocol(undeclared).map(d => d.code)).toContain('E_UNKNOWN_PARAMETER')
    const wrong = withConvention({ param: 'ttr_convention' }, 'left')
    expect(checkProtocol(wrong)).toContainEqual(expect.objectContaining({ code: 'E_PARAMETER_VALUE', path: expect.arrayContaining(['interval_censored_as']) }))
    expect(checkProtocol(withConvention({ param: 'ttr_convention' }, 'midpoint')).filter(d => d.severity === 'error')).toEqual([])
  })
})

/** The shipped protocol with both time-to-event endpoints on this convention (and a `ttr_convention` parameter holding `value`). */
function withConvention(convention: TimeToEventEndpoint['interval_censored_as'], value = 'right'): ProtocolDocument {
  const d = structuredClone(doc)
  d.parameters = { ...d.parameters, ttr_convention: { value, options: ['right', 'midpoint', 'left'], rationale: 'test' } }
  for (const e of d.endpoints!) if (e.type === 'time_to_event') e.interval_censored_as = convention
  return d
}

describe('per-arm summary', () => {
  const result = (id: string, arm: string, t: Omit<TimeToEventResult, 'endpoint' | 'detail'>): SubjectEndpointResults => ({
    subject: id,
    arm,
    responses: [],
    classifications: [],
    times_to_event: [{ endpoint: 'time_to_pr', detail: '', ...t }],
    changes: [],
    responder_index: [],
    safety: [],
  })
  // IL-2: exact 56, interval (56, 168] (days written under the right endpoint), interval (0, 28], censored 168; MSC: exact 112, censored 168
  const results = [
    result('a', 'il2', { event: true, days: 56 }),
    result('b', 'il2', { event: true, days: 168, days_as: 'right', interval: { after_days: 56, by_days: 168 } }),
    result('c', 'il2', { event: true, days: 28, days_as: 'right', interval: { after_days: 0, by_days: 28 } }),
    result('d', 'il2', { event: false, censored_at_days: 168 }),
    result('e', 'msc', { event: true, days: 112 }),
    result('f', 'msc', { event: false, censored_at_days: 168 }),
    result('g', 'msc', { event: false }),
  ]
  const times = (s: ReturnType<typeof summarizeStudy>, arm: string) => {
    const a = s.time_to_event.find(t => t.endpoint === 'time_to_pr')!.arms.find(x => x.arm === arm)!
    return a.steps.filter(x => x.events > 0).map(x => x.time)
  }

  it('right endpoint (the protocol’s choice): interval times at the visit first seen; count per arm', () => {
    const s = summarizeStudy(compiled, results)
    const ttp = s.time_to_event.find(t => t.endpoint === 'time_to_pr')!
    expect(ttp.interval_censored_as).toBe('right')
    expect(ttp.arms.map(a => [a.arm, a.subjects, a.events, a.interval_censored])).toEqual([
      ['il2', 4, 3, 2],
      ['msc', 2, 1, 0],
    ])
    expect(ttp.excluded).toBe(1)
    expect(times(s, 'il2')).toEqual([28, 56, 168])
    expect(times(s, 'msc')).toEqual([112])
  })

  it('midpoint: interval times move to the middle, exact times and censorings stay', () => {
    const s = summarizeStudy(compileProtocol(withConvention('midpoint')), results)
    const ttp = s.time_to_event.find(t => t.endpoint === 'time_to_pr')!
    expect(ttp.interval_censored_as).toBe('midpoint')
    // (0 + 28)/2 = 14, exact 56, (56 + 168)/2 = 112
    expect(times(s, 'il2')).toEqual([14, 56, 112])
    expect(times(s, 'msc')).toEqual([112])
    expect(ttp.arms.map(a => a.interval_censored)).toEqual([2, 0])
    // the midpoint comes from the interval, whatever point `days` was written under
    expect(observedTime(results[1]!.times_to_event[0]!, 'midpoint')).toEqual({ time: 112, event: true })
    expect(observedTime(results[0]!.times_to_event[0]!, 'midpoint')).toEqual({ time: 56, event: true })
  })

  it('the median moves with the convention: 3 events of 4 (one censored at 168)', () => {
    const il2 = (s: ReturnType<typeof summarizeStudy>) => s.time_to_event.find(t => t.endpoint === 'time_to_pr')!.arms.find(a => a.arm === 'il2')!
    // right: 28, 56, 168 (+168 censored) → S = 3/4, 1/2 at 56 and falls after: median (56 + 168)/2 = 112
    expect(il2(summarizeStudy(compiled, results)).median).toBe(112)
    // midpoint: 14, 56, 112 → S = 1/2 at 56, falls at 112: median (56 + 112)/2 = 84
    expect(il2(summarizeStudy(compileProtocol(withConvention('midpoint')), results)).median).toBe(84)
  })
})

describe('in words: describe and the CLI', () => {
  const summaryOf = (d: ProtocolDocument) => describeProtocol(d).endpoints.find(e => e.id === 'time_to_pr')!.summary
  it('describe names the convention the endpoint uses', () => {
    expect(summaryOf(doc)).toContain(
      'the time is interval-censored (after the last visit graded otherwise, by that visit) and counted at the right endpoint: the visit at which it was first seen.',
    )
    expect(summaryOf(withConvention('midpoint'))).toContain('counted at the midpoint of the interval.')
    expect(summaryOf(withConvention({ param: 'ttr_convention' }, 'midpoint'))).toContain('counted at the midpoint of the interval.')
  })

  it('the CLI summary gives the convention and the interval-censored count per arm', () => {
    const s = summarizeStudy(compiled, [
      {
        subject: 'a',
        arm: 'il2',
        responses: [],
        classifications: [],
        times_to_event: [{ endpoint: 'time_to_pr', event: true, days: 56, days_as: 'right', interval: { after_days: 28, by_days: 56 }, detail: '' }],
        changes: [],
        responder_index: [],
        safety: [],
      },
      {
        subject: 'b',
        arm: 'msc',
        responses: [],
        classifications: [],
        times_to_event: [{ endpoint: 'time_to_pr', event: true, days: 56, detail: '' }],
        changes: [],
        responder_index: [],
        safety: [],
      },
    ])
    const text = formatStudy(s, doc)
    expect(text).toContain('interval-censored events (visits before them not evaluable) counted at the right endpoint: the visit at which it was first seen')
    expect(text).toContain('IL-2 group: 1/1 events (1 interval-censored), median 56 days')
    expect(text).toContain('MSCs group: 1/1 events (0 interval-censored), median 56 days')
  })
})

describe('example expectations: a number is exact, { after, by } an interval', () => {
  const examples = shipped.examples!
  const only = (id: string, timeToEvent: Record<string, number | null | { after: number; by: number }>) => ({
    ...examples,
    subjects: examples.subjects!.filter(s => s.id === id).map(s => ({ ...s, expect: { time_to_event: timeToEvent } })),
  })

  it('an exact expectation does not match an interval, nor an interval an exact time', async () => {
    const [intervalAsExact] = await runSubjectExamples(compiled, only('week-16-missed', { time_to_cr: 140 }))
    expect(intervalAsExact!.mismatches).toEqual([{ subject: 'time_to_cr', expected: 140, actual: '(56, 140]' }])
    const [exactAsInterval] = await runSubjectExamples(compiled, only('cr-by-week-20', { time_to_cr: { after: 112, by: 140 } }))
    expect(exactAsInterval!.mismatches).toEqual([{ subject: 'time_to_cr', expected: '(112, 140]', actual: 140 }])
    const [right] = await runSubjectExamples(compiled, only('week-16-missed', { time_to_cr: { after: 56, by: 140 }, time_to_pr: 56 }))
    expect(right!.passed).toBe(true)
    const [wrongEdge] = await runSubjectExamples(compiled, only('week-16-missed', { time_to_cr: { after: 28, by: 140 } }))
    expect(wrongEdge!.mismatches).toEqual([{ subject: 'time_to_cr', expected: '(28, 140]', actual: '(56, 140]' }])
  })
})
