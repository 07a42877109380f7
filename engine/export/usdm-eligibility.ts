/**
 * Eligibility in USDM: each criterion is an EligibilityCriterionItem (the
 * registry text, verbatim) and an EligibilityCriterion (its id, inclusion or
 * exclusion, its place in the list), with the criterion's interpretation
 * notes as comments. The computable logic has no home in USDM: a note says so
 * for each criterion. `eligibilityFromUsdm` reads the criteria back.
 */
import type { ProtocolDocument } from '../types.ts'
import type { ExportedCriterion, ExportNote } from './export-notes.ts'
import { chain, type UsdmBuilder, type UsdmInstance } from './usdm-build.ts'
import { USDM_CODES } from './usdm-codes.ts'

export interface UsdmEligibility {
  items: UsdmInstance[]
  criteria: UsdmInstance[]
  notes: ExportNote[]
}

export function usdmEligibility(doc: ProtocolDocument, b: UsdmBuilder): UsdmEligibility {
  const items: UsdmInstance[] = []
  const criteria: UsdmInstance[] = []
  const notes: ExportNote[] = []
  for (const c of doc.criteria) {
    const item = b.make('EligibilityCriterionItem', { name: c.id, label: c.title ?? null, description: null, text: c.text, dictionaryId: null, notes: [] })
    items.push(item)
    criteria.push(
      b.make('EligibilityCriterion', {
        name: c.id,
        label: c.title ?? null,
        description: null,
        category: b.code(c.kind === 'inclusion' ? USDM_CODES.inclusion : USDM_CODES.exclusion),
        identifier: c.id,
        criterionItemId: item.id,
        notes: (c.notes ?? []).map(text => b.comment(text)),
      }),
    )
    notes.push({
      where: `criteria.${c.id}.logic`,
      note: `USDM holds a criterion as text only: its computable logic${c.applies_if ? ' and the condition under which it applies (applies_if)' : ''} is not exported${c.notes?.length ? '; its interpretation notes are comments (EligibilityCriterion.notes)' : ''}.`,
    })
  }
  chain(criteria)
  return { items, criteria, notes }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)

function listAt(x: unknown, path: string): Record<string, unknown>[] {
  if (!Array.isArray(x)) throw new Error(`USDM ${path}: expected a list, found ${x === undefined ? 'nothing' : typeof x}`)
  return x.map((v, i) => {
    if (!isObject(v)) throw new Error(`USDM ${path}[${i}]: expected an object, found ${typeof v}`)
    return v
  })
}

/**
 * The eligibility criteria of a USDM document (the Wrapper of `POST
 * /v4/studyDefinitions`), in the design's order: the first study design of the
 * first version. Throws an Error naming the path of what is missing or wrong.
 */
export function eligibilityFromUsdm(wrapper: unknown): ExportedCriterion[] {
  if (!isObject(wrapper) || !isObject(wrapper.study)) throw new Error('USDM: expected a Wrapper object with a `study`')
  const version = listAt(wrapper.study.versions, 'study.versions')[0]
  if (!version) throw new Error('USDM study.versions: the study has no version')
  const items = new Map(listAt(version.eligibilityCriterionItems, 'study.versions[0].eligibilityCriterionItems').map(i => [i.id, i]))
  const design = listAt(version.studyDesigns, 'study.versions[0].studyDesigns')[0]
  if (!design) throw new Error('USDM study.versions[0].studyDesigns: the version has no study design')
  return listAt(design.eligibilityCriteria, 'study.versions[0].studyDesigns[0].eligibilityCriteria').map((c, i) => {
    const where = `study.versions[0].studyDesigns[0].eligibilityCriteria[${i}]`
    const item = items.get(c.criterionItemId)
    if (!item || typeof item.text !== 'string')
      throw new Error(`USDM ${where}.criterionItemId: no EligibilityCriterionItem ${String(c.criterionItemId)} with a text`)
    const code = isObject(c.category) ? c.category.code : undefined
    const kind = code === USDM_CODES.inclusion.code ? 'inclusion' : code === USDM_CODES.exclusion.code ? 'exclusion' : undefined
    if (!kind) throw new Error(`USDM ${where}.category: expected ${USDM_CODES.inclusion.code} or ${USDM_CODES.exclusion.code}, found ${String(code)}`)
    if (typeof c.identifier !== 'string') throw new Error(`USDM ${where}.identifier: expected a string`)
    return { id: c.identifier, kind, text: item.text }
  })
}
