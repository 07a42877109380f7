import { describe, expect, it } from 'vitest'
import type { RuleProperties } from 'json-rules-engine'
import { compileFast, compileProtocol, compileRuleSet, evaluateFast, FastCompileError, fastPathOf, type FastProtocol, type PatientRecord } from '../../../engine/index.ts'
import { buildEnginePair } from '../../../engine/evaluate/engine-pair.ts'
import { beginRecord } from '../../../engine/fast/compile-fast.ts'
import type { RuleSet } from '../../../engine/compile/to-rules.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

// the fact context (parameters, dictionary) of a real protocol; rules below are hand-written
const compiled = compileProtocol(shippedProtocol('NCT05631717').doc)
const ctx = { doc: compiled.document, params: compiled.parameters, dictionary: compiled.dictionary, run: {} }

const acr = (item: string) => ({ name: item, fact: 'record', params: { name: `acr_1997.${item}` }, operator: 'eq', value: true })
const rule = (name: string, conditions: unknown, extra: Partial<RuleProperties> = {}): RuleProperties =>
  ({ name, priority: 1, conditions, event: { type: 'criterion', params: {} }, ...extra }) as RuleProperties
const patient = (items: Record<string, boolean | undefined>): PatientRecord => ({ acr_1997: items as PatientRecord["acr_1997"] })

/** Each rule's two-run bits on the fast path: 3 true, 0 false, 2 unknown, 1 (lower true, upper false). */
function fastBits(set: RuleSet, p: PatientRecord): Record<string, number> {
  const fast = compileRuleSet(set, ctx)
  const s = beginRecord(fast.newState(), p, null)
  return Object.fromEntries(fast.rules.map((r) => [r.name, r.run(s)]))
}

/** The same from json-rules-engine's two runs. */
async function jreBits(set: RuleSet, p: PatientRecord): Promise<Record<string, number>> {
  const { lower, upper } = await buildEnginePair(compiled, set).run(p)
  const bits: Record<string, number> = {}
  for (const r of [...lower.results, ...lower.failureResults]) bits[r.name] = (bits[r.name] ?? 0) | (r.result ? 1 : 0)
  for (const r of [...upper.results, ...upper.failureResults]) bits[r.name] = (bits[r.name] ?? 0) | (r.result ? 2 : 0)
  return bits
}

describe('compileRuleSet: each node kind, as json-rules-engine runs it', () => {
  const set: RuleSet = {
    counters: [],
    rules: [
      rule('leaf', { all: [acr('malar_rash')] }),
      rule('all', { all: [acr('malar_rash'), acr('arthritis')] }),
      rule('any', { any: [acr('malar_rash'), acr('arthritis')] }),
      rule('not', { not: acr('malar_rash') }),
      // not Kleene: json-rules-engine's two runs make "x or not x" true when x is unknown, and so must we
      rule('excluded_middle', { any: [acr('malar_rash'), { not: acr('malar_rash') }] }),
      rule('empty_all', { all: [] }),
      rule('empty_any', { any: [] }),
      rule('path_root', { all: [{ fact: 'record', params: { name: 'acr_1997.serositis' }, path: '$', operator: 'eq', value: true }] }),
      // a path into the Evidence leaves the operator no Evidence to read: unknown
      rule('path_known', { all: [{ fact: 'record', params: { name: 'acr_1997.serositis' }, path: '$.known', operator: 'eq', value: true }] }),
    ],
  }

  it.each([
    { items: { malar_rash: true, arthritis: true }, want: { leaf: 3, all: 3, any: 3, not: 0, excluded_middle: 3 } },
    { items: { malar_rash: true, arthritis: false }, want: { leaf: 3, all: 0, any: 3, not: 0 } },
    { items: { malar_rash: false, arthritis: false }, want: { leaf: 0, all: 0, any: 0, not: 3, excluded_middle: 3 } },
    // missing data is unknown (2), never false
    { items: { arthritis: true }, want: { leaf: 2, all: 2, any: 3, not: 1, excluded_middle: 3 } },
    { items: { arthritis: false }, want: { leaf: 2, all: 0, any: 2 } },
    { items: {}, want: { leaf: 2, all: 2, any: 2, empty_all: 3, empty_any: 3 } },
  ])('$items -> $want, equal to json-rules-engine', async ({ items, want }) => {
    const got = fastBits(set, patient(items))
    expect(got).toMatchObject(want)
    expect(got).toEqual(await jreBits(set, patient(items)))
  })

  it.each([
    { items: { serositis: true }, want: { path_root: 3, path_known: 2 } },
    { items: { serositis: false }, want: { path_root: 0, path_known: 2 } },
    { items: {}, want: { path_root: 2, path_known: 2 } },
  ])('a plain JSONPath ($, $.a.b) reads the fact value as json-rules-engine does: $items -> $want', async ({ items, want }) => {
    const got = fastBits(set, patient(items))
    expect(got).toMatchObject(want)
    expect(got).toEqual(await jreBits(set, patient(items)))
  })
})

