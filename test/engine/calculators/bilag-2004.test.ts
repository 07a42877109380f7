import { describe, expect, it } from 'vitest'
import { BILAG_2004_NUMERIC, BILAG_2004_SYSTEMS, newBilagDomains, scoreBilag2004 } from '../../../engine/calculators/index.ts'
import type { BilagGrade, BilagGrades, BilagSystem } from '../../../engine/calculators/index.ts'

const all = (grade: BilagGrade): Record<BilagSystem, BilagGrade> =>
  Object.fromEntries(BILAG_2004_SYSTEMS.map(s => [s, grade])) as Record<BilagSystem, BilagGrade>

describe('BILAG-2004 constants', () => {
  it('has the 9 systems of Isenberg 2005 in form order', () => {
    expect(BILAG_2004_SYSTEMS).toEqual([
      'constitutional',
      'mucocutaneous',
      'neuropsychiatric',
      'musculoskeletal',
      'cardiorespiratory',
      'gastrointestinal',
      'ophthalmic',
      'renal',
      'haematological',
    ])
  })

  it('converts A=12, B=8, C=1, D=0, E=0 (Yee 2010)', () => {
    expect(BILAG_2004_NUMERIC).toEqual({ A: 12, B: 8, C: 1, D: 0, E: 0 })
  })
})

describe('scoreBilag2004', () => {
  it.each([
    { grade: 'A', want: 108 },
    { grade: 'B', want: 72 },
    { grade: 'C', want: 9 },
    { grade: 'D', want: 0 },
    { grade: 'E', want: 0 },
  ] as const)('all $grade: $want', ({ grade, want }) => {
    expect(scoreBilag2004(all(grade))).toEqual({ min: want, max: want, missing: [] })
  })

  it('mixed complete record', () => {
    expect(scoreBilag2004({ ...all('E'), renal: 'A', haematological: 'B', mucocutaneous: 'C', musculoskeletal: 'D' })).toEqual({
      min: 21,
      max: 21,
      missing: [],
    })
  })

  it('nothing recorded: 0 to 108', () => {
    expect(scoreBilag2004({})).toEqual({ min: 0, max: 108, missing: [...BILAG_2004_SYSTEMS] })
  })

  it('an unrecorded system could add 0 to 12', () => {
    const { ophthalmic: _omit, ...rest } = all('E')
    expect(scoreBilag2004({ ...rest, renal: 'B' })).toEqual({ min: 8, max: 20, missing: ['ophthalmic'] })
  })
})

describe('newBilagDomains (new A: A now, not A before; new B: B now, not A/B before)', () => {
  it.each([
    { before: 'B', now: 'A', want: 'newA' }, // worsened to A
    { before: 'C', now: 'A', want: 'newA' },
    { before: 'D', now: 'A', want: 'newA' },
    { before: 'E', now: 'A', want: 'newA' },
    { before: 'A', now: 'A', want: 'none' }, // persistent A is not new
    { before: 'C', now: 'B', want: 'newB' }, // worsened to B
    { before: 'D', now: 'B', want: 'newB' },
    { before: 'E', now: 'B', want: 'newB' },
    { before: 'B', now: 'B', want: 'none' }, // persistent B is not new
    { before: 'A', now: 'B', want: 'none' }, // improved A -> B is not new B
    { before: 'E', now: 'C', want: 'none' },
    { before: 'A', now: 'E', want: 'none' },
    { before: undefined, now: 'A', want: 'unknown' }, // baseline could have been A
    { before: undefined, now: 'B', want: 'unknown' }, // baseline could have been C/D/E
    { before: undefined, now: 'C', want: 'none' }, // C is never new A/B
    { before: 'B', now: undefined, want: 'unknown' }, // visit could be A
    { before: 'E', now: undefined, want: 'unknown' },
    { before: 'A', now: undefined, want: 'none' }, // nothing is new after baseline A
    { before: undefined, now: undefined, want: 'unknown' },
  ] as const)('renal $before -> $now: $want', ({ before, now, want }) => {
    const baseline: BilagGrades = { ...all('E'), renal: before }
    const visit: BilagGrades = { ...all('E'), renal: now }
    const r = newBilagDomains(baseline, visit)
    expect(r).toEqual({
      newA: want === 'newA' ? ['renal'] : [],
      newB: want === 'newB' ? ['renal'] : [],
      unknown: want === 'unknown' ? ['renal'] : [],
    })
  })

  it('lists several systems in form order', () => {
    const r = newBilagDomains(
      { ...all('E'), renal: 'B', mucocutaneous: 'C' },
      { ...all('E'), renal: 'A', mucocutaneous: 'B', haematological: 'B', constitutional: 'A' },
    )
    expect(r).toEqual({ newA: ['constitutional', 'renal'], newB: ['mucocutaneous', 'haematological'], unknown: [] })
  })
})
