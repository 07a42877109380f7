/**
 * The engine's core API: load a protocol, compile it, evaluate a patient on
 * either backend, run its examples. Pure: strings and objects in, values
 * out; no I/O. Beside it, one entry per part, each importable on its own:
 * - engine/study.ts: schedules, a subject's endpoints, study summaries, statistics, funnel
 * - engine/describe/index.ts: a protocol and its logic in plain words
 * - engine/diff/index.ts: comparing versions and an amendment's impact
 * - engine/match/index.ts: one patient against many protocols
 * - engine/fhir/index.ts: FHIR R4 bundles → patient records
 * - engine/fast/index.ts: the screener for many records
 * - engine/calculators/index.ts: the clinical calculators (dates, units, scores, eGFR)
 * Every type of every entry is re-exported here, so `import type` needs one path.
 *
 * @example
 * import { loadProtocol, compileProtocol, evaluateEligibility } from './engine/index.ts'
 * const { value: doc, diagnostics } = loadProtocol(yamlText, { file: 'protocols/my-trial.yaml' })
 * if (!doc) throw new Error(formatDiagnostics(diagnostics, yamlText))
 * const verdict = await evaluateEligibility(compileProtocol(doc), patient)
 */
export type * from './types.ts'
export { ACR_1997_ITEMS, SLEDAI_2K_DESCRIPTORS } from './types.ts'

export { loadProtocol, loadPatient, loadExamples, parseExamplesText, type Loaded, type LoadOptions } from './load/load.ts'
export { applyMergePatch } from './load/merge-patch.ts'
export { compileProtocol, type CompiledProtocol, type CompiledCriterion, type CompileOptions } from './compile/compile-protocol.ts'
export { resolveParameters } from './compile/resolve.ts'
export { enginePairOf } from './evaluate/evaluate.ts'
export type { EnginePair } from './evaluate/engine-pair.ts'
export { BACKENDS, BACKEND_NAMES, isBackendName, evaluatorOf, evaluateEligibility, evaluateBriefly, type EvaluateOptions } from './backends/index.ts'
export type {
  BackendName,
  EvaluationMode,
  EligibilityBackend,
  EligibilityEvaluator,
  ScreenVerdict,
  ScreenCriterion,
  ScreenVerdictOptions,
  BriefVerdict,
} from './evaluate/backend.ts'
export { DEFAULT_BACKEND, briefVerdictOf } from './evaluate/backend.ts'
export { runExamples, examplePatient, type ExampleOutcome, type ExampleMismatch, type RunExamplesOptions } from './evaluate/run-examples.ts'
export { FACT_CATALOGUE } from './evaluate/facts/record-facts.ts'
export { formatDiagnostic, formatDiagnostics, sortDiagnostics } from './diagnostics/format.ts'
export { parseYamlText, locate, type ParsedYaml } from './parse/yaml-document.ts'
export { validateAgainstSchema } from './schema/validate.ts'
export { checkProtocol } from './semantic/check-protocol.ts'
export { defaultDictionary, resolveEntry, resolveLabConcept, hasClassOrItem, type Dictionary, type LabConcept } from './dictionary/index.ts'
export type { EngineExtensions, CustomFact, CustomOperator, LabCalculator, CalculatedValue, FactValue } from './extensions.ts'

// the types of the other entries (no runtime code: web/ reads types through this file only)
export type * from './study.ts'
export type * from './describe/index.ts'
export type * from './diff/index.ts'
export type * from './match/index.ts'
export type { ExportFormat, ExportNote, ExportedCriterion, ProtocolExport } from './export/index.ts'
export type * from './fhir/index.ts'
export type * from './fast/index.ts'
export type * from './calculators/index.ts'
