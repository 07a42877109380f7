/**
 * The CDISC USDM 4.0.0 export of the four shipped protocols: valid against the
 * published schema (the Wrapper-Input of USDM's API, test/fixtures/usdm),
 * every id reference resolved, the eligibility text kept through a round
 * trip, and what USDM cannot carry listed in the notes.
 */
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { eligibilityFromUsdm, toUsdm } from '../../../engine/export/index.ts'
import { loadProtocol, type ProtocolDocument } from '../../../engine/index.ts'

const root = join(import.meta.dirname, '..', '..', '..')
const PROTOCOLS = ['nct05631717', 'nct01639339', 'nct02550652', 'nct03021499']
const load = (id: string): ProtocolDocument => loadProtocol(readFileSync(join(root, 'protocols', `${id}.yaml`), 'utf8')).value!

const api = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'usdm', 'USDM_API-4.0.0.json'), 'utf8')) as { components: unknown }
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats.default(ajv, ['date', 'uuid'])
ajv.addSchema({ $id: 'usdm', components: api.components })
const validateWrapper = ajv.getSchema('usdm#/components/schemas/Wrapper-Input')!

type Json = Record<string, unknown>
/** Every object of the document with an `instanceType`, by id. */
function instances(doc: unknown): Map<string, Json> {
  const out = new Map<string, Json>()
  const walk = (o: unknown): void => {
    if (Array.isArray(o)) {
      for (const x of o) walk(x)
      return
    }
    if (o === null || typeof o !== 'object') return
    const r = o as Json
    if (typeof r.id === 'string') {
      if (out.has(r.id)) throw new Error(`duplicate id ${r.id}`)
      out.set(r.id, r)
    }
    for (const v of Object.values(r)) walk(v)
  }
  walk(doc)
  return out
}
const ofType = (all: Map<string, Json>, type: string) => [...all.values()].filter(i => i.instanceType === type)

describe.each(PROTOCOLS)('USDM export of %s', id => {
  const doc = load(id)
  const out = toUsdm(doc)

  it('validates against the USDM 4.0.0 Wrapper schema', () => {
    const ok = validateWrapper(out.document)
    expect(validateWrapper.errors ?? []).toEqual([])
    expect(ok).toBe(true)
    expect(out.standard).toBe('CDISC USDM 4.0.0')
  })

  it('resolves every id it refers to, and gives every instance a unique id', () => {
    const all = instances(out.document)
    const dangling: string[] = []
    for (const inst of all.values())
      for (const [field, value] of Object.entries(inst)) {
        if (field === 'id') continue
        const refs = field.endsWith('Ids') && Array.isArray(value) ? value : field.endsWith('Id') && typeof value === 'string' ? [value] : []
        for (const ref of refs) if (!all.has(ref as string)) dangling.push(`${inst.id}.${field} → ${String(ref)}`)
      }
    expect(dangling).toEqual([])
  })

  it('keeps every criterion: id, inclusion or exclusion, registry text, through a round trip', () => {
    const back = eligibilityFromUsdm(JSON.parse(JSON.stringify(out.document)))
    expect(back).toEqual(doc.criteria.map(c => ({ id: c.id, kind: c.kind, text: c.text })))
  })

  it('lists the logic of every criterion, and every parameter, as not carried', () => {
    for (const c of doc.criteria) expect(out.notes.some(n => n.where === `criteria.${c.id}.logic`)).toBe(true)
    const params = out.notes.find(n => n.where === 'parameters')
    for (const name of Object.keys(doc.parameters ?? {})) expect(params?.note).toContain(name)
  })

  it('has an arm per protocol arm with its registry text, and an encounter per visit', () => {
    const all = instances(out.document)
    expect(ofType(all, 'StudyArm').map(a => a.description)).toEqual((doc.arms ?? []).map(a => a.text))
    expect(ofType(all, 'Encounter').map(e => e.name)).toEqual((doc.visits ?? []).map(v => v.id))
    expect(
      ofType(all, 'Endpoint')
        .map(e => e.text)
        .sort(),
    ).toEqual((doc.endpoints ?? []).map(e => e.text).sort())
  })
})

