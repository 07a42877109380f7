/**
 * Run the command line as a user would (a child process), and write input files.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const ROOT = join(import.meta.dirname, '..', '..')

/** `npm run cli -- <args>`, with its exit code, stdout and stderr. */
export function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

/** A file with this text in a fresh temporary folder. */
export function tmpFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cli-test-')), name)
  writeFileSync(path, text)
  return path
}
