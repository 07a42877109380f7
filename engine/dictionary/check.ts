/**
 * Consistency check of a dictionary: what makes a lookup ambiguous or a
 * protocol name unclear. The shipped dictionary must pass it (tested).
 */
import type { Dictionary, EntryBase, EntryDomain } from './index.ts'
import { ATC_PATTERN, ICD10_PATTERN, normalizeCode, normalizeEntryText } from './normalize.ts'

/** One thing wrong with a dictionary entry. */
export interface DictionaryProblem {
  domain: EntryDomain | 'labConcepts'
  /** Id of the entry at fault. */
  id: string
  message: string
}

const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/
const LOINC_PATTERN = /^\d{1,7}-\d$/

/**
 * Lists problems: malformed or duplicate ids, names/synonyms shared by two
 * entries (after case and separator folding), class names equal to the id
 * of an entry outside that class (a protocol's `except: x` would be ambiguous), duplicate ICD-10 codes,
 * malformed codes, live flags that disagree with the `live_vaccine` class,
 * and lab concepts with duplicate ids/LOINC codes or bad kinds.
 *
 * Shared ATC codes are allowed: one ATC code can cover several entries
 * (L04AA06 is both mycophenolate mofetil and mycophenolic acid).
 *
 * @param dict the dictionaries to check
 * @returns every problem found; empty when consistent
 * @example checkDictionary(defaultDictionary) // []
 */
export function checkDictionary(dict: Dictionary): DictionaryProblem[] {
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
  return problems
}

function checkEntries(domain: EntryDomain, entries: readonly EntryBase[], problems: DictionaryProblem[]): void {
  const add = (id: string, message: string): void => {
    problems.push({ domain, id, message })
  }
  const ids = new Set<string>()
  const keyOwner = new Map<string, string>()
  const icdOwner = new Map<string, string>()
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
    for (const code of stringArray(record['atc'])) {
      if (!ATC_PATTERN.test(code)) add(e.id, `ATC code "${code}" is malformed`)
    }
    for (const code of stringArray(record['icd10'])) {
      const c = normalizeCode(code)
      if (!ICD10_PATTERN.test(c)) add(e.id, `ICD-10 code "${code}" is malformed`)
      const owner = icdOwner.get(c)
      if (owner !== undefined && owner !== e.id) add(e.id, `ICD-10 code "${code}" also belongs to "${owner}"`)
      else icdOwner.set(c, e.id)
    }
  }
  // A class may share its name with an entry only if that entry is in the
  // class (generic `surgery` in class `surgery`): then the class is a superset
  // of the item and `except: surgery` means the same either way.
  const classesById = new Map(entries.map((e) => [e.id, e.classes]))
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

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}
