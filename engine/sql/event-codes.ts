/**
 * The OMOP codes of the engine's dictionary entries, one home for the
 * writer (omop-rows.ts) and the query (events-sql.ts): drugs by their RxNorm
 * ingredients, vaccines by CVX, conditions and procedures by SNOMED CT; an
 * entry with none of these has a code of our own (omop.ts VOCABULARY.local).
 * Which table each domain's rows are in, and which dictionaries share it.
 */
import type { Dictionary, EntryBase, EntryDomain } from '../dictionary/index.ts'
import type { EventDomain } from '../evaluate/facts/events.ts'
import { VOCABULARY } from './omop.ts'

export type VocabularyId = (typeof VOCABULARY)[keyof typeof VOCABULARY]

export interface Code {
  vocabulary: VocabularyId
  code: string
}

/** Where a domain's events are, and the dictionaries of everything else in that table (a row under none of them is unrecognised). */
export const EVENT_SOURCE: Record<
  EventDomain,
  { dictionary: EntryDomain; table: 'drug_exposure' | 'condition_occurrence' | 'procedure_occurrence'; family: readonly EntryDomain[] }
> = {
  medication: { dictionary: 'drugs', table: 'drug_exposure', family: ['drugs', 'vaccines'] },
  vaccination: { dictionary: 'vaccines', table: 'drug_exposure', family: ['drugs', 'vaccines'] },
  condition: { dictionary: 'conditions', table: 'condition_occurrence', family: ['conditions'] },
  procedure: { dictionary: 'procedures', table: 'procedure_occurrence', family: ['procedures'] },
}

/** An entry's codes, standard first (the first is what the writer records). */
export function entryCodes(domain: EntryDomain, entry: EntryBase): Code[] {
  const e = entry as EntryBase & { rxnorm?: string[]; cvx?: string[]; snomed?: string[] }
  const standard: Code[] =
    domain === 'drugs'
      ? (e.rxnorm ?? []).map(code => ({ vocabulary: VOCABULARY.rxnorm, code }))
      : domain === 'vaccines'
        ? (e.cvx ?? []).map(code => ({ vocabulary: VOCABULARY.cvx, code }))
        : (e.snomed ?? []).map(code => ({ vocabulary: VOCABULARY.snomed, code }))
  return standard.length > 0 ? standard : [{ vocabulary: VOCABULARY.local, code: `${domain}/${entry.id}` }]
}

/** Every code of the given entries of dictionaries, as a SQL condition on `concept c`. */
export function codesCondition(text: (s: string) => string, codes: readonly Code[]): string {
  const byVocabulary = new Map<string, Set<string>>()
  for (const { vocabulary, code } of codes) {
    let set = byVocabulary.get(vocabulary)
    if (!set) byVocabulary.set(vocabulary, (set = new Set()))
    set.add(code)
  }
  if (byVocabulary.size === 0) return 'FALSE'
  return [...byVocabulary]
    .map(([vocabulary, set]) => `(c.vocabulary_id = ${text(vocabulary)} AND c.concept_code IN (${[...set].map(text).join(', ')}))`)
    .join(' OR ')
}

/** The codes of every entry of these dictionaries. */
export function familyCodes(dictionary: Dictionary, family: readonly EntryDomain[]): Code[] {
  return family.flatMap(domain => (dictionary[domain] as readonly EntryBase[]).flatMap(entry => entryCodes(domain, entry)))
}
