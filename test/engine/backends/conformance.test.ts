/**
 * One suite, run against every eligibility backend (evaluate/backend.ts):
 * what any backend must answer, written once. A new backend joins by name in
 * BACKENDS and passes this file. The random-record equivalence of the two
 * shipped ones, explanations included, is test/engine/fast/equivalence.test.ts.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { BACKENDS, compileProtocol, examplePatient, type BackendName, type Condition, type PatientRecord, type Truth } from '../../../engine/index.ts'
import { ATTESTATIONS, att, exclusion, inclusion, patientWith, protocolWith } from '../../helpers/protocol-builder.ts'
import { shippedProtocols } from '../../helpers/protocols.ts'

type V = boolean | undefined
const T = true
const F = false
const U = undefined
const truthOf = (v: V): Truth => (v === true ? 'met' : v === false ? 'not_met' : 'unknown')

describe.each(Object.keys(BACKENDS) as BackendName[])('the %s backend', name => {
  const backend = BACKENDS[name]
  /** Both answers of one record, the full verdict and the screening one, which must agree. */
  async function both(doc: Parameters<typeof compileProtocol>[0], patient: PatientRecord) {
    const evaluator = backend.evaluatorOf(compileProtocol(doc))
    const verdict = await evaluator.evaluate(patient)
    const screened = await evaluator.screen(patient, { missing: true })
    expect(screened).toEqual({
      ...(verdict.patient_id ? { patient_id: verdict.patient_id } : {}),
      overall: verdict.overall,
      failing: verdict.failing,
      undecided: verdict.undecided,
      missing: verdict.missing,
      criteria: verdict.criteria.map(({ id, kind, truth, applicable, outcome }) => ({ id, kind, truth, applicable, outcome })),
    })
    return verdict
  }
  const criterionTruth = async (logic: Condition, patient: PatientRecord) => (await both(protocolWith([inclusion(logic)]), patient)).criteria[0]!.truth

  it('names itself and says whether it answers now or later', () => {
    const evaluator = backend.evaluatorOf(compileProtocol(protocolWith([inclusion(att('a1'))])))
    expect(evaluator).toMatchObject({ backend: name, mode: backend.mode })
    expect(evaluator.evaluate(patientWith({ a1: true })) instanceof Promise).toBe(backend.mode === 'async')
  })

  it('prepares a compiled protocol once', () => {
    const compiled = compileProtocol(protocolWith([inclusion(att('a1'))]))
    expect(backend.evaluatorOf(compiled)).toBe(backend.evaluatorOf(compiled))
  })

  describe.each(shippedProtocols().map(p => [p.file, p] as const))('%s example patients', (_file, p) => {
    const compiled = compileProtocol(p.doc)
    it.each(p.examples!.examples.map(e => [e.id, e] as const))('%s', async (id, example) => {
      const patient = examplePatient(p.examples!, id)
      const verdict = await backend.evaluatorOf(compiled).evaluate(patient)
      expect(verdict.overall).toBe(example.expect.overall)
      for (const [criterion, truth] of Object.entries(example.expect.criteria ?? {})) {
        expect(verdict.criteria.find(c => c.id === criterion)?.truth, criterion).toBe(truth)
      }
      const screened = await backend.evaluatorOf(compiled).screen(patient)
      expect(screened.overall).toBe(example.expect.overall)
      // some criteria alone, asked out of order: the same results, explanations included, in protocol order
      const ids = compiled.criteria.map(c => c.id).filter((_, i) => i % 3 !== 1)
      const some = await backend.evaluatorOf(compiled).explainCriteria(patient, new Set([...ids].reverse()))
      expect(some).toEqual(verdict.criteria.filter(c => ids.includes(c.id)))
      expect(await backend.evaluatorOf(compiled).explainCriteria(patient, new Set())).toEqual([])
    })
  })

  describe('unknown is never a pass', () => {
    it('a missing answer does not pass "is: false" (json-rules-engine notEqual would): unknown, naming it', async () => {
      const v = await both(protocolWith([exclusion({ attestation: 'a1', is: false })]), patientWith({}))
      expect(v.criteria[0]).toMatchObject({ truth: 'unknown', outcome: 'unknown' })
      expect(v).toMatchObject({
        overall: 'undetermined',
        undecided: ['EX01'],
        missing: [{ key: 'attestations.a1', description: 'investigator attestation: a1?' }],
      })
    })
    it.each([
      { a1: T, want: 'not_met', outcome: 'pass' },
      { a1: F, want: 'met', outcome: 'fail' },
    ] as const)('and answered, it decides: a1 = $a1 -> $want', async ({ a1, want, outcome }) => {
      const v = await both(protocolWith([exclusion({ attestation: 'a1', is: false })]), patientWith({ a1 }))
      expect(v.criteria[0]).toMatchObject({ truth: want, outcome })
    })
    it('a missing measurement leaves every comparison unknown, not false', async () => {
      for (const op of ['>', '>=', '<', '<=', '==', '!='] as const) {
        expect(await criterionTruth(upcr(op, 1), { dates: { screening: '2026-01-05' }, measurements: [] }), op).toBe('unknown')
      }
    })
  })

  describe('each operator on both sides of its threshold', () => {
    const at = (value: number): PatientRecord => ({
      dates: { screening: '2026-01-05' },
      measurements: [{ concept: 'urine_protein_creatinine_ratio', value, unit: 'g/g', date: '2026-01-04' }],
    })
    it.each([
      ['>', 1.01, 'met'],
      ['>', 1, 'not_met'],
      ['>=', 1, 'met'],
      ['>=', 0.99, 'not_met'],
      ['<', 0.99, 'met'],
      ['<', 1, 'not_met'],
      ['<=', 1, 'met'],
      ['<=', 1.01, 'not_met'],
      ['==', 1, 'met'],
      ['==', 1.01, 'not_met'],
      ['!=', 1.01, 'met'],
      ['!=', 1, 'not_met'],
    ] as const)('UPCR %s 1 g/g with %s g/g -> %s', async (op, value, want) => {
      expect(await criterionTruth(upcr(op, 1), at(value))).toBe(want)
    })
    it('converts units before comparing: 113.12 mg/mmol is 1 g/g', async () => {
      const mgPerMmol = {
        dates: { screening: '2026-01-05' },
        measurements: [{ concept: 'urine_protein_creatinine_ratio', value: 113.2, unit: 'mg/mmol', date: '2026-01-04' }],
      }
      expect(await criterionTruth(upcr('>', 1), mgPerMmol)).toBe('met')
    })
    it.each([
      ['2008-01-05', 'met'], // 18th birthday on the screening day: exactly 18
      ['2008-01-06', 'not_met'],
    ])('age >= 18 at screening, born %s -> %s', async (birth_date, want) => {
      expect(await criterionTruth({ age: { at: 'screening', op: '>=', years: 18, basis: 'exact' } }, { birth_date, dates: { screening: '2026-01-05' } })).toBe(
        want,
      )
    })
    it.each([
      ['2025-07-21', 'met'], // stopped 168 days before screening: inside 24 weeks, both ends inclusive
      ['2025-07-20', 'not_met'],
    ])('exists / none: rituximab within 24 weeks, stopped %s -> %s, and its negation the other way', async (stop, want) => {
      const patient: PatientRecord = { dates: { screening: '2026-01-05' }, medications: [{ drug: 'rituximab', start: '2025-07-07', stop }] }
      const taken: Condition = { medication: { items: ['rituximab'], window: { weeks: 24, before: 'screening' } } }
      expect(await criterionTruth(taken, patient)).toBe(want)
      expect(await criterionTruth({ not: taken }, patient)).toBe(want === 'met' ? 'not_met' : 'met')
    })
    it('an unrecorded medications section leaves exists and none unknown', async () => {
      const taken: Condition = { medication: { items: ['rituximab'], window: { weeks: 24, before: 'screening' } } }
      expect(await criterionTruth(taken, { dates: { screening: '2026-01-05' } })).toBe('unknown')
      expect(await criterionTruth({ not: taken }, { dates: { screening: '2026-01-05' } })).toBe('unknown')
    })
  })

  describe('Kleene connectives', () => {
    it.each([
      [T, T, T, T],
      [T, F, F, T],
      [F, U, F, U],
      [T, U, U, T],
      [U, U, U, U],
      [F, F, F, F],
    ])('all / any (%s, %s) = %s / %s', async (a1, a2, all, any) => {
      expect(await criterionTruth({ all: [att('a1'), att('a2')] }, patientWith({ a1, a2 }))).toBe(truthOf(all))
      expect(await criterionTruth({ any: [att('a1'), att('a2')] }, patientWith({ a1, a2 }))).toBe(truthOf(any))
    })
    it.each([
      [T, F],
      [F, T],
      [U, U],
    ])('not(%s) = %s', async (a1, want) => {
      expect(await criterionTruth({ not: att('a1') }, patientWith({ a1 }))).toBe(truthOf(want))
    })
    it.each([
      { values: { a1: T, a2: T, a3: F }, want: 'met', negated: 'not_met' },
      { values: { a1: T, a2: F, a3: F }, want: 'not_met', negated: 'met' },
      { values: { a1: T, a2: F, a3: U }, want: 'unknown', negated: 'unknown' }, // 1 met + 1 open could reach 2
      { values: { a1: F, a2: F, a3: U }, want: 'not_met', negated: 'met' }, // 0 met + 1 open cannot
      { values: { a1: T, a2: T, a3: U }, want: 'met', negated: 'not_met' },
    ])('at_least 2 of 3 with $values -> $want, its negation $negated', async ({ values, want, negated }) => {
      const logic: Condition = { at_least: { n: 2, of: [att('a1'), att('a2'), att('a3')] } }
      expect(await criterionTruth(logic, patientWith(values))).toBe(want)
      expect(await criterionTruth({ not: logic }, patientWith(values))).toBe(negated)
    })
    it('at_least inside at_least: each member explained under its own rule', async () => {
      const logic: Condition = { at_least: { n: 1, of: [{ at_least: { n: 2, of: [att('a1'), att('a2')] } }, att('a3')] } }
      const v = await both(protocolWith([inclusion(logic)]), patientWith({ a1: true, a2: true, a3: false }))
      expect(v.criteria[0]!.truth).toBe('met')
      expect(v.criteria[0]!.explanation.children![0]).toMatchObject({ kind: 'at_least', truth: 'met', detail: '2 of 2 met, 0 unknown; 2 needed' })
    })
  })

  describe('either: decided on what was measured', () => {
    const upcrLt = upcr('<', 0.5)
    const p24: Condition = { measurement: { concept: 'urine_protein_24h', op: '<', value: 0.5, unit: 'g/(24.h)', window: { days: 28, before: 'screening' } } }
    const patient = (values: { upcr?: number; p24?: number }): PatientRecord => ({
      dates: { screening: '2026-01-05' },
      measurements: [
        ...(values.upcr !== undefined ? [{ concept: 'urine_protein_creatinine_ratio', value: values.upcr, unit: 'g/g', date: '2026-01-05' }] : []),
        ...(values.p24 !== undefined ? [{ concept: 'urine_protein_24h', value: values.p24, unit: 'g/(24.h)', date: '2026-01-05' }] : []),
      ],
    })
    it.each([
      { values: { upcr: 0.4 }, want: 'met' },
      { values: { upcr: 0.5 }, want: 'not_met' },
      { values: { p24: 0.49 }, want: 'met' },
      { values: { upcr: 0.8, p24: 0.3 }, want: 'met' },
      { values: { upcr: 0.8, p24: 0.6 }, want: 'not_met' },
      { values: {}, want: 'unknown' },
    ])('$values -> $want', async ({ values, want }) => {
      expect(await criterionTruth({ either: [upcrLt, p24] }, patient(values))).toBe(want)
    })
  })

  describe('applies_if', () => {
    const doc = (kind: 'inclusion' | 'exclusion') =>
      protocolWith([{ ...(kind === 'inclusion' ? inclusion(att('a1')) : exclusion(att('a1'))), applies_if: att('a2') }])
    it.each([
      ['inclusion', { a2: F }, 'met', 'not_met', 'pass'], // nothing to satisfy
      ['inclusion', { a1: F, a2: T }, 'not_met', 'met', 'fail'],
      ['inclusion', { a1: F }, 'unknown', 'unknown', 'unknown'],
      ['exclusion', { a1: T, a2: F }, 'not_met', 'not_met', 'pass'], // nothing excludes
      ['exclusion', { a1: T, a2: T }, 'met', 'met', 'fail'],
      ['exclusion', { a1: T }, 'unknown', 'unknown', 'unknown'],
    ] as const)('%s with %o: truth %s, applicable %s, %s', async (kind, values, truth, applicable, outcome) => {
      const v = await both(doc(kind), patientWith(values))
      expect(v.criteria[0]).toMatchObject({ truth, applicable, outcome })
    })
  })

  it('agrees with an independent Kleene evaluator on 100 random formulas', async () => {
    await fc.assert(
      fc.asyncProperty(formula, values, async (f, v) => {
        expect(await criterionTruth(toCondition(f), patientWith(v))).toBe(truthOf(kleene(f, v)))
      }),
      { numRuns: 100, seed: 18 },
    )
  })
})

