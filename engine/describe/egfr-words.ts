/**
 * An eGFR leaf in plain words: which equation the protocol specifies (and the
 * parameter holding it), and which values the engine then uses.
 */
import type { EgfrEquation, ParamRef, ProtocolDocument } from '../types.ts'
import { resolveLabConcept, type Dictionary } from '../dictionary/index.ts'
import { DEFAULT_EGFR_EQUATION, EGFR_CONCEPT, EGFR_EQUATION_INFO, isEgfrEquation } from '../calculators/egfr-equations.ts'
import { stringOf, type Usage } from './words.ts'

/** For a leaf on the eGFR concept: the value's name by its equation and one detail line; undefined for other concepts. */
export function egfrWords(
  conceptId: string,
  equation: EgfrEquation | ParamRef | undefined,
  doc: ProtocolDocument,
  dictionary: Dictionary,
  u: Usage,
): { name: string; detail: string } | undefined {
  if (resolveLabConcept(conceptId, dictionary)?.id !== EGFR_CONCEPT) return undefined
  const written = equation === undefined ? DEFAULT_EGFR_EQUATION : stringOf(equation, doc, u)
  if (!isEgfrEquation(written)) return { name: `eGFR (equation ${written})`, detail: `eGFR equation "${written}" is not one the engine knows.` }
  const info = EGFR_EQUATION_INFO[written]
  const name = resolveLabConcept(info.concept, dictionary)?.name ?? `eGFR (${info.label})`
  const chosen =
    equation === undefined
      ? `${info.label} (the default: the leaf names no equation)`
      : typeof equation === 'object'
        ? `${info.label} (parameter ${equation.param})`
        : info.label
  const inputs = info.raceCoefficient
    ? 'serum creatinine, age, sex and whether the patient is Black (when that is not recorded, both values: decided only when both agree)'
    : 'serum creatinine, age and sex'
  return {
    name,
    detail: `eGFR by ${chosen}: an eGFR reported by it; else computed by it from ${inputs}; else an eGFR reported by another equation, compared as it is, the explanation naming both equations.`,
  }
}
