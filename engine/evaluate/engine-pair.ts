/**
 * Two json-rules-engine engines over the same compiled rules: in `lower`
 * an unknown leaf counts as false, in `upper` as true. A rule true in both
 * is met, false in both is not met, otherwise unknown (see operators.ts).
 * The reference eligibility backend (evaluate.ts) and the response
 * endpoints run on it, and explain from {@link traceOfRuns}.
 */
import { Engine, type Almanac, type EngineResult, type RuleResult } from 'json-rules-engine'
import type { PatientRecord } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { EVENT_AT_LEAST_MEMBER, type RuleSet } from '../compile/to-rules.ts'
import { evaluateOperator, OPERATOR_NAMES } from './operators.ts'
import type { Evidence } from './evidence.ts'
import type { FactContext, RunContext } from './facts/context.ts'
import { FACTS, type EvidenceFn, type FactParams } from './facts/registry.ts'
import { fromBounds } from './kleene.ts'
import { traceKey, type Trace } from './trace.ts'

export interface EnginePair {
  lower: Engine
  upper: Engine
  /** Runs both engines on one patient; evidence is computed once and shared. */
  run(patient: PatientRecord, run?: RunContext): Promise<{ lower: EngineResult; upper: EngineResult }>
  /** One plain json-rules-engine run (unknown counted as false): the two-valued baseline benchmarks compare with. */
  runOnce(patient: PatientRecord, run?: RunContext): Promise<EngineResult>
}

/** One runtime fact carries a run's state, so a fact computation awaits the almanac once, not three times. */
const STATE = 'run_state'

interface RunState {
  patient: PatientRecord
  /** Evidence by fact id and params, shared by the pair's two runs. */
  cache: Map<string, Evidence>
  run: RunContext
  /** The fact context of this record's evaluation (run context and record memo included), shared by the two runs. */
  ctx: FactContext
  /** at_least counters of this run. */
  counts: Map<string, number>
}

function buildEngine(ruleSet: RuleSet, assumeUnknownAs: boolean, facts: Readonly<Record<string, EvidenceFn>>): Engine {
  // json-rules-engine mutates rule objects it is given; hand it copies so compiled rules stay plain JSON
  const engine = new Engine(structuredClone(ruleSet.rules), { allowUndefinedFacts: false })
  for (const name of OPERATOR_NAMES) {
    engine.addOperator(name, (factValue: unknown, compareTo: unknown) => {
      const r = evaluateOperator(name, factValue, compareTo)
      return r === undefined ? assumeUnknownAs : r
    })
  }
  for (const [id, fn] of Object.entries(facts)) {
    engine.addFact(
      id,
      async (params: FactParams, almanac: Almanac) => {
        const state = await almanac.factValue<RunState>(STATE)
        // by content: json-rules-engine hands each rule result a deep copy of its conditions, so params objects are new every run
        const key = `${id}:${JSON.stringify(params)}`
        let ev = state.cache.get(key)
        if (!ev) {
          ev = fn(state.patient, params, state.ctx)
          state.cache.set(key, ev)
        }
        return ev
      },
      // our own cache above is shared by both runs; json-rules-engine's would hash the params (large selections) on every read
      { cache: false },
    )
  }
  // at_least: each member rule that succeeds adds one to its counter before the parent rule runs.
  // Members of one priority run concurrently, so the increment must be a single synchronous step
  // on a per-run Map (an await between reading and writing a runtime fact would lose updates).
  engine.on(EVENT_AT_LEAST_MEMBER, async (params: Record<string, unknown>, almanac: Almanac) => {
    const { counts } = await almanac.factValue<RunState>(STATE)
    const counter = String(params.counter)
    counts.set(counter, (counts.get(counter) ?? 0) + 1)
  })
  for (const counter of ruleSet.counters) {
    engine.addFact(counter, async (_params: FactParams, almanac: Almanac) => {
      const { counts } = await almanac.factValue<RunState>(STATE)
      return counts.get(counter) ?? 0
    })
  }
  return engine
}

