/**
 * Notes for the parts of the protocol no FHIR resource of the export holds:
 * the parameters (their values are resolved into the schedule and dosing;
 * names, options and rationales are not), the attestations, the named sets
 * of `definitions`, and how the bundle's resources refer to each other.
 */
import type { ExceptRule, SetDefinition } from '../types.ts'
import type { FhirContext } from './fhir-context.ts'
import { CANONICAL_BASE } from './fhir-json.ts'

export function parameterNotes(ctx: FhirContext): void {
  const params = ctx.words.parameters
  if (!params.length) return
  ctx.note(
    'parameters',
    `FHIR has no named protocol choices: the ${params.length} parameters' values are resolved into the numbers of the schedule and dosing and into the criteria's words; ` +
      'their names, options, open status and rationales are not carried (one note each).',
  )
  for (const p of params) {
    const options = p.options ? `; options ${p.options.map(String).join(', ')}` : ''
    const used = p.used_by.length ? `; used by ${p.used_by.join(', ')}` : '; used by nothing yet'
    ctx.note(
      `parameters.${p.name}`,
      `Value ${String(p.value)}${options}${p.open ? ' (open: not settled by the registry text)' : ''}${used}. Rationale: ${p.rationale}`,
    )
  }
}

export function attestationNotes(ctx: FhirContext): void {
  const list = ctx.words.attestations
  if (!list.length) return
  ctx.note(
    'attestations',
    `The investigator's yes/no judgements have no place in the export (a FHIR Questionnaire would be a form of its own): not carried. ${list.map(a => `${a.name}: ${a.question}`).join(' ')}`,
  )
}

function exceptWords(rule: ExceptRule): string {
  if (typeof rule === 'string') return rule
  const names = [...(rule.classes ?? []), ...(rule.items ?? [])].join(', ')
  return rule.outcome?.length ? `${names} when ${rule.outcome.join(' or ')}` : names
}

function setWords(s: SetDefinition): string {
  const parts = [
    s.label ? `"${s.label}"` : '',
    s.items?.length ? `items ${s.items.join(', ')}` : '',
    s.classes?.length ? `classes ${s.classes.join(', ')}` : '',
    s.except?.length ? `except ${s.except.map(exceptWords).join(', ')}` : '',
  ]
  return parts.filter(Boolean).join('; ')
}

export function definitionNotes(ctx: FhirContext): void {
  const defs = ctx.doc.definitions
  if (!defs) return
  const domains = ['drugs', 'vaccines', 'conditions', 'procedures'] as const
  for (const domain of domains) {
    for (const [name, set] of Object.entries(defs[domain] ?? {})) {
      ctx.note(
        `definitions.${domain}.${name}`,
        `A named set of dictionary entries used by the criteria's logic (no FHIR ValueSet is exported): not carried. ${setWords(set)}.`,
      )
    }
  }
  for (const [name, lab] of Object.entries(defs.lab_concepts ?? {})) {
    ctx.note(
      `definitions.lab_concepts.${name}`,
      `A protocol-local lab concept (${lab.name}, unit ${lab.unit}${lab.loinc?.length ? `, LOINC ${lab.loinc.join(', ')}` : ''}): not carried.`,
    )
  }
}

/** How the bundle's resources find each other, per release. */
export function bundleNote(ctx: FhirContext): void {
  const eligibility =
    ctx.release === 'R4'
      ? "ResearchStudy.relatedArtifact (type depends-on, resource = the EvidenceVariable's canonical URL), since R4 ResearchStudy.enrollment takes only a Reference(Group)"
      : 'ResearchStudy.recruitment.eligibility (Reference(EvidenceVariable))'
  ctx.note(
    'bundle',
    `A collection Bundle. Every entry's fullUrl is ${CANONICAL_BASE}/<type>/<id>, which is also the canonical url of the canonical resources; ` +
      `references inside the bundle are relative (<type>/<id>) and resolve against that base. The schedule is ResearchStudy.protocol (PlanDefinition); ` +
      `the eligibility is ${eligibility}; dosing actions name their ActivityDefinition by definitionCanonical. ` +
      `Criterion ids are ${ctx.release === 'R5' ? "the characteristics' linkId and " : ''}the codes of the protocol's criteria CodeSystem in each characteristic's definitionCodeableConcept; ` +
      `arm ids are ${ctx.release === 'R5' ? 'comparisonGroup.linkId' : "the arms' element ids"} and the PlanDefinition's arm action keys (arm-<id>).`,
  )
}
