/** A protocol exported in one of the formats of formats.ts. */
import type { ProtocolDocument } from '../types.ts'
import type { ProtocolExport } from './export-notes.ts'
import { toFhir } from './fhir-export.ts'
import type { ExportFormat } from './formats.ts'
import { toUsdm } from './usdm.ts'

export function exportProtocol(doc: ProtocolDocument, format: ExportFormat): ProtocolExport<unknown> {
  switch (format) {
    case 'usdm':
      return toUsdm(doc)
    case 'fhir-r4':
      return toFhir(doc, 'R4')
    case 'fhir-r5':
      return toFhir(doc, 'R5')
  }
}
