// The types of validators.generated.js (written by build-validators.ts): one Ajv validate function per document kind.
import type { ValidateFunction } from 'ajv/dist/2020.js'

export declare const protocol: ValidateFunction
export declare const patient: ValidateFunction
export declare const subject: ValidateFunction
export declare const examples: ValidateFunction
