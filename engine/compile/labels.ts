/**
 * Plain-words statements of clauses, shown to clinicians in explanations.
 * A designer's own `label` always wins over these. Windows, reference dates
 * and visits are worded once, in engine/words/windows.ts (shared with the
 * protocol description and the web's version comparison).
 */
import type { ProtocolDocument, Window } from '../types.ts'
import type { ResolvedWindow } from './ir.ts'
import { plainNumbers, referenceLabel, windowWords } from '../words/windows.ts'

export { visitLabel } from '../words/windows.ts'
export { opWords } from '../words/phrases.ts'

/** A resolved window as it was written (its span as authored when resolve kept it), for the one wording. */
function asWritten(w: ResolvedWindow): Window | undefined {
  switch (w.kind) {
    case 'any':
      return undefined
    case 'planned':
      return { planned: 'during_study' }
    case 'at':
      return { at: w.ref }
    case 'visit':
      return { visit: w.visit }
    case 'study_days':
      return { ref: w.ref, from_day: w.from, to_day: w.to }
    case 'range':
      return { ...(w.span ?? { months: w.months ?? 0, days: w.days }), before: w.ref }
  }
}

/** "within 24 weeks before screening", "planned during the study"... (engine/words/windows.ts `windowWords`). */
export function describeWindow(w: ResolvedWindow, doc: ProtocolDocument): string {
  return windowWords(asWritten(w), plainNumbers(doc))
}

export function describeRef(doc: ProtocolDocument, ref: string): string {
  return referenceLabel(doc, ref)
}
