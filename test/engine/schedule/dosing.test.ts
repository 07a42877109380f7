// Calendars below are worked out by hand, not by the code under test.
// Day arithmetic is on UTC day numbers, so the local time zone cannot move a dose;
// the last describe re-runs the IL-2 calendar in child processes with other TZ values.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { generateSchedule } from '../../../engine/schedule/index.ts'
import type { Arm, Intervention } from '../../../engine/types.ts'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

function arm(id: string, iv: Partial<Intervention> & Pick<Intervention, 'dose'>): Arm {
  return {
    id,
    label: id,
    text: '',
    interventions: [
      {
        id: `${id}_iv`,
        product: id,
        route: 'subcutaneous',
        start: { ref: 'randomization', day: 1 },
        doses_per_cycle: 1,
        cycles: 1,
        ...iv,
      },
    ],
  }
}

// 1e6 IU s.c. every other day, 7 doses per cycle, a new cycle every 28 days, 6 cycles.
const IL2 = arm('il2', {
  dose: { amount: 1e6, unit: '[IU]' },
  route: 'subcutaneous',
  every_days: 2,
  doses_per_cycle: 7,
  cycle_period_days: 28,
  cycles: 6,
})

// Day 1 = 2026-01-19. Cycle k dose j is on study day 1 + 28(k-1) + 2(j-1).
// 2026 is not a leap year (Feb has 28 days). US DST starts 2026-03-08 (between cycles 2
// and 3), EU DST 2026-03-29 (between cycles 3 and 4); neither may shift a date.
const IL2_CALENDAR: Array<[date: string, day: number, cycle: number, dose: number]> = [
  ['2026-01-19', 1, 1, 1],
  ['2026-01-21', 3, 1, 2],
  ['2026-01-23', 5, 1, 3],
  ['2026-01-25', 7, 1, 4],
  ['2026-01-27', 9, 1, 5],
  ['2026-01-29', 11, 1, 6],
  ['2026-01-31', 13, 1, 7],
  ['2026-02-16', 29, 2, 1], // 19 Jan + 28 d: 12 d to 31 Jan, 16 more into Feb
  ['2026-02-18', 31, 2, 2],
  ['2026-02-20', 33, 2, 3],
  ['2026-02-22', 35, 2, 4],
  ['2026-02-24', 37, 2, 5],
  ['2026-02-26', 39, 2, 6],
  ['2026-02-28', 41, 2, 7], // last day of February 2026
  ['2026-03-16', 57, 3, 1], // 16 Feb + 28 d = 16 Mar (28-day February)
  ['2026-03-18', 59, 3, 2],
  ['2026-03-20', 61, 3, 3],
  ['2026-03-22', 63, 3, 4],
  ['2026-03-24', 65, 3, 5],
  ['2026-03-26', 67, 3, 6],
  ['2026-03-28', 69, 3, 7],
  ['2026-04-13', 85, 4, 1], // 16 Mar + 15 d = 31 Mar, + 13 d = 13 Apr
  ['2026-04-15', 87, 4, 2],
  ['2026-04-17', 89, 4, 3],
  ['2026-04-19', 91, 4, 4],
  ['2026-04-21', 93, 4, 5],
  ['2026-04-23', 95, 4, 6],
  ['2026-04-25', 97, 4, 7],
  ['2026-05-11', 113, 5, 1], // 13 Apr + 17 d = 30 Apr, + 11 d = 11 May
  ['2026-05-13', 115, 5, 2],
  ['2026-05-15', 117, 5, 3],
  ['2026-05-17', 119, 5, 4],
  ['2026-05-19', 121, 5, 5],
  ['2026-05-21', 123, 5, 6],
  ['2026-05-23', 125, 5, 7],
  ['2026-06-08', 141, 6, 1], // 11 May + 20 d = 31 May, + 8 d = 8 Jun
  ['2026-06-10', 143, 6, 2],
  ['2026-06-12', 145, 6, 3],
  ['2026-06-14', 147, 6, 4],
  ['2026-06-16', 149, 6, 5],
  ['2026-06-18', 151, 6, 6],
  ['2026-06-20', 153, 6, 7],
]

