/**
 * The eGFR equation of a measurement or change leaf: the protocol's choice
 * (`equation:`, usually `{ param: egfr_equation }`) for the eGFR concept, the
 * default otherwise; and the name the leaf's label gives the value.
 */
import type { EgfrEquation, ParamRef } from '../types.ts'
import { resolveLabConcept, type Dictionary } from '../dictionary/index.ts'
import { DEFAULT_EGFR_EQUATION, EGFR_CONCEPT, EGFR_EQUATION_INFO, isEgfrEquation } from '../calculators/egfr-equations.ts'
import type { ResolvedParameters } from './ir.ts'
import { resolveString } from './resolve.ts'

/**
 * For a leaf on the eGFR concept: its equation and the name of the values by
 * it ("eGFR (creatinine-based, CKD-EPI 2009 equation)"); undefined for any
 * other concept (semantic checks reject `equation` there).
 */
export function leafEgfrEquation(
  conceptId: string | undefined,
  equation: EgfrEquation | ParamRef | undefined,
  params: ResolvedParameters,
  dictionary: Dictionary,
): { equation: EgfrEquation; name: string } | undefined {
  if (conceptId !== EGFR_CONCEPT) return undefined
  const value = equation === undefined ? DEFAULT_EGFR_EQUATION : resolveString(equation, params)
  if (!isEgfrEquation(value)) throw new Error(`"${value}" is not an eGFR equation`)
  const info = EGFR_EQUATION_INFO[value]
  return { equation: value, name: resolveLabConcept(info.concept, dictionary)?.name ?? `eGFR (${info.label})` }
}
