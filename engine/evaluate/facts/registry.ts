/**
 * Our facts by json-rules-engine fact id: the one table both evaluation paths
 * use (the engine pair registers each with json-rules-engine; the fast path
 * calls them directly). Each is synchronous: patient + condition params +
 * context in, Evidence out.
 */
import type { PatientRecord } from '../../types.ts'
import type { Evidence } from '../evidence.ts'
import type { FactContext } from './context.ts'
import { measurementEvidence, type MeasurementParams } from './measurement.ts'
import { ageEvidence } from './age.ts'
import { attestationEvidence, parameterEvidence, recordFactEvidence, type RecordFactParams } from './record-facts.ts'
import { pregnancyTestEvidence } from './pregnancy-test.ts'
import { eventEvidence, type EventDomain, type EventParams } from './events.ts'
import { changeEvidence, type ChangeParams } from './change.ts'
import { steroidDoseEvidence, type SteroidDoseParams } from './steroid-dose.ts'
import { steroidDaysEvidence, type SteroidDaysParams } from './steroid-days.ts'
import { biopsyEvidence, type BiopsyParams } from './biopsy.ts'

export type FactParams = Record<string, unknown>
export type EvidenceFn = (patient: PatientRecord, params: FactParams, ctx: FactContext) => Evidence

/** Our facts by json-rules-engine fact id. Params come from the compiled condition. */
export const FACTS: Record<string, EvidenceFn> = {
  measurement: (p, params, ctx) => measurementEvidence(p, params as unknown as MeasurementParams, ctx),
  age: (p, params, ctx) => ageEvidence(p, params as { at: string }, ctx),
  record: (p, params, ctx) => recordFactEvidence(p, params as unknown as RecordFactParams, ctx),
  attestation: (p, params, ctx) => attestationEvidence(p, params as { name: string; at?: string }, ctx),
  change: (p, params, ctx) => changeEvidence(p, params as unknown as ChangeParams, ctx),
  steroid_dose: (p, params, ctx) => steroidDoseEvidence(p, params as unknown as SteroidDoseParams, ctx),
  steroid_days: (p, params, ctx) => steroidDaysEvidence(p, params as unknown as SteroidDaysParams, ctx),
  biopsy: (p, params, ctx) => biopsyEvidence(p, params as unknown as BiopsyParams, ctx),
  parameter: (_p, params, ctx) => parameterEvidence(params as { name: string }, ctx),
  pregnancy_test: (p, params, ctx) => pregnancyTestEvidence(p, params as unknown as Parameters<typeof pregnancyTestEvidence>[1], ctx),
  ...Object.fromEntries(
    (['medication', 'condition', 'procedure', 'vaccination'] as EventDomain[]).map((d): [string, EvidenceFn] => [
      d,
      (p, params, ctx) => eventEvidence(d, p, params as unknown as EventParams, ctx),
    ]),
  ),
}
