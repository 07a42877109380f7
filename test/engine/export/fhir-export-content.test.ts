/**
 * What the FHIR export carries and where, on both sides of the export: ids
 * and references that resolve inside the bundle, the criteria (kind, id,
 * text), the schedule's numbers resolved from parameters, the dosing, and a
 * note for every part FHIR cannot hold. Validation against the published
 * definitions: fhir-export.test.ts.
 */
import { describe, expect, it } from 'vitest'
import type { ProtocolDocument } from '../../../engine/index.ts'
import { toFhir, type FhirBundle, type FhirRelease, type FhirResource, type Json } from '../../../engine/export/fhir-export.ts'
import { CANONICAL_BASE } from '../../../engine/export/fhir-json.ts'
import { shippedProtocols } from '../../helpers/protocols.ts'

const DOCS: Array<[string, ProtocolDocument]> = shippedProtocols().map(p => [p.doc.protocol.registry_id, p.doc])
const SEED = DOCS.find(([id]) => id === 'NCT05631717')![1]
const RELEASES: FhirRelease[] = ['R4', 'R5']
const CASES = DOCS.flatMap(([id, doc]) => RELEASES.map(r => [id, r, doc] as const))

type Node = Record<string, unknown>

function resource(bundle: FhirBundle, type: string): FhirResource {
  const found = bundle.entry.find(e => e.resource.resourceType === type)
  if (!found) throw new Error(`no ${type}`)
  return found.resource
}

function resources(bundle: FhirBundle, type: string): FhirResource[] {
  return bundle.entry.filter(e => e.resource.resourceType === type).map(e => e.resource)
}

/** Every object in a JSON tree, with the key it sits under. */
function objects(value: unknown, key = ''): Array<{ key: string; node: Node }> {
  if (Array.isArray(value)) return value.flatMap(v => objects(v, key))
  if (typeof value !== 'object' || value === null) return []
  const node = value as Node
  return [{ key, node }, ...Object.entries(node).flatMap(([k, v]) => objects(v, k))]
}

/** A PlanDefinition action by its key (R4 element id, R5 linkId). */
function action(bundle: FhirBundle, key: string): Node {
  const found = objects(resource(bundle, 'PlanDefinition').action, 'action').find(o => o.key === 'action' && (o.node.id === key || o.node.linkId === key))
  if (!found) throw new Error(`no action ${key}`)
  return found.node
}

const characteristics = (bundle: FhirBundle) => resource(bundle, 'EvidenceVariable').characteristic as Node[]
const wheres = (doc: ProtocolDocument, release: FhirRelease) => toFhir(doc, release).notes.map(n => n.where)