describe('IL-2: 1e6 [IU] s.c. every other day ×7, every 28 days, 6 cycles', () => {
  const { schedule, problems } = generateSchedule(IL2, { start: '2026-01-19', params: {} })

  it('has no problems', () => {
    expect(problems).toEqual([])
    expect(schedule).toBeDefined()
  })

  it('places all 42 doses on the hand-computed dates', () => {
    expect(IL2_CALENDAR).toHaveLength(42)
    expect(schedule?.administrations.map(a => [a.date, a.day, a.cycle, a.dose_in_cycle])).toEqual(IL2_CALENDAR)
  })

  it('gives 1e6 [IU] by the s.c. route each time, as a fixed dose', () => {
    for (const a of schedule?.administrations ?? []) {
      expect(a).toMatchObject({ intervention: 'il2_iv', amount: 1e6, unit: '[IU]', route: 'subcutaneous' })
      expect(a.basis).toBe('1e6 [IU] per dose (fixed)')
    }
  })

  it('totals 4.2e7 [IU] over 42 doses', () => {
    expect(schedule).toMatchObject({ arm: 'il2', start: '2026-01-19' })
    expect(schedule?.totals).toEqual([{ intervention: 'il2_iv', amount: 4.2e7, unit: '[IU]', doses: 42 }])
  })

  it('resolves counts given as parameters', () => {
    const withParams = arm('il2', {
      dose: { amount: { param: 'il2_dose_iu' }, unit: '[IU]' },
      every_days: 2,
      doses_per_cycle: 7,
      cycle_period_days: 28,
      cycles: { param: 'il2_cycles' },
    })
    const r = generateSchedule(withParams, { start: '2026-01-19', params: { il2_cycles: 6, il2_dose_iu: 1e6 } })
    expect(r.problems).toEqual([])
    expect(r.schedule?.administrations.map(a => a.date)).toEqual(IL2_CALENDAR.map(([date]) => date))
  })
})

describe('MSC: 2e6 {cells}/kg i.v. in 30 mL saline, once', () => {
  const MSC = arm('msc', {
    dose: { amount: 2e6, unit: '{cells}', per: 'kg' },
    route: 'intravenous',
    vehicle: { substance: 'saline', volume: { amount: 30, unit: 'mL' } },
  })

  it('gives 1.25e8 {cells} on the randomization date for 62.5 kg', () => {
    const { schedule, problems } = generateSchedule(MSC, { start: '2026-01-19', weightKg: 62.5, params: {} })
    expect(problems).toEqual([])
    expect(schedule?.administrations).toEqual([
      {
        intervention: 'msc_iv',
        date: '2026-01-19',
        day: 1,
        cycle: 1,
        dose_in_cycle: 1,
        amount: 1.25e8, // 2e6 × 62.5 = 125 000 000
        unit: '{cells}',
        route: 'intravenous',
        vehicle: { substance: 'saline', volume: { amount: 30, unit: 'mL' } },
        basis: '2e6 {cells}/kg × 62.5 kg = 1.25e8 {cells}',
      },
    ])
    expect(schedule?.totals).toEqual([{ intervention: 'msc_iv', amount: 1.25e8, unit: '{cells}', doses: 1 }])
  })

  it('asks for body weight when it is missing', () => {
    const r = generateSchedule(MSC, { start: '2026-01-19', params: {} })
    expect(r.schedule).toBeUndefined()
    expect(r.problems).toEqual(['arm "msc", intervention "msc_iv": dose is per kg: body weight needed'])
  })

  it.each([0, -60, Number.NaN])('rejects body weight %s', weightKg => {
    const r = generateSchedule(MSC, { start: '2026-01-19', weightKg, params: {} })
    expect(r.schedule).toBeUndefined()
    expect(r.problems).toHaveLength(1)
    expect(r.problems[0]).toContain('body weight expected a positive number of kg')
  })
})

describe('start day other than 1', () => {
  it('day 8 is 7 days after the reference date', () => {
    const a = arm('late', { dose: { amount: 5, unit: 'mg' }, start: { ref: 'randomization', day: 8 } })
    const r = generateSchedule(a, { start: '2026-02-25', params: {} })
    expect(r.schedule?.administrations.map(x => [x.date, x.day])).toEqual([['2026-03-04', 8]])
  })
})

describe('daily doses across DST changes keep consecutive calendar days', () => {
  // US DST starts 2026-03-08, EU 2026-03-29, EU ends 2026-10-25, US ends 2026-11-01;
  // Chatham ends 2026-04-05, starts 2026-09-27.
  it.each([
    { start: '2026-03-07', want: ['2026-03-07', '2026-03-08', '2026-03-09'] },
    { start: '2026-03-28', want: ['2026-03-28', '2026-03-29', '2026-03-30'] },
    { start: '2026-04-04', want: ['2026-04-04', '2026-04-05', '2026-04-06'] },
    { start: '2026-09-26', want: ['2026-09-26', '2026-09-27', '2026-09-28'] },
    { start: '2026-10-24', want: ['2026-10-24', '2026-10-25', '2026-10-26'] },
    { start: '2026-10-31', want: ['2026-10-31', '2026-11-01', '2026-11-02'] },
  ])('from $start', ({ start, want }) => {
    const daily = arm('daily', { dose: { amount: 10, unit: 'mg' }, every_days: 1, doses_per_cycle: 3 })
    const r = generateSchedule(daily, { start, params: {} })
    expect(r.schedule?.administrations.map(a => a.date)).toEqual(want)
  })
})

