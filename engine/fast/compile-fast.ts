/**
 * json-rules-engine rules -> plain synchronous closures, for screening many
 * records (the fast path). The reference path (engine-pair.ts) runs every
 * rule twice through promises and an almanac: once with unknown leaves read
 * as false (the lower run), once as true (the upper run). Here each condition
 * is walked once, at compile time, into a closure returning both runs'
 * results at once as two bits: bit 0 the lower run, bit 1 the upper run.
 * `all` is bitwise AND, `any` bitwise OR, `not` flips both bits, so the
 * closures compute exactly what the two runs compute, for any rule shape;
 * for the negation-free rules the compiler emits, the bits are Kleene's
 * three values (0 false, 3 true, 2 unknown).
 *
 * Leaves call the same fact functions (facts/registry.ts) and the same
 * operators (operators.ts) as the reference path, with evidence cached per
 * record by the same key. A rule shape the closures cannot reproduce exactly
 * is a {@link FastCompileError}, never a silently different answer.
 */
import type { RuleProperties } from 'json-rules-engine'
import type { PatientRecord } from '../types.ts'
import type { Evidence } from '../evaluate/evidence.ts'
import type { FactContext } from '../evaluate/facts/context.ts'
import { FACTS, type EvidenceFn } from '../evaluate/facts/registry.ts'
import { evaluateOperator, OPERATOR_NAMES, type OperatorName } from '../evaluate/operators.ts'
import { EVENT_AT_LEAST_MEMBER, EVENT_CRITERION, type RuleSet } from '../compile/to-rules.ts'
import type { RunIndex } from '../evaluate/explain.ts'

/** Both runs' results: bit 0 = unknown-as-false run, bit 1 = unknown-as-true run. */
export type Bits = number
export const FALSE: Bits = 0
export const TRUE: Bits = 3
export const UNKNOWN: Bits = 2

/** Why a rule set cannot be compiled to closures; `rule` and `at` say where. */
export class FastCompileError extends Error {
  readonly code = 'E_FAST_UNSUPPORTED'
  constructor(
    message: string,
    readonly rule: string,
    readonly at: string,
  ) {
    super(`rule ${rule}${at ? ` at ${at}` : ''}: ${message}`)
    this.name = 'FastCompileError'
  }
}

/** The condition outcomes of one record's runs, shaped as explain.ts indexes json-rules-engine results. */
export interface Trace {
  lower: { conditions: RunIndex; rules: Map<string, boolean> }
  upper: { conditions: RunIndex; rules: Map<string, boolean> }
}

/** Per-record working state, reused across records (a generation stamp invalidates caches). */
export interface RecordState {
  patient: PatientRecord
  /** The fact context, with a record memo cleared for each record ({@link beginRecord}). */
  ctx: FactContext
  gen: number
  /** Evidence by slot (fact id + params), valid when `evidenceGen[slot] === gen`. */
  evidence: unknown[]
  evidenceGen: Uint32Array
  /** Rule bits by rule index, valid when `ruleGen[i] === gen`. */
  ruleBits: Uint8Array
  ruleGen: Uint32Array
  /** When set, nothing short-circuits and every named condition is recorded (as json-rules-engine results are). */
  trace: Trace | null
}

type Closure = (s: RecordState) => Bits
/** A fact value per run (lower, upper); evidence facts give the same value to both. */
type ValueFn = (s: RecordState, upper: boolean) => unknown

export interface FastRule {
  name: string
  priority: number
  /** Evaluates the rule for the current record (memoised per record). */
  run: Closure
}

/** A compiled rule set: closures by rule name, plus what a record's state needs. */
export interface FastRuleSet {
  rules: FastRule[]
  byName: Map<string, FastRule>
  slots: number
  /** Fresh per-record state for this rule set. */
  newState(): RecordState
}

type Cond = Record<string, unknown>

const OPERATORS = new Set<string>(OPERATOR_NAMES)
const SIMPLE_PATH = /^\$(?:\.[A-Za-z_$][\w$]*|\[\d+\])*$/

