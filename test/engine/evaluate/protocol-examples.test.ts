import { describe, expect, it } from 'vitest'
import { compileProtocol, runExamples } from '../../../engine/index.ts'
import { shippedProtocols } from '../../helpers/protocols.ts'

// Every protocol's example patients are its own tests: each must get exactly the verdict it expects.
describe.each(shippedProtocols().map(p => [p.file, p] as const))('%s example patients', (_file, p) => {
  it('has example patients', () => {
    expect(p.examples?.examples.length ?? 0).toBeGreaterThan(0)
  })

  it.each(p.examples?.examples.map(e => [e.id, e.description]) ?? [])('%s: %s', async id => {
    const compiled = compileProtocol(p.doc)
    const [outcome] = await runExamples(compiled, { ...p.examples!, examples: p.examples!.examples.filter(e => e.id === id) })
    expect(outcome!.mismatches).toEqual([])
  })
})