describe('USDM export of the seed protocol (NCT05631717), in detail', () => {
  const doc = load('nct05631717')
  const out = toUsdm(doc)
  const all = instances(out.document)
  const byName = (type: string, name: string) => ofType(all, type).find(i => i.name === name)!

  it('times week 4 as day 29: 28 days after random allocation, window ± visit_window_days (7)', () => {
    const encounter = byName('Encounter', 'week_4')
    const timing = all.get(encounter.scheduledAtId as string)!
    expect(timing).toMatchObject({ value: 'P28D', windowLower: 'P7D', windowUpper: 'P7D' })
    expect((timing.type as Json).decode).toBe('After')
    const anchor = all.get(timing.relativeToScheduledInstanceId as string)!
    expect(anchor.name).toBe('baseline')
    const baselineTiming = all.get(byName('Encounter', 'baseline').scheduledAtId as string)!
    expect(baselineTiming).toMatchObject({ value: 'P1D', windowLower: 'P28D', windowUpper: 'P0D' })
    expect((baselineTiming.type as Json).decode).toBe('Fixed Reference')
  })

  it('places each endpoint at its visits, and eligibility at screening', () => {
    const cr = byName('Activity', 'complete_response')
    const at = ofType(all, 'ScheduledActivityInstance')
      .filter(i => (i.activityIds as string[]).includes(cr.id as string))
      .map(i => i.name)
    expect(at).toEqual(['week_4', 'week_8', 'week_16', 'week_20', 'week_24'])
    const screening = ofType(all, 'ScheduledActivityInstance').find(i => i.name === 'screening')!
    expect(all.get((screening.activityIds as string[])[0]!)!.name).toBe('eligibility')
  })

  it('gives IL-2 its dose, route and 69 days of dosing (3 cycles of 28 days, 7 doses every 2 days)', () => {
    const il2 = byName('Administration', 'il2_sc')
    expect((il2.dose as Json).value).toBe(1_000_000)
    expect(((il2.route as Json).standardCode as Json).decode).toBe('Subcutaneous Route of Administration')
    expect(((il2.duration as Json).quantity as Json).value).toBe(69)
    expect(out.notes.some(n => n.where === 'arms.il2.interventions.il2_sc.dose' && n.note.includes('[IU]'))).toBe(true)
    expect(out.notes.some(n => n.where === 'arms.msc.interventions.uc_msc_iv.dose' && n.note.includes('per kg'))).toBe(true)
  })

  it('says the masking is not stated rather than inventing one; a double-blind trial gets its code', () => {
    const design = ofType(all, 'InterventionalStudyDesign')[0]!
    expect(design.blindingSchema).toBeNull()
    expect(out.notes.some(n => n.where === 'protocol.masking')).toBe(true)
    const blinded = toUsdm(load('nct01639339'))
    const other = ofType(instances(blinded.document), 'InterventionalStudyDesign')[0]!
    expect(((other.blindingSchema as Json).standardCode as Json).code).toBe('C15228')
    expect(blinded.notes.some(n => n.where === 'protocol.masking')).toBe(false)
  })

  it('types a placebo arm as Placebo Control Arm and a treatment arm as Experimental Arm', () => {
    const arms = ofType(instances(toUsdm(load('nct01639339')).document), 'StudyArm')
    expect(arms.map(a => (a.type as Json).decode)).toEqual(['Experimental Arm', 'Placebo Control Arm'])
  })

  it('keeps interpretation notes as comments on their criterion', () => {
    const in01 = byName('EligibilityCriterion', 'IN01')
    expect((in01.notes as Json[]).map(n => n.text)).toEqual(doc.criteria.find(c => c.id === 'IN01')!.notes)
  })
})

describe('the USDM schema check and reader are not vacuous', () => {
  const out = toUsdm(load('nct05631717'))

  it('rejects a document with a missing required field or a wrong instance type', () => {
    const broken = JSON.parse(JSON.stringify(out.document)) as Json
    delete broken.usdmVersion
    expect(validateWrapper(broken)).toBe(false)
    const wrongType = JSON.parse(JSON.stringify(out.document)) as { study: { versions: Json[] } }
    wrongType.study.versions[0]!.instanceType = 'Study'
    expect(validateWrapper(wrongType)).toBe(false)
  })

  it('says where a document it cannot read is wrong', () => {
    expect(() => eligibilityFromUsdm([])).toThrow(/Wrapper object/)
    const noCategory = JSON.parse(JSON.stringify(out.document)) as { study: { versions: Array<{ studyDesigns: Array<{ eligibilityCriteria: Json[] }> }> } }
    noCategory.study.versions[0]!.studyDesigns[0]!.eligibilityCriteria[2]!.category = { code: 'C0' }
    expect(() => eligibilityFromUsdm(noCategory)).toThrow('eligibilityCriteria[2].category: expected C25532 or C25370, found C0')
  })
})