/**
 * A JSONPath of plain property steps (`$.value.min`, `$.items[0]`), resolved
 * as json-rules-engine's default resolver (jsonpath-plus, `wrap: false`)
 * resolves it: the value at the path, or undefined when a step is absent.
 */
function pathResolver(path: string): (v: unknown) => unknown {
  const steps = [...path.slice(1).matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]/g)].map((m) => (m[1] ?? m[2]) as string)
  return (value) => {
    // json-rules-engine applies a path to objects only; other values pass through
    if (value === null || typeof value !== 'object') return value
    let cur: unknown = value
    for (const step of steps) {
      if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, step)) return undefined
      cur = (cur as Record<string, unknown>)[step]
    }
    return cur
  }
}

interface Compiler {
  ctx: FactContext
  facts: Readonly<Record<string, EvidenceFn>>
  slotOf: Map<string, number>
  counters: Map<string, { members: number[]; closure?: ValueFn }>
  ruleIndex: Map<string, number>
  rules: RuleProperties[]
  /** Rule closures by index; filled after the conditions are compiled, read only at run time (counters). */
  closures: Closure[]
}

/**
 * Compile a rule set (a compiled protocol's eligibility or endpoint rules).
 *
 * @param ruleSet - the json-rules-engine rules and at_least counters, as compile-protocol.ts emits them
 * @param ctx - the fact context (protocol, resolved parameters, dictionary, run context)
 * @param facts - the fact table (default: the engine's, facts/registry.ts; benchmarks swap in precomputed evidence to time the rule machinery alone)
 * @throws FastCompileError for a shape the closures cannot reproduce exactly
 */
export function compileRuleSet(ruleSet: RuleSet, ctx: FactContext, facts: Readonly<Record<string, EvidenceFn>> = FACTS): FastRuleSet {
  const c: Compiler = { ctx, facts, slotOf: new Map(), counters: new Map(), ruleIndex: new Map(), rules: ruleSet.rules, closures: [] }
  for (const name of ruleSet.counters) c.counters.set(name, { members: [] })
  ruleSet.rules.forEach((rule, i) => {
    const name = String(rule.name ?? '')
    if (!name) throw new FastCompileError('a rule without a name cannot be reported per criterion', `#${i}`, '')
    if (c.ruleIndex.has(name)) throw new FastCompileError('duplicate rule name', name, '')
    c.ruleIndex.set(name, i)
    const event = rule.event as { type?: string; params?: Record<string, unknown> } | undefined
    if (event?.type === EVENT_AT_LEAST_MEMBER) {
      const counter = String(event.params?.counter)
      const entry = c.counters.get(counter)
      if (!entry) throw new FastCompileError(`counts into "${counter}", which is not a declared counter`, name, 'event')
      entry.members.push(i)
    } else if (event?.type !== EVENT_CRITERION) {
      throw new FastCompileError(`event type "${String(event?.type)}" has no fast-path meaning`, name, 'event')
    }
  })
  const closures = c.closures
  ruleSet.rules.forEach((rule, i) => {
    const name = String(rule.name)
    const priority = priorityOf(rule)
    const body = compileCondition(c, rule.conditions as unknown as Cond, name, priority, '')
    closures[i] = (s) => {
      if (s.ruleGen[i] === s.gen) return s.ruleBits[i] as Bits
      const bits = body(s)
      s.ruleBits[i] = bits
      s.ruleGen[i] = s.gen
      if (s.trace) {
        s.trace.lower.rules.set(name, (bits & 1) === 1)
        s.trace.upper.rules.set(name, (bits & 2) === 2)
      }
      return bits
    }
  })
  const rules = ruleSet.rules.map((rule, i): FastRule => ({ name: String(rule.name), priority: priorityOf(rule), run: closures[i]! }))
  const slots = c.slotOf.size
  const ruleCount = rules.length
  return {
    rules,
    byName: new Map(rules.map((r) => [r.name, r])),
    slots,
    newState: () => ({
      patient: {} as PatientRecord,
      ctx: { ...ctx, record: new Map() },
      gen: 0,
      evidence: new Array<unknown>(slots),
      evidenceGen: new Uint32Array(slots),
      ruleBits: new Uint8Array(ruleCount),
      ruleGen: new Uint32Array(ruleCount),
      trace: null,
    }),
  }
}

