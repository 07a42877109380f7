/**
 * The FHIR corpus generator (test/helpers/fhir-corpus): deterministic, well
 * shaped bundles whose ground truth points at real resources, with the
 * findings `include` asks for.
 */
import { describe, expect, it } from 'vitest'
import {
  CORPUS_PROFILES,
  INCLUDE_ITEMS,
  corpusMember,
  dstu2Bundle,
  generateBundle,
  generateCorpus,
  stu3Bundle,
  type GeneratedBundle,
  type IncludeItem,
  type TruthItem,
} from '../../helpers/fhir-corpus/index.ts'

type Entry = { fullUrl?: string; resource: Record<string, unknown>; request?: { method: string; url: string } }
const entries = (g: GeneratedBundle | Record<string, unknown>): Entry[] => (('bundle' in g ? g.bundle : g) as { entry: Entry[] }).entry

const KIND_TYPES: Record<TruthItem['kind'], string[]> = {
  medication: ['MedicationRequest', 'MedicationStatement'],
  condition: ['Condition'],
  procedure: ['Procedure'],
  vaccination: ['Immunization'],
  lab: ['Observation'],
  pregnancy_status: ['Observation'],
  sex: ['Patient'],
  birth_date: ['Patient'],
}

function resourceAt(g: GeneratedBundle, path: string): Record<string, unknown> | undefined {
  const m = /^entry\[(\d+)\]\.resource$/.exec(path)
  return m ? entries(g)[Number(m[1])]?.resource : undefined
}

/** Problems of a bundle's shape and truth (empty when fine). */
function problems(g: GeneratedBundle): string[] {
  const out: string[] = []
  const b = g.bundle as { resourceType?: unknown; type?: unknown; entry?: unknown }
  if (b.resourceType !== 'Bundle') out.push('not a Bundle')
  if (!Array.isArray(b.entry) || b.entry.length === 0) out.push('no entries')
  entries(g).forEach((e, i) => {
    if (typeof e.resource?.resourceType !== 'string') out.push(`entry[${i}] has no resourceType`)
    if (g.profile === 'synthea' && (!e.fullUrl?.startsWith('urn:uuid:') || e.request?.method !== 'POST' || e.request.url !== e.resource.resourceType))
      out.push(`entry[${i}] is not Synthea-shaped`)
  })
  for (const t of g.truth) {
    const r = resourceAt(g, t.path)
    if (!r) out.push(`${t.path} (${t.kind}) does not exist`)
    else if (!KIND_TYPES[t.kind].includes(String(r.resourceType))) out.push(`${t.path} is a ${String(r.resourceType)}, not a ${t.kind}`)
    for (const d of [t.date, t.end]) if (d !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(d)) out.push(`${t.path} date ${d} is not an ISO date`)
  }
  return out
}

