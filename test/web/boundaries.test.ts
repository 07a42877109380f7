/**
 * The module boundaries ARCHITECTURE.md sets: server/ and
 * web/ use the engine only through engine/index.ts; web/ imports only its
 * types (the engine's runtime is not bundled into the browser: data comes
 * over HTTP); the dev server proxies every API path.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { API_PREFIXES } from '../../web/vite.config.ts'
import { testApp } from '../server/helpers.ts'
import { ROOT } from '../helpers/cli.ts'

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.includes('node_modules') && !e.parentPath.includes('dist'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
}

/** Every `import … from '…engine/…'` (or `export … from`) statement of a file, whole. */
function engineImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  // [^'] cannot run past the module specifier that ends the statement before
  return [...text.matchAll(/^(?:import|export)\s[^']*?from\s+'[^']*engine\/[^']*'/gm)].map((m) => m[0])
}

/**
 * Engine modules the browser bundle may import at run time: pure wording
 * with no import of their own (so nothing else of the engine comes along),
 * one home for what the engine and the web both write (units in human form).
 */
const WEB_SHARED = ['describe/unit-words.ts']

describe('module boundaries', () => {
  it('an engine module web/ may import imports nothing', () => {
    for (const m of WEB_SHARED) expect(readFileSync(join(ROOT, 'engine', m), 'utf8'), m).not.toMatch(/^(?:import|export)\s[^']*?from\s/m)
  })

  it('server/ imports the engine only through engine/index.ts', () => {
    const deep = sources('server').flatMap((f) => engineImports(f).filter((s) => !/engine\/index\.ts'$/.test(s)).map((s) => `${f}: ${s}`))
    expect(deep).toEqual([])
  })

  it('web/ imports only types from the engine, and only through engine/index.ts (but for the pure modules of WEB_SHARED)', () => {
    const offending = sources('web').flatMap((f) =>
      engineImports(f)
        .filter((s) => !WEB_SHARED.some((m) => s.endsWith(`engine/${m}'`)))
        .filter((s) => !/^(?:import|export) type\s/.test(s) || !/engine\/index\.ts'$/.test(s))
        .map((s) => `${f}: ${s.replace(/\s+/g, ' ')}`),
    )
    expect(offending).toEqual([])
  })

  it('web/ does not import server/ code: it talks to the server over HTTP', () => {
    const offending = sources('web').flatMap((f) =>
      [...readFileSync(join(ROOT, f), 'utf8').matchAll(/^(?:import|export)\s[^']*?from\s+'[^']*\/server\/[^']*'/gm)].map((m) => `${f}: ${m[0]}`),
    )
    expect(offending).toEqual([])
  })

  it('the dev server proxies the first segment of every API route', { timeout: 60_000 }, async () => {
    const { app } = await testApp()
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> }
    const firsts = new Set(Object.keys(doc.paths).map((p) => `/${p.split('/')[1]}`))
    expect([...firsts].filter((p) => !API_PREFIXES.includes(p))).toEqual([])
  })
})
