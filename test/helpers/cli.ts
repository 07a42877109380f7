/**
 * Run the command line as a user would, and write input files. `cli` runs
 * engine/cli/main.ts in this process on buffers (milliseconds, no node + tsx
 * start-up per call); `cliProcess` spawns the real program (engine/cli/bin.ts)
 * for the smoke tests that keep the binary, its streams and exit code covered.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { afterAll, onTestFinished } from 'vitest'

export const ROOT = join(import.meta.dirname, '..', '..')

export interface CliRun {
  code: number | null
  out: string
  err: string
}

/** A stream that keeps what is written to it. */
export class Collected extends Writable {
  text = ''
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString()
    done()
  }
}

/**
 * `npm run cli -- <args>` from the repository's root, in process: its exit code, stdout and stderr.
 * `-` reads `options.input` (none: an empty stdin, as a spawned process without input gets).
 */
export async function cli(...args: string[]): Promise<CliRun> {
  return cliWith({}, ...args)
}

export async function cliWith(options: { input?: string }, ...args: string[]): Promise<CliRun> {
  const stdout = new Collected()
  const stderr = new Collected()
  const stdin = Readable.from(options.input === undefined ? [] : [options.input])
  // imported here: the files that only want ROOT do not load the whole command line
  const { main } = await import('../../engine/cli/main.ts')
  const code = await main(args, { stdout, stderr, stdin, cwd: ROOT })
  return { code, out: stdout.text, err: stderr.text }
}

/** The real program as a child process (`node --import tsx engine/cli/bin.ts <args>`). */
export function cliProcess(args: string[], options: { input?: string; maxBuffer?: number } = {}): CliRun {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'engine/cli/bin.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.maxBuffer !== undefined ? { maxBuffer: options.maxBuffer } : {}),
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

/**
 * A file with this text in a fresh temporary folder, removed when the test that asked for it ends (or, asked for
 * while a file's tests are being collected, when that file's tests end).
 */
export function tmpFile(name: string, text: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'cli-test-'))
  const remove = () => rmSync(folder, { recursive: true, force: true })
  try {
    onTestFinished(remove)
  } catch {
    afterAll(remove) // not inside a test: vitest refuses onTestFinished there
  }
  const path = join(folder, name)
  writeFileSync(path, text)
  return path
}
