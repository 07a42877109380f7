/**
 * The engine's dictionaries: drugs, vaccines, conditions, procedures and lab
 * concepts, with the lookups the compiler and evaluator need.
 *
 * Protocols name entries by id or class (`definitions`, `items`, `classes`);
 * patient records name them in free text (a brand, an ATC or ICD-10 code).
 * `resolveEntry` maps the latter onto an entry; `hasClassOrItem` lets the
 * compiler reject unknown names. Every entry carries its `source`.
 *
 * The dictionaries are data: treat them as immutable (lookups are indexed
 * once per entries array and cached).
 */
import drugsJson from './drugs.json' with { type: 'json' }
import vaccinesJson from './vaccines.json' with { type: 'json' }
import conditionsJson from './conditions.json' with { type: 'json' }
import proceduresJson from './procedures.json' with { type: 'json' }
import labConceptsJson from './lab-concepts.json' with { type: 'json' }
import { ATC_PATTERN, ICD10_PATTERN, normalizeCode, normalizeEntryText } from './normalize.ts'

/** Fields every drug, vaccine, condition and procedure entry has. */
export interface EntryBase {
  /** snake_case id, what protocols write in `items`. */
  id: string
  name: string
  /** snake_case class names, what protocols write in `classes`. */
  classes: string[]
  /** Other names and brands; matched case-insensitively. */
  synonyms: string[]
  /** Where the codes and classes come from. */
  source: string
}

export interface DrugEntry extends EntryBase {
  /** WHO ATC codes (several when the drug has more than one). */
  atc: string[]
  /** RxNorm ingredient RxCUIs (IN, and PIN for a salt or ester the drug is given as). */
  rxnorm?: string[]
}

export interface VaccineEntry extends EntryBase {
  atc: string[]
  /** CDC CVX codes (what US immunization records carry); used by the FHIR import. */
  cvx?: string[]
  /** Live (attenuated or replicating) vaccine. Mirrors the `live_vaccine` class. */
  live: boolean
}

export interface ConditionEntry extends EntryBase {
  /** ICD-10 (or ICD-10-CM) codes; a record's code matches by prefix. */
  icd10: string[]
  /** SNOMED CT concept ids (disorders and findings), matched exactly. */
  snomed?: string[]
}

export interface ProcedureEntry extends EntryBase {
  /** SNOMED CT concept ids (procedures), matched exactly. */
  snomed?: string[]
}

export interface LabConcept {
  id: string
  name: string
  loinc: string[]
  /** Canonical UCUM unit: measurements are converted into it. */
  unit: string
  kind: 'quantity' | 'score'
  /** Molar mass of the analyte, for mass <-> substance conversions (creatinine 113.12). */
  molar_mass_g_per_mol?: number
  /** Molar mass of a ratio's denominator (creatinine in protein/creatinine ratio). */
  denominator_molar_mass_g_per_mol?: number
  /** Range of a score, when it has one. */
  min?: number
  max?: number
  source: string
}

/** The dictionaries an evaluation uses. */
export interface Dictionary {
  drugs: readonly DrugEntry[]
  vaccines: readonly VaccineEntry[]
  conditions: readonly ConditionEntry[]
  procedures: readonly ProcedureEntry[]
  labConcepts: readonly LabConcept[]
}

/** The entry type of each entry domain. */
export interface EntryByDomain {
  drugs: DrugEntry
  vaccines: VaccineEntry
  conditions: ConditionEntry
  procedures: ProcedureEntry
}

export type EntryDomain = keyof EntryByDomain
export type Entry = EntryByDomain[EntryDomain]

export const ENTRY_DOMAINS: readonly EntryDomain[] = ['drugs', 'vaccines', 'conditions', 'procedures']

/** The dictionaries shipped in `engine/dictionary/*.json`. */
export const defaultDictionary: Dictionary = {
  drugs: drugsJson,
  vaccines: vaccinesJson,
  conditions: conditionsJson,
  procedures: proceduresJson,
  // JSON infers `kind: string`; checkDictionary verifies it is a valid kind.
  labConcepts: labConceptsJson as LabConcept[],
}

