/**
 * The patient record's catalogue as the form shows it: the engine's one
 * catalogue (engine/record-catalogue.ts: ACR 1997 items, SLEDAI-2K
 * descriptors with their weights, yes/no facts and where each is recorded),
 * imported at run time (a pure module, test/web/boundaries.test.ts
 * WEB_SHARED), with its names as form labels.
 */
import {
  ACR_1997 as ACR_1997_CATALOGUE,
  SLEDAI_2K as SLEDAI_2K_CATALOGUE,
  YES_NO_FACTS,
  type Acr1997Item,
  type RecordFactPlace,
  type SledaiDescriptor,
} from '../../engine/record-catalogue.ts'
import { upperFirst } from '../../engine/words/phrases.ts'

/** Where a boolean fact lives in the record. */
export type FactPath = RecordFactPlace['section']

export interface FactInfo extends RecordFactPlace {
  label: string
}

/** Boolean facts of the catalogue (`sex` and `acr_1997.*` have their own controls). */
export const BOOLEAN_FACTS: Record<string, FactInfo> = Object.fromEntries(
  Object.entries(YES_NO_FACTS).map(([name, f]) => [name, { label: upperFirst(f.description), section: f.section, key: f.key }]),
)

export const ACR_1997_LABELS = Object.fromEntries(ACR_1997_CATALOGUE.map(i => [i.id, upperFirst(i.name)])) as Record<Acr1997Item, string>
/** The 11 items in the order of Hochberg 1997. */
export const ACR_1997: readonly Acr1997Item[] = ACR_1997_CATALOGUE.map(i => i.id)

/** The descriptors in form order, with their weights (the engine's). */
export const SLEDAI_2K: ReadonlyArray<{ id: SledaiDescriptor; label: string; weight: number }> = SLEDAI_2K_CATALOGUE.map(d => ({
  id: d.id,
  label: upperFirst(d.name),
  weight: d.weight,
}))

/** Measurement concepts entered through a structured instrument rather than a number. */
export const INSTRUMENT_CONCEPTS = { sledai_2k_score: 'sledai' } as const
