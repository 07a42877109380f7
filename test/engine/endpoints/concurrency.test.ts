import { describe, expect, it } from 'vitest'
import { compileProtocol } from '../../../engine/index.ts'
import { evaluateSubject, syntheticStudy } from '../../../engine/study.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

// json-rules-engine keeps a run's status on the Engine; overlapping runs once cut each other short
// and turned CR/PR into NR. Concurrent evaluation must give exactly the sequential results.
describe('evaluating many subjects at once', () => {
  it('gives the same grades as one at a time', async () => {
    const doc = shippedProtocol('NCT05631717').doc
    const compiled = compileProtocol(doc)
    const subjects = syntheticStudy(doc, { subjects: 12, seed: 7 })
    const grades = (r: Awaited<ReturnType<typeof evaluateSubject>>) => r.classifications.map(c => `${c.visit}:${c.level}`).join(' ')
    const sequential: string[] = []
    for (const s of subjects) sequential.push(grades(await evaluateSubject(compiled, s)))
    const concurrent = (await Promise.all(subjects.map(s => evaluateSubject(compiled, s)))).map(grades)
    expect(concurrent).toEqual(sequential)
  })
})
