import { describe, expect, it } from 'vitest'
import { SLEDAI_2K_WEIGHTS, scoreSledai2k } from '../../../engine/calculators/index.ts'
import { SLEDAI_2K_DESCRIPTORS } from '../../../engine/types.ts'
import type { SledaiDescriptor } from '../../../engine/types.ts'

const allAs = (present: boolean): Record<SledaiDescriptor, boolean> =>
  Object.fromEntries(SLEDAI_2K_DESCRIPTORS.map(d => [d, present])) as Record<SledaiDescriptor, boolean>

describe('SLEDAI-2K weights (Gladman 2002)', () => {
  it('has a weight for every descriptor and nothing else', () => {
    expect(Object.keys(SLEDAI_2K_WEIGHTS).sort()).toEqual([...SLEDAI_2K_DESCRIPTORS].sort())
  })

  it.each([
    { weight: 8, count: 8 },
    { weight: 4, count: 6 },
    { weight: 2, count: 7 },
    { weight: 1, count: 3 },
  ])('$count descriptors weigh $weight', ({ weight, count }) => {
    expect(Object.values(SLEDAI_2K_WEIGHTS).filter(w => w === weight)).toHaveLength(count)
  })

  it.each([
    { d: 'seizure', w: 8 },
    { d: 'vasculitis', w: 8 },
    { d: 'proteinuria', w: 4 },
    { d: 'pyuria', w: 4 },
    { d: 'low_complement', w: 2 },
    { d: 'increased_dna_binding', w: 2 },
    { d: 'fever', w: 1 },
    { d: 'leukopenia', w: 1 },
  ] as const)('$d = $w', ({ d, w }) => {
    expect(SLEDAI_2K_WEIGHTS[d]).toBe(w)
  })
})

describe('scoreSledai2k', () => {
  it('all present: 105', () => {
    expect(scoreSledai2k(allAs(true))).toEqual({ min: 105, max: 105, missing: [] })
  })

  it('all absent: 0', () => {
    expect(scoreSledai2k(allAs(false))).toEqual({ min: 0, max: 0, missing: [] })
  })

  it('nothing recorded: 0 to 105, every descriptor missing', () => {
    const s = scoreSledai2k({})
    expect(s).toMatchObject({ min: 0, max: 105 })
    expect(s.missing).toEqual([...SLEDAI_2K_DESCRIPTORS])
  })

  it('typical active LN: renal descriptors + serology, rest absent', () => {
    const s = scoreSledai2k({
      ...allAs(false),
      proteinuria: true,
      hematuria: true,
      urinary_casts: true,
      low_complement: true,
      increased_dna_binding: true,
    })
    expect(s).toEqual({ min: 16, max: 16, missing: [] })
  })

  it('partial record: present ones count, unrecorded ones widen the range', () => {
    const s = scoreSledai2k({ proteinuria: true, hematuria: true, rash: false, fever: false })
    expect(s.min).toBe(8)
    expect(s.max).toBe(105 - 2 - 1)
    expect(s.missing).toHaveLength(20)
    expect(s.missing).not.toContain('proteinuria')
    expect(s.missing).not.toContain('rash')
  })

  it('one unrecorded descriptor decides a threshold only through max', () => {
    const { seizure: _omit, ...rest } = allAs(false)
    const s = scoreSledai2k({ ...rest, proteinuria: true })
    expect(s).toEqual({ min: 4, max: 12, missing: ['seizure'] })
  })
})
