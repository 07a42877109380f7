import { describe, expect, it } from 'vitest'
import type { PlannedVisit } from '../../engine/index.ts'
import { MISSED_WORDS, visitStatus, visitStatuses } from '../../web/subjects/visit-status.ts'
import { responseTable } from '../../web/subjects/responses.ts'

const week4: PlannedVisit = { visit: 'week_4', label: 'week 4', day: 29, due: '2026-02-16', window_start: '2026-02-09', window_end: '2026-02-23' }
const week8: PlannedVisit = { visit: 'week_8', label: 'week 8', day: 57, due: '2026-03-16', window_start: '2026-03-09', window_end: '2026-03-23' }
const baseline: PlannedVisit = { visit: 'baseline', label: 'baseline', day: 1, due: '2026-01-19', window_start: '2025-12-22', window_end: '2026-01-19' }

describe('visitStatus: not recorded, on each side of each window edge', () => {
  it.each([
    { today: '2026-02-08', kind: 'not-yet-due', words: 'not yet due (window opens 2026-02-09)' }, // the day before the window opens
    { today: '2026-02-09', kind: 'due', words: 'due (window 2026-02-09 to 2026-02-23)' }, // the first day
    { today: '2026-02-23', kind: 'due', words: 'due (window 2026-02-09 to 2026-02-23)' }, // the last day
    { today: '2026-02-24', kind: 'overdue', words: 'overdue (window closed 2026-02-23, not recorded)' }, // the day after
  ])('today $today: $kind', ({ today, kind, words }) => {
    expect(visitStatus(week4, { laterRecorded: false }, today)).toEqual({ kind, words })
  })
})

describe('visitStatus: recorded', () => {
  it.each([
    { date: '2026-02-08', note: '1 day before the window opened' }, // the day before the window opens
    { date: '2026-02-09', note: undefined }, // the first day
    { date: '2026-02-23', note: undefined }, // the last day
    { date: '2026-02-24', note: '1 day after the window closed' }, // the day after
  ])('on $date: done, with a note only outside the window', ({ date, note }) => {
    const s = visitStatus(week4, { recorded: date, laterRecorded: false }, '2026-06-01')
    expect(s.kind).toBe('done')
    expect(s.words).toBe(`done (${date})`)
    expect(s.note).toBe(note)
  })

  it('is done whatever today is, even before the window (a date typed early)', () => {
    expect(visitStatus(week4, { recorded: '2026-02-16', laterRecorded: true }, '2026-01-01').kind).toBe('done')
  })
})

describe('visitStatus: missed', () => {
  it('is missed when a later visit was recorded, even while its own window is open', () => {
    expect(visitStatus(week4, { laterRecorded: true }, '2026-02-20')).toEqual({ kind: 'missed', words: MISSED_WORDS })
    expect(visitStatus(week4, { laterRecorded: true }, '2026-03-01')).toEqual({ kind: 'missed', words: 'missed (a later visit was recorded)' })
  })
  it('is overdue, not missed, when nothing later was recorded', () => {
    expect(visitStatus(week4, { laterRecorded: false }, '2026-03-01').kind).toBe('overdue')
  })
})

describe('visitStatuses', () => {
  it('marks the visits before the last recorded one missed, and the later ones by their windows', () => {
    const all = visitStatuses([baseline, week4, week8], [{ visit: 'week_4', date: '2026-02-16' }], '2026-03-01')
    expect([...all].map(([v, s]) => [v, s.kind])).toEqual([
      ['baseline', 'missed'],
      ['week_4', 'done'],
      ['week_8', 'not-yet-due'],
    ])
  })
  it('a baseline served by data in its window is done (from screening data), not missed; without data it stays missed', () => {
    const recorded = [{ visit: 'week_4', date: '2026-02-16' }]
    const served = visitStatuses([baseline, week4], recorded, '2026-03-01', { baseline: '2026-01-10' })
    expect(served.get('baseline')).toEqual({ kind: 'done', words: 'done (from screening data, 2026-01-10)' })
    expect(visitStatuses([baseline, week4], recorded, '2026-03-01', {}).get('baseline')?.kind).toBe('missed')
  })
  it('a baseline recorded as a visit reads its own date, whatever the data', () => {
    const all = visitStatuses([baseline], [{ visit: 'baseline', date: '2026-01-19' }], '2026-03-01', { baseline: '2026-01-10' })
    expect(all.get('baseline')?.words).toBe('done (2026-01-19)')
  })
  it('with nothing recorded: baseline overdue once its window closed, the next visit due in its window', () => {
    const all = visitStatuses([baseline, week4, week8], [], '2026-02-10')
    expect([...all.values()].map(s => s.kind)).toEqual(['overdue', 'due', 'not-yet-due'])
  })
})

describe('responseTable with visit statuses', () => {
  const missing = [{ key: 'm', description: 'UPCR at week 8' }]
  const endpoints = {
    responses: [
      { endpoint: 'complete_response', visit: 'week_4', truth: 'met' as const, explanation: {} as never, missing: [] },
      { endpoint: 'complete_response', visit: 'week_8', truth: 'unknown' as const, explanation: {} as never, missing },
    ],
    classifications: [],
  }

  it('a future visit is pending with its status, not an unknown verdict', () => {
    const statuses = visitStatuses([week4, week8], [{ visit: 'week_4', date: '2026-02-16' }], '2026-03-01')
    const [w4, w8] = responseTable(endpoints, statuses).rows
    expect(w4).toMatchObject({ pending: false, when: { kind: 'done' } })
    expect(w8).toMatchObject({ pending: true, when: { kind: 'not-yet-due', words: 'not yet due (window opens 2026-03-09)' }, missing: ['UPCR at week 8'] })
  })

  it('an overdue visit is not pending: its unknown verdict stands, with what is missing', () => {
    const statuses = visitStatuses([week4, week8], [{ visit: 'week_4', date: '2026-02-16' }], '2026-03-24')
    expect(responseTable(endpoints, statuses).rows[1]).toMatchObject({ pending: false, when: { kind: 'overdue' }, truths: { complete_response: '? unknown' } })
  })
})
