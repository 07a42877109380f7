import { describe, expect, it } from 'vitest'
import { ACR_1997_CRITERIA_NEEDED, countAcr1997 } from '../../../engine/calculators/index.ts'
import { ACR_1997_ITEMS } from '../../../engine/types.ts'
import type { Acr1997Item } from '../../../engine/types.ts'

/** The first `met` items true, the next `absent` false, the rest unrecorded. */
function record(met: number, absent: number): Partial<Record<Acr1997Item, boolean>> {
  const r: Partial<Record<Acr1997Item, boolean>> = {}
  ACR_1997_ITEMS.forEach((item, i) => {
    if (i < met) r[item] = true
    else if (i < met + absent) r[item] = false
  })
  return r
}

describe('countAcr1997 (Hochberg 1997: ≥4 of 11)', () => {
  it('needs 4 of the 11 items', () => {
    expect(ACR_1997_CRITERIA_NEEDED).toBe(4)
    expect(ACR_1997_ITEMS).toHaveLength(11)
  })

  it.each([
    { met: 3, absent: 8, want: { met: 3, unknown: 0, classified: false } }, // one short of 4, nothing unknown
    { met: 4, absent: 7, want: { met: 4, unknown: 0, classified: true } }, // exactly 4: classified
    { met: 5, absent: 6, want: { met: 5, unknown: 0, classified: true } },
    { met: 11, absent: 0, want: { met: 11, unknown: 0, classified: true } },
    { met: 0, absent: 11, want: { met: 0, unknown: 0, classified: false } },
    { met: 4, absent: 0, want: { met: 4, unknown: 7, classified: true } }, // 4 met decides despite unknowns
    { met: 3, absent: 7, want: { met: 3, unknown: 1, classified: undefined } }, // met+unknown = 4: could reach 4
    { met: 2, absent: 7, want: { met: 2, unknown: 2, classified: undefined } }, // met+unknown = 4
    { met: 2, absent: 8, want: { met: 2, unknown: 1, classified: false } }, // met+unknown = 3 < 4: cannot reach
    { met: 0, absent: 8, want: { met: 0, unknown: 3, classified: false } }, // met+unknown = 3 < 4
    { met: 0, absent: 0, want: { met: 0, unknown: 11, classified: undefined } }, // nothing recorded
  ])('$met met, $absent absent -> $want.classified', ({ met, absent, want }) => {
    expect(countAcr1997(record(met, absent))).toEqual(want)
  })

  it('ignores keys that are not ACR 1997 items', () => {
    const items = { ...record(3, 8), le_cell: true } as Partial<Record<Acr1997Item, boolean>>
    expect(countAcr1997(items)).toEqual({ met: 3, unknown: 0, classified: false })
  })
})
