import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { compileProtocol, evaluateEligibility, type Condition, type Truth } from '../../../engine/index.ts'
import { ATTESTATIONS, att, exclusion, inclusion, patientWith, protocolWith } from '../../helpers/protocol-builder.ts'

type V = boolean | undefined
const show = (v: V) => (v === undefined ? 'unknown' : String(v))

async function truthOf(logic: Condition, values: Record<string, V>): Promise<Truth> {
  const compiled = compileProtocol(protocolWith([inclusion(logic)]))
  const verdict = await evaluateEligibility(compiled, patientWith(values))
  return verdict.criteria[0]!.truth
}

const T = true
const F = false
const U = undefined
const truth = (v: V): Truth => (v === true ? 'met' : v === false ? 'not_met' : 'unknown')

describe('Kleene strong three-valued logic', () => {
  it.each([
    [T, T, T],
    [T, F, F],
    [F, U, F], // false AND unknown = false
    [T, U, U],
    [U, U, U],
  ])('all(%s, %s) = %s', async (a, b, want) => {
    expect(await truthOf({ all: [att('a1'), att('a2')] }, { a1: a, a2: b })).toBe(truth(want))
  })

  it.each([
    [F, F, F],
    [T, F, T],
    [T, U, T], // true OR unknown = true
    [F, U, U],
    [U, U, U],
  ])('any(%s, %s) = %s', async (a, b, want) => {
    expect(await truthOf({ any: [att('a1'), att('a2')] }, { a1: a, a2: b })).toBe(truth(want))
  })

  it.each([
    [T, F],
    [F, T],
    [U, U], // not unknown is unknown, never a pass
  ])('not(%s) = %s', async (a, want) => {
    expect(await truthOf({ not: att('a1') }, { a1: a })).toBe(truth(want))
  })

  it.each([
    { values: { a1: T, a2: T, a3: F, a4: F }, want: 'met' }, // exactly n
    { values: { a1: T, a2: F, a3: F, a4: F }, want: 'not_met' },
    { values: { a1: T, a2: F, a3: U, a4: F }, want: 'unknown' }, // 1 met + 1 open could reach 2
    { values: { a1: T, a2: F, a3: F, a4: U }, want: 'unknown' },
    { values: { a1: F, a2: F, a3: F, a4: U }, want: 'not_met' }, // 0 met + 1 open cannot reach 2
    { values: { a1: T, a2: T, a3: U, a4: U }, want: 'met' },
  ])('at_least 2 of 4 with $values -> $want', async ({ values, want }) => {
    const logic: Condition = { at_least: { n: 2, of: [att('a1'), att('a2'), att('a3'), att('a4')] } }
    expect(await truthOf(logic, values)).toBe(want)
  })

  it('negates at_least: not(at least 2 of 3) = at least 2 of 3 false', async () => {
    const logic: Condition = { not: { at_least: { n: 2, of: [att('a1'), att('a2'), att('a3')] } } }
    expect(await truthOf(logic, { a1: T, a2: F, a3: F })).toBe('met')
    expect(await truthOf(logic, { a1: T, a2: T, a3: F })).toBe('not_met')
    expect(await truthOf(logic, { a1: T, a2: F, a3: U })).toBe('unknown')
  })

  it('an exclusion with unknown data is not a pass: verdict undetermined', async () => {
    const compiled = compileProtocol(protocolWith([exclusion({ attestation: 'a1', is: false })]))
    // `is: false` on a missing answer: json-rules-engine's notEqual would pass here; we must say unknown
    const verdict = await evaluateEligibility(compiled, patientWith({}))
    expect(verdict.criteria[0]).toMatchObject({ truth: 'unknown', outcome: 'unknown' })
    expect(verdict.overall).toBe('undetermined')
    expect(verdict.missing).toEqual([{ key: 'attestations.a1', description: 'investigator attestation: a1?' }])
  })
})

// A reference Kleene evaluator, written independently of the engine, to compare against.
type Formula = { k: 'leaf'; name: (typeof ATTESTATIONS)[number] } | { k: 'all' | 'any'; xs: Formula[] } | { k: 'not'; x: Formula } | { k: 'atLeast'; n: number; xs: Formula[] }

function kleene(f: Formula, v: Record<string, V>): V {
  switch (f.k) {
    case 'leaf':
      return v[f.name]
    case 'not': {
      const x = kleene(f.x, v)
      return x === undefined ? undefined : !x
    }
    case 'all': {
      const xs = f.xs.map((x) => kleene(x, v))
      return xs.includes(false) ? false : xs.every((x) => x === true) ? true : undefined
    }
    case 'any': {
      const xs = f.xs.map((x) => kleene(x, v))
      return xs.includes(true) ? true : xs.every((x) => x === false) ? false : undefined
    }
    case 'atLeast': {
      const xs = f.xs.map((x) => kleene(x, v))
      const yes = xs.filter((x) => x === true).length
      const open = xs.filter((x) => x === undefined).length
      return yes >= f.n ? true : yes + open < f.n ? false : undefined
    }
  }
}

function toCondition(f: Formula): Condition {
  switch (f.k) {
    case 'leaf':
      return att(f.name)
    case 'not':
      return { not: toCondition(f.x) }
    case 'all':
      return { all: f.xs.map(toCondition) }
    case 'any':
      return { any: f.xs.map(toCondition) }
    case 'atLeast':
      return { at_least: { n: f.n, of: f.xs.map(toCondition) } }
  }
}

const formula = fc.letrec<{ f: Formula }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ k: fc.constant('leaf' as const), name: fc.constantFrom(...ATTESTATIONS) }),
    fc.record({ k: fc.constantFrom('all' as const, 'any' as const), xs: fc.array(tie('f'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ k: fc.constant('not' as const), x: tie('f') }),
    fc
      .array(tie('f'), { minLength: 1, maxLength: 4 })
      .chain((xs) => fc.record({ k: fc.constant('atLeast' as const), n: fc.integer({ min: 1, max: xs.length }), xs: fc.constant(xs) })),
  ),
})).f

const values = fc.record(
  Object.fromEntries(ATTESTATIONS.map((a) => [a, fc.constantFrom<V>(true, false, undefined)])) as Record<string, fc.Arbitrary<V>>,
)

describe('engine agrees with a reference Kleene evaluator on random formulas', () => {
  it('for 300 random formulas and answer sets (nested all/any/not/at_least)', async () => {
    await fc.assert(
      fc.asyncProperty(formula, values, async (f, v) => {
        const got = await truthOf(toCondition(f), v)
        const described = Object.entries(v).map(([k, x]) => `${k}=${show(x)}`).join(' ')
        expect(got, described).toBe(truth(kleene(f, v)))
      }),
      { numRuns: 300 },
    )
  })
})
