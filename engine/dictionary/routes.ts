/**
 * Routes of administration: the words a record uses, whether a drug given
 * that way counts as systemic exposure, and how FHIR route codes and RxNorm
 * dose forms name them. One home for the concept: the FHIR import writes
 * these words, the evaluator reads `systemic`.
 *
 * Exposure criteria ("rituximab within 24 weeks", "immunosuppressants within
 * 12 weeks") mean systemic exposure: an eye emulsion of ciclosporin (Restasis)
 * or a tacrolimus ointment (Protopic) is not. A criterion cannot (yet) ask for
 * a local route; an entry without a route counts as systemic.
 */

export interface RouteInfo {
  /** The record's word (`MedicationRecord.route`). */
  route: string
  /** Whether a drug given this way counts as systemic exposure. */
  systemic: boolean
  /** SNOMED CT route codes (FHIR R4 route-codes example value set, http://hl7.org/fhir/R4/valueset-route-codes.html; verify). */
  snomed: readonly string[]
  /** Words of an RxNorm dose form that imply the route, matched whole and case-insensitively, in table order. */
  doseFormWords: readonly string[]
  /** Other spellings a hand-written record may use. */
  synonyms: readonly string[]
}

/**
 * A dose form naming several routes takes a systemic one when there is one
 * ("Vaginal Cream" is vaginal, not topical), else the first in table order
 * ("Ophthalmic Ointment" is ophthalmic before "Ointment" says topical).
 * Source of `systemic`: local products act where applied (Restasis, Protopic,
 * inhaled and nasal corticosteroids labels: minimal systemic absorption); a
 * transdermal system is designed for systemic delivery. Vaginal and rectal
 * products are counted as systemic: some are, and counting them errs towards
 * asking rather than passing an exclusion.
 */
export const ROUTES: readonly RouteInfo[] = [
  { route: 'ophthalmic', systemic: false, snomed: ['54485002'], doseFormWords: ['ophthalmic'], synonyms: ['eye', 'ocular'] },
  { route: 'otic', systemic: false, snomed: ['10547007'], doseFormWords: ['otic'], synonyms: ['ear', 'auricular'] },
  { route: 'nasal', systemic: false, snomed: ['46713006'], doseFormWords: ['nasal'], synonyms: ['intranasal'] },
  {
    route: 'inhaled',
    systemic: false,
    snomed: ['447694001', '18679011000001101'],
    doseFormWords: ['inhalation', 'inhaler', 'inhalant', 'nebulizer'],
    synonyms: ['inhalation', 'respiratory'],
  },
  { route: 'vaginal', systemic: true, snomed: ['16857009'], doseFormWords: ['vaginal'], synonyms: ['pv'] },
  { route: 'rectal', systemic: true, snomed: ['37161004'], doseFormWords: ['rectal', 'enema', 'suppository'], synonyms: ['pr'] },
  { route: 'transdermal', systemic: true, snomed: ['45890007'], doseFormWords: ['transdermal'], synonyms: [] },
  {
    route: 'topical',
    systemic: false,
    snomed: ['6064005'],
    doseFormWords: ['topical', 'cutaneous', 'ointment', 'cream', 'lotion', 'shampoo', 'paste'],
    synonyms: ['skin', 'dermal'],
  },
  {
    route: 'oral',
    systemic: true,
    snomed: ['26643006'],
    doseFormWords: ['oral', 'tablet', 'capsule', 'sublingual', 'buccal', 'chewable', 'lozenge'],
    synonyms: ['po', 'by mouth'],
  },
  { route: 'iv', systemic: true, snomed: ['47625008'], doseFormWords: [], synonyms: ['intravenous'] },
  { route: 'sc', systemic: true, snomed: ['34206005'], doseFormWords: [], synonyms: ['subcutaneous', 'subcut'] },
  { route: 'im', systemic: true, snomed: ['78421000'], doseFormWords: [], synonyms: ['intramuscular'] },
  {
    route: 'injection',
    systemic: true,
    snomed: [],
    doseFormWords: ['injection', 'injectable', 'syringe', 'injector', 'auto-injector', 'cartridge', 'infusion'],
    synonyms: ['parenteral'],
  },
]

const BY_WORD = new Map<string, RouteInfo>()
for (const r of ROUTES) for (const w of [r.route, ...r.synonyms]) BY_WORD.set(w, r)

/**
 * Whether a drug given by this route counts as systemic exposure. Unknown
 * or absent routes count as systemic.
 *
 * @example isSystemicRoute('ophthalmic') // false
 * @example isSystemicRoute(undefined) // true
 */
export function isSystemicRoute(route: string | undefined): boolean {
  if (route === undefined) return true
  return routeOf(route)?.systemic ?? true
}

/** The route a record's word (or one of its synonyms) names. */
export function routeOf(word: string): RouteInfo | undefined {
  return BY_WORD.get(word.trim().toLowerCase())
}

/** The route a SNOMED CT route code names. */
export function routeBySnomed(code: string): RouteInfo | undefined {
  return ROUTES.find(r => r.snomed.includes(code.trim()))
}

/**
 * The route an RxNorm dose form implies ("Ophthalmic Emulsion" → ophthalmic,
 * "Oral Tablet" → oral, "Injection" → injection).
 *
 * @example routeOfDoseForm('Topical Ointment')?.route // 'topical'
 */
export function routeOfDoseForm(doseForm: string): RouteInfo | undefined {
  // whole words only: "sub-cutaneous" is not "cutaneous"
  const words = new Set(
    doseForm
      .toLowerCase()
      .split(/[^a-z-]+/)
      .filter(Boolean),
  )
  const named = ROUTES.filter(r => r.doseFormWords.some(w => words.has(w)))
  // a form naming a systemic and a local route ("Vaginal Cream") is systemic: erring towards asking
  return named.find(r => r.systemic) ?? named[0]
}
