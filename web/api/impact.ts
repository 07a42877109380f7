/** Amendment impact over HTTP (GET /protocols/:id/impact). */
import type { CriterionShift, Overall, ProtocolDiff } from '../../engine/index.ts'
import { json } from '../api.ts'

export interface ImpactPatient {
  evaluation_id: number
  subject_id: string | null
  subject_code: string | null
  screened_at: string
  screened_version: number
  before: { overall: Overall; failing: string[] }
  after: { overall: Overall; failing: string[] }
  criteria: CriterionShift[]
}

export interface AmendmentImpactReport {
  protocol_id: string
  from: number
  to: number
  population: 'subjects' | 'all'
  diff: ProtocolDiff
  screened: number
  evaluated: number
  not_reevaluable: number
  unchanged: number
  changed: ImpactPatient[]
  shifted: ImpactPatient[]
  transitions: Record<Overall, Record<Overall, number>>
}

export const getAmendmentImpact = (
  id: string,
  from: number,
  to: number,
  population: 'subjects' | 'all',
  signal?: AbortSignal,
): Promise<AmendmentImpactReport> => json(`/protocols/${encodeURIComponent(id)}/impact?from=${from}&to=${to}&population=${population}`, { signal })
