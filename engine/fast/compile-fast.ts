/**
 * Criterion trees -> plain synchronous closures, for screening many records
 * (the fast backend). The closures are compiled from the normalised tree
 * the compiler keeps beside its json-rules-engine rules (CompiledCriterion
 * `logic` / `applicability`: negations already at the leaves), so every
 * node kind the language has is a case here and nothing can be refused.
 *
 * Each closure returns the node's Kleene truth (kleene.ts), which is what
 * the reference backend's two json-rules-engine runs bracket: the trees are
 * monotone in their leaves. Leaves call the same fact functions
 * (facts/registry.ts) and operators (operators.ts) as the reference, with
 * evidence cached per record by the same key (fact id + params). Untraced,
 * a decided group stops early; traced, every leaf runs and is recorded in
 * the Trace explain.ts reads.
 */
import type { PatientRecord } from '../types.ts'
import type { IrLeaf, NnfNode } from '../compile/ir.ts'
import { memberRuleName, ruleName } from '../compile/to-rules.ts'
import type { Evidence } from '../evaluate/evidence.ts'
import type { FactContext, RecordMemo } from '../evaluate/facts/context.ts'
import { FACTS, type EvidenceFn } from '../evaluate/facts/registry.ts'
import { all3Lazy, any3Lazy, atLeast3Lazy, either3 } from '../evaluate/kleene.ts'
import { evaluateOperator, type Tri } from '../evaluate/operators.ts'
import { traceKey, type Trace } from '../evaluate/trace.ts'

/** Per-record working state, reused across records (a generation stamp invalidates the evidence cache). */
export interface RecordState {
  patient: PatientRecord
  /** The fact context; its record memo is set for each record ({@link beginRecord}). */
  ctx: FactContext
  /** The state's own record memo, cleared for each record unless the caller brings one. */
  ownMemo: RecordMemo
  gen: number
  /** Evidence by slot (fact id + params), valid when `evidenceGen[slot] === gen`. */
  evidence: unknown[]
  evidenceGen: Uint32Array
  /** When set, nothing stops early and every leaf and criterion part is recorded here. */
  trace: Trace | null
}

export type Closure = (s: RecordState) => Tri

/** Compiles criterion parts that share one evidence cache, then makes the per-record state for them. */
export interface TreeCompiler {
  /** The closure of one criterion part (`logic` or `applies_if`), recording its truth under to-rules.ts `ruleName`. */
  part(criterionId: string, part: 'logic' | 'applies_if', root: NnfNode): Closure
  /** Fresh per-record state for every part compiled so far. */
  newState(): RecordState
}

interface Compiler {
  facts: Readonly<Record<string, EvidenceFn>>
  slotOf: Map<string, number>
}

/**
 * @param ctx - the fact context (protocol, resolved parameters, dictionary, run context)
 * @param facts - the fact table (default: the engine's, facts/registry.ts; benchmarks swap in precomputed evidence to time the closures alone)
 */
export function treeCompiler(ctx: FactContext, facts: Readonly<Record<string, EvidenceFn>> = FACTS): TreeCompiler {
  const c: Compiler = { facts, slotOf: new Map() }
  return {
    part(criterionId, part, root) {
      const name = ruleName(criterionId, part)
      const body = compileNode(c, root, criterionId, name)
      return s => {
        const truth = body(s)
        if (s.trace) s.trace.rules.set(name, truth)
        return truth
      }
    },
    newState() {
      const slots = c.slotOf.size
      return {
        patient: {} as PatientRecord,
        ctx: { ...ctx },
        ownMemo: new Map(),
        gen: 0,
        evidence: new Array<unknown>(slots),
        evidenceGen: new Uint32Array(slots),
        trace: null,
      }
    },
  }
}

/**
 * Make a state current for a new record: earlier records' evidence no longer counts, nor their memo. A caller that
 * evaluates one record several times (a subject's endpoints at each visit) brings that record's `memo`, which holds
 * what depends on the record alone (facts/context.ts); the evidence, which may depend on the visit, is dropped.
 */
export function beginRecord(s: RecordState, patient: PatientRecord, trace: Trace | null, memo?: RecordMemo): RecordState {
  if (memo) s.ctx.record = memo
  else {
    s.ownMemo.clear()
    s.ctx.record = s.ownMemo
  }
  s.patient = patient
  s.trace = trace
  s.gen = (s.gen + 1) >>> 0
  if (s.gen === 0) {
    // after 2^32 records the stamp wraps: clear the stamps so no stale entry matches
    s.evidenceGen.fill(0)
    s.gen = 1
  }
  return s
}

/** `rule`: the name leaves are traced under (the criterion part, or the at_least member they sit in). */
function compileNode(c: Compiler, node: NnfNode, criterionId: string, rule: string): Closure {
  switch (node.kind) {
    case 'leaf':
      return compileLeaf(c, node, rule)
    case 'all':
    case 'any': {
      const kids = node.children.map(k => compileNode(c, k, criterionId, rule))
      const combine = node.kind === 'all' ? all3Lazy : any3Lazy
      return s => combine(kids, s, s.trace !== null)
    }
    case 'at_least': {
      // each member is traced under its own name, as to-rules.ts makes it a rule of its own
      const kids = node.children.map(k => compileNode(c, k, criterionId, memberRuleName(criterionId, k.path)))
      const n = node.n
      return s => atLeast3Lazy(n, kids, s, s.trace !== null)
    }
    case 'either': {
      const alternatives = node.children.map(k => compileLeaf(c, k, rule))
      return s => {
        const truths: Tri[] = []
        for (const judge of alternatives) {
          const t = judge(s)
          // one alternative met decides; a trace still records the others' evidence
          if (t === true && s.trace === null) return true
          truths.push(t)
        }
        return either3(truths)
      }
    }
  }
}

/** A leaf's truth from its fact's evidence, recorded in the trace when there is one. */
function compileLeaf(c: Compiler, leaf: IrLeaf, rule: string): Closure {
  const evidence = compileEvidence(c, leaf)
  const key = traceKey(rule, leaf.path)
  const { operator, value } = leaf
  return s => {
    const ev = evidence(s)
    const truth = evaluateOperator(operator, ev, value)
    if (s.trace) s.trace.leaves.set(key, { truth, evidence: ev })
    return truth
  }
}

/** A leaf's evidence, computed once per record for each fact id and params (the reference caches by the same key). */
function compileEvidence(c: Compiler, leaf: IrLeaf): (s: RecordState) => Evidence {
  const fn = Object.hasOwn(c.facts, leaf.fact) ? c.facts[leaf.fact] : undefined
  // FactName is a closed union with an entry each in FACTS: only a replaced fact table can lack one
  if (!fn) throw new Error(`the fact table has no fact "${leaf.fact}" (at ${leaf.path})`)
  const params = leaf.params
  const key = `${leaf.fact}:${JSON.stringify(params)}`
  let slot = c.slotOf.get(key)
  if (slot === undefined) {
    slot = c.slotOf.size
    c.slotOf.set(key, slot)
  }
  const i = slot
  return s => {
    if (s.evidenceGen[i] === s.gen) return s.evidence[i] as Evidence
    const ev = fn(s.patient, params, s.ctx)
    s.evidence[i] = ev
    s.evidenceGen[i] = s.gen
    return ev
  }
}
