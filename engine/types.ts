/**
 * Every shape of the protocol language, the patient record and what the
 * engine answers, one module per subject under engine/types/ (imports
 * between them form no cycle: values ← logic ← record ← verdict ← study ←
 * protocol, examples; diagnostics and api stand alone). This barrel only
 * re-exports, so `import type ... from './types.ts'` reaches every shape.
 *
 * Together they are the contract between the YAML a trial designer writes, the
 * JSON Schemas in `engine/schema/` (which must accept exactly these shapes),
 * the compiler and the evaluator. Field names are snake_case because they are
 * what people type in YAML; TypeScript-only types are camelCase.
 */
export type * from './types/values.ts'
export type * from './types/logic.ts'
export { ISN_RPS_CLASSES, ISN_RPS_ACTIVITIES, BIOPSY_FINDINGS } from './types/logic.ts'
export type * from './types/record.ts'
export { ACR_1997_ITEMS, HISTORY_SECTIONS, SLEDAI_2K_DESCRIPTORS } from './types/record.ts'
export type * from './types/verdict.ts'
export type * from './types/diagnostics.ts'
export type * from './types/study.ts'
export { BILAG_SYSTEM_NAMES } from './types/study.ts'
export type * from './types/protocol.ts'
export type * from './types/examples.ts'
export type * from './types/api.ts'
