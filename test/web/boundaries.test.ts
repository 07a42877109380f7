/**
 * The module boundaries ARCHITECTURE.md sets: server/ and
 * web/ use the engine only through engine/index.ts; web/ imports only its
 * types (the engine's runtime is not bundled into the browser: data comes
 * over HTTP); the dev server proxies every API path.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { API_PREFIXES } from '../../web/vite.config.ts'
import { testApp } from '../server/helpers.ts'
import { ROOT } from '../helpers/cli.ts'

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter(e => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.includes('node_modules') && !e.parentPath.includes('dist'))
    .map(e => relative(ROOT, join(e.parentPath, e.name)))
}

/** Every `import … from '…engine/…'` (or `export … from`) statement of a file, whole. */
function engineImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  // [^'] cannot run past the module specifier that ends the statement before
  return [...text.matchAll(/^(?:import|export)\s[^']*?from\s+'[^']*engine\/[^']*'/gm)].map(m => m[0])
}

/**
 * Engine modules the browser bundle may import at run time: the one home of
 * what the engine and the web both write or decide (units in human form,
 * calendar dates, windows and the version diff in words, the record
 * catalogue, the randomisation rule, the eGFR equations' names) and the
 * shapes of the language the forms walk (the condition, window and
 * endpoint-source models, with the path formatter they use). Each may import types from anywhere
 * (`import type`, erased from the bundle) but code only from another module
 * of this list, so nothing else of the engine comes along.
 */
const WEB_SHARED = [
  'describe/unit-words.ts',
  'calculators/dates.ts',
  'words/phrases.ts',
  'words/windows.ts',
  'diff/diff-words.ts',
  'diff/describe-diff.ts',
  'record-catalogue.ts',
  'subject/randomization.ts',
  'calculators/sledai-2k.ts',
  'calculators/egfr-catalogue.ts',
  'logic/condition-model.ts',
  'logic/window-model.ts',
  'logic/event-source-model.ts',
  'logic/param-ref.ts',
  'parse/path.ts',
  // what-if: the numbers a designer may move
  'whatif/what-if.ts',
  // the export formats the protocol view offers
  'export/formats.ts',
  // the shapes of the study part, with the BILAG-2004 system names the visit form lists
  'types/study.ts',
]

/** Every `import`/`export … from` statement of a file, whole, with its resolved target (relative to engine/). */
function fromStatements(file: string): Array<{ statement: string; target: string }> {
  const text = readFileSync(join(ROOT, file), 'utf8')
  return [...text.matchAll(/^(?:import|export)\s[^']*?from\s+'([^']*)'/gm)].map(m => ({
    statement: m[0],
    target: relative(join(ROOT, 'engine'), join(ROOT, dirname(file), m[1]!)),
  }))
}

/** A statement of a shared module that would bring engine code outside WEB_SHARED into the browser bundle. */
const bringsEngineCode = ({ statement, target }: { statement: string; target: string }) =>
  !/^(?:import|export) type\s/.test(statement) && !WEB_SHARED.includes(target)

/** The engine's public entry points (ARCHITECTURE.md "Entry points"): the core and one entry per part. */
const ENGINE_ENTRIES = [
  'index.ts',
  'study.ts',
  'describe/index.ts',
  'diff/index.ts',
  'match/index.ts',
  'fhir/index.ts',
  'fast/index.ts',
  'calculators/index.ts',
  'sql/index.ts',
  'whatif/index.ts',
  'export/index.ts',
  // the command-line tools' streams and exit-code plumbing, shared by the engine's and the server's tools
  'cli/io.ts',
]

describe('module boundaries', () => {
  it('an engine module web/ may import imports only types, and code only from another such module', () => {
    const offending = WEB_SHARED.flatMap(m =>
      fromStatements(join('engine', m))
        .filter(bringsEngineCode)
        .map(({ statement }) => `engine/${m}: ${statement.replace(/\s+/g, ' ')}`),
    )
    expect(offending).toEqual([])
    // nor a bare `import '…'` (a side effect) or a dynamic import
    for (const m of WEB_SHARED) expect(readFileSync(join(ROOT, 'engine', m), 'utf8'), m).not.toMatch(/^import\s+'|\bimport\(/m)
  })

  it('the check above refuses a runtime import of engine code outside WEB_SHARED', () => {
    expect(bringsEngineCode({ statement: "import { compileProtocol } from '../compile/compile.ts'", target: 'compile/compile.ts' })).toBe(true)
    expect(bringsEngineCode({ statement: "import { type Window } from '../types.ts'", target: 'types.ts' })).toBe(true)
    expect(bringsEngineCode({ statement: "import type { Window } from '../types.ts'", target: 'types.ts' })).toBe(false)
    expect(bringsEngineCode({ statement: "import { windowWords } from '../words/windows.ts'", target: 'words/windows.ts' })).toBe(false)
  })

  it('server/ imports the engine only through its entry points (engine/index.ts and the entries beside it)', () => {
    const deep = sources('server').flatMap(f =>
      engineImports(f)
        .filter(s => !ENGINE_ENTRIES.some(e => s.endsWith(`engine/${e}'`)))
        .map(s => `${f}: ${s}`),
    )
    expect(deep).toEqual([])
  })

  it('web/ imports only types from the engine, and only through engine/index.ts (but for the pure modules of WEB_SHARED)', () => {
    const offending = sources('web').flatMap(f =>
      engineImports(f)
        .filter(s => !WEB_SHARED.some(m => s.endsWith(`engine/${m}'`)))
        .filter(s => !/^(?:import|export) type\s/.test(s) || !/engine\/index\.ts'$/.test(s))
        .map(s => `${f}: ${s.replace(/\s+/g, ' ')}`),
    )
    expect(offending).toEqual([])
  })

  it('web/ does not import server/ code: it talks to the server over HTTP', () => {
    const offending = sources('web').flatMap(f =>
      [...readFileSync(join(ROOT, f), 'utf8').matchAll(/^(?:import|export)\s[^']*?from\s+'[^']*\/server\/[^']*'/gm)].map(m => `${f}: ${m[0]}`),
    )
    expect(offending).toEqual([])
  })

  it('the dev server proxies the first segment of every API route', { timeout: 60_000 }, async () => {
    const { app } = await testApp()
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> }
    const firsts = new Set(Object.keys(doc.paths).map(p => `/${p.split('/')[1]}`))
    expect([...firsts].filter(p => !API_PREFIXES.includes(p))).toEqual([])
  })
})
