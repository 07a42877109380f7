// Due dates and windows below are worked out by hand, not by the code under test.
import { describe, expect, it } from 'vitest'
import { parseIsoDate } from '../../../engine/calculators/index.ts'
import { assignVisit, planVisits, visitWindowDays } from '../../../engine/schedule/index.ts'
import type { PlannedVisit, VisitDefinition } from '../../../engine/types.ts'

function visit(id: string, day: VisitDefinition['day'], before: number, after: number, ref = 'randomization'): VisitDefinition {
  return { id, label: id.replace('_', ' '), ref, day, window: { before_days: before, after_days: after } }
}

const DEFINITIONS: VisitDefinition[] = [
  visit('baseline', 1, 28, 0),
  visit('week_4', 29, 7, 7),
  visit('week_8', 57, 7, 7),
  visit('week_16', 113, 7, 7),
  visit('week_20', 141, 7, 7),
  visit('week_24', 169, 7, 7),
]

// Randomization 2026-01-19 = day 1; due = 19 Jan + (day − 1) days; 2026 is not a leap year.
//   day 1:   19 Jan; window starts 28 days earlier: 19 Jan − 19 = 31 Dec, − 9 = 22 Dec 2025
//   day 29:  + 28:  12 days to 31 Jan, 16 into Feb -> 16 Feb
//   day 57:  + 56:  16 Feb + 28 (Feb has 28 days) -> 16 Mar
//   day 113: + 112: 31 Jan is +12, 28 Feb +40, 31 Mar +71, 30 Apr +101 -> 11 May (+112)
//   day 141: + 140: 11 May + 28 -> 8 Jun
//   day 169: + 168: 8 Jun + 28 -> 6 Jul; window 6 Jul − 7 = 29 Jun (June has 30 days)
const PLAN: PlannedVisit[] = [
  { visit: 'baseline', label: 'baseline', day: 1, due: '2026-01-19', window_start: '2025-12-22', window_end: '2026-01-19' },
  { visit: 'week_4', label: 'week 4', day: 29, due: '2026-02-16', window_start: '2026-02-09', window_end: '2026-02-23' },
  { visit: 'week_8', label: 'week 8', day: 57, due: '2026-03-16', window_start: '2026-03-09', window_end: '2026-03-23' },
  { visit: 'week_16', label: 'week 16', day: 113, due: '2026-05-11', window_start: '2026-05-04', window_end: '2026-05-18' },
  { visit: 'week_20', label: 'week 20', day: 141, due: '2026-06-08', window_start: '2026-06-01', window_end: '2026-06-15' },
  { visit: 'week_24', label: 'week 24', day: 169, due: '2026-07-06', window_start: '2026-06-29', window_end: '2026-07-13' },
]

describe('planVisits', () => {
  it('places each visit on the hand-computed dates', () => {
    const r = planVisits(DEFINITIONS, { randomization: '2026-01-19' }, {})
    expect(r.problems).toEqual([])
    expect(r.visits).toEqual(PLAN)
  })

  it('resolves parameters', () => {
    const defs = [{ ...visit('week_4', { param: 'w4_day' }, 0, 0), window: { before_days: { param: 'w' }, after_days: { param: 'w' } } }]
    const r = planVisits(defs, { randomization: '2026-01-19' }, { w4_day: 29, w: 7 })
    expect(r.visits).toEqual([PLAN[1]])
  })

  it('names a missing reference date and still plans the other visits', () => {
    const defs = [visit('week_4', 29, 7, 7), visit('post_dose', 8, 1, 1, 'first_dose')]
    const r = planVisits(defs, { randomization: '2026-01-19' }, {})
    expect(r.problems).toEqual(['visit "post_dose": reference date "first_dose" not given'])
    expect(r.visits.map(v => v.visit)).toEqual(['week_4'])
  })

  it.each([
    {
      case: 'invalid reference date',
      defs: [visit('v', 29, 7, 7)],
      refs: { randomization: '2026-02-30' },
      want: ['visit "v": reference date "randomization" expected YYYY-MM-DD, got "2026-02-30"'],
    },
    { case: 'day 0', defs: [visit('v', 0, 7, 7)], refs: { randomization: '2026-01-19' }, want: ['visit "v": day expected a whole number ≥ 1, got 0'] },
    {
      case: 'fractional day',
      defs: [visit('v', 28.5, 7, 7)],
      refs: { randomization: '2026-01-19' },
      want: ['visit "v": day expected a whole number ≥ 1, got 28.5'],
    },
    {
      case: 'negative window',
      defs: [visit('v', 29, -7, 7)],
      refs: { randomization: '2026-01-19' },
      want: ['visit "v": window.before_days expected a whole number ≥ 0, got -7'],
    },
    {
      case: 'unknown parameter',
      defs: [visit('v', { param: 'nope' }, 7, 7)],
      refs: { randomization: '2026-01-19' },
      want: ['visit "v": day: unknown parameter "nope"'],
    },
    {
      case: 'duplicate id',
      defs: [visit('v', 29, 7, 7), visit('v', 57, 7, 7)],
      refs: { randomization: '2026-01-19' },
      want: ['visit "v": defined more than once'],
    },
  ])('reports $case', ({ defs, refs, want }) => {
    expect(() => planVisits(defs, refs, {})).not.toThrow()
    expect(planVisits(defs, refs, {}).problems).toEqual(want)
  })
})

