/**
 * A protocol may add lab concepts the shipped dictionary lacks; the protocol
 * is then compiled and evaluated against the dictionary plus its own concepts.
 */
import type { LabConceptDefinition } from '../types.ts'
import type { Dictionary, LabConcept } from './index.ts'

/**
 * The dictionary with a protocol's own lab concepts appended (the shipped
 * ones are never replaced: a clash is a validation error, not an override).
 *
 * @example
 * withLabConcepts(defaultDictionary, { urine_albumin_creatinine_ratio: { name: 'UACR', unit: 'mg/g', source: '…' } })
 */
export function withLabConcepts(dict: Dictionary, concepts: Record<string, LabConceptDefinition> | undefined): Dictionary {
  const added = Object.entries(concepts ?? {})
    .filter(([id]) => !dict.labConcepts.some(c => c.id === id))
    .map(([id, c]): LabConcept => ({ ...c, id, loinc: c.loinc ?? [], kind: c.kind ?? 'quantity' }))
  if (added.length === 0) return dict
  const extended = { ...dict, labConcepts: [...dict.labConcepts, ...added] }
  extendedFrom.set(extended, dictionaryBase(dict))
  return extended
}

const extendedFrom = new WeakMap<Dictionary, Dictionary>()

/** The dictionary `dict` was made from by withLabConcepts (the protocol's own concepts added), or `dict` itself. */
export function dictionaryBase(dict: Dictionary): Dictionary {
  return extendedFrom.get(dict) ?? dict
}
