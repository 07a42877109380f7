import { describe, expect, it } from 'vitest'
import {
  BILAG_2004_SYSTEMS,
  SRI_DEFAULT_PGA_WORSENING_LIMIT,
  SRI_DEFAULT_PGA_WORSENING_PERCENT,
  SRI_DEFAULT_SLEDAI_REDUCTION,
  sriResponse,
} from '../../../engine/calculators/index.ts'
import type { BilagGrades, BilagSystem, SriInput } from '../../../engine/calculators/index.ts'

const allE = Object.fromEntries(BILAG_2004_SYSTEMS.map(s => [s, 'E'])) as Record<BilagSystem, 'E'>

/** A responder: SLEDAI 10 -> 6, BILAG unchanged, PGA unchanged. */
const base: Required<SriInput> = {
  sledaiBaseline: 10,
  sledaiVisit: 6,
  bilagBaseline: allE,
  bilagVisit: allE,
  pgaBaseline: 1,
  pgaVisit: 1,
}

describe('SRI defaults (Furie 2009)', () => {
  it('reduction 4, PGA worsening 0.3 absolute, 10 % relative', () => {
    expect(SRI_DEFAULT_SLEDAI_REDUCTION).toBe(4)
    expect(SRI_DEFAULT_PGA_WORSENING_LIMIT).toBe(0.3)
    expect(SRI_DEFAULT_PGA_WORSENING_PERCENT).toBe(10)
  })
})

describe('sriResponse: SLEDAI component (reduction ≥ 4)', () => {
  it.each([
    { visit: 7, reduction: 3, want: false }, // 3-point reduction: one short
    { visit: 6, reduction: 4, want: true }, // 4-point reduction: inclusive boundary
    { visit: 2, reduction: 8, want: true },
    { visit: 12, reduction: -2, want: false }, // worsened
  ])('10 -> $visit (reduction $reduction): $want', ({ visit, reduction, want }) => {
    const r = sriResponse({ ...base, sledaiVisit: visit })
    expect(r.components.sledai).toEqual({ reduction, met: want })
    expect(r.responder).toBe(want)
  })

  it.each([
    { reduction: 5, visit: 6, want: false }, // SRI-5: 4 is one short
    { reduction: 5, visit: 5, want: true }, // SRI-5: exactly 5
    { reduction: 6, visit: 4, want: true }, // SRI-6: exactly 6
  ])('SRI-$reduction: 10 -> $visit is $want', ({ reduction, visit, want }) => {
    expect(sriResponse({ ...base, sledaiVisit: visit }, { reduction }).responder).toBe(want)
  })

  it.each([
    { sledaiBaseline: undefined, sledaiVisit: 6 },
    { sledaiBaseline: 10, sledaiVisit: undefined },
    { sledaiBaseline: Number.NaN, sledaiVisit: 6 },
  ])('missing score -> unknown ($sledaiBaseline -> $sledaiVisit)', scores => {
    const r = sriResponse({ ...base, ...scores })
    expect(r.components.sledai).toEqual({ reduction: undefined, met: undefined })
    expect(r.responder).toBeUndefined()
  })
})

describe('sriResponse: BILAG component (no new A, ≤ 1 new B)', () => {
  it.each([
    { visit: {}, want: true, newA: [], newB: [] }, // 0 new B
    { visit: { renal: 'B' }, want: true, newA: [], newB: ['renal'] }, // 1 new B: allowed
    { visit: { renal: 'B', mucocutaneous: 'B' }, want: false, newA: [], newB: ['mucocutaneous', 'renal'] }, // 2 new B: one too many
    { visit: { renal: 'A' }, want: false, newA: ['renal'], newB: [] }, // 1 new A: fails
    { visit: { renal: 'C', mucocutaneous: 'C' }, want: true, newA: [], newB: [] }, // C is never new A/B
  ] as const)('visit $visit -> $want', ({ visit, want, newA, newB }) => {
    const r = sriResponse({ ...base, bilagVisit: { ...allE, ...visit } })
    expect(r.components.bilag).toEqual({ newA: [...newA], newB: expect.arrayContaining([...newB]), unknown: [], met: want })
    expect(r.components.bilag.newB).toHaveLength(newB.length)
    expect(r.responder).toBe(want)
  })

  it('persistent A or B at baseline is not new', () => {
    const baseline: BilagGrades = { ...allE, renal: 'A', mucocutaneous: 'B', haematological: 'A' }
    const visit: BilagGrades = { ...allE, renal: 'A', mucocutaneous: 'B', haematological: 'B' }
    expect(sriResponse({ ...base, bilagBaseline: baseline, bilagVisit: visit }).components.bilag.met).toBe(true)
  })

  it.each([
    { baseline: {}, visit: {}, want: undefined }, // nothing recorded
    { baseline: allE, visit: {}, want: undefined }, // an ungraded visit system could be A
    { baseline: {}, visit: allE, want: true }, // visit all E: nothing can be new
    { baseline: { ...allE, renal: undefined }, visit: { ...allE, renal: 'B' }, want: true }, // worst case 1 new B: still met
    { baseline: { ...allE, renal: undefined }, visit: { ...allE, renal: 'A' }, want: undefined }, // could be a new A
    { baseline: { ...allE, renal: undefined }, visit: { ...allE, renal: 'B', mucocutaneous: 'B' }, want: undefined }, // 1 new B + 1 possible
    { baseline: { ...allE, renal: undefined }, visit: { ...allE, renal: 'B', ophthalmic: 'A' }, want: false }, // a known new A decides
    { baseline: { ...allE, renal: 'A' }, visit: { ...allE, renal: undefined }, want: true }, // baseline A: never new
  ] as const)('partial grades: $want', ({ baseline, visit, want }) => {
    const r = sriResponse({ ...base, bilagBaseline: baseline, bilagVisit: visit })
    expect(r.components.bilag.met).toBe(want)
    expect(r.responder).toBe(want)
  })

  it('undefined grade records are unknown, not empty', () => {
    const { bilagBaseline: _b, bilagVisit: _v, ...rest } = base
    expect(sriResponse(rest).components.bilag.met).toBeUndefined()
  })
})

