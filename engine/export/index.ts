/**
 * The export entry: a protocol written in the standards other tools read
 * (CDISC USDM 4.0.0, HL7 FHIR R4 and R5), each with the notes of what the
 * standard could not carry, and the eligibility read back from each. Pure.
 */
export type { ExportedCriterion, ExportNote, ProtocolExport } from './export-notes.ts'
export { EXPORT_FORMAT_TITLES, EXPORT_FORMATS, isExportFormat, type ExportFormat } from './formats.ts'
export { exportProtocol } from './export-protocol.ts'
export { toUsdm, USDM_VERSION, type UsdmWrapper } from './usdm.ts'
export { eligibilityFromUsdm } from './usdm-eligibility.ts'
export { toFhir } from './fhir-export.ts'
export { eligibilityFromFhir } from './fhir-eligibility.ts'
