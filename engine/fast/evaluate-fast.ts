/**
 * Screening with the fast path: a compiled protocol's eligibility rules as
 * closures (compile-fast.ts), evaluated synchronously per record. Gives the
 * same per-criterion outcomes and overall verdict as
 * {@link evaluateEligibility} (the reference path, json-rules-engine), which
 * the property test test/engine/fast/equivalence.test.ts checks on every
 * shipped protocol. Explanations come on demand: {@link verdictFast} traces
 * the closures into the index explain.ts reads from json-rules-engine, and
 * {@link explainFast} runs the reference path itself.
 */
import type { CriterionKind, MissingData, Overall, PatientRecord, Truth, Verdict } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { ruleName } from '../compile/to-rules.ts'
import { evaluateEligibility, verdictFromRuns } from '../evaluate/evaluate.ts'
import type { EvidenceFn } from '../evaluate/facts/registry.ts'
import { beginRecord, compileRuleSet, FastCompileError, type Bits, type FastRule, type FastRuleSet, type RecordState, type Trace } from './compile-fast.ts'

/** A protocol's eligibility rules compiled to closures, reusable for any number of records (one at a time). */
export interface FastProtocol {
  compiled: CompiledProtocol
  rules: FastRuleSet
  criteria: Array<{ id: string; kind: CriterionKind; logic: FastRule; applies?: FastRule }>
  /** Every rule in json-rules-engine's order (highest priority first), for a traced run. */
  order: FastRule[]
  /** Working state reused record after record (evaluation is synchronous, so never shared by two). */
  state: RecordState
}

/** One criterion's result on the fast path: the fields of CriterionResult that decide the verdict. */
export interface FastCriterionResult {
  id: string
  kind: CriterionKind
  /** The criterion as a whole, its "if" included (CriterionResult.truth). */
  truth: Truth
  applicable: Truth
  outcome: 'pass' | 'fail' | 'unknown'
}

export interface FastVerdict {
  patient_id?: string
  overall: Overall
  failing: string[]
  undecided: string[]
  criteria: FastCriterionResult[]
  /** With `{ missing: true }`: the data still needed (as Verdict.missing), computed only when something is undecided. */
  missing?: MissingData[]
}

export interface FastOptions {
  /** Also list the data still needed (traces the undecided record; costs about one explanation). */
  missing?: boolean
}

/**
 * Compile a protocol's eligibility rules (CompiledProtocol.rules, the same
 * JSON json-rules-engine runs) to closures.
 *
 * @param facts - the fact table, by default the engine's (benchmarks time the rule machinery alone with precomputed evidence)
 * @throws FastCompileError when a rule has a shape the closures cannot reproduce exactly
 * @example
 * const fast = compileFast(compileProtocol(doc))
 * evaluateFast(fast, patient).overall // 'eligible' | 'ineligible' | 'undetermined'
 */
export function compileFast(compiled: CompiledProtocol, facts?: Readonly<Record<string, EvidenceFn>>): FastProtocol {
  // the reference path's fact context for eligibility: no visit (run context {})
  const ctx = { doc: compiled.document, params: compiled.parameters, dictionary: compiled.dictionary, extensions: compiled.extensions, run: {} }
  const rules = compileRuleSet({ rules: compiled.rules, counters: compiled.counters }, ctx, facts)
  const find = (name: string): FastRule => {
    const r = rules.byName.get(name)
    if (!r) throw new Error(`compiled protocol has no rule ${name}`)
    return r
  }
  const criteria = compiled.criteria.map((c) => ({
    id: c.id,
    kind: c.kind,
    logic: find(ruleName(c.id, 'logic')),
    ...(c.applicability ? { applies: find(ruleName(c.id, 'applies_if')) } : {}),
  }))
  const order = [...rules.rules].sort((a, b) => b.priority - a.priority)
  return { compiled, rules, criteria, order, state: rules.newState() }
}

const compiledOnce = new WeakMap<CompiledProtocol, FastProtocol | FastCompileError>()

/**
 * {@link compileFast}, once per compiled protocol (a server screens many
 * requests against one loaded version); the FastCompileError, also kept, when
 * its rules have a shape the closures cannot reproduce.
 *
 * @example
 * const fast = fastPathOf(compiled)
 * const verdict = fast instanceof FastCompileError ? await evaluateEligibility(compiled, p) : verdictFast(fast, p)
 */