describe('generateBundle', () => {
  it.each(CORPUS_PROFILES)('%s: the same seed gives the same JSON, another seed another bundle', profile => {
    const a = generateBundle(123, profile)
    expect(JSON.stringify(generateBundle(123, profile))).toBe(JSON.stringify(a))
    expect(JSON.stringify(generateBundle(124, profile).bundle)).not.toBe(JSON.stringify(a.bundle))
    expect(a).toMatchObject({ profile, screeningDate: '2026-11-16' })
    expect(problems(a)).toEqual([])
  })

  it('writes Synthea transaction bundles and US Core searchset or collection bundles', () => {
    expect(generateBundle(9, 'synthea').bundle.type).toBe('transaction')
    const types = new Set([1, 2, 3, 4, 5, 6].map(s => generateBundle(s, 'us-core-6.1').bundle.type))
    expect([...types].sort()).toEqual(['collection', 'searchset'])
  })

  it('writes real codes: RxNorm medications, SNOMED conditions, LOINC observations with UCUM units, CVX vaccines', () => {
    const g = generateBundle(11, 'synthea', { include: ['creatinine_38483'] })
    const labs = entries(g).filter(e => e.resource.resourceType === 'Observation' && (e.resource.valueQuantity as object | undefined))
    for (const e of labs) expect(e.resource.valueQuantity).toMatchObject({ system: 'http://unitsofmeasure.org', code: expect.any(String) })
    const systems = new Set(g.truth.map(t => t.code.split('|')[0]))
    expect([...systems]).toEqual(expect.arrayContaining(['http://loinc.org', 'http://snomed.info/sct', 'http://www.nlm.nih.gov/research/umls/rxnorm']))
    for (const t of g.truth.filter(x => x.kind === 'vaccination')) expect(t.code).toMatch(/^http:\/\/hl7\.org\/fhir\/sid\/cvx\|\d+$/)
  })

  // prostate_metastasis needs a man and old_pregnancy_status a woman: two bundles per profile cover every item
  const GROUPS: IncludeItem[][] = [INCLUDE_ITEMS.filter(i => i !== 'old_pregnancy_status'), INCLUDE_ITEMS.filter(i => i !== 'prostate_metastasis')]

  describe.each(CORPUS_PROFILES)('%s with include', profile => {
    const bundles = GROUPS.map((include, k) => ({ include, g: generateBundle(500 + k, profile, { include, screeningDate: '2026-11-16' }) }))
    const find = (g: GeneratedBundle, pred: (t: TruthItem) => boolean) => g.truth.find(pred)

    it('is well shaped, every truth path pointing at a resource of its kind', () => {
      for (const { g } of bundles) expect(problems(g)).toEqual([])
    })

    it('writes each named finding, dated relative to screening', () => {
      const [male, female] = [bundles[0]!.g, bundles[1]!.g]
      for (const g of [male, female]) {
        expect(find(g, t => t.code.endsWith('|1657864') && t.concept === 'rituximab' && t.date === '2026-10-05' && t.exclusionRelevant)).toBeDefined()
        const cic = find(g, t => t.code.endsWith('|241834'))
        expect(cic).toMatchObject({ concept: 'ciclosporin', systemic: true, exclusionRelevant: true })
        expect(cic!.date! >= '2026-08-24' && cic!.date! < '2026-11-16').toBe(true)
        expect(find(g, t => /\|(109838007|363406005)$/.test(t.code))).toMatchObject({
          kind: 'condition',
          concept: 'colorectal_cancer',
          exclusionRelevant: true,
        })
        expect(find(g, t => t.code.endsWith('|402092'))).toMatchObject({ concept: 'ciclosporin', systemic: false, exclusionRelevant: false })
        expect(find(g, t => t.code.endsWith('|284520'))).toMatchObject({ concept: 'tacrolimus', systemic: false, exclusionRelevant: false })
        expect(find(g, t => t.code.endsWith('|1049221'))).toMatchObject({ concept: null, ingredients: ['paracetamol', null] })
        expect(find(g, t => t.display === 'MPA 500 mg')).toMatchObject({ code: '', concept: null, exclusionRelevant: true })
        expect(find(g, t => t.code.endsWith('|349208'))).toMatchObject({ kind: 'medication', exclusionRelevant: true })
        expect(find(g, t => t.code.endsWith('|1594663'))).toMatchObject({ kind: 'medication', exclusionRelevant: true })
        expect(find(g, t => /\|(2105831|2273511|2472326)$/.test(t.code))).toMatchObject({ concept: 'rituximab', exclusionRelevant: true })
        expect(find(g, t => t.code === 'http://loinc.org|38483-4' && t.unit === 'mg/dL' && t.date! > '2026-10-01')).toMatchObject({
          concept: 'serum_creatinine',
        })
        expect(find(g, t => t.code === 'http://loinc.org|33914-3' && t.unit === 'mL/min')).toBeDefined()
        // the sex extension alone, no gender
        const patient = entries(g)[0]!.resource
        expect(patient.resourceType).toBe('Patient')
        expect(patient.gender).toBeUndefined()
        expect(JSON.stringify(patient.extension)).toMatch(/us-core-(individual-)?sex/)
        expect(find(g, t => t.kind === 'sex')).toMatchObject({ code: expect.stringMatching(/^http:\/\/snomed\.info\/sct\|(248152002|248153007)$/) })
        // the contained Medication the request names by #med2
        const contained = entries(g).find(e => (e.resource.medicationReference as { reference?: string } | undefined)?.reference === '#med2')
        expect(contained?.resource.contained).toEqual([expect.objectContaining({ resourceType: 'Medication', id: 'med2' })])
        expect(g.truth.find(t => t.path === `entry[${entries(g).indexOf(contained!)}].resource`)).toMatchObject({
          concept: 'mycophenolate_mofetil',
          exclusionRelevant: true,
        })
      }
      expect(find(male, t => t.code.endsWith('|314994000'))).toMatchObject({
        display: 'Metastasis from malignant tumor of prostate (disorder)',
        exclusionRelevant: true,
      })
      expect(find(male, t => t.kind === 'sex')?.concept).toBe('male')
      const preg = find(female, t => t.kind === 'pregnancy_status' && t.date!.startsWith('2022-'))
      expect(preg).toMatchObject({ code: 'http://loinc.org|82810-3', answer: 'http://snomed.info/sct|77386006', exclusionRelevant: true })
      expect((resourceAt(female, preg!.path)!.valueCodeableConcept as { coding: Array<{ code: string }> }).coding[0]!.code).toBe('77386006')
    })

    it('leaves random exclusion findings out when include is given', () => {
      const g = bundles[0]!.g
      const named = /\|(1657864|241834|109838007|363406005|314994000|349208|1594663|2105831|2273511|2472326|199058)$/
      const others = g.truth.filter(t => t.exclusionRelevant && t.kind !== 'sex' && t.code !== '' && !named.test(t.code))
      // only everyday acute infections (sinusitis, pharyngitis, bronchitis, strep throat), ended months before screening
      for (const t of others) expect(t).toMatchObject({ kind: 'condition', concept: null })
      for (const t of others) expect(t.end! < '2026-11-16').toBe(true)
    })
  })

  it('writes the US Core sex extension of each version', () => {
    const ext = (profile: (typeof CORPUS_PROFILES)[number]) =>
      JSON.stringify(entries(generateBundle(3, profile, { include: ['sex_extension_only'] }))[0]!.resource.extension)
    expect(ext('us-core-6.1')).toContain('"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex","valueCode":"24815')
    expect(ext('us-core-8.0')).toContain(
      '"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex","valueCoding":{"system":"http://snomed.info/sct","code":"24815',
    )
    expect(ext('us-core-9.0')).toContain(
      '"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-individual-sex","valueCoding":{"system":"http://snomed.info/sct","code":"24815',
    )
  })

  it('pads to about targetBytes with realistic resources', () => {
    const g = generateBundle(77, 'synthea', { targetBytes: 2_000_000 })
    const size = JSON.stringify(g.bundle).length
    expect(size).toBeGreaterThan(1_500_000)
    expect(size).toBeLessThan(2_500_000)
    expect(problems(g)).toEqual([])
    const types = new Set(entries(g).map(e => e.resource.resourceType))
    expect([...types]).toEqual(expect.arrayContaining(['Encounter', 'Observation', 'Claim', 'ExplanationOfBenefit']))
  })

  it('rejects an invalid screening date and contradictory includes', () => {
    expect(() => generateBundle(1, 'synthea', { screeningDate: '2026-02-30' })).toThrow(/ISO date/)
    expect(() => generateBundle(1, 'synthea', { include: ['prostate_metastasis', 'old_pregnancy_status'] })).toThrow(/cannot be combined/)
  })

  it('moves every finding with the screening date', () => {
    const a = generateBundle(21, 'us-core-8.0', { include: ['rituximab_recent'], screeningDate: '2030-03-01' })
    expect(a.truth.find(t => t.code.endsWith('|1657864'))?.date).toBe('2030-01-18')
    for (const t of a.truth) if (t.date) expect(t.date <= '2030-03-01').toBe(true)
  })
})