/**
 * Make a state current for a new record: earlier records' evidence, rule bits
 * and memo no longer count.
 */
export function beginRecord(s: RecordState, patient: PatientRecord, trace: Trace | null): RecordState {
  s.patient = patient
  s.trace = trace
  s.ctx.record?.clear()
  s.gen = (s.gen + 1) >>> 0
  if (s.gen === 0) {
    // after 2^32 records the stamps wrap: clear them so no stale cache entry matches
    s.evidenceGen.fill(0)
    s.ruleGen.fill(0)
    s.gen = 1
  }
  return s
}

function priorityOf(rule: RuleProperties): number {
  // json-rules-engine: parseInt(priority) || 1
  return Number.parseInt(String(rule.priority), 10) || 1
}

function compileCondition(c: Compiler, cond: Cond, rule: string, priority: number, at: string): Closure {
  if (cond === null || typeof cond !== 'object') throw new FastCompileError('a condition must be an object', rule, at)
  const name = typeof cond.name === 'string' ? cond.name : undefined
  const where = name ?? (at || 'conditions')
  if ('condition' in cond) throw new FastCompileError('shared condition references are not supported', rule, where)
  for (const op of ['all', 'any'] as const) {
    if (op in cond) {
      const list = cond[op]
      if (!Array.isArray(list)) throw new FastCompileError(`"${op}" must be an array`, rule, where)
      const kids = list.map((k, i) => compileCondition(c, k as Cond, rule, priority, `${where}.${op}[${i}]`))
      return group(op, kids, rule, name)
    }
  }
  if ('not' in cond) {
    if (Array.isArray(cond.not)) throw new FastCompileError('"not" cannot be an array', rule, where)
    const kid = compileCondition(c, cond.not as Cond, rule, priority, `${where}.not`)
    return named(rule, name, (s) => kid(s) ^ 3)
  }
  return compileLeaf(c, cond, rule, priority, where, name)
}

/** Record a named condition's outcome in the trace, keyed as explain.ts keys json-rules-engine results. */
function named(rule: string, name: string | undefined, body: Closure, factOf?: ValueFn): Closure {
  if (name === undefined) return body
  const key = `${rule}|${name}`
  return (s) => {
    const t = s.trace
    if (!t) return body(s)
    // json-rules-engine's results are indexed parent before children: a child of the same name overwrites
    const lo = { result: false, factResult: undefined as unknown }
    const hi = { result: false, factResult: undefined as unknown }
    t.lower.conditions.set(key, lo)
    t.upper.conditions.set(key, hi)
    const bits = body(s)
    lo.result = (bits & 1) === 1
    hi.result = (bits & 2) === 2
    if (factOf) {
      lo.factResult = factOf(s, false)
      hi.factResult = factOf(s, true)
    }
    return bits
  }
}

function group(op: 'all' | 'any', kids: Closure[], rule: string, name: string | undefined): Closure {
  // json-rules-engine: an empty all/any passes; one child is evaluated as itself
  if (kids.length === 0) return named(rule, name, () => TRUE)
  const stop = op === 'all' ? FALSE : TRUE
  const body: Closure =
    op === 'all'
      ? (s) => {
          let acc = TRUE
          for (let i = 0; i < kids.length; i++) {
            acc &= kids[i]!(s)
            if (acc === stop && s.trace === null) return acc
          }
          return acc
        }
      : (s) => {
          let acc = FALSE
          for (let i = 0; i < kids.length; i++) {
            acc |= kids[i]!(s)
            if (acc === stop && s.trace === null) return acc
          }
          return acc
        }
  return named(rule, name, body)
}

