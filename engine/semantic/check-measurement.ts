/**
 * Semantic checks of a `measurement` leaf: a known lab concept, a unit that
 * converts to the concept's own, a number (or parameter) as the value, and
 * its window, confirmation count and eGFR equation.
 */
import type { MeasurementLeaf, Window } from '../types.ts'
import type { Dictionary } from '../dictionary/index.ts'
import { resolveLabConcept } from '../dictionary/index.ts'
import { canConvert, isValidUnit } from '../calculators/units.ts'
import type { PathSegment } from '../parse/path.ts'
import type { SemanticIssue } from './issue.ts'
import { issue } from './issue.ts'
import { didYouMean } from './suggest.ts'
import { measurementThreshold } from '../logic/condition-model.ts'

/** The checks of the protocol checker a measurement leaf uses. */
export interface MeasurementChecks {
  readonly issues: SemanticIssue[]
  readonly dictionary: Dictionary
  window(w: Window | undefined, at: PathSegment[], allowPlanned: boolean): void
  paramOr(value: unknown, at: PathSegment[], want: 'number' | 'string', allowed?: string[]): void
  consecutive(v: unknown, at: PathSegment[]): void
  equation(conceptId: string, equation: unknown, at: PathSegment[]): void
}

export function checkMeasurement(m: MeasurementLeaf['measurement'], at: PathSegment[], x: MeasurementChecks): void {
  const concept = resolveLabConcept(m.concept, x.dictionary)
  if (!concept) {
    x.issues.push(
      issue(
        'E_UNKNOWN_CONCEPT',
        [...at, 'concept'],
        `unknown lab concept "${m.concept}"${didYouMean(
          m.concept,
          x.dictionary.labConcepts.map(c => c.id),
        )}`,
        `one of ${x.dictionary.labConcepts.map(c => c.id).join(', ')}`,
        m.concept,
      ),
    )
  } else if (m.unit !== undefined && isValidUnit(concept.unit)) {
    // (a concept with an invalid unit of its own is reported once, where it is defined)
    if (!isValidUnit(m.unit)) {
      x.issues.push(
        issue('E_UNIT_INCONVERTIBLE', [...at, 'unit'], `"${m.unit}" is not a valid UCUM unit`, `a UCUM unit convertible to ${concept.unit}`, m.unit),
      )
    } else if (!canConvert(concept.unit, m.unit, concept)) {
      x.issues.push(
        issue(
          'E_UNIT_INCONVERTIBLE',
          [...at, 'unit'],
          `${concept.name} is measured in ${concept.unit}, which cannot be converted to ${m.unit}`,
          `a unit convertible to ${concept.unit}`,
          m.unit,
        ),
      )
    }
  }
  const threshold = measurementThreshold(m.value)
  if (threshold.kind === 'category') {
    // every lab concept is a quantity or a score: a word is a typo for a number
    x.issues.push(
      issue(
        'E_SCHEMA_TYPE',
        [...at, 'value'],
        `expected a number for ${concept?.name ?? m.concept}, got string "${threshold.value}"`,
        'a number',
        `string "${threshold.value}"`,
      ),
    )
  } else if (threshold.kind === 'times_upper_limit') x.paramOr(threshold.factor, [...at, 'value', 'times_upper_limit'], 'number')
  else x.paramOr(threshold.value, [...at, 'value'], 'number')
  x.consecutive(m.consecutive, [...at, 'consecutive'])
  x.window(m.window, [...at, 'window'], false)
  x.equation(m.concept, m.equation, [...at, 'equation'])
}
