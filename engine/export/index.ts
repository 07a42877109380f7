/**
 * The export entry: a protocol written in the standards other tools read
 * (CDISC USDM 4.0.0, HL7 FHIR R4 and R5), each with the notes of what the
 * standard could not carry, and the eligibility read back from each. Pure.
 */
export type { ExportedCriterion, ExportNote, ProtocolExport } from './export-notes.ts'
export { toUsdm, USDM_VERSION, type UsdmWrapper } from './usdm.ts'
export { eligibilityFromUsdm } from './usdm-eligibility.ts'
