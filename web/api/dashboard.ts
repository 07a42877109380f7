/**
 * The study dashboard over HTTP: the screening funnel, the per-arm study
 * results, and the protocol document that names endpoints, visits and arms.
 * Requests go through web/api.ts (token, ProblemError).
 */
import { getProtocolDocument, json } from '../api.ts'
import type { WhatIfEdits } from '../../engine/whatif/what-if.ts'
import type { Funnel, FunnelPopulation, MaskingValue, ProtocolDocument, ScreeningFunnelReport, StudySummary } from '../../engine/index.ts'

export type { FunnelPopulation, ProtocolDocument, ScreeningFunnelReport, StudySummary }

/**
 * Whether the server left out allocation for this reader (server/routes/blinding.ts):
 * blinded answers pool every randomized subject into one group and count no arm.
 */
export interface Blinding {
  blinded: boolean
  masking: MaskingValue
  /** Why, in a sentence. */
  reason: string
}

/** GET /protocols/:id/results: the study summary over every randomized subject of the latest version; one pooled group when blinded. */
export type StudyResults = StudySummary & { version: number; subjects: number; blinded?: boolean; blinding?: Blinding }

/** GET /protocols/:id/screening-funnel: no count per arm when blinded. */
export type ScreeningFunnelView = ScreeningFunnelReport & { blinded?: boolean; blinding?: Blinding }

/** The CONSORT-style funnel over the screening log (see the route's summary for who is counted). */
export const getScreeningFunnel = (protocolId: string, population: FunnelPopulation, signal?: AbortSignal): Promise<ScreeningFunnelView> =>
  json(`/protocols/${encodeURIComponent(protocolId)}/screening-funnel?population=${population}`, { signal })

/** Study results and the document of the latest version, fetched together (titles and labels come from the document). */
export async function getStudyResults(protocolId: string, signal?: AbortSignal): Promise<{ results: StudyResults; document: ProtocolDocument }> {
  const [results, doc] = await Promise.all([
    json<StudyResults>(`/protocols/${encodeURIComponent(protocolId)}/results`, { signal }),
    getProtocolDocument(protocolId, signal),
  ])
  return { results, document: doc.document }
}

/** POST /protocols/:id/cohort: the protocol's eligibility counted in the OMOP warehouse the server is configured with. */
export interface CohortReport {
  protocol_id: string
  version: number
  /** Where the rows came from, without a password. */
  source: string
  persons: number
  funnel: Funnel
  /** Criteria SQL does not express yet: unknown for every person, with why. */
  unknown_in_sql: Array<{ criterion: string; reasons: string[] }>
}

/** Runs the count in the warehouse (409 when the server has no OMOP source, 502 when it fails there). */
export const runCohort = (protocolId: string, signal?: AbortSignal): Promise<CohortReport> =>
  json(`/protocols/${encodeURIComponent(protocolId)}/cohort`, { method: 'POST', signal })

/** One criterion's step of the CONSORT-style flow (engine/screening/funnel.ts). */
export type FlowStepView = ScreeningFunnelReport['flow']['steps'][number]

/** POST /protocols/:id/what-if: the screened patients under the latest version and under the edits, saved nowhere. */
export interface WhatIfReport {
  version: number
  over: 'screened' | 'records'
  evaluated: number
  not_reevaluable: number
  flows: { before: ScreeningFunnelReport['flow']; after: ScreeningFunnelReport['flow'] }
  changed: Array<{
    who: { evaluation_id?: number; subject_code?: string | null; index?: number; id?: string | null }
    before: { overall: string }
    after: { overall: string }
  }>
  document: ProtocolDocument
  /** The version's YAML with only the edits changed. */
  yaml: string
}

/** The edits, over the screened subjects, or over `records` (an uploaded extract). */
export const postWhatIf = (protocolId: string, edits: WhatIfEdits & { records?: unknown[] }, signal?: AbortSignal): Promise<WhatIfReport> =>
  json(`/protocols/${encodeURIComponent(protocolId)}/what-if`, { method: 'POST', json: edits, signal })
