/**
 * Negation normal form: push every `not` down to the leaves.
 *
 * Needed because the evaluator decides "unknown" by running the rules twice,
 * with unknown leaves as false and then as true. That brackets the answer
 * only if the rules are monotone in their leaves, i.e. contain no `not`.
 */
import type { IrNode, NnfNode } from './ir.ts'
import { NEGATED_OPERATOR } from '../evaluate/operators.ts'

/**
 * Rewrite a node without `not`, keeping paths so explanations still point at
 * the clause the designer wrote.
 *
 * @example
 * toNnf({ kind: 'not', child: leaf('gt') }) // leaf('lte') labelled "not (...)"
 */
export function toNnf(node: IrNode, negate = false): NnfNode {
  switch (node.kind) {
    case 'not':
      return relabel(toNnf(node.child, !negate), negate ? node.child.label : node.label)
    case 'all':
    case 'any': {
      const kind = negate ? (node.kind === 'all' ? 'any' : 'all') : node.kind
      return { ...node, kind, label: negated(node.label, negate), children: node.children.map(c => toNnf(c, negate)) }
    }
    case 'at_least': {
      if (!negate) return { ...node, children: node.children.map(c => toNnf(c, false)) }
      // not (at least n of k) = at most n-1 true = at least k-n+1 false
      const k = node.children.length
      return {
        ...node,
        n: k - node.n + 1,
        label: negated(node.label, true),
        children: node.children.map(c => toNnf(c, true)),
      }
    }
    case 'either':
      // its "ignore the unmeasured paths" rule has no sound negation; semantic checks forbid it
      if (negate) throw new Error(`either at ${node.path} cannot be negated`)
      return node
    case 'leaf': {
      if (!negate) return node
      const operator = NEGATED_OPERATOR[node.operator]
      if (!operator) throw new Error(`operator ${node.operator} cannot be negated`)
      return { ...node, operator, label: negated(node.label, true) }
    }
  }
}

function negated(label: string, negate: boolean): string {
  return negate ? `not (${label})` : label
}

function relabel(node: NnfNode, label: string): NnfNode {
  return { ...node, label }
}
