/**
 * Endpoints in USDM: each is an Endpoint (its registry text, verbatim) under
 * an Objective of its level. Registry records list outcome measures, not
 * objectives, so the export makes one objective per level that has endpoints
 * and says so in its notes; how an endpoint is computed stays in the protocol.
 */
import type { ProtocolDescription } from '../describe/index.ts'
import type { ProtocolDocument } from '../types.ts'
import type { ExportNote } from './export-notes.ts'
import type { UsdmBuilder, UsdmInstance } from './usdm-build.ts'
import { USDM_CODES } from './usdm-codes.ts'

export function usdmObjectives(doc: ProtocolDocument, described: ProtocolDescription, b: UsdmBuilder): { objectives: UsdmInstance[]; notes: ExportNote[] } {
  const endpoints = doc.endpoints ?? []
  const objectives: UsdmInstance[] = []
  for (const level of ['primary', 'secondary'] as const) {
    const these = endpoints.filter(e => e.kind === level)
    if (these.length === 0) continue
    objectives.push(
      b.make('Objective', {
        name: `${level}_objective`,
        label: `${level === 'primary' ? 'Primary' : 'Secondary'} outcome measures`,
        description: null,
        text: `To assess the ${level} outcome measures as registered: ${these.map(e => e.title).join('; ')}.`,
        dictionaryId: null,
        notes: [],
        level: b.code(level === 'primary' ? USDM_CODES.primaryObjective : USDM_CODES.secondaryObjective),
        endpoints: these.map(e =>
          b.make('Endpoint', {
            name: e.id,
            label: e.title,
            description: described.endpoints.find(d => d.id === e.id)?.summary ?? null,
            text: e.text,
            dictionaryId: null,
            notes: (e.notes ?? []).map(text => b.comment(text)),
            purpose: e.time_frame ? `${e.type.replaceAll('_', ' ')} endpoint; time frame ${e.time_frame}` : `${e.type.replaceAll('_', ' ')} endpoint`,
            level: b.code(level === 'primary' ? USDM_CODES.primaryEndpoint : USDM_CODES.secondaryEndpoint),
          }),
        ),
      }),
    )
  }
  const notes: ExportNote[] = endpoints.length
    ? [
        {
          where: 'endpoints',
          note: "The registry lists outcome measures, not objectives: each level's endpoints are under one objective of that level, whose text is the export's.",
        },
        ...endpoints.map(e => ({
          where: `endpoints.${e.id}`,
          note: `USDM holds the endpoint as text: how it is computed (${e.type.replaceAll('_', ' ')}: its logic, levels, visits and missing-data rules) is in the Endpoint's description in words only.`,
        })),
      ]
    : []
  return { objectives, notes }
}