describe('invalid input is reported, never thrown', () => {
  const where = 'arm "bad", intervention "bad_iv"'
  it.each([
    {
      case: 'non-integer doses_per_cycle',
      iv: { doses_per_cycle: 2.5, every_days: 2 },
      want: [`${where}: doses_per_cycle expected a whole number ≥ 1, got 2.5`],
    },
    {
      case: 'negative cycles',
      iv: { cycles: -1 },
      want: [`${where}: cycles expected a whole number ≥ 1, got -1`],
    },
    {
      case: 'zero every_days',
      iv: { doses_per_cycle: 3, every_days: 0 },
      want: [`${where}: every_days expected a whole number ≥ 1, got 0`],
    },
    {
      case: 'several doses with no interval',
      iv: { doses_per_cycle: 3 },
      want: [`${where}: every_days needed when doses_per_cycle is 3`],
    },
    {
      case: 'cycles > 1 without cycle_period_days',
      iv: { cycles: 6 },
      want: [`${where}: cycle_period_days needed when cycles is 6`],
    },
    {
      // 7 doses every 2 days occupy days 1..13 of a cycle: 13 days.
      case: 'cycle period shorter than a cycle',
      iv: { doses_per_cycle: 7, every_days: 2, cycles: 2, cycle_period_days: 12 },
      want: [`${where}: cycle_period_days expected at least 13 (a cycle spans 13 days: 7 doses every 2 days), got 12`],
    },
    {
      case: 'day 0',
      iv: { start: { ref: 'randomization', day: 0 } },
      want: [`${where}: start.day expected a whole number ≥ 1, got 0`],
    },
    {
      case: 'unknown parameter',
      iv: { cycles: { param: 'nope' } },
      want: [`${where}: cycles: unknown parameter "nope"`],
    },
    {
      case: 'non-numeric parameter',
      iv: { cycles: { param: 'label' } },
      want: [`${where}: cycles: parameter "label" expected a number, got string "six"`],
    },
    {
      case: 'parameter with a bad value',
      iv: { cycles: { param: 'half' }, cycle_period_days: 28 },
      want: [`${where}: cycles expected a whole number ≥ 1, got 0.5 (parameter "half")`],
    },
    {
      case: 'several problems at once',
      iv: { doses_per_cycle: -2, cycles: 1.5, dose: { amount: -1, unit: 'mg' } },
      want: [
        `${where}: doses_per_cycle expected a whole number ≥ 1, got -2`,
        `${where}: cycles expected a whole number ≥ 1, got 1.5`,
        `${where}: dose.amount expected a positive number, got -1`,
      ],
    },
  ])('$case', ({ iv, want }) => {
    const a = arm('bad', { dose: { amount: 1, unit: 'mg' }, ...iv })
    const run = () => generateSchedule(a, { start: '2026-01-19', params: { label: 'six', half: 0.5 } })
    expect(run).not.toThrow()
    const r = run()
    expect(r.schedule).toBeUndefined()
    expect(r.problems).toEqual(want)
  })

  it('allows the next cycle to start the day after the last dose', () => {
    // 7 doses every 2 days: days 1..13; period 13 puts cycle 2 on day 14.
    const a = arm('tight', { dose: { amount: 1, unit: 'mg' }, doses_per_cycle: 7, every_days: 2, cycles: 2, cycle_period_days: 13 })
    const r = generateSchedule(a, { start: '2026-01-19', params: {} })
    expect(r.problems).toEqual([])
    expect(r.schedule?.administrations.map(x => x.date).slice(6, 8)).toEqual(['2026-01-31', '2026-02-01'])
  })

  it('reports a bad start date', () => {
    const a = arm('bad', { dose: { amount: 1, unit: 'mg' } })
    expect(generateSchedule(a, { start: '2026-02-30', params: {} }).problems).toEqual(['arm "bad": start date expected YYYY-MM-DD, got "2026-02-30"'])
  })

  it('reports interventions counted from different reference dates', () => {
    const a = arm('two', { dose: { amount: 1, unit: 'mg' } })
    const first = a.interventions[0]
    if (!first) throw new Error('fixture')
    a.interventions.push({ ...first, id: 'second', start: { ref: 'first_dose', day: 1 } })
    expect(generateSchedule(a, { start: '2026-01-19', params: {} }).problems).toEqual([
      'arm "two", intervention "second": start.ref expected "randomization" (one reference date per arm), got "first_dose"',
    ])
  })
})

describe('time zone independence', () => {
  // A fresh process per TZ: the zone is read at startup, so this is the honest test.
  const script = [
    "const { generateSchedule } = await import('./engine/schedule/index.ts')",
    `const arm = ${JSON.stringify(IL2)}`,
    "const r = generateSchedule(arm, { start: '2026-01-19', params: {} })",
    'console.log(JSON.stringify(r.schedule.administrations.map((a) => a.date)))',
  ].join('\n')

  it.each(['UTC', 'America/New_York', 'Pacific/Chatham', 'Pacific/Kiritimati'])(
    'TZ=%s gives the same 42 dates',
    tz => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, TZ: tz },
      })
      expect(r.stderr).toBe('')
      expect(JSON.parse(r.stdout)).toEqual(IL2_CALENDAR.map(([date]) => date))
    },
    20_000,
  )
})
