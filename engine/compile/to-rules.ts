/**
 * Intermediate nodes (in negation normal form) -> json-rules-engine rules.
 *
 * Every leaf becomes a condition on one of our facts with one of our
 * three-valued operators, named by its path so results can be mapped back to
 * the clause the designer wrote. `at_least` has no json-rules-engine
 * equivalent: each member becomes its own higher-priority rule whose success
 * increments a counter fact, and the parent compares the counter (rule
 * chaining through runtime facts, as json-rules-engine documents it).
 */
import type { RuleProperties, TopLevelCondition } from 'json-rules-engine'
import type { NnfNode } from './ir.ts'

/** A json-rules-engine condition as we emit it (plain JSON). */
export type RuleCondition =
  | { name?: string; fact: string; params?: Record<string, unknown>; operator: string; value: unknown }
  | { name?: string; all: RuleCondition[] }
  | { name?: string; any: RuleCondition[] }

export const COUNTER_PREFIX = 'count:'
export const EVENT_CRITERION = 'criterion'
export const EVENT_AT_LEAST_MEMBER = 'at_least_member'

export interface RuleSet {
  rules: RuleProperties[]
  /** Counter facts that must start at 0 on every run. */
  counters: string[]
}

/** Rule name of a criterion part: `IN01` (logic) or `IN01:applies_if`. */
export function ruleName(criterionId: string, part: 'logic' | 'applies_if'): string {
  return part === 'logic' ? criterionId : `${criterionId}:applies_if`
}

export function memberRuleName(criterionId: string, path: string): string {
  return `${criterionId}:${path}`
}

/**
 * Compile one criterion part to rules: the part's own rule (priority 1) plus
 * one rule per `at_least` member.
 */
export function partToRules(criterionId: string, part: 'logic' | 'applies_if', root: NnfNode, out: RuleSet): void {
  const conditions = toCondition(criterionId, root, 2, out)
  out.rules.push({
    name: ruleName(criterionId, part),
    priority: 1,
    conditions: topLevel(conditions),
    event: { type: EVENT_CRITERION, params: { criterion: criterionId, part } },
  })
}

function topLevel(c: RuleCondition): TopLevelCondition {
  // json-rules-engine needs all/any/not at the top; an unnamed wrapper is transparent to explanations
  const top = 'all' in c || 'any' in c ? c : { all: [c] }
  return top as TopLevelCondition
}

function toCondition(criterionId: string, node: NnfNode, memberPriority: number, out: RuleSet): RuleCondition {
  switch (node.kind) {
    case 'leaf':
      return { name: node.path, fact: node.fact, params: node.params, operator: node.operator, value: node.value }
    case 'all':
      return { name: node.path, all: node.children.map(c => toCondition(criterionId, c, memberPriority, out)) }
    case 'any':
      return { name: node.path, any: node.children.map(c => toCondition(criterionId, c, memberPriority, out)) }
    case 'either': {
      // Kleene: (any alternative definitely met) or (every alternative undecided and an always-unknown literal).
      // The runs then give: met if one is met; not met if one is measured and none met; unknown if none measured.
      const [first] = node.children
      if (!first) throw new Error(`empty either at ${node.path}`)
      const compare = (c: (typeof node.children)[number]) => ({ op: c.operator, value: c.value })
      return {
        name: node.path,
        any: [
          ...node.children.map(c => ({ name: c.path, fact: c.fact, params: c.params, operator: 'definitely', value: compare(c) })),
          {
            name: `${node.path}#none_measured`,
            all: [
              ...node.children.map(c => ({ fact: c.fact, params: c.params, operator: 'undecided', value: compare(c) })),
              { fact: first.fact, params: first.params, operator: 'assume_unknown', value: null },
            ],
          },
        ],
      }
    }
    case 'at_least': {
      const counter = `${COUNTER_PREFIX}${criterionId}:${node.path}`
      out.counters.push(counter)
      for (const child of node.children) {
        out.rules.push({
          name: memberRuleName(criterionId, child.path),
          // members must be decided before the rule that counts them
          priority: memberPriority,
          conditions: topLevel(toCondition(criterionId, child, memberPriority + 1, out)),
          event: { type: EVENT_AT_LEAST_MEMBER, params: { counter } },
        })
      }
      return { name: node.path, fact: counter, operator: 'count_gte', value: node.n }
    }
  }
}