describe('assignVisit', () => {
  it.each([
    { date: '2025-12-21', want: { visit: undefined, reason: 'outside every visit window (nearest: baseline, 1 day before its window)' } }, // one before baseline's window
    { date: '2025-12-22', want: { visit: 'baseline', label: 'baseline', offset_days: -28 } }, // baseline window start, inclusive
    { date: '2026-01-19', want: { visit: 'baseline', label: 'baseline', offset_days: 0 } }, // baseline window end = due (0 days after)
    { date: '2026-01-20', want: { visit: undefined, reason: 'outside every visit window (nearest: baseline, 1 day after its window)' } },
    { date: '2026-02-08', want: { visit: undefined, reason: 'outside every visit window (nearest: week_4, 1 day before its window)' } },
    { date: '2026-02-09', want: { visit: 'week_4', label: 'week 4', offset_days: -7 } }, // inclusive start
    { date: '2026-02-16', want: { visit: 'week_4', label: 'week 4', offset_days: 0 } },
    { date: '2026-02-23', want: { visit: 'week_4', label: 'week 4', offset_days: 7 } }, // inclusive end
    { date: '2026-02-24', want: { visit: undefined, reason: 'outside every visit window (nearest: week_4, 1 day after its window)' } },
    { date: '2026-03-09', want: { visit: 'week_8', label: 'week 8', offset_days: -7 } }, // across US DST start 03-08
    { date: '2026-03-23', want: { visit: 'week_8', label: 'week 8', offset_days: 7 } },
    // Between week 8 (ends 23 Mar) and week 16 (starts 4 May): 8 + 30 + 4 = 42 days apart.
    { date: '2026-03-26', want: { visit: undefined, reason: 'outside every visit window (nearest: week_8, 3 days after its window)' } },
    { date: '2026-04-12', want: { visit: undefined, reason: 'outside every visit window (nearest: week_8, 20 days after its window)' } },
    // 13 Apr is 21 days from either window: the tie goes to the later visit.
    { date: '2026-04-13', want: { visit: undefined, reason: 'outside every visit window (nearest: week_16, 21 days before its window)' } },
    { date: '2026-05-04', want: { visit: 'week_16', label: 'week 16', offset_days: -7 } },
    { date: '2026-07-13', want: { visit: 'week_24', label: 'week 24', offset_days: 7 } },
    { date: '2026-07-14', want: { visit: undefined, reason: 'outside every visit window (nearest: week_24, 1 day after its window)' } },
  ])('$date', ({ date, want }) => {
    expect(assignVisit(PLAN, date)).toEqual(want)
  })

  describe('overlapping windows', () => {
    // a: day 29 ±7 -> due 16 Feb, window 9–23 Feb; b: day 35 ±7 -> due 22 Feb, window 15 Feb–1 Mar.
    const r = planVisits([visit('visit_a', 29, 7, 7), visit('visit_b', 35, 7, 7)], { randomization: '2026-01-19' }, {})
    it('plans the overlap as computed by hand', () => {
      expect(r.visits.map(v => [v.due, v.window_start, v.window_end])).toEqual([
        ['2026-02-16', '2026-02-09', '2026-02-23'],
        ['2026-02-22', '2026-02-15', '2026-03-01'], // 22 Feb + 7 = 1 Mar (28-day February)
      ])
    })
    it.each([
      { date: '2026-02-15', want: { visit: 'visit_a', offset_days: -1 } }, // in both; 1 vs 7 days from due
      { date: '2026-02-18', want: { visit: 'visit_a', offset_days: 2 } }, // 2 vs 4
      { date: '2026-02-19', want: { visit: 'visit_b', offset_days: -3 } }, // 3 vs 3: tie -> later visit
      { date: '2026-02-20', want: { visit: 'visit_b', offset_days: -2 } }, // 4 vs 2
      { date: '2026-02-24', want: { visit: 'visit_b', offset_days: 2 } }, // only b
    ])('$date -> $want.visit', ({ date, want }) => {
      expect(assignVisit(r.visits, date)).toMatchObject(want)
    })
  })

  it('explains a bad date and an empty plan', () => {
    expect(assignVisit(PLAN, '2026-02-30')).toEqual({ visit: undefined, reason: 'not a date: expected YYYY-MM-DD, got "2026-02-30"' })
    expect(assignVisit([], '2026-02-16')).toEqual({ visit: undefined, reason: 'no visits planned' })
  })
})

describe('visitWindowDays', () => {
  it('gives day numbers of the window and due date', () => {
    // 2026-03-08 is day 20520 (see dates.test.ts); 16 Feb is 20 days earlier.
    expect(visitWindowDays(PLAN, 'week_4')).toEqual({ start: 20493, end: 20507, due: 20500 })
    expect(visitWindowDays(PLAN, 'week_4')).toEqual({
      start: parseIsoDate('2026-02-09'),
      end: parseIsoDate('2026-02-23'),
      due: parseIsoDate('2026-02-16'),
    })
  })

  it('is undefined for a visit not in the plan', () => {
    expect(visitWindowDays(PLAN, 'week_52')).toBeUndefined()
  })
})
