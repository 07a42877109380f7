import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { FunnelCounter, type Verdict } from '../../../engine/index.ts'
import { funnelOf } from '../../../engine/index.ts'

const CRITERIA = [
  { id: 'IN01', kind: 'inclusion' as const },
  { id: 'IN02', kind: 'inclusion' as const },
  { id: 'EX01', kind: 'exclusion' as const },
]
const outcome = fc.constantFrom('pass' as const, 'fail' as const, 'unknown' as const)
const verdictArb = fc.tuple(outcome, outcome, outcome, fc.boolean()).map(([a, b, c, dropLast]): Verdict => {
  const outcomes = [a, b, c]
  const failing = CRITERIA.filter((_, i) => outcomes[i] === 'fail').map((x) => x.id)
  const undecided = CRITERIA.filter((_, i) => outcomes[i] === 'unknown').map((x) => x.id)
  return {
    protocol: { registry_id: 'T', version: '1' },
    overall: failing.length ? 'ineligible' : undecided.length ? 'undetermined' : 'eligible',
    failing,
    undecided,
    missing: [],
    warnings: [],
    // a verdict from another version may not name every criterion: counted unknown by both
    criteria: CRITERIA.slice(0, dropLast ? 2 : 3).map((x, i) => ({ ...x, text: '', truth: 'unknown', applicable: 'met', outcome: outcomes[i]!, reason: '', explanation: { path: '', kind: 'leaf', truth: 'unknown', label: '' }, missing: [] })),
  }
})

describe('FunnelCounter (constant memory) counts as the batch funnel over all verdicts', () => {
  it('by hand: a record stays in while it passes', () => {
    const f = new FunnelCounter(CRITERIA)
    const v = (a: 'pass' | 'fail' | 'unknown', b: 'pass' | 'fail' | 'unknown') => ({ overall: 'eligible' as const, criteria: [{ id: 'IN01', outcome: a }, { id: 'IN02', outcome: b }, { id: 'EX01', outcome: 'pass' as const }] })
    f.add(v('pass', 'pass'))
    f.add(v('pass', 'fail'))
    f.add(v('unknown', 'pass'))
    f.addInvalid()
    expect(f.result()).toMatchObject({
      records: 4,
      invalid: 1,
      evaluated: 3,
      criteria: [
        { criterion: 'IN01', entering: 3, pass: 2, fail: 0, unknown: 1, all: { pass: 2, fail: 0, unknown: 1 } },
        { criterion: 'IN02', entering: 2, pass: 1, fail: 1, unknown: 0, all: { pass: 2, fail: 1, unknown: 0 } },
        { criterion: 'EX01', entering: 1, pass: 1, fail: 0, unknown: 0, all: { pass: 3, fail: 0, unknown: 0 } },
      ],
    })
  })

  it('equals server/funnel.ts funnelOf on random verdicts', () => {
    fc.assert(
      fc.property(fc.array(verdictArb, { maxLength: 30 }), fc.nat({ max: 5 }), (verdicts, invalid) => {
        const f = new FunnelCounter(CRITERIA)
        for (const v of verdicts) f.add(v)
        for (let i = 0; i < invalid; i++) f.addInvalid()
        expect(f.result()).toEqual(funnelOf(CRITERIA, verdicts, verdicts.length + invalid, invalid))
      }),
    )
  })
})
