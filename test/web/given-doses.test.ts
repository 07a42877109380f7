import { describe, expect, it } from 'vitest'
import { givenDose, givenForPlanned, parseAmount } from '../../web/subjects/given-doses.ts'

describe('givenForPlanned: the n-th dose given of an intervention is its n-th planned dose', () => {
  const planned = [
    { intervention: 'a', date: '2026-01-01' },
    { intervention: 'b', date: '2026-01-01' },
    { intervention: 'a', date: '2026-01-03' },
  ]
  it('pairs by intervention in date order, whatever order they were recorded in', () => {
    const given = [
      { intervention: 'a', date: '2026-01-04' },
      { intervention: 'a', date: '2026-01-02' },
    ]
    const m = givenForPlanned(planned, given)
    expect(m.get(0)?.date).toBe('2026-01-02')
    expect(m.get(2)?.date).toBe('2026-01-04')
    expect(m.has(1)).toBe(false)
  })
  it('leaves every planned dose open when none was given, and ignores doses beyond the plan', () => {
    expect(givenForPlanned(planned, []).size).toBe(0)
    expect(
      givenForPlanned(planned, [
        { intervention: 'b', date: '2026-01-01' },
        { intervention: 'b', date: '2026-01-09' },
      ]).size,
    ).toBe(1)
  })
})

describe('givenDose', () => {
  const p = { intervention: 'msc', unit: '{cells}' }
  it('accepts a date up to today and an amount > 0, grouped or with a decimal comma', () => {
    expect(givenDose(p, '2026-02-01', '120,000,000', '2026-02-01').value).toEqual({
      intervention: 'msc',
      date: '2026-02-01',
      amount: 120000000,
      unit: '{cells}',
    })
    expect(parseAmount('0,5')).toBe(0.5)
    expect(parseAmount('2e6')).toBe(2000000)
  })
  it('refuses a date after today, a non-date, a zero or missing amount, saying which field', () => {
    expect(givenDose(p, '2026-02-02', '1', '2026-02-01').errors).toEqual([
      'Date given: 2026-02-02 is after today (2026-02-01); record a dose once it was given',
    ])
    expect(givenDose(p, '2026-02-30', '1', '2026-03-01').errors).toEqual(['Date given: expected a calendar date YYYY-MM-DD, got "2026-02-30"'])
    expect(givenDose(p, '2026-02-01', '0', '2026-02-01').errors).toEqual(['Dose given: expected a number > 0, got "0"'])
    expect(givenDose(p, '2026-02-01', ' ', '2026-02-01').errors).toEqual(['Dose given: enter the amount given'])
  })
})