describe.each(CASES)('toFhir(%s, %s)', (registryId, release, doc) => {
  const out = toFhir(doc, release)
  const bundle = out.document

  it('names the standard and is deterministic, plain JSON without empty members', () => {
    expect(out.standard).toBe(release === 'R4' ? 'HL7 FHIR R4 (4.0.1)' : 'HL7 FHIR R5 (5.0.0)')
    expect(toFhir(doc, release)).toEqual(out)
    expect(JSON.parse(JSON.stringify(bundle))).toEqual(bundle)
    const empty = objects(bundle).filter(({ node }) => Object.values(node).some(v => v === undefined || (Array.isArray(v) && !v.length)))
    expect(empty).toEqual([])
  })

  it('gives every resource a FHIR id from the registry id and a fullUrl that is its canonical url', () => {
    expect(resource(bundle, 'ResearchStudy').id).toBe(registryId.toLowerCase())
    for (const { fullUrl, resource: r } of bundle.entry) {
      expect(r.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/)
      expect(r.id.startsWith(registryId.toLowerCase())).toBe(true)
      expect(fullUrl).toBe(`${CANONICAL_BASE}/${r.resourceType}/${r.id}`)
      if (r.url !== undefined) expect(r.url).toBe(fullUrl)
    }
  })

  it('resolves every reference, canonical and action relation inside the bundle', () => {
    const urls = new Set(bundle.entry.map(e => e.fullUrl))
    const all = objects(bundle)
    const references = all.flatMap(({ node }) => (typeof node.reference === 'string' ? [`${CANONICAL_BASE}/${node.reference}`] : []))
    const canonicals = all.flatMap(({ node }) => [node.definitionCanonical, node.resource].filter((v): v is string => typeof v === 'string'))
    const localSystems = all.flatMap(({ node }) => (typeof node.system === 'string' && node.system.startsWith(CANONICAL_BASE) ? [node.system] : []))
    expect([references.length, canonicals.length]).toEqual([release === 'R4' ? 2 : 3, expect.any(Number)])
    expect(canonicals.length).toBeGreaterThan(0)
    for (const url of [...references, ...canonicals, ...localSystems]) expect(urls, url).toContain(url)
    const actions = objects(resource(bundle, 'PlanDefinition').action, 'action').filter(o => o.key === 'action')
    const keys = new Set(actions.map(({ node }) => (release === 'R4' ? node.id : node.linkId)))
    expect(keys.size).toBe(actions.length)
    const targets = objects(resource(bundle, 'PlanDefinition')).flatMap(({ node }) => [node.actionId, node.targetId].filter(v => v !== undefined))
    for (const t of targets) expect(keys).toContain(t)
    const study = resource(bundle, 'ResearchStudy')
    if (release === 'R5')
      expect((study.recruitment as Node).eligibility).toEqual(
        expect.objectContaining({ reference: `EvidenceVariable/${registryId.toLowerCase()}-eligibility` }),
      )
    else expect(study.relatedArtifact).toContainEqual(expect.objectContaining({ type: 'depends-on', resource: resource(bundle, 'EvidenceVariable').url }))
  })

  it('writes one characteristic per criterion: registry text, exclude for exclusions, the id in the criteria code system', () => {
    const chs = characteristics(bundle)
    const system = resource(bundle, 'CodeSystem').url
    expect(chs).toHaveLength(doc.criteria.length)
    doc.criteria.forEach((c, i) => {
      const ch = chs[i]!
      expect(ch.description).toBe(c.text)
      expect(ch.exclude).toBe(c.kind === 'exclusion')
      // R4 requires definition[x] (1..1), which Medplum's R5-shaped R4 EvidenceVariable does not check
      expect((ch.definitionCodeableConcept as Node).coding).toEqual([{ system, code: c.id, display: c.title ?? c.id }])
      if (release === 'R5') expect(ch.linkId).toBe(c.id)
      else expect(ch.linkId).toBeUndefined()
    })
    expect(doc.criteria.some(c => c.kind === 'exclusion') && doc.criteria.some(c => c.kind === 'inclusion')).toBe(true)
  })

  it('notes every criterion logic once, and every section FHIR cannot hold', () => {
    const notes = wheres(doc, release)
    for (const c of doc.criteria) {
      expect(notes.filter(w => w === `criteria.${c.id}.logic`)).toHaveLength(1)
      if (c.applies_if) expect(notes).toContain(`criteria.${c.id}.applies_if`)
      if (c.notes?.length) expect(notes).toContain(`criteria.${c.id}.notes`)
    }
    for (const name of Object.keys(doc.parameters ?? {})) expect(notes).toContain(`parameters.${name}`)
    if (doc.parameters) expect(notes).toContain('parameters')
    if (doc.attestations) expect(notes).toContain('attestations')
    for (const [domain, sets] of Object.entries(doc.definitions ?? {}))
      for (const name of Object.keys(sets)) expect(notes).toContain(`definitions.${domain}.${name}`)
    for (const e of doc.endpoints ?? []) expect(notes).toContain(`endpoints.${e.id}`)
    for (const v of doc.visits ?? []) expect(notes).toContain(`visits.${v.id}.window`)
    expect(notes).toEqual(expect.arrayContaining(['bundle', 'protocol', 'protocol.masking', 'reference_dates']))
    for (const section of Object.keys(doc).filter(k => !['$schema', 'protocol', 'criteria', 'arms'].includes(k))) {
      expect(
        notes.some(w => w === section || w.startsWith(`${section}.`)),
        section,
      ).toBe(true)
    }
  })

  it('carries the enrolment target in R5 only, and the sponsor and arms in both', () => {
    const study = resource(bundle, 'ResearchStudy')
    const org = resource(bundle, 'Organization')
    expect(org.name).toBe(doc.protocol.sponsor)
    const arms = (doc.arms ?? []).map(a => expect.objectContaining({ name: a.label, description: a.text }))
    if (release === 'R5') {
      expect((study.recruitment as Node).targetNumber).toBe(doc.protocol.target_enrollment)
      expect(study.associatedParty).toEqual([expect.objectContaining({ party: expect.objectContaining({ reference: `Organization/${org.id}` }) })])
      expect(study.comparisonGroup).toEqual(arms)
      expect(study.outcomeMeasure).toEqual((doc.endpoints ?? []).map(e => expect.objectContaining({ name: e.title, description: e.text })))
    } else {
      expect(wheres(doc, 'R4')).toContain('protocol.target_enrollment')
      expect(study.sponsor).toEqual(expect.objectContaining({ reference: `Organization/${org.id}` }))
      expect(study.arm).toEqual(arms)
      expect(study.objective).toEqual((doc.endpoints ?? []).map(e => expect.objectContaining({ name: e.title })))
      const texts = (study.note as Node[]).map(n => n.text as string)
      for (const e of doc.endpoints ?? [])
        expect(
          texts.some(t => t.endsWith(`: ${e.text}`)),
          e.id,
        ).toBe(true)
    }
  })
})

