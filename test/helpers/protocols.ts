/**
 * Load the protocols shipped in `protocols/` (and their example files) for tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { examplePatient, loadExamples, loadProtocol, type ExamplesDocument, type ProtocolDocument } from '../../engine/index.ts'

export const PROTOCOLS_DIR = join(import.meta.dirname, '..', '..', 'protocols')

export interface ShippedProtocol {
  file: string
  doc: ProtocolDocument
  examples?: ExamplesDocument
}

/** Every `protocols/*.yaml` except examples files, loaded and validated (throws on diagnostics). */
export function shippedProtocols(): ShippedProtocol[] {
  return readdirSync(PROTOCOLS_DIR)
    .filter(f => f.endsWith('.yaml') && !f.endsWith('.examples.yaml'))
    .map(f => {
      const file = join('protocols', f)
      const loaded = loadProtocol(readFileSync(join(PROTOCOLS_DIR, f), 'utf8'), { file })
      if (!loaded.value) throw new Error(`${file} does not load: ${JSON.stringify(loaded.diagnostics, null, 2)}`)
      const examplesFile = join(PROTOCOLS_DIR, f.replace(/\.yaml$/, '.examples.yaml'))
      if (!existsSync(examplesFile)) return { file, doc: loaded.value }
      const ex = loadExamples(readFileSync(examplesFile, 'utf8'), loaded.value, { file: examplesFile })
      if (!ex.value) throw new Error(`${examplesFile} does not load: ${JSON.stringify(ex.diagnostics, null, 2)}`)
      return { file, doc: loaded.value, examples: ex.value }
    })
}

export function shippedProtocol(registryId: string): ShippedProtocol {
  const found = shippedProtocols().find(p => p.doc.protocol.registry_id === registryId)
  if (!found) throw new Error(`no shipped protocol ${registryId}`)
  return found
}

/**
 * Three NCT05631717 example patients, one per verdict, for screening tests:
 * eligible; ineligible on IN02 only (aged exactly 18); undetermined on IN04
 * only (proteinuria not measured).
 */
export function oneOfEachVerdict() {
  const examples = shippedProtocol('NCT05631717').examples!
  return {
    eligible: examplePatient(examples, 'eligible-baseline'),
    age18: examplePatient(examples, 'age-exactly-18'),
    noUpcr: examplePatient(examples, 'proteinuria-not-measured'),
  }
}
