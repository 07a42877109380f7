/**
 * Semantic checks of a protocol's parameters and definitions: a parameter's
 * value among its options, protocol-local lab concepts, and dictionary
 * selections (classes, items, exceptions, named sets) that name real entries.
 */
import type { EventSelector, ExceptRule, ProtocolDocument } from '../types.ts'
import type { Dictionary, EntryDomain } from '../dictionary/index.ts'
import { hasClassOrItem } from '../dictionary/index.ts'
import { isValidUnit } from '../calculators/units.ts'
import type { PathSegment } from '../parse/path.ts'
import type { SemanticIssue } from './issue.ts'
import { issue } from './issue.ts'
import { didYouMean } from './suggest.ts'

type Skip = (path: string) => boolean
type DefinitionDomain = 'drugs' | 'vaccines' | 'conditions' | 'procedures'

/** A parameter's value must be one of its options, when it has options. */
export function checkParameters(doc: ProtocolDocument, skip: Skip): SemanticIssue[] {
  const issues: SemanticIssue[] = []
  for (const [name, def] of Object.entries(doc.parameters ?? {})) {
    if (skip(`parameters.${name}`)) continue
    if (def.options && !def.options.includes(def.value)) {
      issues.push(
        issue(
          'E_PARAMETER_VALUE',
          ['parameters', name, 'value'],
          `parameter ${name} is not one of its options`,
          def.options.map(String).join(', '),
          String(def.value),
        ),
      )
    }
  }
  return issues
}

/** Protocol-local lab concepts (new ids only, valid units) and the named sets of every dictionary domain. */
export function checkDefinitions(doc: ProtocolDocument, shipped: Dictionary, dictionary: Dictionary, skip: Skip): SemanticIssue[] {
  const issues: SemanticIssue[] = []
  for (const [id, c] of Object.entries(doc.definitions?.lab_concepts ?? {})) {
    const at: PathSegment[] = ['definitions', 'lab_concepts', id]
    if (skip(`definitions.lab_concepts.${id}`)) continue
    if (shipped.labConcepts.some(x => x.id === id)) {
      issues.push(issue('E_DUPLICATE_ID', at, `lab concept ${id} is already in the engine's dictionary; use it as it is`, 'a new concept id', id))
    }
    if (!isValidUnit(c.unit)) issues.push(issue('E_UNIT_INCONVERTIBLE', [...at, 'unit'], `"${c.unit}" is not a valid UCUM unit`, 'a UCUM unit', c.unit))
  }
  for (const domain of ['drugs', 'vaccines', 'conditions', 'procedures'] as const) {
    for (const [name, set] of Object.entries(doc.definitions?.[domain] ?? {})) {
      if (skip(`definitions.${domain}.${name}`)) continue
      issues.push(...checkSelection(set, domain, ['definitions', domain, name], doc, dictionary))
    }
  }
  return issues
}

/** Every id and class name of a dictionary domain, for suggestions. */
function namesIn(domain: EntryDomain, dictionary: Dictionary): string[] {
  const entries = dictionary[domain] as ReadonlyArray<{ id: string; classes: readonly string[] }>
  return [...new Set(entries.flatMap(e => [e.id, ...e.classes]))]
}

/** A selection of dictionary entries: its classes, items and exceptions exist, and so does its named set. */
export function checkSelection(
  sel: Omit<EventSelector, 'window'>,
  domain: EntryDomain,
  at: PathSegment[],
  doc: ProtocolDocument,
  dictionary: Dictionary,
): SemanticIssue[] {
  const issues: SemanticIssue[] = []
  const known = (id: string) => hasClassOrItem(domain, id, dictionary)
  const unknownEntry = (where: PathSegment[], id: string, what: string) =>
    issues.push(
      issue(
        'E_UNKNOWN_DICTIONARY_ENTRY',
        where,
        `${what} "${id}" is not in the ${domain} dictionary${didYouMean(id, namesIn(domain, dictionary))}`,
        `a ${domain} ${what} id`,
        id,
      ),
    )
  for (const [i, c] of (sel.classes ?? []).entries()) if (!known(c)) unknownEntry([...at, 'classes', i], c, 'class')
  for (const [i, c] of (sel.items ?? []).entries()) if (!known(c)) unknownEntry([...at, 'items', i], c, 'item')
  for (const [i, e] of (sel.except ?? ([] as ExceptRule[])).entries()) {
    if (typeof e === 'string') {
      if (!known(e)) unknownEntry([...at, 'except', i], e, 'class or item')
      continue
    }
    for (const [j, c] of (e.classes ?? []).entries()) if (!known(c)) unknownEntry([...at, 'except', i, 'classes', j], c, 'class')
    for (const [j, c] of (e.items ?? []).entries()) if (!known(c)) unknownEntry([...at, 'except', i, 'items', j], c, 'item')
  }
  const sets = doc.definitions?.[domain as DefinitionDomain]
  if (sel.set !== undefined && !sets?.[sel.set]) {
    const defined = Object.keys(sets ?? {})
    issues.push(
      issue(
        'E_UNKNOWN_DEFINITION',
        [...at, 'set'],
        `no ${domain} set named "${sel.set}" in definitions.${domain}${didYouMean(sel.set, defined)}`,
        defined.join(', ') || `a set under definitions.${domain}`,
        sel.set,
      ),
    )
  }
  return issues
}
