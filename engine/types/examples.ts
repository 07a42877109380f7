/**
 * Example patients and subjects, `protocols/<id>.examples.yaml`: the
 * protocol's own tests, each with the verdict or results worked out by hand.
 */
import type { PatientRecord } from './record.ts'
import type { SubjectRecord } from './study.ts'
import type { Overall, Truth } from './verdict.ts'

export interface ExamplesDocument {
  $schema?: string
  /** `registry_id` of the protocol these examples test. */
  protocol: string
  /** Record every example starts from. */
  base_patient: PatientRecord
  examples: ExamplePatient[]
  /** Subject every follow-up example starts from (endpoints). */
  base_subject?: SubjectRecord
  subjects?: ExampleSubject[]
}

/** A subject with follow-up and the endpoint results worked out by hand; `null` means unknown / no event. */
export interface ExampleSubject {
  id: string
  description: string
  arm: string
  /** JSON Merge Patch applied to `base_subject`. */
  record: Record<string, unknown>
  expect: {
    responses?: Record<string, Record<string, Truth>>
    classifications?: Record<string, Record<string, string>>
    /** A number: exact days; `{ after, by }`: interval-censored (TimeToEventResult.interval); null: no event or unknown. */
    time_to_event?: Record<string, number | null | { after: number; by: number }>
    changes?: Record<string, Record<string, number | null>>
    responder_index?: Record<string, Record<string, boolean | null>>
    safety?: Record<string, boolean | null>
  }
}

export interface ExamplePatient {
  id: string
  description: string
  /** JSON Merge Patch (RFC 7386) applied to `base_patient`: objects merge, arrays replace, null deletes. */
  patch?: Record<string, unknown>
  expect: {
    overall: Overall
    /** Expected truth of the named criteria; criteria not named are not checked. */
    criteria?: Record<string, Truth>
  }
}