// ---------------------------------------------------------------------------
// Normalisation and indexing
// ---------------------------------------------------------------------------

interface EntryIndex {
  byKey: Map<string, EntryBase>
  byAtc: Map<string, EntryBase>
  /** [normalised code, entry], longest code first so the most specific wins. */
  icd10: Array<[string, EntryBase]>
  idsAndClasses: Set<string>
}

const indexCache = new WeakMap<readonly EntryBase[], EntryIndex>()

function indexOf(entries: readonly EntryBase[]): EntryIndex {
  const cached = indexCache.get(entries)
  if (cached) return cached
  const index: EntryIndex = { byKey: new Map(), byAtc: new Map(), icd10: [], idsAndClasses: new Set() }
  for (const entry of entries) {
    index.idsAndClasses.add(entry.id)
    for (const cls of entry.classes) index.idsAndClasses.add(cls)
    for (const key of [entry.id, entry.name, ...entry.synonyms]) {
      const k = normalizeEntryText(key)
      // First entry wins; checkDictionary reports such collisions.
      if (!index.byKey.has(k)) index.byKey.set(k, entry)
    }
    // Several entries may share an ATC code (MMF and mycophenolic acid: L04AA06); the first wins.
    for (const code of codesOf(entry, 'atc')) {
      const c = normalizeCode(code)
      if (!index.byAtc.has(c)) index.byAtc.set(c, entry)
    }
    for (const code of codesOf(entry, 'icd10')) index.icd10.push([normalizeCode(code), entry])
  }
  index.icd10.sort((a, b) => b[0].length - a[0].length)
  indexCache.set(entries, index)
  return index
}

