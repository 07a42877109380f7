/**
 * The engine's public API. Pure: strings and objects in, values out; no I/O.
 *
 * @example
 * import { loadProtocol, compileProtocol, evaluateEligibility } from './engine/index.ts'
 * const { value: doc, diagnostics } = loadProtocol(yamlText, { file: 'protocols/my-trial.yaml' })
 * if (!doc) throw new Error(formatDiagnostics(diagnostics, yamlText))
 * const verdict = await evaluateEligibility(compileProtocol(doc), patient)
 */
export type * from './types.ts'
export { ACR_1997_ITEMS, SLEDAI_2K_DESCRIPTORS } from './types.ts'

export { loadProtocol, loadPatient, loadExamples, type Loaded, type LoadOptions } from './load/load.ts'
export { applyMergePatch } from './load/merge-patch.ts'
export { compileProtocol, type CompiledProtocol, type CompiledCriterion, type CompileOptions } from './compile/compile-protocol.ts'
export { evaluateEligibility, enginePairOf } from './evaluate/evaluate.ts'
export type { EnginePair } from './evaluate/engine-pair.ts'
export { BACKENDS, evaluatorOf } from './backends/index.ts'
export type { BackendName, EvaluationMode, EligibilityBackend, EligibilityEvaluator, ScreenVerdict, ScreenCriterion, ScreenVerdictOptions } from './evaluate/backend.ts'
export { runExamples, examplePatient, type ExampleOutcome, type ExampleMismatch } from './evaluate/run-examples.ts'
export { FACT_CATALOGUE } from './evaluate/facts/record-facts.ts'
export { formatDiagnostic, formatDiagnostics, sortDiagnostics } from './diagnostics/format.ts'
export { parseYamlText, locate } from './parse/yaml-document.ts'
export { validateAgainstSchema } from './schema/validate.ts'
export { checkProtocol } from './semantic/check-protocol.ts'
export { defaultDictionary, resolveEntry, resolveLabConcept, hasClassOrItem, type Dictionary, type LabConcept } from './dictionary/index.ts'
export * from './calculators/index.ts'

// study: arms, visits, endpoints
export { evaluateSubject } from './endpoints/evaluate-subject.ts'
export { POOLED_ARM, summarizeStudy, type StudySummary, type ResponseSummary, type ArmRates, type Rate } from './endpoints/study.ts'
export { subjectCalendar, type SubjectCalendar } from './endpoints/calendar.ts'
export { DEFAULT_INTERVAL_CONVENTION, INTERVAL_CONVENTION_WORDS, intervalConvention, intervalPoint, observedTime } from './endpoints/time-to-event.ts'
export { generateSchedule, planVisits, assignVisit, visitWindowDays, baselineFromData, baselineVisitIds, type ScheduleInput, type ScheduleResult, type VisitPlanResult } from './schedule/index.ts'
export * from './statistics/index.ts'
export { runSubjectExamples, exampleSubject, type SubjectExampleOutcome } from './endpoints/run-subject-examples.ts'
export { resolveParameters } from './compile/resolve.ts'
export { syntheticStudy, type SyntheticStudyOptions } from './synthetic/subjects.ts'
export { diffProtocols, type ProtocolDiff, type ItemChange, type LeafChange } from './diff/diff-protocols.ts'
export { canRandomize, type RandomizeCheck, type ScreeningOutcome } from './subject/randomization.ts'
export { matchPatient, matchRow, rankMatchRows, compareMatchRows, type MatchRow, type MatchCriterion, type MatchTarget } from './match/match-patient.ts'
export * from './describe/index.ts'
export { importFhirBundle, readFhirBundle, FhirBundleError, fhirDate, RECORD_SYSTEM, FHIR_SYSTEMS, type FhirImport, type FhirImportOptions, type MappedItem, type UnmappedItem, type UnmappedReason } from './fhir/index.ts'
export * from './fast/index.ts'
export { amendmentImpact, type AmendmentImpact, type VerdictChange, type CriterionShift, type ScreenedPatient } from './diff/amendment-impact.ts'
export { applyDoseChanges, type DoseChange, type DoseChangeResult } from './record/dose-changes.ts'
export type { Role, ExampleCheck, ExampleRunResult } from './types.ts'
export type { EngineExtensions, CustomFact, CustomOperator, LabCalculator, CalculatedValue, FactValue } from './extensions.ts'
export { FunnelCounter, funnelOf, screeningFlowOf, type Funnel, type FunnelStep, type FunnelVerdict, type FunnelCriterion, type FlowStep, type ScreeningFlow, type FunnelPopulation, type ScreeningFunnelReport } from './screening/funnel.ts'
