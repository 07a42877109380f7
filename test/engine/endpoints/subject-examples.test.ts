import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compileProtocol, loadExamples, loadProtocol } from '../../../engine/index.ts'
import { runSubjectExamples } from '../../../engine/study.ts'
import { shippedProtocols } from '../../helpers/protocols.ts'

// Example subjects carry endpoint results worked out by hand from the endpoint text;
// each must come out exactly so (response per visit, grade, time to response, changes, SRI, safety).
describe.each(
  shippedProtocols()
    .filter(p => p.examples?.subjects?.length)
    .map(p => [p.file, p] as const),
)('%s example subjects', (_file, p) => {
  const compiled = compileProtocol(p.doc)
  const outcomes = runSubjectExamples(compiled, p.examples!)

  it('has at least 10 subjects with full follow-up', () => {
    expect(p.examples!.subjects!.length).toBeGreaterThanOrEqual(10)
  })

  it.each(p.examples!.subjects!.map(s => [s.id, s.description]))('%s: %s', async id => {
    const outcome = (await outcomes).find(o => o.id === id)!
    expect(outcome.mismatches).toEqual([])
  })
})

// the edit loop: a draft changed only in its eligibility criteria does not run the example subjects again
describe('example subjects re-run only when what they read changes', () => {
  const root = join(import.meta.dirname, '..', '..', '..', 'protocols')
  const text = readFileSync(join(root, 'nct05631717.yaml'), 'utf8')
  const examplesText = readFileSync(join(root, 'nct05631717.examples.yaml'), 'utf8')
  const compiledFrom = (yaml: string) => {
    const loaded = loadProtocol(yaml, { file: 'draft.yaml' })
    if (!loaded.value) throw new Error(loaded.diagnostics[0]?.message)
    return { doc: loaded.value, compiled: compileProtocol(loaded.value) }
  }
  // IN04 UPCR > 1.0 g/g (an eligibility criterion) and complete response UPCR < 0.5 g/g (an endpoint)
  const IN04 = 'concept: urine_protein_creatinine_ratio\n            op: ">"\n            value: 1.0\n'
  const CR = 'measurement: { concept: urine_protein_creatinine_ratio, op: "<", value: 0.5, unit: g/g, window: { visit: current } }'

  it('the same run for a criterion or the title edited; a new one for the version or an endpoint edited, and for examples not shared', async () => {
    expect(text).toContain(IN04)
    expect(text).toContain(CR)
    const seed = compiledFrom(text)
    const examples = loadExamples(examplesText, seed.doc, { file: 'examples.yaml' }).value!
    expect(Object.isFrozen(examples)).toBe(true) // the edit loop's: kept by its content cache
    const first = await runSubjectExamples(seed.compiled, examples)
    const criterionEdited = compiledFrom(text.replace(IN04, IN04.replace('value: 1.0', 'value: 1.02')))
    expect(await runSubjectExamples(criterionEdited.compiled, examples)).toBe(first)
    // the protocol block's descriptive title: read by no endpoint
    const titleEdited = compiledFrom(text.replace(/^( {2}title: .*)$/m, '$1 (amended)'))
    expect(titleEdited.doc.protocol.title).toMatch(/\(amended\)$/)
    expect(await runSubjectExamples(titleEdited.compiled, examples)).toBe(first)
    // the rest of the protocol block stays in the key (only fields known to be unread are left out): a new run
    const versionEdited = compiledFrom(text.replace(/^( {2}version: )1\.0\.0$/m, '$11.0.1'))
    expect(versionEdited.doc.protocol.version).toBe('1.0.1')
    expect(await runSubjectExamples(versionEdited.compiled, examples)).not.toBe(first)
    const endpointEdited = compiledFrom(text.replace(CR, CR.replace('value: 0.5', 'value: 0.3')))
    const rerun = await runSubjectExamples(endpointEdited.compiled, examples)
    expect(rerun).not.toBe(first)
    expect(rerun.filter(o => !o.passed).length).toBeGreaterThan(0) // complete response tightened: some subjects differ
    expect(first.every(o => o.passed)).toBe(true)
    // a caller's own examples (not frozen, may change): run afresh each time
    const own = structuredClone(examples) as typeof examples
    expect(await runSubjectExamples(seed.compiled, own)).not.toBe(await runSubjectExamples(seed.compiled, own))
  })
})
