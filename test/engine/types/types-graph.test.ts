import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ENGINE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../engine')
const TYPES = join(ENGINE, 'types')

/** The modules of engine/types/ that a module imports (by file name). */
function localImports(file: string): string[] {
  const text = readFileSync(join(TYPES, file), 'utf8')
  return [...text.matchAll(/from '\.\/([\w-]+\.ts)'/g)].map(m => m[1]!)
}

/** A cycle in the import graph, as the files on it, or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n]
    state.set(n, 'open')
    stack.push(n)
    for (const m of graph.get(n) ?? []) {
      const cycle = visit(m)
      if (cycle) return cycle
    }
    stack.pop()
    state.set(n, 'done')
    return undefined
  }
  for (const n of graph.keys()) {
    const cycle = visit(n)
    if (cycle) return cycle
  }
  return undefined
}

describe('the engine types, one module per subject', () => {
  const files = readdirSync(TYPES).filter(f => f.endsWith('.ts'))
  const graph = new Map(files.map(f => [f, localImports(f)]))

  it('has the subjects the engine speaks of', () => {
    expect(files.sort()).toEqual(['api.ts', 'diagnostics.ts', 'examples.ts', 'logic.ts', 'protocol.ts', 'record.ts', 'study.ts', 'values.ts', 'verdict.ts'])
  })

  it('imports between them form no cycle', () => {
    expect(findCycle(graph)).toBeUndefined()
  })

  it('the cycle finder finds a cycle when there is one (so the test above can fail)', () => {
    expect(
      findCycle(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
        ]),
      ),
    ).toEqual(['a', 'b', 'c', 'a'])
    expect(
      findCycle(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toBeUndefined()
  })

  it('no subject module imports the barrel engine/types.ts', () => {
    for (const f of files) expect(readFileSync(join(TYPES, f), 'utf8'), f).not.toMatch(/from '\.\.\/types\.ts'/)
  })

  it('engine/types.ts only re-exports the subject modules', () => {
    const lines = readFileSync(join(ENGINE, 'types.ts'), 'utf8')
      .split('\n')
      .filter(l => l.trim() && !/^\s*(\/\*\*|\*|\/\/)/.test(l))
    for (const l of lines) expect(l).toMatch(/^export (type \*|\{[^}]+\}) from '\.\/types\/[\w-]+\.ts'$/)
    for (const f of files)
      expect(
        lines.some(l => l.includes(`./types/${f}`)),
        f,
      ).toBe(true)
  })
})