describe.each(RELEASES)('the seed protocol NCT05631717 in %s', release => {
  const out = toFhir(SEED, release)
  const bundle = out.document

  it('places week 4 on study day 29 with a window of ± visit_window_days, resolved from the parameter', () => {
    const windowDays = SEED.parameters!.visit_window_days!.value
    expect(windowDays).toBe(7)
    const related = (action(bundle, 'visit-week-4').relatedAction as Node[])[0]!
    const offset = (related.offsetDuration as Node).value as number
    expect(offset + 1).toBe(29)
    expect(related).toEqual(expect.objectContaining({ relationship: 'after-start', [release === 'R4' ? 'actionId' : 'targetId']: 'ref-randomization' }))
    const range = ((related.extension as Node[])[0]!.valueRange ?? {}) as Record<string, Node>
    expect([offset - (range.low!.value as number), (range.high!.value as number) - offset]).toEqual([windowDays, windowDays])
    expect(range.low).toEqual({ value: 21, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' })
  })

  it('gives IL-2 three cycles 28 days apart, each of 7 subcutaneous doses every 2 days', () => {
    const cycles = action(bundle, 'dose-il2.il2-sc').action as Node[]
    expect(cycles.map(c => ((c.relatedAction as Node[])[0]!.offsetDuration as Node).value)).toEqual([0, 28, 56])
    const il2 = resources(bundle, 'ActivityDefinition').find(r => r.id === 'nct05631717-il2.il2-sc')!
    expect(new Set(cycles.map(c => c.definitionCanonical))).toEqual(new Set([il2.url]))
    const dosage = (il2.dosage as Node[])[0]!
    expect(dosage.timing).toEqual({ repeat: { count: 7, frequency: 1, period: 2, periodUnit: 'd' } })
    expect((dosage.route as Node).coding).toEqual([{ system: 'http://snomed.info/sct', code: '34206005', display: 'Subcutaneous route' }])
    expect((dosage.doseAndRate as Node[])[0]!.doseQuantity).toEqual({ value: 1000000, unit: 'IU', system: 'http://unitsofmeasure.org', code: '[IU]' })
    expect(out.notes.map(n => n.where)).toContain('arms.il2.interventions.il2_sc.cycles')
  })

  it('doses MSCs per kilogram, in a UCUM unit, with notes for the weight and the vehicle', () => {
    const msc = resources(bundle, 'ActivityDefinition').find(r => r.id === 'nct05631717-msc.uc-msc-iv')!
    const dosage = (msc.dosage as Node[])[0]!
    expect((dosage.doseAndRate as Node[])[0]!.doseQuantity).toEqual(expect.objectContaining({ value: 2000000, code: '{cells}/kg' }))
    expect(dosage.text).toMatch(/30 mL saline/)
    const notes = out.notes.map(n => n.where)
    expect(notes).toEqual(expect.arrayContaining(['arms.msc.interventions.uc_msc_iv.dose', 'arms.msc.interventions.uc_msc_iv.vehicle']))
    expect(action(bundle, 'dose-msc.uc-msc-iv').definitionCanonical).toBe(msc.url)
  })

  it('carries each criterion logic in words where the release allows', () => {
    const ev = resource(bundle, 'EvidenceVariable')
    const words = release === 'R5' ? ((characteristics(bundle)[1]!.note as Node[]) ?? []) : (ev.note as Node[])
    expect(words.map(n => n.text as Json).join('\n')).toMatch(/IN02 logic in words \(Met when\):\n• ALL of/)
    expect(out.notes.find(n => n.where === 'criteria.IN02.logic')?.note).toMatch(/parameters age_lower_bound_basis, age_upper_bound_basis/)
  })
})
