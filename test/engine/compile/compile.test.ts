import { describe, expect, it } from 'vitest'
import { compileProtocol, evaluateEligibility, type Condition } from '../../../engine/index.ts'
import { att, inclusion, patientWith, protocolWith } from '../../helpers/protocol-builder.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const upcrAbove = (value: number): Condition => ({
  measurement: { concept: 'urine_protein_creatinine_ratio', op: '>', value, unit: 'g/g', window: { days: 28, before: 'screening' } },
})

describe('compileProtocol', () => {
  it('emits plain-JSON json-rules-engine rules, one per criterion part', () => {
    const { rules } = compileProtocol(shippedProtocol('NCT05631717').doc)
    expect(JSON.parse(JSON.stringify(rules))).toEqual(rules)
    const names = rules.map(r => r.name)
    expect(names).toContain('IN01')
    expect(names).toContain('IN06:applies_if')
    expect(rules.find(r => r.name === 'EX01a')).toMatchObject({
      priority: 1,
      event: { type: 'criterion', params: { criterion: 'EX01a', part: 'logic' } },
      conditions: { all: [{ name: 'logic', fact: 'medication', operator: 'exists', value: true }] },
    })
  })

  it('compiles a comparison to a unit-aware measurement condition', () => {
    const { rules } = compileProtocol(protocolWith([inclusion(upcrAbove(1))]))
    expect(rules[0]!.conditions).toEqual({
      all: [
        {
          name: 'logic',
          fact: 'measurement',
          params: {
            concept: 'urine_protein_creatinine_ratio',
            unit: 'g/g',
            window: { kind: 'range', ref: 'screening', days: 28, span: { days: 28 } },
            select: 'latest',
          },
          operator: 'gt',
          value: 1,
        },
      ],
    })
  })

  it('pushes `not` down to the leaves (negation normal form) and says so in the label', () => {
    const compiled = compileProtocol(protocolWith([inclusion({ not: { all: [upcrAbove(1), att('a1')] } })]))
    const top = compiled.rules[0]!.conditions as { any: Array<{ operator: string }> }
    expect(top.any.map(c => c.operator)).toEqual(['lte', 'ne'])
    expect(compiled.criteria[0]!.logic.kind).toBe('any')
    expect(compiled.criteria[0]!.logic.label).toMatch(/^not \(/)
  })

  it('turns at_least members into higher-priority rules feeding a counter', () => {
    const logic: Condition = { at_least: { n: 1, of: [att('a1'), { at_least: { n: 2, of: [att('a2'), att('a3')] } }] } }
    const { rules, counters } = compileProtocol(protocolWith([inclusion(logic)]))
    expect(counters).toEqual(['count:IN01:logic', 'count:IN01:logic.at_least.of[1]'])
    const byName = Object.fromEntries(rules.map(r => [r.name, r]))
    expect(byName['IN01:logic.at_least.of[0]']).toMatchObject({ priority: 2, event: { type: 'at_least_member', params: { counter: 'count:IN01:logic' } } })
    // members of the nested at_least run before the member that counts them
    expect(byName['IN01:logic.at_least.of[1].at_least.of[0]']).toMatchObject({ priority: 3 })
    expect(byName.IN01!.conditions).toMatchObject({ all: [{ fact: 'count:IN01:logic', operator: 'count_gte', value: 1 }] })
  })

  it('resolves { param } references', () => {
    const doc = protocolWith(
      [
        inclusion({
          measurement: { concept: 'sledai_2k_score', op: '>=', value: { param: 'min' }, window: { days: { param: 'lookback' }, before: 'screening' } },
        }),
      ],
      {
        parameters: { min: { value: 6, rationale: 'test' }, lookback: { value: 14, rationale: 'test' } },
      },
    )
    const rule = compileProtocol(doc).rules[0]!
    expect(rule.conditions).toMatchObject({ all: [{ value: 6, params: { window: { days: 14 } } }] })
  })

  it('leaves the compiled rules untouched by evaluation (json-rules-engine gets copies)', async () => {
    const compiled = compileProtocol(protocolWith([inclusion({ all: [att('a1'), att('a2')] })]))
    const before = JSON.stringify(compiled.rules)
    await evaluateEligibility(compiled, patientWith({ a1: true }))
    expect(JSON.stringify(compiled.rules)).toBe(before)
  })
})
