import { describe, expect, it } from 'vitest'
import type { DatedEventSource } from '../../../engine/types.ts'
import { EVENT_SOURCE_KINDS, eventSourceKind, kindedEventSource } from '../../../engine/logic/event-source-model.ts'

// The one place that tells the sources of a time_to_first_event endpoint apart.
describe('event-source model', () => {
  const sources: Array<[DatedEventSource, string]> = [
    [{ death: true }, 'death'],
    [{ condition: { set: 'esrd' }, label: 'kidney failure' }, 'condition'],
    [{ procedure: { items: ['dialysis'] } }, 'procedure'],
    [{ ratio_to_baseline: { concept: 'serum_creatinine', baseline: 'baseline', op: '>=', value: 2 } }, 'ratio_to_baseline'],
    [{ attestation: 'renal_flare' }, 'attestation'],
  ]
  it.each(sources)('%o is a %s source', (s, kind) => {
    expect(eventSourceKind(s)).toBe(kind)
    expect(kindedEventSource(s).source).toBe(s)
  })
  it('lists every kind once', () => {
    expect([...EVENT_SOURCE_KINDS].sort()).toEqual(sources.map(([, k]) => k).sort())
  })
  it('narrows the source with its kind', () => {
    const k = kindedEventSource({ ratio_to_baseline: { concept: 'serum_creatinine', baseline: 'baseline', op: '>=', value: 2 } })
    expect(k.kind === 'ratio_to_baseline' ? k.source.ratio_to_baseline.value : undefined).toBe(2)
  })
})
