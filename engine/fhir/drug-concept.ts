/**
 * What a medication concept is made of: every ingredient, each matched to a
 * dictionary drug (or left unrecognised, or ambiguous between several), and
 * the route its dose form implies.
 *
 * In order: an ATC code or an RxNorm ingredient RxCUI names one drug; an
 * RxNorm product RxCUI known to the product table names its ingredients
 * through its RxNorm name; otherwise a display or the text is read as a
 * product name (`parseDrugName`). A name that stands for several drugs
 * ("MPA") is never mapped: its candidates are kept.
 */
import type { CodeableConcept } from '@medplum/fhirtypes'
import { ambiguousCandidates } from '../dictionary/ambiguous-names.ts'
import { resolveEntry, type Dictionary, type DrugEntry } from '../dictionary/index.ts'
import { routeOfDoseForm, type RouteInfo } from '../dictionary/routes.ts'
import { rxnormProduct } from '../dictionary/rxnorm-products.ts'
import { SYSTEMS, codingText, codings, conceptTexts, matchEntryByCode } from './codes.ts'
import { ingredientSpellings, parseDrugName } from './rxnorm-name.ts'

export interface Ingredient {
  /** The ingredient as written in the product name (or the dictionary name for a code match). */
  name: string
  entry?: DrugEntry
  /** A name standing for several drugs: the dictionary ids it may be. */
  candidates?: string[]
}

export interface DrugConcept {
  ingredients: Ingredient[]
  /** `code`: an ATC / RxNorm code matched; `name`: read from a display or text. */
  match: 'code' | 'name'
  /** The coding or text it was read from. */
  matched: string
  /** The product name the ingredients were read from, when not the text itself. */
  product?: string
  doseForm?: string
  /** The route the dose form implies. */
  route?: RouteInfo
}

/**
 * Reads a medication concept into its ingredients.
 *
 * @returns undefined when the concept has neither a known code nor any text
 * @example drugConcept({ coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1657864', display: '10 ML rituximab 10 MG/ML Injection [Rituxan]' }] }, dict)
 * // { ingredients: [{ name: 'rituximab', entry: <rituximab> }], match: 'name', doseForm: 'Injection', ... }
 */
export function drugConcept(cc: CodeableConcept | undefined, dict: Dictionary): DrugConcept | undefined {
  const byCode = matchEntryByCode('drugs', cc, dict)
  if (byCode) {
    const fromText = conceptTexts(cc)
      .map(parseDrugName)
      .find(p => p.doseForm)
    return { ingredients: [{ name: byCode.entry.name, entry: byCode.entry }], match: 'code', matched: byCode.matched, ...formOf(fromText?.doseForm) }
  }
  for (const c of codings(cc)) {
    if (c.system !== SYSTEMS.rxnorm || !c.code) continue
    const product = rxnormProduct(c.code)
    if (product) return fromName(product.name, dict, 'code', codingText(c), product.name)
  }
  // a display that reads into recognised ingredients wins over one that does not
  let fallback: DrugConcept | undefined
  for (const text of conceptTexts(cc)) {
    const read = fromName(text, dict, 'name', `"${text}"`)
    if (read.ingredients.some(i => i.entry)) return read
    fallback ??= read
  }
  return fallback
}

function fromName(name: string, dict: Dictionary, match: DrugConcept['match'], matched: string, product?: string): DrugConcept {
  const parsed = parseDrugName(name)
  let ingredients = parsed.ingredients.map(i => ingredient(i, dict))
  // a brand alone may name the drug when the ingredients do not (`[Rituxan]`)
  if (!ingredients.some(i => i.entry) && parsed.brand) {
    const brand = ingredient(parsed.brand, dict)
    if (brand.entry) ingredients = [brand]
  }
  if (ingredients.length === 0) ingredients = [ingredient(name, dict)]
  return { ingredients, match, matched, ...(product ? { product } : {}), ...formOf(parsed.doseForm) }
}

function formOf(doseForm: string | undefined): Pick<DrugConcept, 'doseForm' | 'route'> {
  if (!doseForm) return {}
  const route = routeOfDoseForm(doseForm)
  return { doseForm, ...(route ? { route } : {}) }
}

/** One ingredient name against the dictionary, spelling by spelling; an ambiguous spelling stops the search. */
function ingredient(name: string, dict: Dictionary): Ingredient {
  for (const spelling of ingredientSpellings(name)) {
    const candidates = ambiguousCandidates('drugs', spelling)
    if (candidates) return { name, candidates }
    const entry = resolveEntry('drugs', spelling, dict)
    if (entry) return { name, entry }
  }
  return { name }
}
