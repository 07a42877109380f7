/**
 * Code systems and codings: which FHIR systems the dictionaries carry codes
 * for, and matching by display/text when they carry none.
 */
import type { CodeableConcept, Coding } from '@medplum/fhirtypes'
import { entryByCode, normalizeEntryText, resolveEntry, type Dictionary, type EntryByDomain, type EntryDomain } from '../dictionary/index.ts'
import { ATC_PATTERN, ICD10_PATTERN, normalizeCode } from '../dictionary/normalize.ts'

/** Canonical code system URIs (FHIR R4 terminology, http://hl7.org/fhir/R4/terminologies-systems.html). */
export const SYSTEMS = {
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  snomed: 'http://snomed.info/sct',
  atc: 'http://www.whocc.no/atc',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
} as const

/**
 * This project's code system for record items that no standard code covers:
 * the protocol's reference dates (`dates.screening`), the investigator's
 * attestations (`attestations.willing_to_comply`), the engine's fact
 * catalogue (`pregnant`, `acr_1997.malar_rash`...) and SLEDAI-2K, which has
 * no LOINC code (`sledai_2k` for the total, `sledai_2k.<descriptor>`).
 */
export const RECORD_SYSTEM = 'https://ln-trial-rules.dev/fhir/CodeSystem/patient-record'

/** A coding as `system|code` (or the code alone), for messages. */
export function codingText(c: Coding): string {
  const code = `${c.system ? `${c.system}|` : ''}${c.code ?? '(no code)'}`
  return c.display ? `${code} "${c.display}"` : code
}

/** Every coding and the text of a concept, for an "unknown code" message. */
export function conceptText(cc: CodeableConcept | undefined): string {
  if (!cc) return 'no code'
  const parts = (cc.coding ?? []).map(codingText)
  if (cc.text) parts.push(`text "${cc.text}"`)
  return parts.length ? parts.join(', ') : 'an empty code'
}

export function codings(cc: CodeableConcept | undefined): Coding[] {
  return Array.isArray(cc?.coding) ? cc.coding.filter((c): c is Coding => typeof c === 'object' && c !== null) : []
}

export type EntryMatch<D extends EntryDomain> = { entry: EntryByDomain[D]; match: 'code' | 'name'; matched: string }

const CODE_SYSTEMS: Record<EntryDomain, readonly string[]> = {
  drugs: [SYSTEMS.atc, SYSTEMS.rxnorm],
  vaccines: [SYSTEMS.atc, SYSTEMS.cvx],
  conditions: [SYSTEMS.icd10, SYSTEMS.icd10cm, SYSTEMS.snomed],
  procedures: [SYSTEMS.snomed],
}

/**
 * The dictionary entry a concept's codes name, in a system the dictionary
 * carries (ATC and RxNorm ingredients for drugs, ATC and CVX for vaccines,
 * ICD-10 and SNOMED CT for conditions, SNOMED CT for procedures).
 */
export function matchEntryByCode<D extends EntryDomain>(domain: D, cc: CodeableConcept | undefined, dict: Dictionary): EntryMatch<D> | undefined {
  for (const c of codings(cc)) {
    if (!c.code || !c.system || !CODE_SYSTEMS[domain].includes(c.system)) continue
    const entry =
      c.system === SYSTEMS.cvx
        ? byCvx(c.code, dict)
        : c.system === SYSTEMS.snomed
          ? entryByCode(domain, 'snomed', c.code, dict)
          : c.system === SYSTEMS.rxnorm
            ? entryByCode(domain, 'rxnorm', c.code, dict)
            : resolveCode(domain, c.code, dict)
    if (entry) return { entry: entry as EntryByDomain[D], match: 'code', matched: codingText(c) }
  }
  return undefined
}

/**
 * The dictionary entry a concept names: first by code ({@link matchEntryByCode}),
 * else by a coding's display or the text against the entry names and
 * synonyms (`match: 'name'`, to be checked by a person).
 */
export function matchEntry<D extends EntryDomain>(domain: D, cc: CodeableConcept | undefined, dict: Dictionary): EntryMatch<D> | undefined {
  const byCode = matchEntryByCode(domain, cc, dict)
  if (byCode) return byCode
  for (const text of conceptTexts(cc)) {
    for (const candidate of nameCandidates(text)) {
      const entry = resolveEntry(domain, candidate, dict)
      // a display that is itself a code (an ICD-10 or ATC code as text) is not a name
      if (entry && !looksLikeCode(candidate)) return { entry, match: 'name', matched: `"${text}"` }
    }
  }
  return undefined
}

/** The displays of a concept's codings and its text, those that say something. */
export function conceptTexts(cc: CodeableConcept | undefined): string[] {
  const texts = [...codings(cc).map(c => c.display), cc?.text].filter((t): t is string => typeof t === 'string' && t.trim() !== '')
  return [...new Set(texts.map(t => t.trim()))]
}

/** A concept's codings as `system|code`, for the record's unrecognised items. */
export function conceptCodes(cc: CodeableConcept | undefined): string[] {
  return codings(cc)
    .filter(c => typeof c.code === 'string' && c.code.trim() !== '')
    .map(c => `${c.system ? `${c.system}|` : ''}${c.code}`)
}

function resolveCode<D extends EntryDomain>(domain: D, code: string, dict: Dictionary): EntryByDomain[D] | undefined {
  const c = normalizeCode(code)
  // resolveEntry matches codes only by their shape; make sure a code is not read as a name
  return c.length > 0 ? resolveEntry(domain, c, dict) : undefined
}

function byCvx(code: string, dict: Dictionary) {
  const want = code.trim().replace(/^0+(?=\d)/, '')
  return dict.vaccines.find(v => v.cvx?.some(c => c.replace(/^0+(?=\d)/, '') === want))
}

/**
 * Names to try for a display: as written; without a SNOMED semantic tag
 * (`Kidney biopsy (procedure)`); and a product's words before its strength
 * (`mycophenolate mofetil 500 MG Oral Tablet` → `mycophenolate mofetil`).
 */
export function nameCandidates(text: string): string[] {
  const out = [text]
  const untagged = text.replace(/\s*\([^()]*\)\s*$/, '')
  if (untagged !== text && untagged.trim()) out.push(untagged)
  const beforeStrength = /^([^\d]+?)\s+\d/.exec(untagged)?.[1]
  if (beforeStrength?.trim()) out.push(beforeStrength)
  return [...new Set(out.map(t => normalizeEntryText(t)))]
}

function looksLikeCode(text: string): boolean {
  const c = normalizeCode(text)
  return ATC_PATTERN.test(c) || ICD10_PATTERN.test(c)
}
