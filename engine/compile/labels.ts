/**
 * Plain-words statements of clauses, shown to clinicians in explanations.
 * A designer's own `label` always wins over these.
 */
import type { ComparisonOperator, ProtocolDocument } from '../types.ts'
import type { ResolvedWindow } from './ir.ts'

const OP_WORDS: Record<ComparisonOperator, string> = {
  '>': '>',
  '>=': '≥',
  '<': '<',
  '<=': '≤',
  '==': '=',
  '!=': '≠',
}

export function opWords(op: ComparisonOperator): string {
  return OP_WORDS[op]
}

function refLabel(doc: ProtocolDocument, ref: string): string {
  return doc.reference_dates[ref]?.label ?? ref
}

/** "within 24 weeks before screening", "planned during the study"... */
export function describeWindow(w: ResolvedWindow, doc: ProtocolDocument): string {
  switch (w.kind) {
    case 'any':
      return 'at any time'
    case 'planned':
      return 'planned during the study'
    case 'at':
      return `current at ${refLabel(doc, w.ref)}`
    case 'visit':
      return w.visit === 'current' ? 'at the visit' : `at ${visitLabel(doc, w.visit)}`
    case 'range': {
      const months = w.months ?? 0
      if (w.days === 0 && months === 0) return `on the ${refLabel(doc, w.ref)} date`
      const monthText = months === 0 ? '' : months % 12 === 0 ? `${months / 12} year${months === 12 ? '' : 's'}` : `${months} month${months === 1 ? '' : 's'}`
      const dayText = w.days === 0 ? '' : w.days % 7 === 0 ? `${w.days / 7} weeks` : `${w.days} days`
      return `within ${[monthText, dayText].filter(Boolean).join(' and ')} before ${refLabel(doc, w.ref)}`
    }
    case 'study_days':
      return `from study day ${w.from} to day ${w.to} (day 1 = ${refLabel(doc, w.ref)})`
  }
}

/** A visit's label ("week 24"), or its id. */
export function visitLabel(doc: ProtocolDocument, visit: string): string {
  return doc.visits?.find((v) => v.id === visit)?.label ?? visit
}

export function describeRef(doc: ProtocolDocument, ref: string): string {
  return refLabel(doc, ref)
}
