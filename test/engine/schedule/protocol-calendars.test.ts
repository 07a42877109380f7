import { describe, expect, it } from 'vitest'
import { generateSchedule, planVisits } from '../../../engine/study.ts'
import { resolveParameters } from '../../../engine/index.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

// NCT05631717's own arms and visits, as encoded in YAML, against calendars worked out by hand
// for a subject randomised on Monday 2026-01-19 (day 1).
const doc = shippedProtocol('NCT05631717').doc
const params = resolveParameters(doc)
const arm = (id: string) => doc.arms!.find(a => a.id === id)!

describe('NCT05631717 calendars', () => {
  it('IL-2: 1e6 IU s.c. every other day × 7, a new cycle every 28 days, 3 cycles (parameters)', () => {
    const { schedule, problems } = generateSchedule(arm('il2'), { start: '2026-01-19', params })
    expect(problems).toEqual([])
    expect(schedule!.administrations.map(a => a.date)).toEqual([
      // cycle 1: days 1–13
      '2026-01-19',
      '2026-01-21',
      '2026-01-23',
      '2026-01-25',
      '2026-01-27',
      '2026-01-29',
      '2026-01-31',
      // cycle 2: day 29 = 2026-02-16 (January has 31 days)
      '2026-02-16',
      '2026-02-18',
      '2026-02-20',
      '2026-02-22',
      '2026-02-24',
      '2026-02-26',
      '2026-02-28',
      // cycle 3: day 57 = 2026-03-16 (February 2026 has 28 days)
      '2026-03-16',
      '2026-03-18',
      '2026-03-20',
      '2026-03-22',
      '2026-03-24',
      '2026-03-26',
      '2026-03-28',
    ])
    expect(schedule!.administrations[7]).toMatchObject({ day: 29, cycle: 2, dose_in_cycle: 1, amount: 1e6, unit: '[IU]', route: 'subcutaneous' })
    expect(schedule!.totals).toEqual([{ intervention: 'il2_sc', amount: 2.1e7, unit: '[IU]', doses: 21 }])
  })

  it('MSCs: 2e6 cells/kg i.v. in 30 ml saline on day 1; needs the weight', () => {
    const { schedule } = generateSchedule(arm('msc'), { start: '2026-01-19', weightKg: 62.5, params })
    expect(schedule!.administrations).toEqual([
      expect.objectContaining({
        date: '2026-01-19',
        day: 1,
        amount: 1.25e8,
        unit: '{cells}',
        route: 'intravenous',
        vehicle: { substance: 'saline', volume: { amount: 30, unit: 'mL' } },
      }),
    ])
    const noWeight = generateSchedule(arm('msc'), { start: '2026-01-19', params })
    expect(noWeight.schedule).toBeUndefined()
    expect(noWeight.problems.join(' ')).toMatch(/weight/)
  })

  it('visits: baseline, weeks 4, 8, 16, 20, 24 with ± 7-day windows', () => {
    const { visits, problems } = planVisits(doc.visits!, { randomization: '2026-01-19' }, params)
    expect(problems).toEqual([])
    expect(visits.map(v => [v.visit, v.due, v.window_start, v.window_end])).toEqual([
      ['baseline', '2026-01-19', '2025-12-22', '2026-01-19'],
      ['week_4', '2026-02-16', '2026-02-09', '2026-02-23'],
      ['week_8', '2026-03-16', '2026-03-09', '2026-03-23'],
      ['week_16', '2026-05-11', '2026-05-04', '2026-05-18'],
      ['week_20', '2026-06-08', '2026-06-01', '2026-06-15'],
      ['week_24', '2026-07-06', '2026-06-29', '2026-07-13'],
    ])
  })
})
