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

// the edit loop: each criterion's result is kept per example record of a shared (frozen) examples document, by the
// criterion as written and what else it reads; a draft that changed one criterion evaluates that one again, no other
describe('example patients re-evaluate only the criteria a draft changed', () => {
  const seed = shippedProtocols().find(p => p.doc.protocol.registry_id === 'NCT05631717')!
  const examples = seed.examples!
  const edited = (change: (doc: typeof seed.doc) => void) => {
    const doc = structuredClone(seed.doc)
    change(doc)
    return compileProtocol(doc)
  }
  const in04 = (doc: typeof seed.doc) => doc.criteria.find(c => c.id === 'IN04')!

  it('a threshold edited: the same result objects for every other criterion, new ones for the edited, the verdicts of a fresh run', async () => {
    expect(Object.isFrozen(examples)).toBe(true)
    const before = await runExamples(compileProtocol(seed.doc), examples)
    // IN04: UPCR > 1.0 g/g, moved to > 1.2 (the seed's own UPCR examples straddle it)
    const draft = edited(doc => {
      const logic = JSON.stringify(in04(doc).logic)
      expect(logic).toContain('"value":1')
      in04(doc).logic = JSON.parse(logic.replace('"value":1,', '"value":1.2,').replace('"value":1}', '"value":1.2}'))
    })
    const after = await runExamples(draft, examples)
    const fresh = await runExamples(draft, structuredClone(examples) as typeof examples) // a caller's own: nothing kept
    expect(after).toEqual(fresh)
    expect(after.filter(o => !o.passed).length).toBeGreaterThan(0) // the threshold matters to some example
    for (const [i, outcome] of after.entries()) {
      for (const [j, c] of outcome.verdict.criteria.entries()) {
        if (c.id === 'IN04') expect(c).not.toBe(before[i]!.verdict.criteria[j])
        else expect(c, `${outcome.id} ${c.id}`).toBe(before[i]!.verdict.criteria[j])
      }
    }
    // undone: the results kept for the original criterion come back
    const undone = await runExamples(compileProtocol(structuredClone(seed.doc)), examples)
    expect(undone[0]!.verdict.criteria.find(c => c.id === 'IN04')).toBe(before[0]!.verdict.criteria.find(c => c.id === 'IN04'))
  })

  it('a parameter edited (read by criteria through the context): every criterion evaluated again; its rationale: none', async () => {
    const before = await runExamples(compileProtocol(seed.doc), examples)
    const draft = edited(doc => {
      doc.parameters = structuredClone(doc.parameters)
    })
    // the same content: kept
    expect((await runExamples(draft, examples))[0]!.verdict.criteria[0]).toBe(before[0]!.verdict.criteria[0])
    const name = Object.keys(seed.doc.parameters ?? {})[0]!
    // its rationale (prose nothing evaluated reads): kept
    const explained = edited(doc => {
      doc.parameters![name]!.rationale += ' Reworded.'
    })
    expect((await runExamples(explained, examples))[0]!.verdict.criteria[0]).toBe(before[0]!.verdict.criteria[0])
    const changed = edited(doc => {
      ;(doc.parameters as Record<string, { notes?: string[] }>)[name]!.notes = ['edited']
    })
    const after = await runExamples(changed, examples)
    expect(after[0]!.verdict.criteria.every((c, j) => c !== before[0]!.verdict.criteria[j])).toBe(true)
    expect(after).toEqual(await runExamples(changed, structuredClone(examples) as typeof examples))
  })

  it('the title edited: nothing evaluated again', async () => {
    const before = await runExamples(compileProtocol(seed.doc), examples)
    const after = await runExamples(
      edited(doc => {
        doc.protocol.title = `${doc.protocol.title} (amended)`
      }),
      examples,
    )
    expect(after[3]!.verdict.criteria).toEqual(before[3]!.verdict.criteria)
    expect(after[3]!.verdict.criteria.every((c, j) => c === before[3]!.verdict.criteria[j])).toBe(true)
  })
})
