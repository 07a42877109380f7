/**
 * The semantic checks and the linter walk conditions through the condition
 * model: a rule on a leaf reaches it under every kind of group (either
 * included), and every leaf kind has its own checks.
 */
import { describe, expect, it } from 'vitest'
import type { Condition, DiagnosticCode } from '../../../engine/index.ts'
import { defaultDictionary } from '../../../engine/dictionary/index.ts'
import { checkProtocol } from '../../../engine/semantic/check-protocol.ts'
import { lintProtocol } from '../../../engine/semantic/lint-protocol.ts'
import { CONDITION_KINDS, GROUP_KINDS, type LeafKind } from '../../../engine/logic/condition-model.ts'
import { inclusion, protocolWith } from '../../helpers/protocol-builder.ts'

type Segments = Array<string | number>

/** A group of each kind around `inner`, and the segments from the group to it. */
const WRAP: Record<(typeof GROUP_KINDS)[number], (inner: Condition) => [Condition, Segments]> = {
  all: inner => [{ all: [{ fact: 'pregnant', is: false }, inner] }, ['all', 1]],
  any: inner => [{ any: [inner] }, ['any', 0]],
  not: inner => [{ not: inner }, ['not']],
  at_least: inner => [{ at_least: { n: 1, of: [{ fact: 'pregnant', is: false }, inner] } }, ['at_least', 'of', 1]],
  either: inner => [{ either: [{ measurement: { concept: 'egfr', op: '<', value: 30, unit: 'mL/min/{1.73_m2}' } }, inner] }, ['either', 1]],
}

/** Per leaf kind: a leaf with a fault only the semantic checks see, the code, and where (below the leaf). */
const FAULTY: Record<LeafKind, { node: Condition; code: DiagnosticCode; at: Segments }> = {
  measurement: { node: { measurement: { concept: 'upcr', op: '>', value: 1, unit: 'g/g' } }, code: 'E_UNKNOWN_CONCEPT', at: ['measurement', 'concept'] },
  age: { node: { age: { at: 'enrolment', op: '>=', years: 18, basis: 'exact' } }, code: 'E_UNKNOWN_REFERENCE_DATE', at: ['age', 'at'] },
  fact: { node: { fact: 'pregnantt', is: false }, code: 'E_UNKNOWN_FACT', at: ['fact'] },
  attestation: { node: { attestation: 'nobody_asked', is: true }, code: 'E_UNKNOWN_ATTESTATION', at: ['attestation'] },
  parameter: { node: { parameter: 'undeclared', is: true }, code: 'E_UNKNOWN_PARAMETER', at: ['parameter'] },
  medication: { node: { medication: { set: 'no_such_set' } }, code: 'E_UNKNOWN_DEFINITION', at: ['medication', 'set'] },
  condition: { node: { condition: { classes: ['no_such_class'] } }, code: 'E_UNKNOWN_DICTIONARY_ENTRY', at: ['condition', 'classes', 0] },
  procedure: {
    node: { procedure: { items: ['plasmapheresis'], window: { days: 7, before: 'enrolment' } } },
    code: 'E_UNKNOWN_REFERENCE_DATE',
    at: ['procedure', 'window', 'before'],
  },
  vaccination: { node: { vaccination: { set: 'no_such_set' } }, code: 'E_UNKNOWN_DEFINITION', at: ['vaccination', 'set'] },
  pregnancy_test: {
    node: { pregnancy_test: { specimen: 'urine', result: 'negative', window: { planned: 'during_study' } } },
    code: 'E_SCHEMA_SHAPE',
    at: ['pregnancy_test', 'window'],
  },
  change: {
    node: {
      change: {
        concept: 'upcr',
        from: { window: { days: 90, before: 'screening' } },
        to: { window: { days: 7, before: 'screening' } },
        measure: 'ratio',
        op: '>=',
        value: 2,
      },
    },
    code: 'E_UNKNOWN_CONCEPT',
    at: ['change', 'concept'],
  },
  // eligibility logic is evaluated once, not at a visit
  steroid_dose: { node: { steroid_dose: { at: 'current', op: '<=', value: 7.5 } }, code: 'E_SCHEMA_SHAPE', at: ['steroid_dose'] },
  steroid_days: {
    node: { steroid_days: { above_mg: 10, count: 'total', op: '>', value: 14, window: { at: 'screening' } } },
    code: 'E_SCHEMA_SHAPE',
    at: ['steroid_days', 'window'],
  },
  biopsy: { node: { biopsy: { window: { months: 6, before: 'screening' } } }, code: 'E_SCHEMA_SHAPE', at: ['biopsy'] },
}

