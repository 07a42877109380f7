/**
 * Where the command line reads and writes: the process's streams when run as
 * a program (bin.ts), buffers when a test runs `main` in process. Nothing in
 * engine/cli touches process.stdout, process.stderr, process.stdin, the
 * working directory or process.exit directly.
 */
import { resolve } from 'node:path'
import type { Readable, Writable } from 'node:stream'

export interface CliIo {
  stdout: Writable
  stderr: Writable
  /** What `-` reads (screen); none given: an empty input. */
  stdin?: Readable | undefined
  /** The folder relative paths are read from (default: the process's working directory); messages name files as given. */
  cwd?: string | undefined
}

/** One line of text, as console.log would write it. */
export function println(out: Writable, text: string): void {
  out.write(`${text}\n`)
}

/** A path as given on the command line, to read from the CLI's working directory. */
export function inCwd(io: Pick<CliIo, 'cwd'>, path: string): string {
  return io.cwd === undefined ? path : resolve(io.cwd, path)
}