describe('at_least: member rules feed a counter read at a lower priority', () => {
  const counter = 'count:T:logic'
  const member = (item: string) => rule(`T:${item}`, { all: [acr(item)] }, { priority: 2, event: { type: 'at_least_member', params: { counter } } })
  const set: RuleSet = {
    counters: [counter],
    rules: [member('malar_rash'), member('arthritis'), member('serositis'), rule('T', { all: [{ name: 'logic', fact: counter, operator: 'count_gte', value: 2 }] })],
  }

  it.each([
    { items: { malar_rash: true, arthritis: true }, want: 3 }, // 2 met: met whatever the third
    { items: { malar_rash: true, arthritis: false, serositis: false }, want: 0 }, // 1 met, none open
    { items: { malar_rash: true, arthritis: false }, want: 2 }, // 1 met, 1 open: could reach 2
    { items: { malar_rash: false, arthritis: false }, want: 0 }, // 0 met, 1 open: cannot reach 2
    { items: {}, want: 2 },
  ])('2 of 3 with $items -> $want, equal to json-rules-engine', async ({ items, want }) => {
    const got = fastBits(set, patient(items))
    expect(got.T).toBe(want)
    expect(got).toEqual(await jreBits(set, patient(items)))
  })

  it('a counter read before its members are done is a compile error, not a different answer', () => {
    const early = { ...set, rules: [...set.rules.slice(0, 3), rule('T', { all: [{ fact: counter, operator: 'count_gte', value: 2 }] }, { priority: 2 })] }
    expect(() => compileRuleSet(early, ctx)).toThrow(FastCompileError)
    expect(() => compileRuleSet(early, ctx)).toThrow(/counter count:T:logic is read at priority 2/)
  })
})

describe('shapes the closures cannot reproduce exactly are compile errors naming the rule', () => {
  const one = (conditions: unknown, extra: Partial<RuleProperties> = {}): RuleSet => ({ counters: [], rules: [rule('R1', conditions, extra)] })
  it.each([
    { why: 'a shared condition reference', set: one({ all: [{ condition: 'shared' }] }), message: /rule R1 at .*shared condition references/ },
    { why: "a json-rules-engine built-in operator we do not register as ours", set: one({ all: [{ fact: 'record', params: { name: 'sex' }, operator: 'equal', value: 'female' }] }), message: /operator "equal" is not one of ours/ },
    { why: 'an undefined fact', set: one({ all: [{ fact: 'nope', operator: 'eq', value: 1 }] }), message: /undefined fact "nope"/ },
    { why: 'a JSONPath beyond plain steps', set: one({ all: [{ fact: 'record', params: { name: 'sex' }, path: '$..value', operator: 'eq', value: 1 }] }), message: /path "\$\.\.value" is not a plain property path/ },
    { why: 'an event type with no fast-path meaning', set: one({ all: [] }, { event: { type: 'send_email' } }), message: /event type "send_email"/ },
    { why: 'a leaf without a value', set: one({ all: [{ fact: 'record', params: { name: 'sex' }, operator: 'eq' }] }), message: /needs "value"/ },
    { why: 'duplicate rule names', set: { counters: [], rules: [rule('R1', { all: [] }), rule('R1', { any: [] })] }, message: /rule R1: duplicate rule name/ },
  ])('$why', ({ set, message }) => {
    let error: unknown
    try {
      compileRuleSet(set, ctx)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(FastCompileError)
    expect(error).toMatchObject({ code: 'E_FAST_UNSUPPORTED', message: expect.stringMatching(message) as unknown })
  })
})

describe('fastPathOf: compiled once per compiled protocol', () => {
  it('gives the same fast path every time, evaluating as compileFast does', () => {
    const again = compileProtocol(shippedProtocol('NCT05631717').doc)
    const fast = fastPathOf(again)
    expect(fastPathOf(again)).toBe(fast)
    expect(fast).not.toBeInstanceOf(FastCompileError)
    const patient = shippedProtocol('NCT05631717').examples!.base_patient
    expect(evaluateFast(fast as FastProtocol, patient)).toEqual(evaluateFast(compileFast(again), patient))
  })
  it('keeps and returns the FastCompileError of rules it cannot compile (never throws it)', () => {
    const refused = { ...compiled, rules: [rule('R1', { all: [{ condition: 'shared' }] })], counters: [] }
    const first = fastPathOf(refused)
    expect(first).toBeInstanceOf(FastCompileError)
    expect(fastPathOf(refused)).toBe(first)
  })
})

describe('evaluateFast on a protocol', () => {
  const fast = compileFast(compiled)
  it('reuses its state record after record without leaking evidence between them', () => {
    const examples = shippedProtocol('NCT05631717').examples!
    const eligible = examples.base_patient
    const young = { ...eligible, birth_date: '2010-01-01' }
    expect(evaluateFast(fast, eligible).overall).toBe('eligible')
    expect(evaluateFast(fast, young)).toMatchObject({ overall: 'ineligible', failing: ['IN02'] })
    expect(evaluateFast(fast, eligible).overall).toBe('eligible')
  })
  it('lists the data still needed only when asked, and only for undecided records', () => {
    const noSledai = { ...shippedProtocol('NCT05631717').examples!.base_patient, sledai_2k: [] }
    expect(evaluateFast(fast, noSledai)).not.toHaveProperty('missing')
    const v = evaluateFast(fast, noSledai, { missing: true })
    expect(v).toMatchObject({ overall: 'undetermined', undecided: ['IN03'] })
    expect(v.missing!.map((m) => m.key)).toEqual(['measurement:sledai_2k_score'])
    expect(evaluateFast(fast, shippedProtocol('NCT05631717').examples!.base_patient, { missing: true }).missing).toEqual([])
  })
})
