/**
 * A validated protocol document -> json-rules-engine rules plus what the
 * evaluator needs to explain them.
 */
import type { RuleProperties } from 'json-rules-engine'
import type { CriterionKind, ProtocolDocument } from '../types.ts'
import type { EngineExtensions } from '../extensions.ts'
import type { Dictionary } from '../dictionary/index.ts'
import { defaultDictionary } from '../dictionary/index.ts'
import { withLabConcepts } from '../dictionary/extend.ts'
import type { NnfNode, ResolvedParameters } from './ir.ts'
import { normalizeCondition } from './normalize.ts'
import { toNnf } from './nnf.ts'
import { resolveParameters } from './resolve.ts'
import { partToRules, type RuleSet } from './to-rules.ts'

export interface CompiledCriterion {
  id: string
  kind: CriterionKind
  title?: string
  text: string
  notes: string[]
  /** The criterion's logic, negations pushed to the leaves. */
  logic: NnfNode
  applicability?: NnfNode
}

/** A response endpoint's logic, compiled like a criterion. */
export interface CompiledEndpoint {
  id: string
  logic: NnfNode
}

export interface CompiledProtocol {
  document: ProtocolDocument
  parameters: ResolvedParameters
  dictionary: Dictionary
  criteria: CompiledCriterion[]
  /** The json-rules-engine rules, plain JSON: what a designer can inspect. */
  rules: RuleProperties[]
  /** Counter facts used by `at_least`, reset to 0 on each run. */
  counters: string[]
  /** Response endpoints' logic and their rules (run per subject and visit, apart from eligibility). */
  endpoints: CompiledEndpoint[]
  endpointRules: RuleSet
  /** The extensions it was compiled with: evaluation reads custom facts, operators and calculators from here. */
  extensions: EngineExtensions
}

export interface CompileOptions {
  /** Dictionaries to resolve drugs, vaccines, conditions and lab concepts; defaults to the shipped ones. */
  dictionary?: Dictionary
  /** Custom facts, operators and calculators (engine/extensions.ts); the same ones given to loadProtocol. */
  extensions?: EngineExtensions
}

/**
 * Compile a protocol that passed schema and semantic validation.
 *
 * @param doc - the protocol document (from {@link loadProtocol})
 * @example
 * const compiled = compileProtocol(loaded.protocol)
 * console.log(JSON.stringify(compiled.rules, null, 2))
 */
/** No extensions: one object for every protocol compiled without, so that what is kept per extensions is kept once. */
const NO_EXTENSIONS: EngineExtensions = Object.freeze({})

export function compileProtocol(doc: ProtocolDocument, options: CompileOptions = {}): CompiledProtocol {
  // the protocol's own lab concepts extend the dictionary for this protocol only
  const dictionary = withLabConcepts(options.dictionary ?? defaultDictionary, doc.definitions?.lab_concepts)
  const params = resolveParameters(doc)
  const extensions = options.extensions ?? NO_EXTENSIONS
  const ctx = { doc, params, dictionary, extensions }
  const ruleSet: RuleSet = { rules: [], counters: [] }
  const criteria: CompiledCriterion[] = doc.criteria.map(c => {
    const logic = toNnf(normalizeCondition(c.logic, 'logic', ctx))
    partToRules(c.id, 'logic', logic, ruleSet)
    const compiled: CompiledCriterion = { id: c.id, kind: c.kind, text: c.text, notes: c.notes ?? [], logic }
    if (c.title) compiled.title = c.title
    if (c.applies_if) {
      compiled.applicability = toNnf(normalizeCondition(c.applies_if, 'applies_if', ctx))
      partToRules(c.id, 'applies_if', compiled.applicability, ruleSet)
    }
    return compiled
  })
  const endpointRules: RuleSet = { rules: [], counters: [] }
  const endpoints: CompiledEndpoint[] = (doc.endpoints ?? []).flatMap(e => {
    if (e.type !== 'response') return []
    const logic = toNnf(normalizeCondition(e.logic, 'logic', ctx))
    partToRules(e.id, 'logic', logic, endpointRules)
    return [{ id: e.id, logic }]
  })
  return { document: doc, parameters: params, dictionary, criteria, rules: ruleSet.rules, counters: ruleSet.counters, endpoints, endpointRules, extensions }
}
