/**
 * kleene.ts, the one home of three-valued logic: the connectives, their
 * lazy forms (the fast backend's) against the eager ones (the explanations'),
 * and how a criterion's parts decide its outcome and the verdict. How the
 * backends apply them to protocols is test/engine/backends/conformance.test.ts.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  all3Lazy,
  and3,
  any3Lazy,
  atLeast3,
  atLeast3Lazy,
  criterionOutcome,
  either3,
  fromBounds,
  not3,
  or3,
  overallOf,
} from '../../../engine/evaluate/kleene.ts'
import type { Tri } from '../../../engine/evaluate/operators.ts'

const T = true
const F = false
const U = undefined

describe('connectives', () => {
  it.each([
    [[T, T], T, T],
    [[T, F], F, T],
    [[F, U], F, U], // false AND unknown = false
    [[T, U], U, T], // true OR unknown = true
    [[U, U], U, U],
    [[F, F], F, F],
  ] as Array<[Tri[], Tri, Tri]>)('and3 / or3 %j = %s / %s', (xs, and, or) => {
    expect(and3(...xs)).toBe(and)
    expect(or3(...xs)).toBe(or)
  })

  it('not3 keeps unknown unknown', () => {
    expect([not3(T), not3(F), not3(U)]).toEqual([F, T, U])
  })

  it.each([
    [2, 0, 2, T], // exactly n
    [1, 0, 2, F],
    [1, 1, 2, U], // could still reach n
    [0, 1, 2, F], // cannot
  ])('atLeast3: %i met, %i open, %i needed -> %s', (met, open, n, want) => {
    expect(atLeast3(met, open, n)).toBe(want)
  })

  it.each([
    [[T, U], T],
    [[F, U], F], // decided on the measured alternative
    [[U, U], U],
    [[F, T], T],
  ] as Array<[Tri[], Tri]>)('either3 %j -> %s', (xs, want) => {
    expect(either3(xs)).toBe(want)
  })

  it('fromBounds: the two runs agree, or the rule is unknown', () => {
    expect([fromBounds(true, true), fromBounds(false, false), fromBounds(false, true)]).toEqual([T, F, U])
  })
})

describe('lazy forms give the eager answers, computing only what decides them', () => {
  const tris = fc.array(fc.constantFrom<Tri>(T, F, U), { minLength: 1, maxLength: 6 })
  it('for any values, exhaustive or not', () => {
    fc.assert(
      fc.property(tris, fc.integer({ min: 1, max: 6 }), fc.boolean(), (xs, n, exhaustive) => {
        const read: number[] = []
        const fns = xs.map((x, i) => () => {
          read.push(i)
          return x
        })
        expect(all3Lazy(fns, null, exhaustive)).toBe(and3(...xs))
        expect(any3Lazy(fns, null, exhaustive)).toBe(or3(...xs))
        const need = Math.min(n, xs.length)
        const met = xs.filter(x => x === T).length
        const open = xs.filter(x => x === U).length
        read.length = 0
        expect(atLeast3Lazy(need, fns, null, exhaustive)).toBe(atLeast3(met, open, need))
        if (exhaustive) expect(read).toEqual(xs.map((_, i) => i))
      }),
    )
  })
  it('all stops at the first false, any at the first true, at_least once decided', () => {
    const read: string[] = []
    const v = (name: string, x: Tri) => () => {
      read.push(name)
      return x
    }
    expect(all3Lazy([v('a', T), v('b', F), v('c', U)], null, false)).toBe(F)
    expect(any3Lazy([v('d', F), v('e', T), v('f', U)], null, false)).toBe(T)
    expect(atLeast3Lazy(2, [v('g', F), v('h', F), v('i', T)], null, false)).toBe(F) // after h, 2 cannot be reached
    expect(read).toEqual(['a', 'b', 'd', 'e', 'g', 'h'])
  })
})

describe('a criterion as a whole, and the verdict', () => {
  it.each([
    ['inclusion', T, T, T, 'pass'],
    ['inclusion', F, T, F, 'fail'],
    ['inclusion', F, F, T, 'pass'], // not applicable: nothing to satisfy
    ['inclusion', F, U, U, 'unknown'],
    ['inclusion', T, U, T, 'pass'],
    ['exclusion', T, T, T, 'fail'],
    ['exclusion', F, T, F, 'pass'],
    ['exclusion', T, F, F, 'pass'], // not applicable: nothing excludes
    ['exclusion', T, U, U, 'unknown'],
    ['exclusion', F, U, F, 'pass'],
    ['exclusion', U, T, U, 'unknown'],
  ] as const)('%s, logic %s, applies %s: whole %s, %s', (kind, logic, applies, whole, outcome) => {
    expect(criterionOutcome(kind, logic, applies)).toEqual({ whole, outcome })
  })

  it.each([
    [['pass', 'pass'], 'eligible', [], []],
    [['pass', 'unknown'], 'undetermined', [], ['B']],
    [['fail', 'unknown'], 'ineligible', ['A'], ['B']], // one failure decides
  ] as const)('%j -> %s', (outcomes, overall, failing, undecided) => {
    expect(overallOf(outcomes.map((outcome, i) => ({ id: 'AB'[i]!, outcome })))).toEqual({ overall, failing, undecided })
  })
})