describe('sriResponse: PGA component (worsening ≥ 0.3 fails)', () => {
  it.each([
    { baseline: 1, visit: 1.29, change: 0.29, want: true }, // just under 0.3
    { baseline: 1, visit: 1.3, change: 0.3, want: false }, // exactly 0.3: worsening, fails
    { baseline: 0.4, visit: 0.7, change: 0.3, want: false }, // 0.7 − 0.4 is 0.29999999999999993 in floats
    { baseline: 1.1, visit: 1.39, change: 0.29, want: true }, // 1.39 − 1.1 is 0.2899999999999998 in floats
    { baseline: 1, visit: 0.5, change: -0.5, want: true }, // improved
    { baseline: 2, visit: 3, change: 1, want: false },
  ])('$baseline -> $visit (change $change): $want', ({ baseline, visit, change, want }) => {
    const r = sriResponse({ ...base, pgaBaseline: baseline, pgaVisit: visit })
    expect(r.components.pga).toEqual({ change, met: want })
    expect(r.responder).toBe(want)
  })

  it.each([
    { limit: 0.5, visit: 1.49, want: true }, // custom limit: just under
    { limit: 0.5, visit: 1.5, want: false }, // custom limit: at the limit
  ])('limit $limit: 1 -> $visit is $want', ({ limit, visit, want }) => {
    expect(sriResponse({ ...base, pgaVisit: visit }, { pgaWorseningLimit: limit }).components.pga.met).toBe(want)
  })

  it.each([
    { baseline: 2, visit: 2.19, want: true }, // 9.5 %: under 10 %
    { baseline: 2, visit: 2.2, want: false }, // exactly 10 %: fails
    { baseline: 1.5, visit: 1.65, want: false }, // exactly 10 % (9.999999999999993 in floats)
    { baseline: 1, visit: 1.29, want: false }, // 29 %: fails although absolute change < 0.3
    { baseline: 3, visit: 3.29, want: true }, // 9.67 %: passes
    { baseline: 0, visit: 0, want: true }, // no change from 0
    { baseline: 0, visit: 0.1, want: false }, // any rise from 0 is an infinite relative worsening
  ])('relative_percent: $baseline -> $visit is $want', ({ baseline, visit, want }) => {
    const r = sriResponse({ ...base, pgaBaseline: baseline, pgaVisit: visit }, { pgaWorseningMode: 'relative_percent' })
    expect(r.components.pga.met).toBe(want)
  })

  it.each([
    { percent: 20, visit: 1.19, want: true }, // 19 %: under
    { percent: 20, visit: 1.2, want: false }, // 20 %: at the limit
  ])('relative_percent $percent: 1 -> $visit is $want', ({ percent, visit, want }) => {
    const r = sriResponse({ ...base, pgaVisit: visit }, { pgaWorseningMode: 'relative_percent', pgaWorseningPercent: percent })
    expect(r.components.pga.met).toBe(want)
  })

  it('missing PGA -> unknown', () => {
    const r = sriResponse({ ...base, pgaVisit: undefined })
    expect(r.components.pga).toEqual({ change: undefined, met: undefined })
    expect(r.responder).toBeUndefined()
  })

  it('an explicitly undefined option keeps its default', () => {
    expect(sriResponse({ ...base, pgaVisit: 1.3 }, { pgaWorseningLimit: undefined }).components.pga.met).toBe(false)
  })
})

describe('sriResponse: Kleene AND', () => {
  it.each([
    { input: base, want: true }, // all three met
    { input: { ...base, sledaiVisit: 7, pgaVisit: undefined }, want: false }, // a false beats an unknown
    { input: { ...base, pgaVisit: undefined }, want: undefined }, // unknown, nothing false
    { input: { bilagBaseline: { renal: 'E' }, bilagVisit: { renal: 'A' } }, want: false }, // a new A decides alone
    { input: { bilagVisit: { renal: 'A' } }, want: undefined }, // A with no baseline could be persistent
    { input: {}, want: undefined },
  ] as const)('$want', ({ input, want }) => {
    expect(sriResponse(input).responder).toBe(want)
  })
})