/** A fact's value per run: evidence (cached per record by fact id and params) or an at_least counter. */
function compileFact(c: Compiler, fact: unknown, params: unknown, path: unknown, rule: string, priority: number, where: string): { value: ValueFn; sameInBothRuns: boolean } {
  if (typeof fact !== 'string') throw new FastCompileError('"fact" must be a string', rule, where)
  if (path !== undefined && path !== '' && (typeof path !== 'string' || !SIMPLE_PATH.test(path))) {
    throw new FastCompileError(`path ${JSON.stringify(path)} is not a plain property path ($.a.b[0])`, rule, where)
  }
  const resolve = typeof path === 'string' && path !== '' ? pathResolver(path) : undefined
  const counter = c.counters.get(fact)
  if (counter) {
    for (const m of counter.members) {
      const member = c.rules[m]!
      // the counter must be complete before it is read: every member runs at a higher priority
      if (priorityOf(member) <= priority) {
        throw new FastCompileError(`counter ${fact} is read at priority ${priority} but its member ${String(member.name)} runs at ${priorityOf(member)}`, rule, where)
      }
    }
    const members = counter.members
    const closures = c.closures
    const count: ValueFn = (s, upper) => {
      const bit = upper ? 2 : 1
      let n = 0
      for (const m of members) if (closures[m]!(s) & bit) n++
      return n
    }
    return { value: resolve ? (s, u) => resolve(count(s, u)) : count, sameInBothRuns: false }
  }
  const fn: EvidenceFn | undefined = Object.prototype.hasOwnProperty.call(c.facts, fact) ? c.facts[fact] : undefined
  if (!fn) throw new FastCompileError(`undefined fact "${fact}"`, rule, where)
  const p = (params ?? {}) as Record<string, unknown>
  // the reference path caches evidence per run by the same key
  const key = `${fact}:${JSON.stringify(p)}`
  let slot = c.slotOf.get(key)
  if (slot === undefined) {
    slot = c.slotOf.size
    c.slotOf.set(key, slot)
  }
  const i = slot
  const evidence: ValueFn = (s) => {
    if (s.evidenceGen[i] === s.gen) return s.evidence[i]
    const ev: Evidence = fn(s.patient, p, s.ctx)
    s.evidence[i] = ev
    s.evidenceGen[i] = s.gen
    return ev
  }
  return { value: resolve ? (s, u) => resolve(evidence(s, u)) : evidence, sameInBothRuns: true }
}

function compileLeaf(c: Compiler, cond: Cond, rule: string, priority: number, where: string, name: string | undefined): Closure {
  for (const key of ['fact', 'operator', 'value']) {
    if (!(key in cond)) throw new FastCompileError(`a condition needs "${key}"`, rule, where)
  }
  const op = cond.operator
  if (typeof op !== 'string' || !OPERATORS.has(op)) throw new FastCompileError(`operator ${JSON.stringify(op)} is not one of ours (${OPERATOR_NAMES.join(', ')})`, rule, where)
  const operator = op as OperatorName
  const lhs = compileFact(c, cond.fact, cond.params, cond.path, rule, priority, where)
  const v = cond.value
  // json-rules-engine reads a value that is an object with a "fact" key as a fact reference
  const rhs = v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, 'fact') ? compileValueRef(c, v as Cond, rule, priority, where) : undefined
  if (!rhs && lhs.sameInBothRuns) {
    const get = lhs.value
    return named(
      rule,
      name,
      (s) => {
        const r = evaluateOperator(operator, get(s, false), v)
        return r === true ? TRUE : r === false ? FALSE : UNKNOWN
      },
      get,
    )
  }
  // general case: each run compares its own values, unknown read as that run reads it
  const left = lhs.value
  const right: ValueFn = rhs ?? (() => v)
  return named(
    rule,
    name,
    (s) => {
      const lo = evaluateOperator(operator, left(s, false), right(s, false))
      const hi = evaluateOperator(operator, left(s, true), right(s, true))
      return (lo === true ? 1 : 0) | (hi === false ? 0 : 2)
    },
    left,
  )
}

function compileValueRef(c: Compiler, ref: Cond, rule: string, priority: number, where: string): ValueFn {
  return compileFact(c, ref.fact, ref.params, ref.path, rule, priority, `${where}.value`).value
}
