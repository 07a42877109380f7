/**
 * Screening a subject's record against a protocol version: the verdict and
 * the screening-log entry that files it under the subject. One home for what
 * POST /subjects/:sid/screening and PUT /subjects/:sid/record (re-screening
 * on save) both do; the caller saves the entry with the record in one
 * transaction.
 */
import { DEFAULT_BACKEND, evaluateEligibility, type BackendName, type SubjectRecord, type Verdict } from '../../engine/index.ts'
import type { LoadedVersion } from '../protocol-cache.ts'
import type { NewEvaluation } from '../storage/store.ts'

export interface SubjectScreening {
  verdict: Verdict
  /** The screening-log entry, without the subject (the store adds it). */
  evaluation: Omit<NewEvaluation, 'subject_id'>
}

/** Evaluate the record (already validated) against the loaded version, on the backend named (default fast). */
export async function screenRecord(loaded: LoadedVersion, record: SubjectRecord, backend: BackendName = DEFAULT_BACKEND): Promise<SubjectScreening> {
  const verdict = await evaluateEligibility(loaded.compiled, record, { backend })
  return {
    verdict,
    evaluation: {
      protocol_id: loaded.row.protocol_id,
      version: loaded.row.version,
      overall: verdict.overall,
      failing: JSON.stringify(verdict.failing),
      verdict: JSON.stringify(verdict),
      patient: JSON.stringify(record),
    },
  }
}
