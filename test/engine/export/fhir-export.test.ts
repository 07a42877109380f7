/**
 * The FHIR export of every shipped protocol, R4 and R5, against the
 * published definitions (Medplum's validator and the official JSON
 * Schemas), the eligibility round trip, and validators and reader shown
 * to reject what is wrong. Contents and notes: fhir-export-content.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadProtocol, type ProtocolDocument } from '../../../engine/index.ts'
import { toFhir, type FhirBundle, type FhirRelease } from '../../../engine/export/fhir-export.ts'
import { eligibilityFromFhir } from '../../../engine/export/fhir-eligibility.ts'
import { PROTOCOLS_DIR } from '../../helpers/protocols.ts'
import { fhirJsonSchema, medplumErrors, useMedplumDefinitions, type FhirJsonObject, type SchemaValidator } from './fhir-validators.ts'

const PROTOCOLS: Array<[string, ProtocolDocument]> = readdirSync(PROTOCOLS_DIR)
  .filter(f => f.endsWith('.yaml') && !f.endsWith('.examples.yaml'))
  .sort()
  .map(f => {
    const loaded = loadProtocol(readFileSync(join(PROTOCOLS_DIR, f), 'utf8'), { file: join('protocols', f) })
    if (!loaded.value) throw new Error(`${f} does not load: ${JSON.stringify(loaded.diagnostics)}`)
    return [f, loaded.value]
  })

const RELEASES: FhirRelease[] = ['R4', 'R5']

/** Every entry's problems by `Type/id`, then the whole bundle's: an empty object when valid. */
function problems(bundle: FhirBundle, errors: (resource: FhirJsonObject) => string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const { resource } of bundle.entry) {
    const found = errors(resource)
    if (found.length) out[`${resource.resourceType}/${resource.id}`] = found
  }
  const whole = errors(bundle)
  if (whole.length) out.Bundle = whole
  return out
}

it('exports every shipped protocol (four at the time of writing)', () => {
  expect(PROTOCOLS.map(([f]) => f)).toEqual(expect.arrayContaining(['nct01639339.yaml', 'nct02550652.yaml', 'nct03021499.yaml', 'nct05631717.yaml']))
})

// Medplum's type index is global: the R4 block runs (and indexes) before the R5 block
describe.each(RELEASES)('toFhir %s: valid against the published definitions', release => {
  let schema: SchemaValidator
  beforeAll(() => {
    useMedplumDefinitions(release)
    schema = fhirJsonSchema(release)
  })

  it.each(PROTOCOLS)(`%s: every entry and the bundle pass Medplum's ${release} validator`, (_, doc) => {
    expect(problems(toFhir(doc, release).document, medplumErrors)).toEqual({})
  })

  it.each(PROTOCOLS)(`%s: every entry and the bundle pass the official ${release} JSON Schema`, (_, doc) => {
    expect(problems(toFhir(doc, release).document, r => schema.errors(r))).toEqual({})
  })

  it('the validators are not vacuous: a broken ResearchStudy fails both', () => {
    const unknownElement = { resourceType: 'ResearchStudy', status: 'active', bogusElement: true }
    expect(medplumErrors(unknownElement).join('\n')).toMatch(/bogusElement/)
    expect(schema.errors(unknownElement).join('\n')).toMatch(/additional properties.*bogusElement/)
    expect(medplumErrors({ resourceType: 'ResearchStudy' }).join('\n')).toMatch(/ResearchStudy\.status: Missing required property/)
    // an element of the other release is unknown here: R4 has `arm`, R5 `comparisonGroup` (Medplum's R4 has both: the schema decides)
    const other = release === 'R4' ? { recruitment: { targetNumber: 1 } } : { arm: [{ name: 'a' }] }
    expect(schema.errors({ resourceType: 'ResearchStudy', status: 'active', ...other }).join('\n')).toMatch(/additional properties/)
    if (release === 'R5') expect(medplumErrors({ resourceType: 'ResearchStudy', status: 'active', ...other }).join('\n')).toMatch(/arm/)
    // a bundle with a broken entry fails as a whole
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'https://example.org/ResearchStudy/x', resource: unknownElement }] }
    expect(medplumErrors(bundle)).not.toEqual([])
    expect(schema.errors(bundle)).not.toEqual([])
  })

  if (release === 'R4') {
    it('the R4 schema holds status to its required code list (Medplum does not check code bindings)', () => {
      expect(schema.errors({ resourceType: 'ResearchStudy', status: 'bogus' }).join('\n')).toMatch(/\/status must be equal to one of the allowed values/)
    })
  }
})

describe('eligibilityFromFhir: the round trip keeps id, kind and registry text', () => {
  it.each(PROTOCOLS.flatMap(([f, doc]) => RELEASES.map(r => [f, r, doc] as const)))('%s %s', (_, release, doc) => {
    const bundle: unknown = JSON.parse(JSON.stringify(toFhir(doc, release).document))
    expect(eligibilityFromFhir(bundle)).toEqual(doc.criteria.map(c => ({ id: c.id, kind: c.kind, text: c.text })))
  })

  it('says where and what when the input is not an exported bundle', () => {
    const doc = PROTOCOLS[3]![1]
    expect(() => eligibilityFromFhir('hello')).toThrow(/^eligibilityFromFhir: input: expected a FHIR Bundle, got a string/)
    expect(() => eligibilityFromFhir({ resourceType: 'Patient' })).toThrow(/input: expected a FHIR Bundle, got a Patient/)
    expect(() => eligibilityFromFhir({ resourceType: 'Bundle' })).toThrow(/Bundle\.entry: expected an array of entries/)
    expect(() => eligibilityFromFhir({ resourceType: 'Bundle', entry: [{ resource: { resourceType: 'ResearchStudy' } }] })).toThrow(
      /Bundle\.entry: expected one EvidenceVariable, found 0 \(entries: ResearchStudy\)/,
    )
    const broken = structuredClone(toFhir(doc, 'R5').document)
    const index = broken.entry.findIndex(e => e.resource.resourceType === 'EvidenceVariable')
    const characteristics = broken.entry[index]!.resource.characteristic as Array<Record<string, unknown>>
    delete characteristics[3]!.description
    expect(() => eligibilityFromFhir(broken)).toThrow(
      `Bundle.entry[${index}].resource.characteristic[3].description: expected the criterion's text, got nothing`,
    )
    // R4 keeps the id only in the criteria coding: without it the reader cannot name the criterion
    const r4 = structuredClone(toFhir(doc, 'R4').document)
    const r4Characteristics = r4.entry[index]!.resource.characteristic as Array<Record<string, unknown>>
    r4Characteristics[0]!.definitionCodeableConcept = { text: 'no coding' }
    expect(() => eligibilityFromFhir(r4)).toThrow(`Bundle.entry[${index}].resource.characteristic[0]: no linkId and no criterion code`)
  })
})
