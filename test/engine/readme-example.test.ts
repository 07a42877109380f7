/**
 * The README's "engine as a library" example, run as written (its import
 * pointed at this checkout's engine), so the documentation cannot drift.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it, onTestFinished } from 'vitest'
import { ROOT } from '../helpers/cli.ts'

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const section = readme.slice(readme.indexOf('## The engine as a library'))
const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1]

describe('README: the engine as a library', () => {
  it('has a TypeScript example', () => {
    expect(example).toContain("from './engine/index.ts'")
  })

  it('runs as written and prints what its comments say', () => {
    const dir = mkdtempSync(join(tmpdir(), 'readme-example-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'example.mts')
    writeFileSync(
      file,
      example!.replace(/'\.\/engine\/([\w/.-]+\.ts)'/g, (_m, path: string) => `'${pathToFileURL(join(ROOT, 'engine', path)).href}'`),
    )
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toBe('undetermined')
    expect(lines.at(-1)).toBe('NCT05631717 undetermined')
  })
})
