import { describe, expect, it } from 'vitest'
import { shippedProtocol } from '../../helpers/protocols.ts'

// The seed's 7 inclusion and 10 exclusion criteria (the first exclusion bullet's three
// sentences are EX01a-c), each tested on both sides: by at least one example where it
// holds and one where it does not.
describe('NCT05631717 examples exercise every criterion both ways', () => {
  const p = shippedProtocol('NCT05631717')
  const ids = p.doc.criteria.map(c => c.id)

  it('encodes 7 inclusion and 10 exclusion criteria', () => {
    expect(p.doc.criteria.filter(c => c.kind === 'inclusion')).toHaveLength(7)
    expect(p.doc.criteria.filter(c => c.kind === 'exclusion')).toHaveLength(10)
  })

  it('has at least 25 example patients', () => {
    expect(p.examples!.examples.length).toBeGreaterThanOrEqual(25)
  })

  it.each(ids)('%s is expected met in one example and not met in another', id => {
    const expected = p.examples!.examples.map(e => e.expect.criteria?.[id]).filter(Boolean)
    expect(expected).toContain('met')
    expect(expected).toContain('not_met')
  })
})