/** The runtime facts of one run: the patient, the shared evidence cache and fact context, fresh counters. */
function runFacts(patient: PatientRecord, run: RunContext, cache: Map<string, Evidence>, ctx: FactContext): Record<string, unknown> {
  const state: RunState = { patient, cache, run, ctx, counts: new Map() }
  return { [STATE]: state }
}

/** The fact context of one record's evaluation: the pair's, with its run context and a fresh record memo. */
function recordContext(ctx: FactContext, run: RunContext): FactContext {
  return { ...ctx, run, record: new Map() }
}

/**
 * Build an engine pair once per compiled protocol and rule set; reuse it for every patient.
 * `facts` replaces the fact table (benchmarks time the rule machinery alone with precomputed evidence).
 */
export function buildEnginePair(compiled: CompiledProtocol, ruleSet: RuleSet, facts: Readonly<Record<string, EvidenceFn>> = FACTS): EnginePair {
  const ctx: FactContext = { doc: compiled.document, params: compiled.parameters, dictionary: compiled.dictionary, extensions: compiled.extensions }
  const lower = buildEngine(ruleSet, false, facts)
  const upper = buildEngine(ruleSet, true, facts)
  // json-rules-engine keeps a run's status on the Engine: a second run started before the first
  // ends would be cut short when the first finishes. Runs of one pair therefore take turns.
  let tail: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(fn, fn)
    tail = next.catch(() => undefined)
    return next
  }
  return {
    lower,
    upper,
    run(patient, run = {}) {
      return exclusive(async () => {
        const cache = new Map<string, Evidence>()
        const record = recordContext(ctx, run)
        const [l, u] = await Promise.all([lower.run(runFacts(patient, run, cache, record)), upper.run(runFacts(patient, run, cache, record))])
        return { lower: l, upper: u }
      })
    },
    runOnce(patient, run = {}) {
      return exclusive(() => lower.run(runFacts(patient, run, new Map(), recordContext(ctx, run))))
    },
  }
}

interface ConditionOutcome {
  result: boolean
  factResult: unknown
}

type ResultNode = { name?: string; result?: boolean; factResult?: unknown; all?: ResultNode[]; any?: ResultNode[]; not?: ResultNode }

/** Condition outcomes of one run by trace key, and rule results by name. */
function indexRun(run: EngineResult): { conditions: Map<string, ConditionOutcome>; rules: Map<string, boolean> } {
  const conditions = new Map<string, ConditionOutcome>()
  const rules = new Map<string, boolean>()
  const walk = (rule: RuleResult, c: ResultNode) => {
    if (c.name !== undefined && c.result !== undefined) conditions.set(traceKey(rule.name, c.name), { result: c.result, factResult: c.factResult })
    for (const child of c.all ?? c.any ?? (c.not ? [c.not] : [])) walk(rule, child)
  }
  for (const r of [...run.results, ...run.failureResults]) {
    rules.set(r.name, Boolean(r.result))
    walk(r, r.conditions as unknown as ResultNode)
  }
  return { conditions, rules }
}

/**
 * The trace of a pair's two runs: a condition true in both is met, false in
 * both not met, otherwise unknown; its evidence is the lower run's (the
 * runs share one evidence cache). A condition the lower run did not record
 * is left out, which explain.ts reads as unknown and not evaluated.
 */
export function traceOfRuns(lowerRun: EngineResult, upperRun: EngineResult): Trace {
  const lower = indexRun(lowerRun)
  const upper = indexRun(upperRun)
  const trace: Trace = { leaves: new Map(), rules: new Map() }
  for (const [key, lo] of lower.conditions) {
    const hi = upper.conditions.get(key)
    trace.leaves.set(key, { truth: hi === undefined ? undefined : fromBounds(lo.result, hi.result), evidence: lo.factResult })
  }
  for (const [name, lo] of lower.rules) {
    const hi = upper.rules.get(name)
    if (hi !== undefined) trace.rules.set(name, fromBounds(lo, hi))
  }
  return trace
}
