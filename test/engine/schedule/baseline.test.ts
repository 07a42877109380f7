import { describe, expect, it } from 'vitest'
import { baselineFromData, baselineVisitIds } from '../../../engine/study.ts'
import type { PlannedVisit } from '../../../engine/index.ts'
import type { ProtocolDocument } from '../../../engine/types.ts'

const baseline: PlannedVisit = { visit: 'baseline', label: 'baseline', day: 1, due: '2026-01-19', window_start: '2025-12-22', window_end: '2026-01-19' }
const week4: PlannedVisit = { visit: 'week_4', label: 'week 4', day: 29, due: '2026-02-16', window_start: '2026-02-09', window_end: '2026-02-23' }
const m = (date: string) => ({ concept: 'serum_creatinine', value: 80, unit: 'umol/L', date })

describe('baselineVisitIds: the visits endpoints read as a baseline', () => {
  const visits = [{ id: 'baseline' }, { id: 'week_4' }, { id: 'screening_visit' }] as ProtocolDocument['visits']
  it('names a visit given as `baseline:` or as a logic change `from:`, and only visits', () => {
    const endpoints = [
      { id: 'a', type: 'change_from_baseline', baseline: 'baseline' },
      { id: 'b', logic: { all: [{ change: { concept: 'x', from: 'screening_visit', measure: 'ratio' } }, { change: { from: 'not_a_visit' } }] } },
    ] as unknown as ProtocolDocument['endpoints']
    expect(baselineVisitIds({ visits, endpoints })).toEqual(['baseline', 'screening_visit'])
  })
  it('names none when no endpoint refers to a baseline', () => {
    expect(baselineVisitIds({ visits, endpoints: [] })).toEqual([])
  })
})

describe('baselineFromData: a baseline visit not recorded, served by measurements in its window', () => {
  it('takes the latest measurement inside the window, edges included', () => {
    expect(baselineFromData([baseline, week4], ['baseline'], { measurements: [m('2025-12-22'), m('2026-01-19'), m('2026-02-16')] })).toEqual({
      baseline: '2026-01-19',
    })
  })
  it('nothing when the data fall outside the window, the visit was recorded, or it is not a baseline', () => {
    expect(baselineFromData([baseline], ['baseline'], { measurements: [m('2025-12-21'), m('2026-01-20')] })).toEqual({})
    expect(baselineFromData([baseline], ['baseline'], { visits: [{ visit: 'baseline', date: '2026-01-19' }], measurements: [m('2026-01-10')] })).toEqual({})
    expect(baselineFromData([week4], ['baseline'], { measurements: [m('2026-02-16')] })).toEqual({})
  })
})
