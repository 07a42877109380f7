/**
 * The export formats by name, as the CLI (`export --usdm|--fhir`), the API
 * (`GET /protocols/{id}/export/{format}`) and the protocol view's buttons
 * name them: one list, so the three offer the same formats. Pure and
 * import-free: the web UI uses it too.
 */
export const EXPORT_FORMATS = ['usdm', 'fhir-r5', 'fhir-r4'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export const isExportFormat = (x: string): x is ExportFormat => (EXPORT_FORMATS as readonly string[]).includes(x)

/** What each format is, in words (usage text, the API's description, the buttons' titles). */
export const EXPORT_FORMAT_TITLES: Readonly<Record<ExportFormat, { short: string; long: string }>> = {
  usdm: { short: 'CDISC USDM 4.0', long: 'CDISC USDM 4.0.0 study definition (JSON)' },
  'fhir-r5': { short: 'FHIR R5', long: 'HL7 FHIR R5 Bundle: ResearchStudy, EvidenceVariable, PlanDefinition, ActivityDefinition' },
  'fhir-r4': { short: 'FHIR R4', long: 'HL7 FHIR R4 Bundle: ResearchStudy, EvidenceVariable, PlanDefinition, ActivityDefinition' },
}
