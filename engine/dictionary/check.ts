/**
 * Consistency check of a dictionary: what makes a lookup ambiguous or a
 * protocol name unclear. The shipped dictionary must pass it (tested).
 */
import type { Dictionary, EntryBase, EntryDomain } from './index.ts'
import { ATC_PATTERN, ICD10_PATTERN, normalizeCode, normalizeEntryText } from './normalize.ts'
import { AMBIGUOUS_NAMES } from './ambiguous-names.ts'
import type { AmbiguousName } from './ambiguous-names.ts'
import { UNRECOGNISED_HINTS } from './unrecognised-hints.ts'
import type { HintDomain, UnrecognisedHint } from './unrecognised-hints.ts'
import drugsJson from './drugs.json' with { type: 'json' }
import vaccinesJson from './vaccines.json' with { type: 'json' }
import conditionsJson from './conditions.json' with { type: 'json' }
import proceduresJson from './procedures.json' with { type: 'json' }

/** One thing wrong with a dictionary entry. */
export interface DictionaryProblem {
  domain: EntryDomain | 'labConcepts'
  /** Id of the entry at fault. */
  id: string
  message: string
}

const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/
const LOINC_PATTERN = /^\d{1,7}-\d$/
/** An RxNorm concept id (RxCUI): digits only. */
const RXCUI_PATTERN = /^\d{1,8}$/
/** A SNOMED CT concept id: 6 to 18 digits (SCTID). */
const SNOMED_PATTERN = /^\d{6,18}$/
/** A CDC CVX code: 1 to 3 digits (leading zeros kept, e.g. "03"). */
const CVX_PATTERN = /^\d{1,3}$/
/** Hint words: lower-case stems, optionally with a leading "-" (word end) or "=" (whole word). */
const HINT_WORD_PATTERN = /^[-=]?[a-z0-9]+( [a-z0-9]+)*$/

/** The lists checked with a dictionary besides its entries. */
export interface TerminologyLists {
  /** Names that mean more than one entry (`ambiguous-names.json`). */
  ambiguousNames?: readonly AmbiguousName[]
  /** Class hints for unrecognised codes (`unrecognised-hints.json`). */
  hints?: readonly UnrecognisedHint[]
}

/** Whether a dictionary's entry lists are the shipped ones (then the shipped ambiguous names and hints belong to it). */
function isShipped(dict: Dictionary): boolean {
  return dict.drugs === drugsJson && dict.vaccines === vaccinesJson && dict.conditions === conditionsJson && dict.procedures === proceduresJson
}

/**
 * Lists problems: malformed or duplicate ids, names/synonyms shared by two
 * entries (after case and separator folding), class names equal to the id
 * of an entry outside that class (a protocol's `except: x` would be ambiguous), duplicate ICD-10 codes,
 * malformed codes, live flags that disagree with the `live_vaccine` class,
 * and lab concepts with duplicate ids/LOINC codes or bad kinds.
 *
 * Shared ATC codes are allowed: one ATC code can cover several entries
 * (L04AA06 is both mycophenolate mofetil and mycophenolic acid). RxNorm,
 * SNOMED CT and CVX codes are matched exactly, so each may belong to only
 * one entry of a domain, and must be digits (SNOMED: 6-18 of them).
 *
 * With the ambiguous names and unrecognised-code hints (the shipped ones when
 * `dict` is the shipped dictionary, else only those passed): an ambiguous
 * name that is also an entry's id, name or synonym (a lookup would silently
 * pick that entry), a candidate that is no entry id, fewer than two
 * candidates; a hint naming a class no entry of its domain has, malformed
 * hint words, and a condition or procedure class with no hint at all.
 *
 * @param dict the dictionaries to check
 * @param lists ambiguous names and hints to check with it (default: the shipped ones for the shipped dictionary, none otherwise)
 * @returns every problem found; empty when consistent
 * @example checkDictionary(defaultDictionary) // []
 */
