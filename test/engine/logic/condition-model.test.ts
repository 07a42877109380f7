import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Condition } from '../../../engine/index.ts'
import {
  childPath,
  childrenOf,
  CONDITION_KINDS,
  conditionKind,
  EVENT_KINDS,
  eventSelector,
  GROUP_KINDS,
  isEventKind,
  isGroupKind,
  measurementThreshold,
  someCondition,
  visitCondition,
  walkCondition,
  type ConditionKind,
  type ConditionVisitor,
} from '../../../engine/logic/condition-model.ts'

const SCHEMA = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'engine', 'schema', 'protocol.schema.json'), 'utf8')) as {
  $defs: Record<string, { required?: string[]; oneOf?: Array<{ $ref: string }> }>
}
/** The node kinds the schema admits: the first required key of each `condition` alternative. */
const schemaKinds = (SCHEMA.$defs.condition?.oneOf ?? []).map(({ $ref }) => SCHEMA.$defs[$ref.replace('#/$defs/', '')]?.required?.[0])

const a1: Condition = { attestation: 'a1', is: true }
const a2: Condition = { attestation: 'a2', is: false }
const upcr: Condition = { measurement: { concept: 'urine_protein_creatinine_ratio', op: '<', value: 0.5, unit: 'g/g' } }

/** One node per kind; groups hold `a1`, `a2` (or `upcr` for either). */
const SAMPLES: Record<ConditionKind, Condition> = {
  all: { all: [a1, a2] },
  any: { any: [a1, a2] },
  not: { not: a1 },
  at_least: { at_least: { n: 1, of: [a1, a2] } },
  either: { either: [upcr, { measurement: { concept: 'urine_protein_24h', op: '<', value: 0.5, unit: 'g/(24.h)' } }] },
  measurement: upcr,
  age: { age: { at: 'screening', op: '>=', years: 18, basis: 'exact' } },
  fact: { fact: 'pregnant', is: false },
  attestation: a1,
  parameter: { parameter: 'strict', is: true },
  medication: { medication: { classes: ['glucocorticoid'], event: 'dose_change' } },
  condition: { condition: { classes: ['infection'], severity: ['severe'] } },
  procedure: { procedure: { items: ['plasmapheresis'], major: true } },
  vaccination: { vaccination: { classes: ['live_vaccine'] } },
  pregnancy_test: { pregnancy_test: { specimen: 'urine', result: 'negative' } },
  change: { change: { concept: 'serum_creatinine', from: 'baseline', measure: 'ratio', op: '>=', value: 2 } },
  steroid_dose: { steroid_dose: { at: 'current', op: '<=', value: 7.5 } },
  steroid_days: { steroid_days: { above_mg: 10, count: 'total', op: '>', value: 14, window: { days: 28, before: 'screening' } } },
  biopsy: { biopsy: { classes: ['IV'] } },
}

/** The children's segments each group kind must give (the paths diagnostics and rule names are built from). */
const CHILD_SEGMENTS: Record<(typeof GROUP_KINDS)[number], Array<Array<string | number>>> = {
  all: [
    ['all', 0],
    ['all', 1],
  ],
  any: [
    ['any', 0],
    ['any', 1],
  ],
  not: [['not']],
  at_least: [
    ['at_least', 'of', 0],
    ['at_least', 'of', 1],
  ],
  either: [
    ['either', 0],
    ['either', 1],
  ],
}

describe('the condition model: kinds', () => {
  it('lists exactly the kinds the schema admits', () => {
    expect([...CONDITION_KINDS].sort()).toEqual([...schemaKinds].sort())
  })

  it.each(CONDITION_KINDS)('%s: a sample has that kind', kind => {
    expect(conditionKind(SAMPLES[kind])).toBe(kind)
    expect(isGroupKind(kind)).toBe((GROUP_KINDS as readonly string[]).includes(kind))
    expect(isEventKind(kind)).toBe((EVENT_KINDS as readonly string[]).includes(kind))
  })

  it('a shape the language does not have has no kind, no children, and is skipped by the walk', () => {
    const odd = { frobnicate: 1 } as unknown as Condition
    expect(conditionKind(odd)).toBeUndefined()
    expect(childrenOf(odd)).toEqual([])
    const seen: string[] = []
    walkCondition({ all: [odd, a1] }, v => void seen.push(v.kind))
    expect(seen).toEqual(['all', 'attestation'])
  })
})

