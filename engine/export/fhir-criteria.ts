/**
 * The eligibility criteria as one EvidenceVariable (one characteristic per
 * criterion, in protocol order, the registry text verbatim as its
 * description) and a protocol-local CodeSystem whose codes are the criterion
 * ids. The computable logic has no FHIR form: it travels in plain words and
 * each criterion gets a note saying so.
 */
import type { Criterion } from '../types.ts'
import type { CriterionDescription } from '../describe/index.ts'
import { formatDescribedNode } from '../describe/index.ts'
import { criteriaSystem, type FhirContext } from './fhir-context.ts'
import { ACTIVE } from './fhir-codes.ts'
import { canonicalUrl, coding, machineName, type FhirResource, type JsonObject } from './fhir-json.ts'

/** The plain-words logic of a criterion (what engine/describe prints), with the parameters' values. */
function logicWords(c: CriterionDescription, ctx: FhirContext): { logic: string; appliesIf?: string } {
  const value = (name: string) => ctx.params[name]
  const lines = (node: CriterionDescription['logic']) => formatDescribedNode(node, value).join('\n')
  const verb = c.kind === 'inclusion' ? 'Met when' : 'Excludes when'
  const logic = `${c.id} logic in words (${verb}):\n${lines(c.logic)}`
  return c.applies_if ? { logic, appliesIf: `${c.id} applies only if:\n${lines(c.applies_if)}` } : { logic }
}

/** The characteristic's definition: the criterion named by its title and coded by its id. */
function definition(c: Criterion, ctx: FhirContext): JsonObject {
  const title = c.title ?? c.id
  return { coding: [coding(criteriaSystem(ctx.ids), c.id, title)], text: title }
}

/** Texts that go with a criterion: its logic in words, its applies_if, its interpretation notes. */
function criterionTexts(c: Criterion, ctx: FhirContext, words: CriterionDescription): string[] {
  const { logic, appliesIf } = logicWords(words, ctx)
  const notes = (c.notes ?? []).map(n => `${c.id} interpretation note: ${n}`)
  return [logic, ...(appliesIf ? [appliesIf] : []), ...notes]
}

function criterionNotes(c: Criterion, ctx: FhirContext, words: CriterionDescription): void {
  const place = ctx.release === 'R5' ? 'its characteristic.note' : 'EvidenceVariable.note (R4 characteristics have no note)'
  const uses = [
    words.parameters.length ? `parameters ${words.parameters.join(', ')}` : '',
    words.reference_dates.length ? `reference dates ${words.reference_dates.join(', ')}` : '',
  ].filter(Boolean)
  ctx.note(
    `criteria.${c.id}.logic`,
    `The computable logic (measurements with units and windows, events, ages at reference dates, parameters) has no FHIR ${ctx.release} form: ` +
      `the characteristic carries the registry text (description) and the criterion's title and id (definitionCodeableConcept), the logic only in words, in ${place}` +
      `${uses.length ? `; it uses ${uses.join(' and ')}` : ''}.`,
  )
  if (c.applies_if) {
    ctx.note(
      `criteria.${c.id}.applies_if`,
      `No FHIR element makes a characteristic conditional: when the criterion applies is carried in words only, in ${place}.`,
    )
  }
  if (c.notes?.length) {
    ctx.note(`criteria.${c.id}.notes`, `The ${c.notes.length} interpretation note(s) have no structured place: carried as text in ${place}.`)
  }
}

/** One characteristic: R5 keeps the id in `linkId`, R4 only in the definition's coding. */
function characteristic(c: Criterion, ctx: FhirContext, texts: string[]): JsonObject {
  const common = { description: c.text, definitionCodeableConcept: definition(c, ctx), exclude: c.kind === 'exclusion' }
  if (ctx.release === 'R4') return common
  return { linkId: c.id, ...common, note: texts.map(text => ({ text })) }
}

export function eligibilityResources(ctx: FhirContext): FhirResource[] {
  const { doc, ids, release } = ctx
  const registry = doc.protocol.registry_id
  const words = new Map(ctx.words.criteria.map(c => [c.id, c]))
  const texts = doc.criteria.map(c => criterionTexts(c, ctx, words.get(c.id)!))
  for (const c of doc.criteria) criterionNotes(c, ctx, words.get(c.id)!)
  const sex = doc.protocol.sex ? ` Sexes eligible as registered: ${doc.protocol.sex}.` : ''
  if (doc.protocol.sex) {
    ctx.note('protocol.sex', 'FHIR has no eligible-sex element outside the criteria: carried as text in EvidenceVariable.description.')
  }
  const eligibility: FhirResource = {
    resourceType: 'EvidenceVariable',
    id: ids.eligibility,
    url: canonicalUrl('EvidenceVariable', ids.eligibility),
    version: ctx.version,
    name: machineName(registry, 'eligibility'),
    title: `Eligibility criteria of ${registry}`,
    status: ACTIVE,
    description:
      `The registry's inclusion and exclusion criteria, verbatim and in protocol order; a characteristic with exclude = true excludes.${sex} ` +
      'Each criterion is coded by its id in the code system of its definitionCodeableConcept.',
    note: release === 'R4' ? texts.flat().map(text => ({ text })) : undefined,
    // R4 EvidenceVariable.type / R5 EvidenceVariable.handling: eligibility is yes/no (http://hl7.org/fhir/variable-type, http://hl7.org/fhir/variable-handling)
    ...(release === 'R4' ? { type: 'dichotomous' } : { actual: false, handling: 'dichotomous' }),
    characteristic: doc.criteria.map((c, i) => characteristic(c, ctx, texts[i]!)),
  }
  return [eligibility, criteriaCodeSystem(ctx)]
}

/** The protocol's own code system: one concept per criterion, code = criterion id. */
function criteriaCodeSystem(ctx: FhirContext): FhirResource {
  const { doc, ids } = ctx
  return {
    resourceType: 'CodeSystem',
    id: ids.criteriaCodeSystem,
    url: criteriaSystem(ids),
    version: ctx.version,
    name: machineName(doc.protocol.registry_id, 'criteria'),
    title: `Eligibility criteria of ${doc.protocol.registry_id}`,
    status: ACTIVE,
    description: 'The protocol-local ids of the eligibility criteria (IN01, EX04...), so that a FHIR reader finds each criterion by id.',
    caseSensitive: true,
    // codesystem-content-mode complete: every criterion is a concept (http://hl7.org/fhir/R4/codesystem-codesystem-content-mode.html)
    content: 'complete',
    count: doc.criteria.length,
    concept: doc.criteria.map(c => ({ code: c.id, display: c.title ?? c.id, definition: c.text })),
  }
}