function upcr(op: '>' | '>=' | '<' | '<=' | '==' | '!=', value: number): Condition {
  return { measurement: { concept: 'urine_protein_creatinine_ratio', op, value, unit: 'g/g', window: { days: 28, before: 'screening' } } }
}

type Formula =
  | { k: 'leaf'; name: (typeof ATTESTATIONS)[number] }
  | { k: 'all' | 'any'; xs: Formula[] }
  | { k: 'not'; x: Formula }
  | { k: 'atLeast'; n: number; xs: Formula[] }

function kleene(f: Formula, v: Record<string, V>): V {
  const xs = 'xs' in f ? f.xs.map(x => kleene(x, v)) : []
  switch (f.k) {
    case 'leaf':
      return v[f.name]
    case 'not': {
      const x = kleene(f.x, v)
      return x === undefined ? undefined : !x
    }
    case 'all':
      return xs.includes(false) ? false : xs.every(x => x === true) ? true : undefined
    case 'any':
      return xs.includes(true) ? true : xs.every(x => x === false) ? false : undefined
    case 'atLeast': {
      const yes = xs.filter(x => x === true).length
      const open = xs.filter(x => x === undefined).length
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

const formula = fc.letrec<{ f: Formula }>(tie => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ k: fc.constant('leaf' as const), name: fc.constantFrom(...ATTESTATIONS) }),
    fc.record({ k: fc.constantFrom('all' as const, 'any' as const), xs: fc.array(tie('f'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ k: fc.constant('not' as const), x: tie('f') }),
    fc
      .array(tie('f'), { minLength: 1, maxLength: 4 })
      .chain(xs => fc.record({ k: fc.constant('atLeast' as const), n: fc.integer({ min: 1, max: xs.length }), xs: fc.constant(xs) })),
  ),
})).f

const values = fc.record(Object.fromEntries(ATTESTATIONS.map(a => [a, fc.constantFrom<V>(true, false, undefined)])) as Record<string, fc.Arbitrary<V>>)