describe('the condition model: children and paths', () => {
  it.each(CONDITION_KINDS)('%s: its children and their segments', kind => {
    const children = childrenOf(SAMPLES[kind])
    if (!isGroupKind(kind)) return expect(children).toEqual([])
    expect(children.map(c => c.at)).toEqual(CHILD_SEGMENTS[kind])
    // the segments lead to the child in the node itself
    for (const c of children) {
      const found = c.at.reduce<unknown>((x, s) => (x as Record<string | number, unknown>)[s], SAMPLES[kind])
      expect(found).toBe(c.node)
    }
  })

  it('formats child paths as the rule names and explanations write them', () => {
    expect(childPath('logic', ['all', 0])).toBe('logic.all[0]')
    expect(childPath('logic.any[1]', ['at_least', 'of', 2])).toBe('logic.any[1].at_least.of[2]')
    expect(childPath('applies_if', ['not'])).toBe('applies_if.not')
    expect(childPath('logic', ['either', 1])).toBe('logic.either[1]')
  })

  it('walks every node of every kind, parents first, with its segments (either alternatives included)', () => {
    const tree: Condition = { all: [SAMPLES.not, { at_least: { n: 1, of: [SAMPLES.either, a2] } }, { any: [SAMPLES.age] }] }
    const seen: Array<[string, string]> = []
    walkCondition(tree, v => void seen.push([v.kind, v.at.join('.')]), ['criteria', 0, 'logic'])
    expect(seen).toEqual([
      ['all', 'criteria.0.logic'],
      ['not', 'criteria.0.logic.all.0'],
      ['attestation', 'criteria.0.logic.all.0.not'],
      ['at_least', 'criteria.0.logic.all.1'],
      ['either', 'criteria.0.logic.all.1.at_least.of.0'],
      ['measurement', 'criteria.0.logic.all.1.at_least.of.0.either.0'],
      ['measurement', 'criteria.0.logic.all.1.at_least.of.0.either.1'],
      ['attestation', 'criteria.0.logic.all.1.at_least.of.1'],
      ['any', 'criteria.0.logic.all.2'],
      ['age', 'criteria.0.logic.all.2.any.0'],
    ])
  })

  it("skips a node's children when asked", () => {
    const seen: string[] = []
    walkCondition({ any: [SAMPLES.all, a1] }, v => {
      seen.push(v.kind)
      return v.kind === 'all' ? 'skip' : undefined
    })
    expect(seen).toEqual(['any', 'all', 'attestation'])
  })

  it('someCondition finds a kind at any depth, the root included, and not where it is absent', () => {
    const isEither = (v: { kind: ConditionKind }) => v.kind === 'either'
    expect(someCondition(SAMPLES.either, isEither)).toBe(true)
    expect(someCondition({ not: { any: [a1, { at_least: { n: 1, of: [SAMPLES.either] } }] } }, isEither)).toBe(true)
    expect(someCondition({ not: { any: [a1, SAMPLES.all] } }, isEither)).toBe(false)
  })
})

describe('the condition model: dispatch by kind', () => {
  // every handler answers its own kind and the path it was given
  const visitor = Object.fromEntries(CONDITION_KINDS.map(k => [k, (_node: Condition, path: string) => `${k}@${path}`])) as unknown as ConditionVisitor<
    string,
    [string]
  >

  it.each(CONDITION_KINDS)('%s goes to its own handler, with the arguments', kind => {
    expect(visitCondition(SAMPLES[kind], visitor, ['logic'])).toBe(`${kind}@logic`)
  })

  it('a shape the language does not have goes to the fallback, or throws naming its keys', () => {
    const odd = { frobnicate: 1, label: 'x' } as unknown as Condition
    expect(visitCondition(odd, visitor, ['logic'], () => 'fallback')).toBe('fallback')
    expect(() => visitCondition(odd, visitor, ['logic'])).toThrow(/keys frobnicate, label/)
  })

  it('gives each event leaf its selector', () => {
    expect(eventSelector(SAMPLES.medication as never)).toEqual({ classes: ['glucocorticoid'], event: 'dose_change' })
    expect(eventSelector(SAMPLES.condition as never)).toEqual({ classes: ['infection'], severity: ['severe'] })
    expect(eventSelector(SAMPLES.procedure as never)).toEqual({ items: ['plasmapheresis'], major: true })
    expect(eventSelector(SAMPLES.vaccination as never)).toEqual({ classes: ['live_vaccine'] })
  })

  it('reads a measurement threshold: a number or parameter, a category, a multiple of the upper limit of normal', () => {
    expect(measurementThreshold(1.5)).toEqual({ kind: 'number', value: 1.5 })
    expect(measurementThreshold({ param: 'limit' })).toEqual({ kind: 'number', value: { param: 'limit' } })
    expect(measurementThreshold('positive')).toEqual({ kind: 'category', value: 'positive' })
    expect(measurementThreshold({ times_upper_limit: 3 })).toEqual({ kind: 'times_upper_limit', factor: 3 })
  })
})
