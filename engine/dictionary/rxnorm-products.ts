/**
 * RxNorm clinical and branded drug products (SCD, SBD, GPCK, BPCK) by RxCUI,
 * with their RxNorm names, from `rxnorm-products.json` (each with its
 * source). The FHIR import reads a product's ingredients, strengths and dose
 * form from its name, so a product code known here is recognised even when
 * the coding carries no display.
 */
import data from './rxnorm-products.json' with { type: 'json' }

export interface RxnormProduct {
  rxcui: string
  /** The RxNorm name (STR), e.g. `10 ML rituximab 10 MG/ML Injection [Rituxan]`. */
  name: string
  source: string
}

export const RXNORM_PRODUCTS = data as RxnormProduct[]

let byRxcui: Map<string, RxnormProduct> | undefined

/** The product an RxCUI names, if the table has it. */
export function rxnormProduct(rxcui: string): RxnormProduct | undefined {
  byRxcui ??= new Map(RXNORM_PRODUCTS.map(p => [p.rxcui, p]))
  return byRxcui.get(rxcui.trim())
}
