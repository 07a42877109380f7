/**
 * Response endpoints on both backends: the fast one (closures,
 * engine/fast/endpoints-fast.ts), which evaluateSubject uses unless asked,
 * and json-rules-engine (reference) give the same results, explanations and
 * data still needed included, for every example subject of the shipped
 * protocols and a synthetic study of each (missed visits and values among
 * them), and the hand-worked example subjects pass on both.
 */
import { describe, expect, it } from 'vitest'
import { compileProtocol } from '../../../engine/index.ts'
import { evaluateSubject, exampleSubject, runSubjectExamples, syntheticStudy } from '../../../engine/study.ts'
import { shippedProtocols } from '../../helpers/protocols.ts'

describe.each(shippedProtocols().map(p => [p.file, p] as const))('%s: response endpoints on both backends', (_file, p) => {
  const compiled = compileProtocol(p.doc)
  const subjects = [
    ...(p.examples?.subjects ?? []).map(s => exampleSubject(p.examples!, s.id)),
    ...syntheticStudy(p.doc, { subjects: 24, seed: 7, missedVisitRate: 0.2 }),
  ]

  it('has subjects with response endpoints to compare', () => {
    expect(subjects.length).toBeGreaterThanOrEqual(24)
  })

  it('gives the same results for every subject', async () => {
    let responses = 0
    let undecided = 0
    for (const subject of subjects) {
      const fast = await evaluateSubject(compiled, subject)
      const reference = await evaluateSubject(compiled, subject, { backend: 'reference' })
      expect(fast, subject.id).toEqual(reference)
      responses += fast.responses.length
      undecided += fast.responses.filter(r => r.truth === 'unknown').length
    }
    // the comparison covers decided and undecided responses alike (when the protocol has response endpoints)
    if (compiled.endpoints.length > 0) {
      expect(responses).toBeGreaterThan(0)
      expect(undecided).toBeGreaterThan(0)
      expect(undecided).toBeLessThan(responses)
    }
  })

  it.runIf(p.examples?.subjects?.length)('the hand-worked example subjects pass on both', async () => {
    for (const backend of ['fast', 'reference'] as const) {
      const failed = (await runSubjectExamples(compiled, p.examples!, { backend })).filter(o => !o.passed)
      expect(
        failed.map(o => [o.id, o.mismatches]),
        backend,
      ).toEqual([])
    }
  })
})
