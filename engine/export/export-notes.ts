/**
 * What every export (CDISC USDM, FHIR) says beside its document: the parts of
 * the protocol the standard has no place for, so that nothing is dropped
 * silently, and the eligibility text as a standard's reader gets it back.
 */
import type { CriterionKind } from '../types.ts'

/** One part of the protocol the standard could not carry, or carries only as text. */
export interface ExportNote {
  /** Where in the protocol: `criteria.IN02.logic`, `parameters`, `visits.week_4.window`... */
  where: string
  /** What the standard does not hold, and how the export carries it instead (if at all). */
  note: string
}

/** An export: the standard's document and what it could not carry. */
export interface ProtocolExport<D> {
  /** The standard's name and version, e.g. `CDISC USDM 4.0.0` or `HL7 FHIR R5 (5.0.0)`. */
  standard: string
  document: D
  notes: ExportNote[]
}

/** A criterion as an export's reader gets it back: the round trip keeps the registry text. */
export interface ExportedCriterion {
  id: string
  kind: CriterionKind
  text: string
}