export function checkDictionary(
  dict: Dictionary,
  lists: TerminologyLists = isShipped(dict) ? { ambiguousNames: AMBIGUOUS_NAMES, hints: UNRECOGNISED_HINTS } : {},
): DictionaryProblem[] {
  const problems: DictionaryProblem[] = []
  checkEntries('drugs', dict.drugs, problems)
  checkEntries('vaccines', dict.vaccines, problems)
  checkEntries('conditions', dict.conditions, problems)
  checkEntries('procedures', dict.procedures, problems)
  for (const v of dict.vaccines) {
    const liveClass = v.classes.includes('live_vaccine')
    const nonLiveClass = v.classes.includes('inactivated_or_non_live_vaccine')
    if (v.live !== liveClass || v.live === nonLiveClass) {
      problems.push({
        domain: 'vaccines',
        id: v.id,
        message: `live: ${v.live} but classes are [${v.classes.join(', ')}]; expected exactly one of live_vaccine / inactivated_or_non_live_vaccine matching it`,
      })
    }
  }
  checkLabConcepts(dict, problems)
  if (lists.ambiguousNames) checkAmbiguousNames(dict, lists.ambiguousNames, problems)
  if (lists.hints) checkHints(dict, lists.hints, problems)
  return problems
}

function checkEntries(domain: EntryDomain, entries: readonly EntryBase[], problems: DictionaryProblem[]): void {
  const add = (id: string, message: string): void => {
    problems.push({ domain, id, message })
  }
  const ids = new Set<string>()
  const keyOwner = new Map<string, string>()
  const icdOwner = new Map<string, string>()
  const exactOwner = { rxnorm: new Map<string, string>(), snomed: new Map<string, string>(), cvx: new Map<string, string>() }
  const exactCodes: Array<[keyof typeof exactOwner, string, RegExp, string]> = [
    ['rxnorm', 'RxNorm', RXCUI_PATTERN, 'digits'],
    ['snomed', 'SNOMED CT', SNOMED_PATTERN, '6-18 digits'],
    ['cvx', 'CVX', CVX_PATTERN, '1-3 digits'],
  ]
  for (const e of entries) {
    if (!SNAKE_CASE.test(e.id)) add(e.id, `id "${e.id}" is not snake_case`)
    if (ids.has(e.id)) add(e.id, `duplicate id "${e.id}"`)
    ids.add(e.id)
    if (!e.source.trim()) add(e.id, 'missing source')
    for (const cls of e.classes) if (!SNAKE_CASE.test(cls)) add(e.id, `class "${cls}" is not snake_case`)
    for (const key of new Set([e.id, e.name, ...e.synonyms].map(normalizeEntryText))) {
      const owner = keyOwner.get(key)
      if (owner !== undefined && owner !== e.id) add(e.id, `name or synonym "${key}" also belongs to "${owner}"`)
      else keyOwner.set(key, e.id)
    }
    const record = e as unknown as Record<string, unknown>
    for (const code of stringArray(record.atc)) {
      if (!ATC_PATTERN.test(code)) add(e.id, `ATC code "${code}" is malformed`)
    }
    for (const code of stringArray(record.icd10)) {
      const c = normalizeCode(code)
      if (!ICD10_PATTERN.test(c)) add(e.id, `ICD-10 code "${code}" is malformed`)
      const owner = icdOwner.get(c)
      if (owner !== undefined && owner !== e.id) add(e.id, `ICD-10 code "${code}" also belongs to "${owner}"`)
      else icdOwner.set(c, e.id)
    }
    for (const [field, label, pattern, shape] of exactCodes) {
      const value = record[field]
      if (value !== undefined && !Array.isArray(value)) add(e.id, `${field} is not a list`)
      for (const code of stringArray(value)) {
        if (!pattern.test(code)) add(e.id, `${label} code "${code}" is malformed (expected ${shape})`)
        const owner = exactOwner[field].get(code)
        if (owner !== undefined && owner !== e.id) add(e.id, `${label} code "${code}" also belongs to "${owner}"`)
        else exactOwner[field].set(code, e.id)
      }
    }
  }
  // A class may share its name with an entry only if that entry is in the
  // class (generic `surgery` in class `surgery`): then the class is a superset
  // of the item and `except: surgery` means the same either way.
  const classesById = new Map(entries.map(e => [e.id, e.classes]))
  for (const e of entries) {
    for (const cls of e.classes) {
      if (ids.has(cls) && !classesById.get(cls)?.includes(cls)) add(e.id, `class "${cls}" is also an entry id outside that class`)
    }
  }
}

