/**
 * The study dashboard over HTTP: the screening funnel, the per-arm study
 * results, and the protocol document that names endpoints, visits and arms.
 * Requests go through web/api.ts (token, ProblemError).
 */
import { getProtocolDocument, json } from '../api.ts'
import type { FunnelPopulation, ProtocolDocument, ScreeningFunnelReport, StudySummary } from '../../engine/index.ts'

export type { FunnelPopulation, ProtocolDocument, ScreeningFunnelReport, StudySummary }

/** GET /protocols/:id/results: the study summary over every randomized subject of the latest version. */
export type StudyResults = StudySummary & { version: number; subjects: number }

/** The CONSORT-style funnel over the screening log (see the route's summary for who is counted). */
export const getScreeningFunnel = (protocolId: string, population: FunnelPopulation, signal?: AbortSignal): Promise<ScreeningFunnelReport> =>
  json(`/protocols/${encodeURIComponent(protocolId)}/screening-funnel?population=${population}`, { signal })

/** Study results and the document of the latest version, fetched together (titles and labels come from the document). */
export async function getStudyResults(protocolId: string, signal?: AbortSignal): Promise<{ results: StudyResults; document: ProtocolDocument }> {
  const [results, doc] = await Promise.all([json<StudyResults>(`/protocols/${encodeURIComponent(protocolId)}/results`, { signal }), getProtocolDocument(protocolId, signal)])
  return { results, document: doc.document }
}
