/**
 * Semantic check of `equation:` on a measurement or change leaf: it applies
 * to the eGFR concept only and names one of the engine's equations (a
 * `{ param }` must hold one).
 */
import { resolveLabConcept, type Dictionary } from '../dictionary/index.ts'
import { EGFR_CONCEPT, EGFR_EQUATIONS } from '../calculators/egfr-equations.ts'
import type { PathSegment } from '../parse/path.ts'
import { issue, type SemanticIssue } from './issue.ts'

export function checkEgfrEquation(
  conceptId: string,
  equation: unknown,
  at: PathSegment[],
  x: { issues: SemanticIssue[]; dictionary: Dictionary; paramOr(value: unknown, at: PathSegment[], want: 'string', allowed: string[]): void },
): void {
  if (equation === undefined) return
  const concept = resolveLabConcept(conceptId, x.dictionary)
  if (concept && concept.id !== EGFR_CONCEPT) {
    x.issues.push(
      issue(
        'E_SCHEMA_SHAPE',
        at,
        `an equation applies to eGFR (concept ${EGFR_CONCEPT}) only, not to ${concept.name}`,
        `concept ${EGFR_CONCEPT}`,
        `concept ${concept.id}`,
      ),
    )
    return
  }
  x.paramOr(equation, at, 'string', [...EGFR_EQUATIONS])
}
