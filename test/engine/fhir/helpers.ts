import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export const FHIR_FIXTURES = join(import.meta.dirname, '../../fixtures/fhir')

/** A FHIR fixture bundle, parsed. */
export function fhirFixture(name: string): { resourceType: string; entry: Array<{ fullUrl?: string; resource: Record<string, unknown> }> } {
  return JSON.parse(readFileSync(join(FHIR_FIXTURES, name), 'utf8'))
}
