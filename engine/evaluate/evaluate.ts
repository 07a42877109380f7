/**
 * The reference backend: json-rules-engine over a compiled protocol's rules,
 * run twice per record (engine-pair.ts), explained from the runs' trace.
 */
import type { PatientRecord, Verdict } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { buildEnginePair, traceOfRuns, type EnginePair } from './engine-pair.ts'
import { screenVerdictOf, type EligibilityBackend, type EligibilityEvaluator } from './backend.ts'
import { verdictFromTrace } from './verdict.ts'

const pairs = { eligibility: new WeakMap<CompiledProtocol, EnginePair>(), endpoints: new WeakMap<CompiledProtocol, EnginePair>() }

/** The engine pair of a compiled protocol's eligibility rules (or endpoint rules), built on first use. */
export function enginePairOf(compiled: CompiledProtocol, part: 'eligibility' | 'endpoints' = 'eligibility'): EnginePair {
  let pair = pairs[part].get(compiled)
  if (!pair) {
    const ruleSet = part === 'eligibility' ? { rules: compiled.rules, counters: compiled.counters } : compiled.endpointRules
    pair = buildEnginePair(compiled, ruleSet)
    pairs[part].set(compiled, pair)
  }
  return pair
}

const evaluators = new WeakMap<CompiledProtocol, EligibilityEvaluator<'async'>>()

/** json-rules-engine, the reference every other backend must agree with. */
export const referenceBackend: EligibilityBackend<'async'> = {
  name: 'reference',
  mode: 'async',
  evaluatorOf(compiled) {
    let evaluator = evaluators.get(compiled)
    if (!evaluator) {
      const evaluate = async (patient: PatientRecord): Promise<Verdict> => {
        const { lower, upper } = await enginePairOf(compiled).run(patient)
        return verdictFromTrace(compiled, patient, traceOfRuns(lower, upper))
      }
      // json-rules-engine gives no cheaper answer than the explained one
      evaluator = {
        backend: 'reference',
        mode: 'async',
        compiled,
        evaluate,
        screen: async (patient, options) => screenVerdictOf(await evaluate(patient), options),
        explainCriteria: async (patient, ids) => (await evaluate(patient)).criteria.filter(c => ids.has(c.id)),
      }
      evaluators.set(compiled, evaluator)
    }
    return evaluator
  },
}
