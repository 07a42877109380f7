/**
 * The eligibility criteria read back from an exported FHIR Bundle (R4 or
 * R5), as a FHIR reader gets them: each EvidenceVariable characteristic's id
 * (R5 `linkId`; R4, which has none, the code of its criteria coding), kind
 * (`exclude`) and registry text (`description`). The round trip of the
 * export keeps them exactly.
 */
import type { ExportedCriterion } from './export-notes.ts'
import { CANONICAL_BASE } from './fhir-json.ts'

type Obj = Record<string, unknown>

function isObject(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

function what(x: unknown): string {
  if (x === undefined) return 'nothing'
  if (x === null) return 'null'
  if (Array.isArray(x)) return 'an array'
  if (isObject(x)) return typeof x.resourceType === 'string' ? `a ${x.resourceType}` : 'an object without resourceType'
  return `a ${typeof x} (${JSON.stringify(x)?.slice(0, 40)})`
}

function fail(where: string, message: string): never {
  throw new Error(`eligibilityFromFhir: ${where}: ${message}`)
}

/** The export's criteria code systems: `<base>/CodeSystem/<registry id>-criteria` (fhir-context.ts criteriaSystem). */
function isCriteriaSystem(system: unknown): boolean {
  return typeof system === 'string' && system.startsWith(`${CANONICAL_BASE}/CodeSystem/`) && system.endsWith('-criteria')
}

function criterionId(ch: Obj, where: string): string {
  if (ch.linkId !== undefined) {
    if (typeof ch.linkId !== 'string' || !ch.linkId) fail(`${where}.linkId`, `expected a non-empty string, got ${what(ch.linkId)}`)
    return ch.linkId
  }
  const concept = ch.definitionCodeableConcept
  const codings = isObject(concept) && Array.isArray(concept.coding) ? concept.coding : []
  const found = codings.find((c): c is Obj => isObject(c) && isCriteriaSystem(c.system))
  if (!found || typeof found.code !== 'string' || !found.code) {
    fail(where, `no linkId and no criterion code (a definitionCodeableConcept.coding whose system is ${CANONICAL_BASE}/CodeSystem/<registry id>-criteria)`)
  }
  return found.code
}

function criterion(ch: unknown, where: string): ExportedCriterion {
  if (!isObject(ch)) fail(where, `expected a characteristic object, got ${what(ch)}`)
  if (typeof ch.description !== 'string' || !ch.description) fail(`${where}.description`, `expected the criterion's text, got ${what(ch.description)}`)
  if (ch.exclude !== undefined && typeof ch.exclude !== 'boolean') fail(`${where}.exclude`, `expected true or false, got ${what(ch.exclude)}`)
  return { id: criterionId(ch, where), kind: ch.exclude === true ? 'exclusion' : 'inclusion', text: ch.description }
}

/**
 * The criteria of the bundle's one EvidenceVariable, in order. Throws an
 * Error naming where (`Bundle.entry[2].resource.characteristic[4].description`)
 * and what is wrong when the input is not such a bundle.
 *
 * @example
 * eligibilityFromFhir(toFhir(doc, 'R4').document)[0] // { id: 'IN01', kind: 'inclusion', text: 'Before random assignment, …' }
 */
export function eligibilityFromFhir(bundle: unknown): ExportedCriterion[] {
  if (!isObject(bundle) || bundle.resourceType !== 'Bundle') fail('input', `expected a FHIR Bundle, got ${what(bundle)}`)
  if (!Array.isArray(bundle.entry)) fail('Bundle.entry', `expected an array of entries, got ${what(bundle.entry)}`)
  const found = bundle.entry.flatMap((e: unknown, i) =>
    isObject(e) && isObject(e.resource) && e.resource.resourceType === 'EvidenceVariable' ? [{ i, ev: e.resource }] : [],
  )
  if (found.length !== 1) {
    const types = bundle.entry.map((e: unknown) => (isObject(e) && isObject(e.resource) ? String(e.resource.resourceType) : what(e)))
    fail('Bundle.entry', `expected one EvidenceVariable, found ${found.length} (entries: ${types.join(', ') || 'none'})`)
  }
  const { i, ev } = found[0]!
  const where = `Bundle.entry[${i}].resource.characteristic`
  if (!Array.isArray(ev.characteristic)) fail(where, `expected an array of characteristics, got ${what(ev.characteristic)}`)
  return ev.characteristic.map((ch: unknown, k) => criterion(ch, `${where}[${k}]`))
}
