import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { FunnelCounter, funnelOf } from '../../../engine/study.ts'
import type { FunnelVerdict, Verdict } from '../../../engine/index.ts'

type O = 'pass' | 'fail' | 'unknown'
const CRITERIA = [
  { id: 'IN01', kind: 'inclusion' as const },
  { id: 'IN02', kind: 'inclusion' as const },
  { id: 'EX01', kind: 'exclusion' as const },
]
/** A verdict naming the criteria given, in the order given. */
const v = (outcomes: Record<string, O>): FunnelVerdict => {
  const os = Object.values(outcomes)
  return {
    overall: os.includes('fail') ? 'ineligible' : os.includes('unknown') ? 'undetermined' : 'eligible',
    criteria: Object.entries(outcomes).map(([id, outcome]) => ({ id, outcome })),
  }
}
const count = (...vs: FunnelVerdict[]) => {
  const f = new FunnelCounter(CRITERIA)
  for (const x of vs) f.add(x)
  return f.result()
}
const row = (f: ReturnType<typeof count>, i: number) => {
  const s = f.criteria[i]!
  return [s.entering, s.pass, s.fail, s.unknown]
}

describe('FunnelCounter: a record stays in while it passes', () => {
  it.each([
    // each outcome of the first criterion: only a pass goes on to IN02
    { first: 'pass' as O, in01: [1, 1, 0, 0], in02: [1, 1, 0, 0] },
    { first: 'fail' as O, in01: [1, 0, 1, 0], in02: [0, 0, 0, 0] },
    { first: 'unknown' as O, in01: [1, 0, 0, 1], in02: [0, 0, 0, 0] }, // undecided leaves the funnel too
  ])('IN01 $first -> IN01 $in01, IN02 $in02', ({ first, in01, in02 }) => {
    const f = count(v({ IN01: first, IN02: 'pass', EX01: 'pass' }))
    expect(row(f, 0)).toEqual(in01)
    expect(row(f, 1)).toEqual(in02)
    // `all` counts IN02 whatever IN01 gave
    expect(f.criteria[1]!.all).toEqual({ pass: 1, fail: 0, unknown: 0 })
  })

  it.each([
    { last: 'pass' as O, want: [1, 1, 0, 0], overall: 'eligible' },
    { last: 'fail' as O, want: [1, 0, 1, 0], overall: 'ineligible' }, // an exclusion that applies fails
    { last: 'unknown' as O, want: [1, 0, 0, 1], overall: 'undetermined' },
  ])('the last criterion (EX01) $last -> $want, overall $overall', ({ last, want, overall }) => {
    const f = count(v({ IN01: 'pass', IN02: 'pass', EX01: last }))
    expect(row(f, 2)).toEqual(want)
    expect(f.overall).toEqual({ eligible: 0, ineligible: 0, undetermined: 0, [overall]: 1 })
  })

  it('several records: entering of each criterion is pass of the one before', () => {
    const f = count(
      v({ IN01: 'pass', IN02: 'pass', EX01: 'pass' }),
      v({ IN01: 'pass', IN02: 'fail', EX01: 'pass' }),
      v({ IN01: 'unknown', IN02: 'pass', EX01: 'fail' }),
    )
    expect(f).toEqual({
      records: 3,
      invalid: 0,
      evaluated: 3,
      criteria: [
        { criterion: 'IN01', kind: 'inclusion', entering: 3, pass: 2, fail: 0, unknown: 1, all: { pass: 2, fail: 0, unknown: 1 } },
        { criterion: 'IN02', kind: 'inclusion', entering: 2, pass: 1, fail: 1, unknown: 0, all: { pass: 2, fail: 1, unknown: 0 } },
        { criterion: 'EX01', kind: 'exclusion', entering: 1, pass: 1, fail: 0, unknown: 0, all: { pass: 2, fail: 1, unknown: 0 } },
      ],
      overall: { eligible: 1, ineligible: 2, undetermined: 0 },
    })
  })

  it('reads outcomes by criterion id, not position', () => {
    const f = count({
      overall: 'eligible',
      criteria: [
        { id: 'EX01', outcome: 'fail' },
        { id: 'IN02', outcome: 'pass' },
        { id: 'IN01', outcome: 'pass' },
      ],
    })
    expect([row(f, 0), row(f, 1), row(f, 2)]).toEqual([
      [1, 1, 0, 0],
      [1, 1, 0, 0],
      [1, 0, 1, 0],
    ])
  })

  it('a criterion the verdict does not name (another version) counts unknown and stops the record there', () => {
    const f = count(v({ IN01: 'pass', EX01: 'pass' }))
    expect(row(f, 1)).toEqual([1, 0, 0, 1])
    expect(row(f, 2)).toEqual([0, 0, 0, 0])
    expect(f.criteria[1]!.all).toEqual({ pass: 0, fail: 0, unknown: 1 })
    expect(f.criteria[2]!.all).toEqual({ pass: 1, fail: 0, unknown: 0 })
  })

  it('a criterion the protocol does not list is ignored', () => {
    const f = count(v({ IN01: 'pass', IN02: 'pass', EX01: 'pass', EX09: 'fail' }))
    expect(f.criteria.map(s => s.criterion)).toEqual(['IN01', 'IN02', 'EX01'])
    expect(row(f, 2)).toEqual([1, 1, 0, 0])
  })

  it('invalid records count in records and invalid, never in a criterion', () => {
    const f = new FunnelCounter(CRITERIA)
    f.addInvalid()
    expect(f.result()).toMatchObject({ records: 1, invalid: 1, evaluated: 0, overall: { eligible: 0, ineligible: 0, undetermined: 0 } })
    f.add(v({ IN01: 'pass', IN02: 'pass', EX01: 'pass' }))
    f.addInvalid()
    const r = f.result()
    expect(r).toMatchObject({ records: 3, invalid: 2, evaluated: 1 })
    expect(r.criteria.map(s => s.entering)).toEqual([1, 1, 1])
  })

  it('result() is a copy: counting on does not change an earlier result', () => {
    const f = new FunnelCounter(CRITERIA)
    const before = f.result()
    f.add(v({ IN01: 'pass', IN02: 'pass', EX01: 'pass' }))
    expect(before.criteria[0]!.all.pass).toBe(0)
    expect(f.result().criteria[0]!.all.pass).toBe(1)
  })

  it('no criteria: records are still counted', () => {
    const f = new FunnelCounter([])
    f.add({ overall: 'eligible', criteria: [] })
    expect(f.result()).toEqual({ records: 1, invalid: 0, evaluated: 1, criteria: [], overall: { eligible: 1, ineligible: 0, undetermined: 0 } })
  })
})

