import { describe, expect, it } from 'vitest'
import { applyDoseChanges } from '../../../engine/study.ts'
import type { MedicationRecord } from '../../../engine/index.ts'

const pred20: MedicationRecord = {
  drug: 'prednisone',
  start: '2026-01-19',
  ongoing: true,
  doses: [{ date: '2026-01-19', amount: 20, unit: 'mg', frequency: 'daily' }],
}
const mmf: MedicationRecord = {
  drug: 'mycophenolate mofetil',
  start: '2025-03-01',
  ongoing: true,
  doses: [{ date: '2025-03-01', amount: 1000, unit: 'mg', frequency: 'twice daily' }],
}
const taper = { drug: 'prednisone', amount: 7.5, unit: 'mg', frequency: 'daily' }

describe('applyDoseChanges', () => {
  it('adds the dose to the current course of the same drug, leaving the input and other drugs alone', () => {
    const before = [mmf, pred20]
    const r = applyDoseChanges(before, '2026-03-02', [taper])
    expect(r).toEqual({
      ok: true,
      medications: [mmf, { ...pred20, doses: [...pred20.doses!, { date: '2026-03-02', amount: 7.5, unit: 'mg', frequency: 'daily' }] }],
    })
    expect(before[1]!.doses).toHaveLength(1)
  })
  it('matches the drug by dictionary entry (brand name, case) and by text for names the dictionary lacks', () => {
    const r = applyDoseChanges([mmf], '2026-03-02', [{ drug: 'CellCept', amount: 750, unit: 'mg', frequency: 'bid' }])
    expect(r.ok && r.medications).toHaveLength(1)
    const odd: MedicationRecord = { drug: 'Study Drug X', start: '2026-01-01', ongoing: true, doses: [] }
    const r2 = applyDoseChanges([odd], '2026-03-02', [{ drug: 'study  drug x', amount: 1, unit: 'mg', frequency: 'daily' }])
    expect(r2.ok && r2.medications[0]!.doses).toHaveLength(1)
  })
  it('starts a new ongoing course when none is taken that day: before its start, after its stop, or never recorded', () => {
    const stopped: MedicationRecord = { ...pred20, ongoing: undefined, stop: '2026-03-01' }
    for (const history of [[stopped], [{ ...pred20, start: '2026-03-03' }], [], undefined]) {
      const r = applyDoseChanges(history, '2026-03-02', [taper])
      expect(r.ok && r.medications.at(-1)).toEqual({
        drug: 'prednisone',
        start: '2026-03-02',
        ongoing: true,
        doses: [{ date: '2026-03-02', amount: 7.5, unit: 'mg', frequency: 'daily' }],
      })
      expect(r.ok && r.medications).toHaveLength((history?.length ?? 0) + 1)
    }
    // stopped on the visit day itself: still taken that day, so the dose joins that course
    const r = applyDoseChanges([{ ...pred20, ongoing: undefined, stop: '2026-03-02' }], '2026-03-02', [taper])
    expect(r.ok && r.medications).toHaveLength(1)
  })
  it('amount 0 stops the course: its last day is the day before the visit', () => {
    const r = applyDoseChanges([pred20], '2026-03-01', [{ drug: 'prednisone', amount: 0, unit: 'mg' }])
    expect(r).toEqual({ ok: true, medications: [{ drug: 'prednisone', start: '2026-01-19', stop: '2026-02-28', doses: pred20.doses }] })
    expect(applyDoseChanges([], '2026-03-01', [{ drug: 'prednisone', amount: 0, unit: 'mg' }])).toMatchObject({
      ok: false,
      problems: [{ code: 'E_DOSE_NOTHING_TO_STOP', path: 'dose_changes[0].amount' }],
    })
  })
  it('refuses, saying where and why, and applies nothing when any change is wrong', () => {
    const two = [pred20, { ...pred20, start: '2026-02-01' }]
    expect(applyDoseChanges(two, '2026-03-02', [taper])).toMatchObject({
      ok: false,
      problems: [{ code: 'E_DOSE_AMBIGUOUS', path: 'dose_changes[0]', message: expect.stringContaining('medications[0], medications[1]') as unknown }],
    })
    expect(applyDoseChanges([pred20], '2026-01-19', [taper])).toMatchObject({ ok: false, problems: [{ code: 'E_DOSE_SAME_DAY' }] })
    expect(applyDoseChanges([pred20], '2026-03-02', [{ ...taper, frequency: 'as needed' }])).toMatchObject({
      ok: false,
      problems: [{ code: 'E_DOSE_FREQUENCY', path: 'dose_changes[0].frequency' }],
    })
    expect(applyDoseChanges([pred20], '2026-03-02', [{ ...taper, amount: -1 }])).toMatchObject({ ok: false, problems: [{ code: 'E_DOSE_AMOUNT' }] })
    expect(applyDoseChanges([pred20], '2026-02-30', [taper])).toMatchObject({ ok: false, problems: [{ code: 'E_DOSE_DATE' }] })
    const mixed = applyDoseChanges([pred20, mmf], '2026-03-02', [taper, { drug: 'mmf', amount: 500, unit: 'mg', frequency: 'sometimes' }])
    expect(mixed.ok).toBe(false)
  })
})