const ROOT: Segments = ['criteria', 0, 'logic']
const check = (logic: Condition) => checkProtocol(protocolWith([inclusion(logic)]), defaultDictionary)
const lint = (logic: Condition) => lintProtocol(protocolWith([inclusion(logic)]), defaultDictionary)

describe('semantic checks reach every kind', () => {
  it('the table covers every kind of the language', () => {
    expect([...GROUP_KINDS, ...Object.keys(FAULTY)].sort()).toEqual([...CONDITION_KINDS].sort())
  })

  it.each(Object.entries(FAULTY))('%s: its fault is reported at the leaf; the leaf without it is clean', (_kind, { node, code, at }) => {
    expect(check(node).map(i => [i.code, i.path])).toEqual([[code, [...ROOT, ...at]]])
    expect(check({ fact: 'pregnant', is: false })).toEqual([])
  })

  it.each(GROUP_KINDS)('%s: a faulty leaf inside it is reached, at its path', group => {
    const [node, to] = WRAP[group](FAULTY.fact.node)
    expect(check(node).map(i => [i.code, i.path])).toEqual([['E_UNKNOWN_FACT', [...ROOT, ...to, 'fact']]])
    // and the same group around a sound leaf is clean
    expect(check(WRAP[group]({ fact: 'pregnant', is: true })[0])).toEqual([])
  })

  it('group rules hold: either under not, a group as an either alternative, at_least over too few', () => {
    const either = WRAP.either({ fact: 'pregnant', is: true })[0]
    expect(check({ not: { all: [either] } }).map(i => [i.code, i.path])).toEqual([['E_SCHEMA_SHAPE', [...ROOT, 'not']]])
    expect(check({ either: [{ all: [FAULTY.fact.node] }] }).map(i => [i.code, i.path])).toEqual([['E_SCHEMA_SHAPE', [...ROOT, 'either', 0]]])
    expect(check({ at_least: { n: 3, of: [{ fact: 'pregnant', is: true }] } }).map(i => [i.code, i.path])).toEqual([
      ['E_SCHEMA_RANGE', [...ROOT, 'at_least', 'n']],
    ])
  })
})

describe('lint rules reach every kind of group', () => {
  const unitless: Condition = { measurement: { concept: 'serum_creatinine', op: '>', value: 1.5 } }
  const withUnit: Condition = { measurement: { concept: 'serum_creatinine', op: '>', value: 1.5, unit: 'mg/dL' } }
  const thresholds = (logic: Condition) =>
    lint(logic)
      .filter(w => w.code === 'W_THRESHOLD_WITHOUT_UNIT')
      .map(w => w.path)

  it.each(GROUP_KINDS)('%s: a unit-less threshold inside it gets W_THRESHOLD_WITHOUT_UNIT; one with a unit does not', group => {
    const [node, to] = WRAP[group](unitless)
    expect(thresholds(node)).toEqual([[...ROOT, ...to, 'measurement']])
    expect(thresholds(WRAP[group](withUnit)[0])).toEqual([])
  })

  it('either nested in other groups is walked too', () => {
    const [either, to] = WRAP.either(unitless)
    expect(thresholds({ any: [{ at_least: { n: 1, of: [either] } }] })).toEqual([[...ROOT, 'any', 0, 'at_least', 'of', 0, ...to, 'measurement']])
  })

  it.each(GROUP_KINDS)('%s: reference dates inside it count for W_MIXED_REFERENCE_DATES', group => {
    const fromRandomization: Condition = {
      measurement: { concept: 'serum_creatinine', op: '>', value: 1.5, unit: 'mg/dL', window: { days: 7, before: 'randomization' } },
    }
    const [node] = WRAP[group](fromRandomization)
    const mixed = (logic: Condition) =>
      lint(logic)
        .filter(w => w.code === 'W_MIXED_REFERENCE_DATES')
        .map(w => w.found)
    expect(mixed({ all: [{ age: { at: 'screening', op: '>=', years: 18, basis: 'exact' } }, node] })).toEqual(['screening and randomization'])
    expect(mixed({ all: [{ age: { at: 'randomization', op: '>=', years: 18, basis: 'exact' } }, node] })).toEqual([])
  })
})
