/** The minimal shape check of a FHIR Bundle, with located diagnostics. */
import type { Bundle } from '@medplum/fhirtypes'
import type { Diagnostic } from '../types.ts'
import { describe } from './dates.ts'
import { olderVersionProblem } from './version.ts'

/** Thrown by `importFhirBundle` when the input is not a FHIR Bundle; carries located diagnostics. */
export class FhirBundleError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(d => `${d.path || '(root)'}: ${d.message}`).join('\n'))
    this.name = 'FhirBundleError'
  }
}

/**
 * Checks that a value is a FHIR Bundle: an object with `resourceType:
 * "Bundle"` and, if present, an `entry` array, written in FHIR R4 (an STU3
 * or DSTU2 bundle is refused: see version.ts). Entries are checked one by one
 * by the import (a bad entry is reported, not fatal).
 *
 * @returns the bundle, or the diagnostics saying where and what is wrong
 * @example readFhirBundle({ resourceType: 'Patient' }).diagnostics[0].path // 'resourceType'
 */
export function readFhirBundle(input: unknown): { value?: Bundle; diagnostics: Diagnostic[] } {
  const error = (code: Diagnostic['code'], path: string, message: string, expected: string, found: string): { diagnostics: Diagnostic[] } => ({
    diagnostics: [{ code, severity: 'error', path, message, expected, found }],
  })
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return error(
      'E_SCHEMA_TYPE',
      '',
      `expected a FHIR Bundle (a JSON object with "resourceType": "Bundle"), got ${describe(input)}`,
      'a FHIR Bundle object',
      describe(input),
    )
  }
  const o = input as Record<string, unknown>
  if (o.resourceType === undefined) {
    return error('E_SCHEMA_REQUIRED', 'resourceType', 'expected a FHIR Bundle: "resourceType" is missing', '"Bundle"', 'nothing')
  }
  if (o.resourceType !== 'Bundle') {
    const got = typeof o.resourceType === 'string' ? `a ${o.resourceType} resource` : describe(o.resourceType)
    return error(
      'E_SCHEMA_ENUM',
      'resourceType',
      `expected a FHIR Bundle, got ${got}; put the resources in a Bundle (type "collection")`,
      '"Bundle"',
      describe(o.resourceType),
    )
  }
  if (o.entry !== undefined && !Array.isArray(o.entry)) {
    return error('E_SCHEMA_TYPE', 'entry', `expected "entry" to be an array of entries, got ${describe(o.entry)}`, 'an array', describe(o.entry))
  }
  const older = Array.isArray(o.entry) ? olderVersionProblem(o.entry) : undefined
  if (older) return { diagnostics: [older] }
  return { value: input as Bundle, diagnostics: [] }
}
