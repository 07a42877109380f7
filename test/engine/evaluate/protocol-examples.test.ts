import { afterEach, describe, expect, it, vi } from 'vitest'
import { BACKENDS, compileProtocol, runExamples } from '../../../engine/index.ts'
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

describe('the backend that runs the examples', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it.each(shippedProtocols().map(p => [p.file, p] as const))('%s: fast unless asked, and the same outcomes on json-rules-engine', async (_file, p) => {
    const compiled = compileProtocol(p.doc)
    const fast = vi.spyOn(BACKENDS.fast, 'evaluatorOf')
    const reference = vi.spyOn(BACKENDS.reference, 'evaluatorOf')
    const byDefault = await runExamples(compiled, p.examples!)
    expect([fast.mock.calls.length, reference.mock.calls.length]).toEqual([1, 0])
    const onReference = await runExamples(compiled, p.examples!, { backend: 'reference' })
    expect(reference.mock.calls.length).toBe(1)
    expect(byDefault).toEqual(onReference)
  })
})