describe('generateCorpus', () => {
  const corpus = generateCorpus(200)

  it('mixes the four profiles, about 60 % Synthea', () => {
    const counts = new Map<string, number>()
    for (const g of corpus) counts.set(g.profile, (counts.get(g.profile) ?? 0) + 1)
    expect([...counts.keys()].sort()).toEqual([...CORPUS_PROFILES].sort())
    expect(counts.get('synthea')!).toBeGreaterThan(90)
    expect(counts.get('synthea')!).toBeLessThan(150)
  })

  it('gives well-shaped bundles with truth, each reproducible from (seed, index)', () => {
    for (const g of corpus) expect(problems(g), g.id).toEqual([])
    const m = corpusMember(1, 17)
    expect(JSON.stringify(generateBundle(m.seed, m.profile).bundle)).toBe(JSON.stringify(corpus[17]!.bundle))
    expect(corpus[17]!.profile).toBe(m.profile)
  })

  it('holds exclusion-relevant findings in some bundles and not in others, and everyday items the dictionaries lack', () => {
    const relevant = (g: GeneratedBundle) => g.truth.some(t => t.exclusionRelevant && t.kind !== 'sex' && (t.kind !== 'condition' || t.concept !== null))
    const n = corpus.filter(relevant).length
    expect(n).toBeGreaterThan(40)
    expect(n).toBeLessThan(200)
    expect(corpus.some(g => g.truth.some(t => t.kind === 'medication' && t.concept === null && t.code.endsWith('|310798')))).toBe(true)
    const meds = corpus.map(g => g.truth.filter(t => t.kind === 'medication').length)
    expect(Math.min(...meds)).toBeGreaterThanOrEqual(3)
  })
})

describe('earlier FHIR versions', () => {
  it('STU3 and DSTU2 bundles carry the fields of their version, not R4', () => {
    const stu3 = entries(stu3Bundle()).map(e => e.resource)
    const dstu2 = entries(dstu2Bundle()).map(e => e.resource)
    const imm3 = stu3.find(r => r.resourceType === 'Immunization')!
    expect(imm3).toMatchObject({ date: expect.any(String), notGiven: false })
    expect(imm3.occurrenceDateTime).toBeUndefined()
    expect(stu3.find(r => r.resourceType === 'MedicationStatement')).toMatchObject({ taken: 'y' })
    expect(stu3.find(r => r.resourceType === 'Condition')).toMatchObject({ assertedDate: expect.any(String), clinicalStatus: 'active' })
    expect(dstu2.map(r => r.resourceType)).toContain('MedicationOrder')
    expect(dstu2.find(r => r.resourceType === 'Immunization')).toMatchObject({ date: expect.any(String), wasNotGiven: false })
    expect(dstu2.find(r => r.resourceType === 'Condition')).toMatchObject({ dateRecorded: expect.any(String), patient: expect.any(Object) })
  })
})
