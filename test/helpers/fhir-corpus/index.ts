/**
 * FHIR corpus generator for importer tests: deterministic FHIR R4 Bundles in
 * the shapes of real third-party data (Synthea R4 patient bundles; US Core
 * 6.1 / 8.0 / 9.0 exports), written with real RxNorm, SNOMED CT, LOINC, CVX
 * and UCUM codes, each with the ground truth of what every clinically
 * relevant item is.
 *
 * @example
 * const { bundle, truth } = generateBundle(42, 'synthea', { include: ['rituximab_recent'] })
 * const corpus = generateCorpus(200)            // ~60 % Synthea, the rest US Core
 * const big = generateBundle(7, 'us-core-8.0', { targetBytes: 2_000_000 })
 */
export { generateBundle, generateCorpus, corpusMember, DEFAULT_SCREENING_DATE } from './corpus.ts'
export { stu3Bundle, dstu2Bundle } from './stu3.ts'
export { CORPUS_PROFILES, INCLUDE_ITEMS } from './types.ts'
export type { CorpusProfile, GeneratedBundle, GenerateOptions, IncludeItem, TruthItem } from './types.ts'
export { mulberry32, mixSeed, Rng } from './random.ts'
