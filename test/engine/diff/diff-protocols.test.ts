import { describe, expect, it } from 'vitest'
import { diffProtocols } from '../../../engine/diff/index.ts'
import type { ProtocolDocument } from '../../../engine/index.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const v1 = shippedProtocol('NCT05631717').doc
const edit = (f: (d: ProtocolDocument) => void): ProtocolDocument => {
  const d = structuredClone(v1)
  f(d)
  return d
}

describe('diffProtocols', () => {
  it('finds nothing between a version and itself', () => {
    expect(diffProtocols(v1, structuredClone(v1))).toMatchObject({ identical: true, criteria: { added: [], removed: [], changed: [] } })
  })

  it('names a tightened threshold with its path, old and new value', () => {
    const v2 = edit(d => {
      const c = d.criteria.find(x => x.id === 'IN03')!
      ;(c.logic as { measurement: { value: number } }).measurement.value = 8
    })
    const diff = diffProtocols(v1, v2)
    expect(diff.identical).toBe(false)
    expect(diff.criteria.changed).toEqual([
      { id: 'IN03', fields: ['logic'], changes: [{ path: 'logic.measurement.value', kind: 'threshold', from: 6, to: 8 }] },
    ])
  })

  it('names a changed window and a changed parameter', () => {
    const v2 = edit(d => {
      const c = d.criteria.find(x => x.id === 'EX01a')!
      ;(c.logic as { medication: { window: { weeks: number } } }).medication.window.weeks = 26
      d.parameters!.screening_lookback_days!.value = 42
    })
    const diff = diffProtocols(v1, v2)
    expect(diff.criteria.changed[0]).toMatchObject({ id: 'EX01a', changes: [{ path: 'logic.medication.window.weeks', kind: 'window', from: 24, to: 26 }] })
    expect(diff.parameters).toEqual([{ name: 'screening_lookback_days', from: 28, to: 42 }])
  })

  it('lists criteria and endpoints added and removed', () => {
    const v2 = edit(d => {
      d.criteria = d.criteria.filter(c => c.id !== 'EX08')
      d.criteria.push({ id: 'EX09', kind: 'exclusion', text: 'new criterion', logic: { fact: 'pregnant', is: true } })
      d.endpoints = d.endpoints!.filter(e => e.id !== 'sae')
    })
    const diff = diffProtocols(v1, v2)
    expect(diff.criteria).toMatchObject({ added: ['EX09'], removed: ['EX08'] })
    expect(diff.endpoints.removed).toEqual(['sae'])
  })
})