function checkLabConcepts(dict: Dictionary, problems: DictionaryProblem[]): void {
  const add = (id: string, message: string): void => {
    problems.push({ domain: 'labConcepts', id, message })
  }
  const ids = new Set<string>()
  const loincOwner = new Map<string, string>()
  for (const c of dict.labConcepts) {
    if (!SNAKE_CASE.test(c.id)) add(c.id, `id "${c.id}" is not snake_case`)
    if (ids.has(c.id)) add(c.id, `duplicate id "${c.id}"`)
    ids.add(c.id)
    if (!c.source.trim()) add(c.id, 'missing source')
    if (c.kind !== 'quantity' && c.kind !== 'score') add(c.id, `kind "${String(c.kind)}" is not quantity or score`)
    for (const code of c.loinc) {
      if (!LOINC_PATTERN.test(code)) add(c.id, `LOINC code "${code}" is malformed`)
      const owner = loincOwner.get(code)
      if (owner !== undefined && owner !== c.id) add(c.id, `LOINC code "${code}" also belongs to "${owner}"`)
      else loincOwner.set(code, c.id)
    }
    for (const mass of [c.molar_mass_g_per_mol, c.denominator_molar_mass_g_per_mol]) {
      if (mass !== undefined && !(mass > 0)) add(c.id, `molar mass ${mass} is not positive`)
    }
  }
}

function checkAmbiguousNames(dict: Dictionary, names: readonly AmbiguousName[], problems: DictionaryProblem[]): void {
  const seen = new Set<string>()
  for (const a of names) {
    const add = (message: string): void => {
      problems.push({ domain: a.domain, id: a.name, message })
    }
    const entries: readonly EntryBase[] | undefined = dict[a.domain]
    if (!entries) {
      problems.push({ domain: a.domain, id: a.name, message: `ambiguous name "${a.name}": unknown domain "${String(a.domain)}"` })
      continue
    }
    const key = normalizeEntryText(a.name)
    if (seen.has(`${a.domain}\u0000${key}`)) add(`ambiguous name "${a.name}" is listed twice`)
    seen.add(`${a.domain}\u0000${key}`)
    if (!a.source.trim()) add(`ambiguous name "${a.name}": missing source`)
    const owner = entries.find(e => [e.id, e.name, ...e.synonyms].some(k => normalizeEntryText(k) === key))
    if (owner) add(`ambiguous name "${a.name}" is also the id, name or a synonym of "${owner.id}"`)
    if (new Set(a.candidates).size < 2) add(`ambiguous name "${a.name}" has fewer than two distinct candidates`)
    const ids = new Set(entries.map(e => e.id))
    for (const c of a.candidates) if (!ids.has(c)) add(`ambiguous name "${a.name}": candidate "${c}" is not an entry id`)
  }
}

function checkHints(dict: Dictionary, hints: readonly UnrecognisedHint[], problems: DictionaryProblem[]): void {
  const hinted = new Map<HintDomain, Set<string>>()
  for (const h of hints) {
    const add = (message: string): void => {
      problems.push({ domain: h.domain, id: h.class, message })
    }
    const entries: readonly EntryBase[] | undefined = dict[h.domain]
    if (!entries) {
      add(`hint for unknown domain "${String(h.domain)}"`)
      continue
    }
    if (!entries.some(e => e.classes.includes(h.class))) add(`hint names class "${h.class}", which no ${h.domain} entry has`)
    if (h.words.length === 0) add(`hint for class "${h.class}" has no words`)
    for (const w of h.words) if (!HINT_WORD_PATTERN.test(w)) add(`hint word "${w}" is not a lower-case stem`)
    if (!h.source.trim()) add(`hint for class "${h.class}": missing source`)
    let set = hinted.get(h.domain)
    if (!set) hinted.set(h.domain, (set = new Set()))
    set.add(h.class)
  }
  for (const domain of ['conditions', 'procedures'] as const) {
    const classes = new Set(dict[domain].flatMap(e => e.classes))
    for (const cls of classes) {
      if (!hinted.get(domain)?.has(cls)) problems.push({ domain, id: cls, message: `class "${cls}" has no unrecognised-code hint` })
    }
  }
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}
