import { describe, expect, it } from 'vitest'
import { compileProtocol } from '../../../engine/index.ts'
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
