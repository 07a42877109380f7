/**
 * Build small protocols in code for engine tests: one criterion over
 * attestation leaves a1..aN, whose values a test sets to true, false or
 * leaves out (unknown).
 */
import type { Condition, Criterion, PatientRecord, ProtocolDocument } from '../../engine/index.ts'

export const ATTESTATIONS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'] as const

export function protocolWith(criteria: Criterion[], extra: Partial<ProtocolDocument> = {}): ProtocolDocument {
  return {
    protocol: { registry_id: 'TEST-0001', title: 'test', version: '0.0.1', sponsor: 'test', phase: '2', target_enrollment: 10 },
    reference_dates: { screening: { label: 'screening' }, randomization: { label: 'random allocation' }, consent: { label: 'consent' } },
    attestations: Object.fromEntries(ATTESTATIONS.map(a => [a, { question: `${a}?` }])),
    ...extra,
    criteria,
  }
}

export function inclusion(logic: Condition, id = 'IN01'): Criterion {
  return { id, kind: 'inclusion', text: `test criterion ${id}`, logic }
}

export function exclusion(logic: Condition, id = 'EX01'): Criterion {
  return { id, kind: 'exclusion', text: `test criterion ${id}`, logic }
}

/** `att('a1')` is the leaf "investigator answered yes to a1". */
export function att(name: (typeof ATTESTATIONS)[number]): Condition {
  return { attestation: name, is: true }
}

/** A patient whose attestations are the given values; `undefined` leaves one unanswered. */
export function patientWith(values: Partial<Record<string, boolean | undefined>>, base: PatientRecord = {}): PatientRecord {
  const attestations: Record<string, boolean> = {}
  for (const [k, v] of Object.entries(values)) if (v !== undefined) attestations[k] = v
  return { ...base, attestations }
}