function codesOf(entry: EntryBase, field: 'atc' | 'icd10'): readonly string[] {
  const value: unknown = (entry as unknown as Record<string, unknown>)[field]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

// ---------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------

/**
 * Finds the entry a piece of record text names: its id, name or a synonym
 * (case-, accent- and separator-insensitive), an ATC code (drugs, vaccines),
 * or an ICD-10 code (conditions), matched by prefix with the most specific
 * entry code winning (`B02.9` is herpes zoster via `B02`; `M32.14` is lupus
 * nephritis, not SLE via `M32`).
 *
 * @param domain which dictionary to search
 * @param text what the record says
 * @param dict dictionaries to use (default: the shipped ones)
 * @returns the entry, or `undefined` when nothing matches
 * @example resolveEntry('drugs', 'CellCept')?.id // 'mycophenolate_mofetil'
 * @example resolveEntry('conditions', 'B02.9')?.id // 'herpes_zoster'
 */
export function resolveEntry<D extends EntryDomain>(domain: D, text: string, dict: Dictionary = defaultDictionary): EntryByDomain[D] | undefined {
  const index = indexOf(dict[domain])
  const found = index.byKey.get(normalizeEntryText(text)) ?? resolveCode(index, normalizeCode(text))
  return found as EntryByDomain[D] | undefined
}

function resolveCode(index: EntryIndex, code: string): EntryBase | undefined {
  if (ATC_PATTERN.test(code)) return index.byAtc.get(code)
  if (ICD10_PATTERN.test(code)) return index.icd10.find(([prefix]) => code.startsWith(prefix))?.[1]
  return undefined
}

/** Code systems whose codes are plain digits and match a dictionary entry exactly. */
export type NumericCodeSystem = 'snomed' | 'rxnorm'

const numericCodeCache = new WeakMap<readonly EntryBase[], Record<NumericCodeSystem, Map<string, EntryBase>>>()

/**
 * The entry carrying a SNOMED CT concept id (conditions, procedures) or an
 * RxNorm ingredient RxCUI (drugs), matched exactly.
 *
 * @example entryByCode('conditions', 'snomed', '55464009')?.id // 'systemic_lupus_erythematosus'
 * @example entryByCode('drugs', 'rxnorm', '121191')?.id // 'rituximab'
 */
export function entryByCode<D extends EntryDomain>(
  domain: D,
  system: NumericCodeSystem,
  code: string,
  dict: Dictionary = defaultDictionary,
): EntryByDomain[D] | undefined {
  const entries = dict[domain] as readonly EntryBase[]
  let index = numericCodeCache.get(entries)
  if (!index) {
    index = { snomed: new Map(), rxnorm: new Map() }
    for (const entry of entries) {
      for (const system of ['snomed', 'rxnorm'] as const) {
        const codes: unknown = (entry as unknown as Record<string, unknown>)[system]
        // first entry wins; checkDictionary reports a code on two entries
        if (Array.isArray(codes)) for (const c of codes) if (typeof c === 'string' && !index[system].has(c)) index[system].set(c, entry)
      }
    }
    numericCodeCache.set(entries, index)
  }
  return index[system].get(code.trim()) as EntryByDomain[D] | undefined
}

/**
 * The names of entries given by id, for messages (an id not in the dictionary stays as it is).
 *
 * @example entryNames('drugs', ['mycophenolic_acid', 'medroxyprogesterone']) // ['Mycophenolic acid', 'Medroxyprogesterone']
 */
export function entryNames(domain: EntryDomain, ids: readonly string[], dict: Dictionary = defaultDictionary): string[] {
  const entries = dict[domain] as readonly EntryBase[]
  return ids.map(id => entries.find(e => e.id === id)?.name ?? id)
}

/**
 * Whether a protocol name refers to something in a dictionary: an entry id or
 * a class name (exact, as written in YAML).
 *
 * @example hasClassOrItem('drugs', 'b_cell_depleting') // true
 * @example hasClassOrItem('drugs', 'rituximab') // true
 */
export function hasClassOrItem(domain: EntryDomain, id: string, dict: Dictionary = defaultDictionary): boolean {
  return indexOf(dict[domain]).idsAndClasses.has(id)
}

/**
 * The entries carrying a class.
 *
 * @example entriesInClass('vaccines', 'zoster_vaccine').map((v) => v.id) // ['zoster_live', 'zoster_recombinant']
 */
export function entriesInClass<D extends EntryDomain>(domain: D, cls: string, dict: Dictionary = defaultDictionary): Array<EntryByDomain[D]> {
  const entries = dict[domain] as readonly EntryByDomain[D][]
  return entries.filter(e => e.classes.includes(cls))
}

/**
 * Finds a lab concept by id (case-insensitive) or LOINC code.
 *
 * @example resolveLabConcept('2890-2')?.id // 'urine_protein_creatinine_ratio'
 */
export function resolveLabConcept(idOrLoinc: string, dict: Dictionary = defaultDictionary): LabConcept | undefined {
  const index = labIndexOf(dict.labConcepts)
  const hit = index.get(idOrLoinc)
  if (hit !== undefined) return hit ?? undefined
  const key = idOrLoinc.trim().toLowerCase()
  const found = dict.labConcepts.find(c => c.id.toLowerCase() === key) ?? dict.labConcepts.find(c => c.loinc.includes(key))
  // every leaf of every record looks concepts up: remember answers (bounded, as record text is open-ended)
  if (index.size < LAB_LOOKUPS_REMEMBERED) index.set(idOrLoinc, found ?? null)
  return found
}

const LAB_LOOKUPS_REMEMBERED = 10_000
/** Lookups by the text asked, per concept list (lists are never modified: extending a dictionary makes a new one). */
const labIndexCache = new WeakMap<readonly LabConcept[], Map<string, LabConcept | null>>()

function labIndexOf(concepts: readonly LabConcept[]): Map<string, LabConcept | null> {
  let index = labIndexCache.get(concepts)
  if (!index) labIndexCache.set(concepts, (index = new Map()))
  return index
}

export { normalizeEntryText } from './normalize.ts'
export { checkDictionary } from './check.ts'
export type { DictionaryProblem } from './check.ts'