describe('FunnelCounter.addFunnel: parts counted apart add up to the whole', () => {
  const outcome = fc.constantFrom<O>('pass', 'fail', 'unknown')
  const verdict = fc.record({ IN01: outcome, IN02: outcome, EX01: outcome }).map(v)
  it('any split of the records, invalid ones included, gives the funnel of them all', () => {
    fc.assert(
      fc.property(fc.array(fc.option(verdict, { nil: undefined }), { maxLength: 30 }), fc.nat(30), (records, cut) => {
        const counted = (rs: Array<FunnelVerdict | undefined>) => {
          const f = new FunnelCounter(CRITERIA)
          for (const r of rs) r ? f.add(r) : f.addInvalid()
          return f
        }
        const whole = counted(records).result()
        const parts = counted(records.slice(0, cut))
        parts.addFunnel(counted(records.slice(cut)).result())
        expect(parts.result()).toEqual(whole)
      }),
    )
  })
  it('refuses a funnel over other criteria', () => {
    const other = new FunnelCounter([{ id: 'IN01', kind: 'inclusion' }]).result()
    expect(() => new FunnelCounter(CRITERIA).addFunnel(other)).toThrow(/different criteria/)
  })
})

describe('funnelOf: the same counter over verdicts in memory', () => {
  const outcome = fc.constantFrom<O>('pass', 'fail', 'unknown')
  const verdictArb = fc.tuple(outcome, outcome, outcome, fc.boolean()).map(([a, b, c, dropLast]): Verdict => {
    const outcomes = [a, b, c]
    const failing = CRITERIA.filter((_, i) => outcomes[i] === 'fail').map(x => x.id)
    const undecided = CRITERIA.filter((_, i) => outcomes[i] === 'unknown').map(x => x.id)
    return {
      protocol: { registry_id: 'T', version: '1' },
      overall: failing.length ? 'ineligible' : undecided.length ? 'undetermined' : 'eligible',
      failing,
      undecided,
      missing: [],
      warnings: [],
      // a verdict from another version may not name every criterion
      criteria: CRITERIA.slice(0, dropLast ? 2 : 3).map((x, i) => ({
        ...x,
        text: '',
        truth: 'unknown',
        applicable: 'met',
        outcome: outcomes[i]!,
        reason: '',
        explanation: { path: '', kind: 'leaf', truth: 'unknown', label: '' },
        missing: [],
      })),
    }
  })
  /** An independent model: filter the records still in, criterion by criterion. */
  const model = (verdicts: Verdict[]) => {
    const outcomeOf = (x: Verdict, id: string): O => x.criteria.find(c => c.id === id)?.outcome ?? 'unknown'
    let stillIn = verdicts
    return CRITERIA.map(({ id }) => {
      const n = (vs: Verdict[], o: O) => vs.filter(x => outcomeOf(x, id) === o).length
      const step = {
        entering: stillIn.length,
        pass: n(stillIn, 'pass'),
        fail: n(stillIn, 'fail'),
        unknown: n(stillIn, 'unknown'),
        all: { pass: n(verdicts, 'pass'), fail: n(verdicts, 'fail'), unknown: n(verdicts, 'unknown') },
      }
      stillIn = stillIn.filter(x => outcomeOf(x, id) === 'pass')
      return step
    })
  }

  it('agrees with the filtering model and keeps its invariants on random verdicts', () => {
    fc.assert(
      fc.property(fc.array(verdictArb, { maxLength: 30 }), fc.nat({ max: 5 }), (verdicts, invalid) => {
        const f = funnelOf(CRITERIA, verdicts, verdicts.length + invalid, invalid)
        expect(f.criteria.map(({ entering, pass, fail, unknown, all }) => ({ entering, pass, fail, unknown, all }))).toEqual(model(verdicts))
        expect(f).toMatchObject({ records: verdicts.length + invalid, invalid, evaluated: verdicts.length })
        expect(f.criteria[0]!.entering).toBe(verdicts.length)
        for (let i = 1; i < f.criteria.length; i++) expect(f.criteria[i]!.entering).toBe(f.criteria[i - 1]!.pass)
        expect(f.overall.eligible + f.overall.ineligible + f.overall.undetermined).toBe(verdicts.length)
      }),
    )
  })
})
