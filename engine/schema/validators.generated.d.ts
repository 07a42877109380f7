// The types of validators.generated.js (written by build-validators.ts): one Ajv validate function per document kind,
// and the schemas they were generated from (the objects their errors' parentSchema point into).
import type { ValidateFunction } from 'ajv/dist/2020.js'

export declare const protocol: ValidateFunction
export declare const patient: ValidateFunction
export declare const subject: ValidateFunction
export declare const examples: ValidateFunction

export declare const protocolSchema: Record<string, unknown>
export declare const patientSchema: Record<string, unknown>
export declare const subjectSchema: Record<string, unknown>
export declare const examplesSchema: Record<string, unknown>
