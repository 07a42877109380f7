/** Comparing protocol versions: the structured diff, its wording, and an amendment's impact on screened patients. */
export { diffProtocols, type ProtocolDiff, type ItemChange, type LeafChange } from './diff-protocols.ts'
export { amendmentImpact, type AmendmentImpact, type VerdictChange, type CriterionShift, type ScreenedPatient } from './amendment-impact.ts'
export { describeDiff, type DiffSection, type ChangeLine, type ItemLine } from './describe-diff.ts'
