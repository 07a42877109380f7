/**
 * A protocol version in a standard's JSON (GET /protocols/:id/export/:format):
 * CDISC USDM or a FHIR Bundle, with what the standard could not carry.
 * Requests go through web/api.ts (token, ProblemError).
 */
import { json } from '../api.ts'
import type { ExportFormat, ExportNote } from '../../engine/index.ts'

export { EXPORT_FORMAT_TITLES, EXPORT_FORMATS } from '../../engine/export/formats.ts'
export type { ExportFormat, ExportNote }

export interface ProtocolExportAnswer {
  version: number
  format: ExportFormat
  standard: string
  document: unknown
  notes: ExportNote[]
}

export const getProtocolExport = (id: string, version: number, format: ExportFormat, signal?: AbortSignal): Promise<ProtocolExportAnswer> =>
  json(`/protocols/${encodeURIComponent(id)}/export/${format}?version=${version}`, { signal })
