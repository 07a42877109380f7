/**
 * Explain a criterion part from a record's {@link Trace}: each clause gets
 * its truth, the data it used and, when unknown, the data still needed.
 * The same for both backends: the trace is all it reads.
 */
import type { Explanation, MissingData } from '../types.ts'
import type { NnfNode } from '../compile/ir.ts'
import { memberRuleName } from '../compile/to-rules.ts'
import { and3, atLeast3, either3, fromTruth, or3, toTruth } from './kleene.ts'
import { isEvidence, type EventValue } from './evidence.ts'
import { evaluateOperator } from './operators.ts'
import { traceKey, type Trace } from './trace.ts'

export interface ExplainInput {
  criterionId: string
  /** Name of the rule whose conditions hold this node (the criterion part or an at_least member). */
  ruleName: string
  trace: Trace
}

function leafMissing(node: NnfNode & { kind: 'leaf' }, factResult: unknown): MissingData[] {
  if (!isEvidence(factResult)) return []
  if (!factResult.known) return factResult.missing
  const v = factResult.value as EventValue
  if (typeof v === 'object' && v !== null && 'possible' in v) {
    return v.possible.map(m => ({
      key: m.source,
      description: `${m.summary}: ${m.doubt ?? 'may match'} (${node.label})`,
      ...(m.review ? { review: true } : {}),
    }))
  }
  // bounds straddling the threshold (an eGFR while race is not recorded): what would narrow them
  return factResult.missing ?? []
}

/**
 * Explain one node. Leaves take their truth from the trace; groups combine
 * their children with Kleene logic (which the backends compute too).
 */
export function explainNode(node: NnfNode, input: ExplainInput): Explanation {
  if (node.kind === 'leaf') {
    const outcome = input.trace.leaves.get(traceKey(input.ruleName, node.path))
    const truth = outcome?.truth
    const fact = outcome?.evidence
    const detail = isEvidence(fact) ? fact.detail : 'not evaluated'
    const out: Explanation = { path: node.path, kind: 'leaf', truth: toTruth(truth), label: node.label, detail }
    if (truth === undefined) out.missing = leafMissing(node, fact)
    return out
  }
  if (node.kind === 'at_least') {
    const children = node.children.map(c => explainNode(c, { ...input, ruleName: memberRuleName(input.criterionId, c.path) }))
    const met = children.filter(c => c.truth === 'met').length
    const open = children.filter(c => c.truth === 'unknown').length
    const truth = atLeast3(met, open, node.n)
    return {
      path: node.path,
      kind: 'at_least',
      truth: toTruth(truth),
      label: node.label,
      detail: `${met} of ${children.length} met, ${open} unknown; ${node.n} needed`,
      children,
    }
  }
  if (node.kind === 'either') return explainEither(node, input)
  const children = node.children.map(c => explainNode(c, input))
  const tris = children.map(c => fromTruth(c.truth))
  const truth = node.kind === 'all' ? and3(...tris) : or3(...tris)
  return { path: node.path, kind: node.kind, truth: toTruth(truth), label: node.label, children }
}

/**
 * The data still needed to decide an unknown clause: only from unknown
 * branches, since a decided branch needs nothing more.
 */
export function collectMissing(e: Explanation): MissingData[] {
  if (e.truth !== 'unknown') return []
  if (e.kind === 'leaf') return e.missing ?? []
  return (e.children ?? []).flatMap(collectMissing)
}

/** The leaves that decide a clause's truth, for a one-line reason. */
export function decisiveLeaves(e: Explanation): Explanation[] {
  if (e.kind === 'leaf') return [e]
  const kids = e.children ?? []
  const same = kids.filter(c => c.truth === e.truth)
  return (same.length > 0 ? same : kids).flatMap(decisiveLeaves)
}

export function dedupeMissing(list: MissingData[]): MissingData[] {
  const seen = new Map<string, MissingData>()
  for (const m of list) if (!seen.has(m.key)) seen.set(m.key, m)
  return [...seen.values()]
}

/**
 * `either`: each alternative is judged from its evidence with its own
 * operator (the compiled conditions only say "definitely met"); unmeasured
 * alternatives are set aside when another one was measured.
 */
function explainEither(node: Extract<NnfNode, { kind: 'either' }>, input: ExplainInput): Explanation {
  const children = node.children.map((c): Explanation => {
    const fact = input.trace.leaves.get(traceKey(input.ruleName, c.path))?.evidence
    const truth = evaluateOperator(c.operator, fact, c.value)
    const detail = isEvidence(fact) ? fact.detail : 'not evaluated'
    const out: Explanation = { path: c.path, kind: 'leaf', truth: toTruth(truth), label: c.label, detail }
    if (truth === undefined) out.missing = leafMissing(c, fact)
    return out
  })
  const truth = either3(children.map(c => fromTruth(c.truth)))
  const unmeasured = children.filter(c => c.truth === 'unknown').length
  const detail = truth !== undefined && unmeasured > 0 ? `${unmeasured} alternative(s) not measured; decided on the measured one(s)` : undefined
  return { path: node.path, kind: 'either', truth: toTruth(truth), label: node.label, children, ...(detail ? { detail } : {}) }
}