export function fastPathOf(compiled: CompiledProtocol): FastProtocol | FastCompileError {
  let fast = compiledOnce.get(compiled)
  if (fast === undefined) {
    try {
      fast = compileFast(compiled)
    } catch (e) {
      if (!(e instanceof FastCompileError)) throw e
      fast = e
    }
    compiledOnce.set(compiled, fast)
  }
  return fast
}

// Tri as in kleene.ts: true, false, undefined (unknown); from the two runs' bits as fromBounds reads them
function tri(bits: Bits): boolean | undefined {
  return bits === 3 ? true : bits === 0 ? false : undefined
}
const TRUTH = (t: boolean | undefined): Truth => (t === true ? 'met' : t === false ? 'not_met' : 'unknown')

function begin(fast: FastProtocol, patient: PatientRecord, trace: Trace | null): RecordState {
  return beginRecord(fast.state, patient, trace)
}

/**
 * Evaluate one record on the fast path: per-criterion truth and outcome and
 * the overall verdict, identical to {@link evaluateEligibility}'s.
 *
 * @param options - `{ missing: true }` also lists the data still needed
 * @example
 * const v = evaluateFast(fast, patient)
 * if (v.overall === 'undetermined') console.log(v.undecided)
 */
export function evaluateFast(fast: FastProtocol, patient: PatientRecord, options: FastOptions = {}): FastVerdict {
  const s = begin(fast, patient, null)
  const criteria: FastCriterionResult[] = new Array(fast.criteria.length)
  const failing: string[] = []
  const undecided: string[] = []
  for (let i = 0; i < fast.criteria.length; i++) {
    const c = fast.criteria[i]!
    const truth = tri(c.logic.run(s))
    const applies = c.applies ? tri(c.applies.run(s)) : true
    // as evaluate.ts: an inclusion that does not apply is met, an exclusion that does not apply is not met
    let whole: boolean | undefined
    if (c.kind === 'inclusion') whole = applies === false || truth === true ? true : applies === true && truth === false ? false : undefined
    else whole = applies === false || truth === false ? false : applies === true && truth === true ? true : undefined
    const passes = c.kind === 'inclusion' ? whole : whole === undefined ? undefined : !whole
    const outcome = passes === true ? 'pass' : passes === false ? 'fail' : 'unknown'
    if (outcome === 'fail') failing.push(c.id)
    else if (outcome === 'unknown') undecided.push(c.id)
    criteria[i] = { id: c.id, kind: c.kind, truth: TRUTH(whole), applicable: TRUTH(applies), outcome }
  }
  const overall: Overall = failing.length > 0 ? 'ineligible' : undecided.length > 0 ? 'undetermined' : 'eligible'
  const verdict: FastVerdict = { ...(patient.id ? { patient_id: patient.id } : {}), overall, failing, undecided, criteria }
  if (options.missing) verdict.missing = undecided.length > 0 ? verdictFast(fast, patient).missing : []
  return verdict
}

/**
 * The full verdict with explanations, synchronously: the closures run once
 * more without short-circuits, recording every named condition as
 * json-rules-engine records it, and evaluate.ts explains from that record.
 * Equal to {@link evaluateEligibility}'s verdict (the property test checks it).
 */
export function verdictFast(fast: FastProtocol, patient: PatientRecord): Verdict {
  const trace: Trace = {
    lower: { conditions: new Map(), rules: new Map() },
    upper: { conditions: new Map(), rules: new Map() },
  }
  const s = begin(fast, patient, trace)
  try {
    // every rule runs, as in json-rules-engine (member rules first, by priority)
    for (const r of fast.order) r.run(s)
  } finally {
    s.trace = null
  }
  return verdictFromRuns(fast.compiled, patient, trace)
}

/**
 * The reference path's verdict (json-rules-engine, with explanations) for a
 * record screened on the fast path, e.g. to show why a record was undecided.
 */
export function explainFast(fast: FastProtocol, patient: PatientRecord): Promise<Verdict> {
  return evaluateEligibility(fast.compiled, patient)
}
